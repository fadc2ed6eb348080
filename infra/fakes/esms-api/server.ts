/**
 * An in-process fake of eSMS's pull APIs (rest.esms.vn and status-sms.esms.vn paths on one port) for
 * tests and the local stack. Switches make it misbehave the ways eSMS can: slow, over its TPS limit
 * (160), malformed bodies, too-young SMSIDs (105), wrong keys (101). `now` is injectable so the TPS
 * window and message ages follow a test's clock.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { codeOnly, ENDPOINTS, ROUTES, type Endpoint, type RouteContext } from './routes';
import { buildTruth, type FakeMessage, type FakeMessageInput, type Truth } from './truth';

export interface FakeEsmsSwitches {
  /** Delay every answer by this much (real time). */
  slowMs?: number;
  /** Answer 160 to calls above this many per (sliding) second, across all endpoints; 0 refuses all. */
  rateLimitTps?: number;
  /** `true`/`'non-json'`: an HTML error page with HTTP 200; `'doc-sample'`: GetSmsSentData_V2 in the doc sample's broken JSON. */
  malformed?: boolean | 'non-json' | 'doc-sample';
  /** SMSIDs younger than this answer 105 (GetCallback leaves them out). */
  notYetMs?: number;
  /** Answer 101 whatever the keys. */
  deny?: boolean;
}

export interface FakeEsmsOptions {
  port?: number;
  host?: string;
  apiKey: string;
  secretKey: string;
  now?: () => number;
}

export interface FakeEsms {
  url: string;
  truth: Truth;
  addMessage(input: FakeMessageInput): FakeMessage;
  /** Merges into the current switches; a key set to `undefined` is switched off. */
  setSwitches(switches: FakeEsmsSwitches): void;
  /** Requests received per endpoint (every answer counts, 101 and 160 included). */
  calls(): Record<Endpoint, number>;
  stop(): Promise<void>;
}

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const HTML_ERROR = '<html><head><title>Runtime Error</title></head><body>Server Error in \'/\' Application.</body></html>';

export async function startFakeEsms(options: FakeEsmsOptions): Promise<FakeEsms> {
  const now = options.now ?? Date.now;
  const truth = buildTruth(now);
  const switches: FakeEsmsSwitches = {};
  const counts = Object.fromEntries(ENDPOINTS.map((e) => [e, 0])) as Record<Endpoint, number>;
  let accepted: number[] = [];

  const answer = (endpoint: Endpoint, query: URLSearchParams, body: Record<string, unknown>): string => {
    const [apiKey, secretKey] = endpoint === 'GetSendStatus' || endpoint === 'GetSmsReceiverStatus_get'
      ? [query.get('ApiKey'), query.get('SecretKey')]
      : [body.ApiKey, body.SecretKey];
    if (switches.deny || apiKey !== options.apiKey || secretKey !== options.secretKey) return codeOnly(endpoint, 101, 'Authorize Failed');
    if (switches.rateLimitTps !== undefined) {
      const t = now();
      accepted = accepted.filter((at) => at > t - 1000);
      if (accepted.length >= switches.rateLimitTps) return codeOnly(endpoint, 160, 'Request over TPS limit');
      accepted.push(t);
    }
    if (switches.malformed === true || switches.malformed === 'non-json') return HTML_ERROR;
    const ctx: RouteContext = { truth, now, notYetMs: switches.notYetMs ?? 0, docSample: switches.malformed === 'doc-sample' };
    return ROUTES[endpoint].answer(ctx, { query, body });
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const path = url.pathname.toLowerCase().replace(/\/+$/, '');
      const endpoint = ENDPOINTS.find((e) => ROUTES[e].path === path);
      if (endpoint === undefined) return res.writeHead(404, { 'content-type': 'text/plain' }).end('Endpoint not found.');
      if (req.method !== ROUTES[endpoint].method) return res.writeHead(405, { 'content-type': 'text/plain' }).end('Method not allowed.');
      counts[endpoint]++;
      let body: Record<string, unknown> = {};
      if (req.method === 'POST') {
        try {
          const parsed: unknown = JSON.parse(await readBody(req));
          if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
        } catch {
          return res.writeHead(400, { 'content-type': 'text/plain' }).end('The server encountered an error processing the request.');
        }
      }
      const text = answer(endpoint, url.searchParams, body);
      if (switches.slowMs) await new Promise((resolve) => setTimeout(resolve, switches.slowMs).unref());
      const json = !text.startsWith('<');
      res.writeHead(200, { 'content-type': json ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8' }).end(text);
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    truth,
    addMessage: (input) => truth.add(input),
    setSwitches: (next) => void Object.assign(switches, next),
    calls: () => ({ ...counts }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
