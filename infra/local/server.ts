/**
 * The local HTTP front door: matches each request against serverless.yml's httpApi routes, builds the
 * API Gateway event and calls the same handler module Lambda runs. A thrown error becomes a 500, as on AWS.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { buildHttpApiEvent, INTEGRATION_ERROR, lambdaContext, toHttpAnswer, type HttpAnswer } from './apigw';
import { httpRoutes, matchPath, PROJECT_ROOT, type HttpRoute } from './routes';

type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

/** API Gateway refuses bodies over 10 MB; Lambda's synchronous payload limit is 6 MB. */
const MAX_BODY_BYTES = 6 * 1024 * 1024;

const handlers = new Map<string, Promise<HttpHandler>>();

/** Imports a handler module once (like a warm Lambda instance) and returns the named export. */
export const loadHandler = <H = HttpHandler>(module: string, exportName: string): Promise<H> =>
  loadHttpHandler(module, exportName) as Promise<H>;

const loadHttpHandler = (module: string, exportName: string): Promise<HttpHandler> => {
  const key = `${module}#${exportName}`;
  let loaded = handlers.get(key);
  if (!loaded) {
    loaded = import(pathToFileURL(join(PROJECT_ROOT, module)).href).then((mod: Record<string, unknown>) => {
      const handler = mod[exportName] ?? (mod.default as Record<string, unknown> | undefined)?.[exportName];
      if (typeof handler !== 'function') throw new Error(`${module} has no export ${exportName}`);
      return handler as HttpHandler;
    });
    handlers.set(key, loaded);
  }
  return loaded;
};

const readBody = (req: IncomingMessage): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });

const notFound: HttpAnswer = { statusCode: 404, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"message":"Not Found"}') };
const tooLarge: HttpAnswer = { statusCode: 413, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"message":"Request Entity Too Large"}') };

export const dispatch = async (routes: HttpRoute[], req: IncomingMessage, timeoutMs: number): Promise<HttpAnswer> => {
  const url = req.url ?? '/';
  const path = url.split('?')[0] ?? '/';
  const method = (req.method ?? 'GET').toUpperCase();
  let match: { route: HttpRoute; params: Record<string, string> } | undefined;
  for (const route of routes) {
    const params = route.method === method || route.method === 'ANY' ? matchPath(route.path, path) : undefined;
    if (params) {
      match = { route, params };
      break;
    }
  }
  const body = await readBody(req);
  if (!match) return notFound;
  if (body === undefined) return tooLarge;
  const event = buildHttpApiEvent(
    { method, url, headers: req.headers, body, sourceIp: req.socket.remoteAddress ?? '127.0.0.1' },
    `${match.route.method} ${match.route.path}`,
    match.params,
  );
  try {
    const handler = await loadHandler(match.route.module, match.route.exportName);
    return toHttpAnswer(await handler(event, lambdaContext(match.route.functionName, timeoutMs)));
  } catch (error) {
    console.error(`[local] ${match.route.functionName} threw:`, error);
    return INTEGRATION_ERROR;
  }
};

export const startHttpServer = (port: number, routes = httpRoutes(), timeoutMs = 6000): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer((req, res) => {
      dispatch(routes, req, timeoutMs)
        .catch(() => INTEGRATION_ERROR)
        .then((answer) => {
          res.writeHead(answer.statusCode, { ...answer.headers, 'content-length': String(answer.body.length) });
          res.end(answer.body);
        })
        // Writing the answer failed (the client went away, a header was malformed): drop the connection.
        .catch(() => res.destroy());
    });
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
