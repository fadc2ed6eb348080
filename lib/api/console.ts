/**
 * GET /console: the web console's page and its two static files (`?asset=app.js|app.css`), under a strict
 * Content-Security-Policy. One route serves all three, so the console is one small function of its own;
 * the page asks for `console?asset=…&v=<version>` (relative, so a stage or custom-domain prefix works).
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { errorResponse, json } from '../http/response';
import { RequestError } from '../errors';

export interface ConsoleAssets {
  version: string;
  html: string;
  files: Record<string, { type: string; body: string }>;
}

/** Everything from this deployment, nothing inline, no frames: the bearer key lives in the page's sessionStorage. */
export const CONSOLE_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "font-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const answer = (type: string, body: string, cache: string): APIGatewayProxyStructuredResultV2 =>
  ({ statusCode: 200, headers: { ...SECURITY_HEADERS, 'content-type': type, 'cache-control': cache }, body });

/** `load` gives the built assets (undefined when the console was never built: a 503 saying how to build it). */
export const serveConsole = (load: () => Promise<ConsoleAssets | undefined>) =>
  async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    try {
      const assets = await load();
      if (!assets) return json(503, { ok: false, error: { message: 'the console is not built: run npm run console:build' } });
      const name = event.queryStringParameters?.asset;
      if (name === undefined) return answer('text/html; charset=utf-8', assets.html, 'no-cache');
      // Own names only: `__proto__` or `toString` must not reach Object.prototype.
      const file = Object.hasOwn(assets.files, name) ? assets.files[name] : undefined;
      if (!file) throw new RequestError(404, 'asset', `no console asset ${JSON.stringify(name.slice(0, 40))}`);
      // A versioned URL never changes content; an unversioned one must be revalidated.
      const immutable = event.queryStringParameters?.v === assets.version;
      return answer(file.type, file.body, immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    } catch (error) {
      return errorResponse(error);
    }
  };
