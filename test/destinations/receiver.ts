/**
 * A destination's receiver for the heavy tests: an HTTP server on 127.0.0.1 that verifies every request
 * with the `standardwebhooks` package (as a partner's receiver would) and keeps what it got. `answer` says
 * what to answer (a status, or `hang` to never answer).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  id: string;
  type: string;
  body: string;
  data: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  verified: boolean;
  at: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  secret: string | undefined;
  answer: number | 'hang';
  /** Resolves once `count` requests matching `filter` arrived (rejects after `timeoutMs`). */
  waitFor(count: number, filter?: (r: Received) => boolean, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export const startReceiver = async (answer: number | 'hang' = 204): Promise<Receiver> => {
  const receiver: Omit<Receiver, 'url' | 'close' | 'waitFor'> = { received: [], secret: undefined, answer };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let verified = false;
      try {
        if (receiver.secret) {
          new Webhook(receiver.secret).verify(body, req.headers as Record<string, string>);
          verified = true;
        }
      } catch {
        verified = false;
      }
      const parsed = JSON.parse(body) as { type: string; data: Record<string, unknown> };
      receiver.received.push({ id: String(req.headers['webhook-id']), type: parsed.type, data: parsed.data, body, headers: req.headers, verified, at: Date.now() });
      if (receiver.answer === 'hang') return;
      res.writeHead(receiver.answer, { 'content-type': 'text/plain' }).end(receiver.answer >= 300 ? 'receiver says no' : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return Object.assign(receiver, {
    url,
    async waitFor(count: number, filter: (r: Received) => boolean = () => true, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const got = receiver.received.filter(filter);
        if (got.length >= count) return got;
        if (Date.now() > until) throw new Error(`receiver got ${got.length} of ${count} requests within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  });
};
