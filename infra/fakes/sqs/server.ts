/**
 * Amazon SQS, locally: the AWS JSON 1.0 protocol the SDK v3 client speaks (`X-Amz-Target: AmazonSQS.<Op>`),
 * with the documented behaviour the product relies on — standard queues delivering at least once, a
 * visibility timeout per receive (changeable), per-message delays, long polling up to 20 s, the
 * ApproximateReceiveCount, redrive to a dead-letter queue after `maxReceiveCount` receives, 256 KiB bodies,
 * and MD5 digests the client verifies. No npm package ships an SQS server (ElasticMQ is a JAR off the
 * registry), so `npm start` and the tests run the same SQS client code against this one. With `file`, the
 * queues are written there (at most once a second, and on stop) and read back at start.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const ACCOUNT = '000000000000';
const REGION = 'local';
const MAX_BODY_BYTES = 262_144;

interface Message {
  id: string;
  body: string;
  md5: string;
  sentAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  receipt?: string;
}

interface Queue {
  name: string;
  attributes: Record<string, string>;
  messages: Message[];
}

class SqsError extends Error {
  constructor(readonly type: string, message: string, readonly status = 400) {
    super(message);
  }
}

export interface FakeSqs {
  url: string;
  /** Messages of a queue by state (tests and the local stack's drain). */
  depth(name: string): { visible: number; inFlight: number; delayed: number };
  close(): Promise<void>;
}

const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');
const arnOf = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
const seconds = (value: unknown, fallback: number, max: number, field: string): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new SqsError('com.amazonaws.sqs#InvalidParameterValue', `${field} must be an integer from 0 to ${max}`);
  return n;
};

export const startFakeSqs = async (options: { port?: number; file?: string } = {}): Promise<FakeSqs> => {
  const queues = new Map<string, Queue>();
  if (options.file && existsSync(options.file)) {
    for (const queue of JSON.parse(readFileSync(options.file, 'utf8')) as Queue[]) queues.set(queue.name, queue);
  }
  let dirty = false;
  const save = () => {
    if (!options.file || !dirty) return;
    dirty = false;
    writeFileSync(`${options.file}.tmp`, JSON.stringify([...queues.values()]));
    renameSync(`${options.file}.tmp`, options.file);
  };
  const saver = setInterval(save, 1000);
  saver.unref();
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of waiters) waiter();
    waiters.clear();
  };

  let base = '';
  const queueOf = (url: unknown): Queue => {
    const name = typeof url === 'string' ? url.split('/').at(-1) ?? '' : '';
    const queue = queues.get(name);
    if (!queue) throw new SqsError('com.amazonaws.sqs#QueueDoesNotExist', 'The specified queue does not exist.');
    return queue;
  };

  const send = (queue: Queue, body: unknown, delay: unknown): Message => {
    if (typeof body !== 'string' || body.length === 0) throw new SqsError('com.amazonaws.sqs#MissingParameter', 'The request must contain the parameter MessageBody.');
    if (Buffer.byteLength(body, 'utf8') > MAX_BODY_BYTES) throw new SqsError('com.amazonaws.sqs#InvalidParameterValue', `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_BODY_BYTES} bytes.`);
    const now = Date.now();
    const message: Message = {
      id: randomUUID(), body, md5: md5(body), sentAt: now, receiveCount: 0,
      visibleAt: now + 1000 * seconds(delay, Number(queue.attributes.DelaySeconds ?? 0), 900, 'DelaySeconds'),
    };
    queue.messages.push(message);
    dirty = true;
    wake();
    return message;
  };

  /** Visible messages, moving the ones past their receive limit to the dead-letter queue (as SQS does on receive). */
  const visible = (queue: Queue, now: number): Message[] => {
    const policy = queue.attributes.RedrivePolicy ? JSON.parse(queue.attributes.RedrivePolicy) as { deadLetterTargetArn: string; maxReceiveCount: number | string } : undefined;
    const ready = queue.messages.filter((message) => message.visibleAt <= now);
    if (!policy) return ready;
    const target = [...queues.values()].find((candidate) => arnOf(candidate.name) === policy.deadLetterTargetArn);
    return ready.filter((message) => {
      if (!target || message.receiveCount < Number(policy.maxReceiveCount)) return true;
      queue.messages.splice(queue.messages.indexOf(message), 1);
      target.messages.push({ ...message, visibleAt: now, receipt: undefined });
      dirty = true;
      return false;
    });
  };

  const receive = async (input: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const queue = queueOf(input.QueueUrl);
    const max = seconds(input.MaxNumberOfMessages, 1, 10, 'MaxNumberOfMessages') || 1;
    const wait = seconds(input.WaitTimeSeconds, Number(queue.attributes.ReceiveMessageWaitTimeSeconds ?? 0), 20, 'WaitTimeSeconds');
    const timeout = seconds(input.VisibilityTimeout, Number(queue.attributes.VisibilityTimeout ?? 30), 43_200, 'VisibilityTimeout');
    const deadline = Date.now() + wait * 1000;
    for (;;) {
      const now = Date.now();
      const ready = visible(queue, now).slice(0, max);
      if (ready.length > 0 || now >= deadline) {
        const messages = ready.map((message) => {
          message.receiveCount += 1;
          message.firstReceivedAt ??= now;
          message.visibleAt = now + timeout * 1000;
          message.receipt = `${message.id}#${randomUUID()}`;
          dirty = true;
          return {
            MessageId: message.id, ReceiptHandle: message.receipt, MD5OfBody: message.md5, Body: message.body,
            Attributes: {
              ApproximateReceiveCount: String(message.receiveCount), SentTimestamp: String(message.sentAt),
              ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
            },
          };
        });
        return messages.length > 0 ? { Messages: messages } : {};
      }
      // Woken by a send, or at the next delayed or in-flight message's time, or at the deadline.
      const next = Math.min(deadline, ...queue.messages.map((message) => message.visibleAt));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          waiters.delete(done);
          resolve();
        }, Math.max(5, next - now));
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        waiters.add(done);
      });
    }
  };

  const byReceipt = (queue: Queue, receipt: unknown): Message => {
    const message = queue.messages.find((candidate) => candidate.receipt === receipt);
    if (!message) throw new SqsError('com.amazonaws.sqs#ReceiptHandleIsInvalid', `The input receipt handle "${String(receipt)}" is not a valid receipt handle.`);
    return message;
  };

  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    CreateQueue: (input) => {
      const name = String(input.QueueName ?? '');
      if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw new SqsError('com.amazonaws.sqs#InvalidParameterValue', 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
      const existing = queues.get(name);
      if (!existing) queues.set(name, { name, attributes: { VisibilityTimeout: '30', ...(input.Attributes as Record<string, string> | undefined) }, messages: [] });
      else Object.assign(existing.attributes, input.Attributes ?? {});
      dirty = true;
      return { QueueUrl: `${base}/${ACCOUNT}/${name}` };
    },
    GetQueueUrl: (input) => {
      const name = String(input.QueueName ?? '');
      if (!queues.has(name)) throw new SqsError('com.amazonaws.sqs#QueueDoesNotExist', 'The specified queue does not exist.');
      return { QueueUrl: `${base}/${ACCOUNT}/${name}` };
    },
    GetQueueAttributes: (input) => {
      const queue = queueOf(input.QueueUrl);
      const now = Date.now();
      return {
        Attributes: {
          ...queue.attributes, QueueArn: arnOf(queue.name),
          ApproximateNumberOfMessages: String(queue.messages.filter((m) => m.visibleAt <= now).length),
          ApproximateNumberOfMessagesNotVisible: String(queue.messages.filter((m) => m.visibleAt > now && m.receipt !== undefined).length),
          ApproximateNumberOfMessagesDelayed: String(queue.messages.filter((m) => m.visibleAt > now && m.receipt === undefined).length),
        },
      };
    },
    SendMessage: (input) => {
      const message = send(queueOf(input.QueueUrl), input.MessageBody, input.DelaySeconds);
      return { MessageId: message.id, MD5OfMessageBody: message.md5 };
    },
    SendMessageBatch: (input) => {
      const queue = queueOf(input.QueueUrl);
      const entries = (input.Entries as Array<Record<string, unknown>> | undefined) ?? [];
      if (entries.length === 0 || entries.length > 10) throw new SqsError('com.amazonaws.sqs#TooManyEntriesInBatchRequest', 'Maximum number of entries per request are 10.');
      const total = entries.reduce((sum, entry) => sum + Buffer.byteLength(String(entry.MessageBody ?? ''), 'utf8'), 0);
      if (total > MAX_BODY_BYTES) throw new SqsError('com.amazonaws.sqs#BatchRequestTooLong', 'Batch requests cannot be longer than 262144 bytes.');
      const Successful: unknown[] = [];
      const Failed: unknown[] = [];
      for (const entry of entries) {
        try {
          const message = send(queue, entry.MessageBody, entry.DelaySeconds);
          Successful.push({ Id: entry.Id, MessageId: message.id, MD5OfMessageBody: message.md5 });
        } catch (error) {
          Failed.push({ Id: entry.Id, SenderFault: true, Code: (error as SqsError).type?.split('#')[1] ?? 'InvalidParameterValue', Message: (error as Error).message });
        }
      }
      return { Successful, Failed };
    },
    ReceiveMessage: receive,
    DeleteMessage: (input) => {
      const queue = queueOf(input.QueueUrl);
      const message = byReceipt(queue, input.ReceiptHandle);
      queue.messages.splice(queue.messages.indexOf(message), 1);
      dirty = true;
      return {};
    },
    DeleteMessageBatch: (input) => {
      const queue = queueOf(input.QueueUrl);
      const Successful: unknown[] = [];
      const Failed: unknown[] = [];
      for (const entry of (input.Entries as Array<Record<string, unknown>> | undefined) ?? []) {
        const message = queue.messages.find((candidate) => candidate.receipt === entry.ReceiptHandle);
        if (message) {
          queue.messages.splice(queue.messages.indexOf(message), 1);
          Successful.push({ Id: entry.Id });
        } else Failed.push({ Id: entry.Id, SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'invalid receipt handle' });
      }
      dirty = true;
      return { Successful, Failed };
    },
    ChangeMessageVisibility: (input) => {
      const queue = queueOf(input.QueueUrl);
      const message = byReceipt(queue, input.ReceiptHandle);
      message.visibleAt = Date.now() + 1000 * seconds(input.VisibilityTimeout, 0, 43_200, 'VisibilityTimeout');
      dirty = true;
      wake();
      return {};
    },
    PurgeQueue: (input) => {
      queueOf(input.QueueUrl).messages = [];
      dirty = true;
      return {};
    },
  };

  const answer = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = operations[target.replace(/^AmazonSQS\./, '')];
    try {
      if (!target.startsWith('AmazonSQS.') || !operation) throw new SqsError('com.amazonaws.sqs#InvalidAction', `The action ${target} is not valid for this endpoint.`);
      const input = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> : {};
      answer(res, 200, await operation(input));
    } catch (error) {
      const known = error instanceof SqsError;
      answer(res, known ? error.status : 500, { __type: known ? error.type : 'com.amazonaws.sqs#InternalError', message: (error as Error).message });
    }
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    depth(name) {
      const queue = queues.get(name);
      const now = Date.now();
      const messages = queue?.messages ?? [];
      return {
        visible: messages.filter((m) => m.visibleAt <= now).length,
        inFlight: messages.filter((m) => m.visibleAt > now && m.receipt !== undefined).length,
        delayed: messages.filter((m) => m.visibleAt > now && m.receipt === undefined).length,
      };
    },
    async close() {
      clearInterval(saver);
      wake();
      save();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
