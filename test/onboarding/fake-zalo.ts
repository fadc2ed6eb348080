/**
 * A local stand-in for Zalo's OAuth v4 OA endpoint and the OA-info API (node:http on 127.0.0.1:0).
 * It behaves like the real thing where the receiver depends on it: codes and refresh tokens are
 * single-use, the app secret comes in the `secret_key` header, errors are HTTP 200 with `error`, and
 * a PKCE verifier must match the challenge the consent page was opened with.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeZalo {
  url: string;
  /** What the OA admin's consent produces: a code bound to the OA (and to the PKCE challenge, if any). */
  consent(oaId: string, codeChallenge?: string): string;
  /** Every token this fake ever issued, to search logs for. */
  issued: string[];
  /** The live refresh token of each OA. */
  refreshOf: Map<string, string>;
  /** Seconds the next pairs live (a string, as Zalo sends it). */
  expiresIn: string;
  /** Every call received, in order. */
  requests: Array<{ path: string; grantType?: string }>;
  close(): Promise<void>;
}

const token = (prefix: string) => `${prefix}-${randomBytes(24).toString('base64url')}`;

export const startFakeZalo = async (apps: Record<string, string>): Promise<FakeZalo> => {
  const codes = new Map<string, { oaId: string; challenge?: string }>();
  const refreshTokens = new Map<string, string>(); // refresh token → OA, while unused
  const accessTokens = new Map<string, string>(); // access token → OA
  const fake = {
    url: '',
    issued: [] as string[],
    refreshOf: new Map<string, string>(),
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

  const answer = (form: URLSearchParams, secret: string | undefined): Record<string, unknown> => {
    const appId = form.get('app_id') ?? '';
    if (apps[appId] === undefined || apps[appId] !== secret) return { error: -14002, error_name: 'Invalid app secret' };
    if (form.get('grant_type') === 'authorization_code') {
      const code = codes.get(form.get('code') ?? '');
      if (!code) return { error: -14019, error_name: 'Invalid authorization code' };
      codes.delete(form.get('code')!);
      const verifier = form.get('code_verifier');
      if (code.challenge && (!verifier || createHash('sha256').update(verifier).digest('base64url') !== code.challenge)) {
        return { error: -14025, error_name: 'Invalid code verifier' };
      }
      return grant(code.oaId);
    }
    if (form.get('grant_type') === 'refresh_token') {
      const oaId = refreshTokens.get(form.get('refresh_token') ?? '');
      if (!oaId) return { error: -14014, error_name: 'Invalid refresh token' };
      refreshTokens.delete(form.get('refresh_token')!); // single-use
      return grant(oaId);
    }
    return { error: -14001, error_name: 'Invalid grant type' };
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]!;
      let body: Record<string, unknown>;
      if (req.method === 'POST' && path === '/v4/oa/access_token') {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        fake.requests.push({ path, grantType: form.get('grant_type') ?? '' });
        body = answer(form, req.headers.secret_key as string | undefined);
      } else if (req.method === 'GET' && path === '/v2.0/oa/getoa') {
        fake.requests.push({ path });
        const oaId = accessTokens.get(String(req.headers.access_token ?? ''));
        body = oaId ? { error: 0, message: 'Success', data: { oa_id: oaId, name: 'Test OA' } } : { error: -216, message: 'Access token is invalid' };
      } else {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(fake, {
    consent(oaId: string, codeChallenge?: string) {
      const code = token('code');
      codes.set(code, { oaId, ...(codeChallenge ? { challenge: codeChallenge } : {}) });
      return code;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
};
