/**
 * DynamoDB's per-partition-key limits, locally (`DYNAMODB_THROTTLE_SCALE`): a proxy in front of any DynamoDB
 * endpoint that serves each partition key value — of the table and of each index a write touches — at most
 * 1,000 write and 3,000 read units a second divided by `scale`, and answers what DynamoDB answers past them:
 * HTTP 400 `ProvisionedThroughputExceededException` for a single-item request or a Query, the keys over the
 * limit left in `UnprocessedItems`/`UnprocessedKeys` of a batch, and a `TransactionCanceledException` with a
 * `ThrottlingError` reason for a transaction (which costs twice the units). DynamoDB Local enforces no limit
 * at all, so this is how "nothing lost at campaign scale" is shown on one machine: 1,000 recipients at 100
 * callbacks/s against scale 100 are 100,000 recipients at 10,000/s against DynamoDB.
 *
 * The model is the conservative one of the contract: a key's bucket holds one second of its rate (no burst
 * credit, no adaptive capacity). Units are DynamoDB's: a write 1 per KB of the item (at least 1), a read 0.5
 * per 4 KB eventually consistent, 1 strongly consistent. An index write is charged to the index's key value
 * when the request sets that key. `refuseWrites(ms)` refuses every write for a while (an outage); `record`
 * keeps each request's keys and units (the capacity model's input, infra/tools/capacity.ts).
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import tables from '../tables.json';

type AttributeValue = Record<string, unknown>;
type Item = Record<string, AttributeValue>;
interface Body { [key: string]: unknown }

/** DynamoDB's documented per-partition-key throughput. */
export const KEY_WCU_PER_SECOND = 1000;
export const KEY_RCU_PER_SECOND = 3000;

export interface Charge { table: string; index?: string; key: string; units: number; kind: 'write' | 'read' }

export interface RecordedRequest { op: string; at: number; charges: Charge[]; throttled: boolean }

export interface ThrottleProxy {
  url: string;
  stats: { requests: number; throttled: number; throttledItems: number; refusedWrites: number };
  /** Every request's charges since `record(true)` (cleared by it). */
  recorded: RecordedRequest[];
  record(on: boolean): void;
  refuseWrites(ms: number): void;
  close(): Promise<void>;
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

/** The hash key attribute of each table and of each of its indexes, from infra/tables.json (tables by name suffix). */
const keySchemas = Object.entries(tables).map(([name, definition]) => ({
  suffix: `-${name.toLowerCase()}`,
  name,
  hash: definition.KeySchema.find((key) => key.KeyType === 'HASH')!.AttributeName,
  indexes: ((definition as { GlobalSecondaryIndexes?: Array<{ IndexName: string; KeySchema: Array<{ AttributeName: string; KeyType: string }> }> }).GlobalSecondaryIndexes ?? [])
    .map((index) => ({ name: index.IndexName, hash: index.KeySchema.find((key) => key.KeyType === 'HASH')!.AttributeName })),
}));
const schemaOf = (table: string) => keySchemas.find((schema) => table.toLowerCase().endsWith(schema.suffix)) ?? keySchemas.find((schema) => schema.name === table);

const scalar = (value: AttributeValue | undefined): string | undefined => {
  if (!value) return undefined;
  const inner = value.S ?? value.N ?? value.B;
  return typeof inner === 'string' ? inner : undefined;
};
/** An item's size as DynamoDB counts it, closely enough for units: names and values in UTF-8. */
const sizeOf = (item: unknown): number => Buffer.byteLength(JSON.stringify(item ?? {}), 'utf8');
const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

/** Index keys a request sets: an item's attributes, or the values an update expression assigns them. */
const indexCharges = (table: string, set: (attribute: string) => string | undefined, units: number): Charge[] =>
  (schemaOf(table)?.indexes ?? []).flatMap((index) => {
    const key = set(index.hash);
    return key === undefined ? [] : [{ table, index: index.name, key, units, kind: 'write' as const }];
  });

const updateSets = (body: Body) => (attribute: string): string | undefined => {
  const names = (body.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (body.ExpressionAttributeValues ?? {}) as Item;
  const ref = Object.entries(names).find(([, name]) => name === attribute)?.[0] ?? attribute;
  const match = new RegExp(`${ref.replace(/[#$]/g, '\\$&')}\\s*=\\s*(?:if_not_exists\\([^,]+,\\s*)?(:[A-Za-z0-9_]+)`).exec(String(body.UpdateExpression ?? ''));
  return match ? scalar(values[match[1]!]) : undefined;
};

/** The partition key value a Query reads: the value bound to the hash key in its key condition. */
const queryKey = (body: Body, hash: string): string | undefined => {
  const names = (body.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (body.ExpressionAttributeValues ?? {}) as Item;
  const refs = [hash, ...Object.entries(names).filter(([, name]) => name === hash).map(([ref]) => ref)];
  for (const ref of refs) {
    const match = new RegExp(`(?:^|\\s|\\()${ref.replace(/[#$]/g, '\\$&')}\\s*=\\s*(:[A-Za-z0-9_]+)`).exec(String(body.KeyConditionExpression ?? ''));
    if (match) return scalar(values[match[1]!]);
  }
  return undefined;
};

const writeCharges = (table: string, op: string, request: Body): Charge[] => {
  const schema = schemaOf(table);
  if (!schema) return [];
  if (op === 'PutItem' || op === 'Put') {
    const item = request.Item as Item;
    const units = writeUnits(sizeOf(item));
    return [{ table, key: scalar(item[schema.hash]) ?? '', units, kind: 'write' }, ...indexCharges(table, (attribute) => scalar(item[attribute]), 1)];
  }
  const key = scalar((request.Key as Item | undefined)?.[schema.hash]) ?? '';
  if (op === 'DeleteItem' || op === 'Delete' || op === 'ConditionCheck') return [{ table, key, units: 1, kind: 'write' }];
  return [{ table, key, units: writeUnits(sizeOf(request.ExpressionAttributeValues)), kind: 'write' }, ...indexCharges(table, updateSets(request), 1)];
};

export const startThrottleProxy = async (options: { target: string; scale: number; port?: number }): Promise<ThrottleProxy> => {
  const target = new URL(options.target);
  const rate = { write: KEY_WCU_PER_SECOND / options.scale, read: KEY_RCU_PER_SECOND / options.scale };
  const buckets = new Map<string, { tokens: number; at: number; capacity: number }>();
  const stats = { requests: 0, throttled: 0, throttledItems: 0, refusedWrites: 0 };
  let recording = false;
  const recorded: RecordedRequest[] = [];
  let refuseUntil = 0;

  const bucketOf = (charge: Charge, now: number) => {
    const id = `${charge.kind}\n${charge.table}\n${charge.index ?? ''}\n${charge.key}`;
    const capacity = rate[charge.kind];
    const bucket = buckets.get(id) ?? { tokens: capacity, at: now, capacity };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * capacity);
    bucket.at = now;
    buckets.set(id, bucket);
    return bucket;
  };
  /** Takes the units of all charges, or none when any key is over its limit. */
  const take = (charges: Charge[], factor = 1): boolean => {
    const now = Date.now();
    const needs = new Map<ReturnType<typeof bucketOf>, number>();
    for (const charge of charges) {
      const bucket = bucketOf(charge, now);
      needs.set(bucket, (needs.get(bucket) ?? 0) + charge.units * factor);
    }
    // A request larger than a whole second of its key is served from a full bucket (DynamoDB serves a 4 KB item at 1 WCU/s too, slowly).
    if ([...needs].some(([bucket, units]) => bucket.tokens < Math.min(units, bucket.capacity))) return false;
    for (const [bucket, units] of needs) bucket.tokens -= units;
    return true;
  };

  const forward = (req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const upstream = httpRequest({
        hostname: target.hostname, port: target.port, path: req.url, method: req.method,
        headers: { ...req.headers, host: target.host, 'content-length': String(body.length) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 500, headers: res.headers as Record<string, string>, body: Buffer.concat(chunks) }));
      });
      upstream.on('error', reject);
      upstream.end(body);
    });

  const refuse = (res: ServerResponse, type: string, message: string, extra: Body = {}) => {
    res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `throttle-${Date.now()}` });
    res.end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message, ...extra }));
  };
  const THROTTLED = 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.';

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let raw = Buffer.concat(chunks);
    const op = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) as Body : {};
    stats.requests += 1;
    const note = (charges: Charge[], throttled: boolean) => {
      if (recording) recorded.push({ op, at: Date.now(), charges, throttled });
    };
    if (WRITES.has(op) && Date.now() < refuseUntil) {
      stats.refusedWrites += 1;
      note([], true);
      return refuse(res, 'ProvisionedThroughputExceededException', THROTTLED);
    }
    const table = String(body.TableName ?? '');
    let charges: Charge[] = [];
    let answerFilter: ((answer: Body) => Body) | undefined;
    switch (op) {
      case 'PutItem': case 'UpdateItem': case 'DeleteItem':
        charges = writeCharges(table, op, body);
        break;
      case 'GetItem': {
        const schema = schemaOf(table);
        charges = schema ? [{ table, key: scalar((body.Key as Item)[schema.hash]) ?? '', units: body.ConsistentRead ? 1 : 0.5, kind: 'read' }] : [];
        break;
      }
      case 'Query': {
        const schema = schemaOf(table);
        const index = schema?.indexes.find((candidate) => candidate.name === body.IndexName);
        const key = schema ? queryKey(body, index?.hash ?? schema.hash) : undefined;
        charges = key === undefined ? [] : [{ table, ...(index && { index: index.name }), key, units: body.ConsistentRead ? 1 : 0.5, kind: 'read' }];
        break;
      }
      case 'TransactWriteItems': {
        const items = (body.TransactItems as Array<Record<string, Body>>).map((entry) => {
          const [kind, request] = Object.entries(entry)[0]!;
          return writeCharges(String(request.TableName), kind, request);
        });
        if (!take(items.flat(), 2)) {
          stats.throttled += 1;
          note(items.flat(), true);
          return refuse(res, 'TransactionCanceledException', 'Transaction cancelled, please refer cancellation reasons for specific reasons [ThrottlingError]', {
            CancellationReasons: items.map(() => ({ Code: 'ThrottlingError', Message: 'Throughput exceeds the current capacity for one or more global secondary indexes.' })),
          });
        }
        note(items.flat().map((charge) => ({ ...charge, units: charge.units * 2 })), false);
        break;
      }
      case 'BatchWriteItem': {
        const requested = body.RequestItems as Record<string, Array<{ PutRequest?: Body; DeleteRequest?: Body }>>;
        const kept: typeof requested = {};
        const left: typeof requested = {};
        const all: Charge[] = [];
        for (const [name, entries] of Object.entries(requested)) {
          for (const entry of entries) {
            const itemCharges = entry.PutRequest ? writeCharges(name, 'PutItem', entry.PutRequest) : writeCharges(name, 'DeleteItem', entry.DeleteRequest!);
            if (take(itemCharges)) {
              (kept[name] ??= []).push(entry);
              all.push(...itemCharges);
            } else {
              (left[name] ??= []).push(entry);
              stats.throttledItems += 1;
            }
          }
        }
        note(all, Object.keys(left).length > 0);
        if (Object.keys(kept).length === 0) {
          stats.throttled += 1;
          return refuse(res, 'ProvisionedThroughputExceededException', THROTTLED);
        }
        raw = Buffer.from(JSON.stringify({ ...body, RequestItems: kept }));
        answerFilter = (answer) => ({ ...answer, UnprocessedItems: { ...(answer.UnprocessedItems as Body | undefined), ...left } });
        break;
      }
      case 'BatchGetItem': {
        const requested = body.RequestItems as Record<string, { Keys: Item[] } & Body>;
        const kept: typeof requested = {};
        const left: typeof requested = {};
        const all: Charge[] = [];
        for (const [name, request] of Object.entries(requested)) {
          const schema = schemaOf(name);
          for (const key of request.Keys) {
            const charge: Charge = { table: name, key: scalar(key[schema?.hash ?? 'pk']) ?? '', units: request.ConsistentRead ? 1 : 0.5, kind: 'read' };
            if (take([charge])) {
              (kept[name] ??= { ...request, Keys: [] }).Keys.push(key);
              all.push(charge);
            } else {
              (left[name] ??= { ...request, Keys: [] }).Keys.push(key);
              stats.throttledItems += 1;
            }
          }
        }
        note(all, Object.keys(left).length > 0);
        if (Object.keys(kept).length === 0) {
          stats.throttled += 1;
          return refuse(res, 'ProvisionedThroughputExceededException', THROTTLED);
        }
        raw = Buffer.from(JSON.stringify({ ...body, RequestItems: kept }));
        answerFilter = (answer) => ({ ...answer, UnprocessedKeys: { ...(answer.UnprocessedKeys as Body | undefined), ...left } });
        break;
      }
      default:
        break;
    }
    if (op !== 'TransactWriteItems' && op !== 'BatchWriteItem' && op !== 'BatchGetItem' && charges.length > 0) {
      if (!take(charges)) {
        stats.throttled += 1;
        note(charges, true);
        return refuse(res, 'ProvisionedThroughputExceededException', THROTTLED);
      }
      note(charges, false);
    }
    try {
      const answer = await forward(req, raw);
      let out = answer.body;
      if (answerFilter && answer.status === 200) out = Buffer.from(JSON.stringify(answerFilter(JSON.parse(out.toString('utf8')) as Body)));
      const { 'content-length': _length, 'transfer-encoding': _encoding, ...headers } = answer.headers;
      res.writeHead(answer.status, { ...headers, 'content-length': String(out.length) });
      res.end(out);
    } catch (error) {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(error));
    }
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats,
    recorded,
    record(on) {
      recording = on;
      if (on) recorded.length = 0;
    },
    refuseWrites(ms) {
      refuseUntil = Date.now() + ms;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
