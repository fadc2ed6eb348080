/**
 * An in-process fake of Zalo's OAuth v4 (OA permission) and the OA OpenAPI calls the receiver makes, on
 * one port, for tests and the local stack. It behaves like the real thing where the receiver depends on
 * it: codes and refresh tokens are single-use, the app secret comes in the `secret_key` header, errors
 * are HTTP 200 with `error`/`error_name`, a PKCE verifier must match the consent's challenge, getlist pages
 * hold at most 50. Switches make it misbehave the ways Zalo can (see `FakeZaloSwitches`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { consentPage } from './consent';

export interface FakeZaloSwitches {
  /** getoa: `error` answers -216, `no-oa-id` answers success without an OA id, `http-500` fails. */
  getoa?: 'ok' | 'error' | 'no-oa-id' | 'http-500';
  /** The token endpoint answers HTTP 200 with only `error_name`/`error_description` (no `error`, no token). */
  tokenWithoutAccessToken?: boolean;
  /** The next this-many token requests answer HTTP 502 before doing anything. */
  tokenFailures?: number;
  /** Delay every token answer by this much (real time), after the token is rotated: a slow refresh. */
  tokenDelayMs?: number;
  /** getlist refuses with -32 (rate limit). */
  getlistRateLimited?: boolean;
}

export interface FakeZaloOptions {
  port?: number;
  host?: string;
  /** app_id → app secret key. */
  apps: Record<string, string>;
  /** The OA the consent page grants when the request names none. */
  defaultOaId?: string;
}

export interface FakeZalo {
  url: string;
  /** What an OA admin's consent produces, without the page: a code bound to the OA (and to the PKCE challenge, if any). */
  consent(oaId: string, codeChallenge?: string): string;
  /** Every token this fake ever issued, to search logs for. */
  issued: string[];
  /** The live refresh token of each OA. */
  refreshOf: Map<string, string>;
  /** How many times each refresh token was presented (spent or not): a token used twice was refreshed twice. */
  refreshUses: Map<string, number>;
  /** Seconds the next pairs live (a string, as Zalo sends it). */
  expiresIn: string;
  /** Every call received, in order. */
  requests: Array<{ path: string; grantType?: string }>;
  /** The OA's followers, in getlist order. */
  setFollowers(oaId: string, userIds: readonly string[]): void;
  /** The OA admin removes the app's access: every token of the OA stops working. */
  revoke(oaId: string): void;
  /** Merges into the current switches; a key set to `undefined` is switched off. */
  setSwitches(switches: FakeZaloSwitches): void;
  close(): Promise<void>;
}

const token = (prefix: string) => `${prefix}-${randomBytes(24).toString('base64url')}`;

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const sendJson = (res: ServerResponse, body: unknown, status = 200) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

export const startFakeZalo = async (options: FakeZaloOptions): Promise<FakeZalo> => {
  const apps = options.apps;
  const codes = new Map<string, { oaId: string; appId: string; challenge?: string }>();
  const refreshTokens = new Map<string, string>(); // refresh token → OA, while unused
  const accessTokens = new Map<string, string>(); // access token → OA, while the OA has not revoked
  const followers = new Map<string, string[]>();
  let switches: FakeZaloSwitches = {};
  const fake = {
    url: '',
    issued: [] as string[],
    refreshOf: new Map<string, string>(),
    refreshUses: new Map<string, number>(),
    expiresIn: '90000',
    requests: [] as FakeZalo['requests'],
  };

  const grant = (oaId: string) => {
    const pair = { access_token: token('AT'), refresh_token: token('RT'), expires_in: fake.expiresIn };
    fake.issued.push(pair.access_token, pair.refresh_token);
    accessTokens.set(pair.access_token, oaId);
    refreshTokens.set(pair.refresh_token, oaId);
    fake.refreshOf.set(oaId, pair.refresh_token);
    return pair;
  };

  const tokenAnswer = (form: URLSearchParams, secret: string | undefined): Record<string, unknown> => {
    const appId = form.get('app_id') ?? '';
    if (apps[appId] === undefined || apps[appId] !== secret) return { error: -14002, error_name: 'Invalid app secret' };
    if (switches.tokenWithoutAccessToken) return { error_name: 'Internal error', error_description: 'Please try again later' };
    if (form.get('grant_type') === 'authorization_code') {
      const code = codes.get(form.get('code') ?? '');
      if (!code || code.appId !== appId) return { error: -14019, error_name: 'Invalid authorization code' };
      codes.delete(form.get('code')!);
      const verifier = form.get('code_verifier');
      if (code.challenge && (!verifier || createHash('sha256').update(verifier).digest('base64url') !== code.challenge)) {
        return { error: -14025, error_name: 'Invalid code verifier' };
      }
      return grant(code.oaId);
    }
    if (form.get('grant_type') === 'refresh_token') {
      const presented = form.get('refresh_token') ?? '';
      fake.refreshUses.set(presented, (fake.refreshUses.get(presented) ?? 0) + 1);
      const oaId = refreshTokens.get(presented);
      if (!oaId) return { error: -14014, error_name: 'Invalid refresh token' };
      refreshTokens.delete(presented); // single-use
      return grant(oaId);
    }
    return { error: -14001, error_name: 'Invalid grant type' };
  };

  const getlist = (req: IncomingMessage, query: URLSearchParams): Record<string, unknown> => {
    const oaId = accessTokens.get(String(req.headers.access_token ?? ''));
    if (!oaId) return { error: -216, message: 'Access token is invalid' };
    if (switches.getlistRateLimited) return { error: -32, message: 'Request exceeds limit' };
    let data: { offset?: unknown; count?: unknown };
    try {
      data = JSON.parse(query.get('data') ?? '{}') as typeof data;
    } catch {
      return { error: -201, message: 'Parameters are invalid' };
    }
    const offset = Number(data.offset ?? 0);
    const count = Number(data.count ?? 0);
    if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(count) || count < 1 || count > 50) return { error: -201, message: 'count must be 1 to 50' };
    const all = followers.get(oaId) ?? [];
    const users = all.slice(offset, offset + count).map((userId) => ({ user_id: userId, user_id_by_app: `app-${userId}` }));
    return { error: 0, message: 'Success', data: { total: all.length, count: users.length, offset, users } };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    if (req.method === 'GET' && path === '/v4/oa/permission') {
      fake.requests.push({ path });
      const appId = url.searchParams.get('app_id') ?? '';
      const redirect = url.searchParams.get('redirect_uri') ?? '';
      if (apps[appId] === undefined || !/^https?:\/\//.test(redirect)) return void res.writeHead(400, { 'content-type': 'text/plain' }).end('unknown app_id or bad redirect_uri');
      return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(consentPage(url.searchParams, options.defaultOaId ?? '1397492183140006179'));
    }
    if (req.method === 'GET' && path === '/v4/oa/permission/allow') {
      fake.requests.push({ path });
      const q = url.searchParams;
      const appId = q.get('app_id') ?? '';
      const oaId = q.get('oa_id') || options.defaultOaId || '1397492183140006179';
      if (apps[appId] === undefined) return void res.writeHead(400).end();
      const code = token('code');
      codes.set(code, { oaId, appId, ...(q.get('code_challenge') ? { challenge: q.get('code_challenge')! } : {}) });
      const back = new URL(q.get('redirect_uri') ?? '');
      back.search = new URLSearchParams({ oa_id: oaId, code, state: q.get('state') ?? '' }).toString();
      return void res.writeHead(302, { location: back.toString() }).end();
    }
    if (req.method === 'POST' && path === '/v4/oa/access_token') {
      const form = new URLSearchParams(await readBody(req));
      fake.requests.push({ path, grantType: form.get('grant_type') ?? '' });
      if ((switches.tokenFailures ?? 0) > 0) {
        switches = { ...switches, tokenFailures: switches.tokenFailures! - 1 };
        return void res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad gateway</html>');
      }
      const body = tokenAnswer(form, req.headers.secret_key as string | undefined);
      if (switches.tokenDelayMs) await new Promise((resolve) => setTimeout(resolve, switches.tokenDelayMs));
      return sendJson(res, body);
    }
    if (req.method === 'GET' && path === '/v2.0/oa/getoa') {
      fake.requests.push({ path });
      const mode = switches.getoa ?? 'ok';
      if (mode === 'http-500') return void res.writeHead(500).end();
      const oaId = accessTokens.get(String(req.headers.access_token ?? ''));
      if (!oaId || mode === 'error') return sendJson(res, { error: -216, message: 'Access token is invalid' });
      return sendJson(res, { error: 0, message: 'Success', data: mode === 'no-oa-id' ? { name: 'Test OA' } : { oa_id: oaId, name: 'Test OA' } });
    }
    if (req.method === 'GET' && path === '/v3.0/oa/user/getlist') {
      fake.requests.push({ path });
      return sendJson(res, getlist(req, url.searchParams));
    }
    res.writeHead(404).end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(fake, {
    consent(oaId: string, codeChallenge?: string) {
      const code = token('code');
      codes.set(code, { oaId, appId: Object.keys(apps)[0] ?? '', ...(codeChallenge ? { challenge: codeChallenge } : {}) });
      return code;
    },
    setFollowers(oaId: string, userIds: readonly string[]) {
      followers.set(oaId, [...userIds]);
    },
    revoke(oaId: string) {
      for (const [access, owner] of accessTokens) if (owner === oaId) accessTokens.delete(access);
      for (const [refresh, owner] of refreshTokens) if (owner === oaId) refreshTokens.delete(refresh);
    },
    setSwitches(next: FakeZaloSwitches) {
      switches = { ...switches, ...next };
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  });
};
