/**
 * POSTs an event to a receiver (the delivery's `PostEvent`, lib/destinations/deliver.ts): connects to the
 * address the delivery checked, never to one a second lookup would give (the TLS name and `host` stay the
 * URL's), follows no redirect, gives up after the timeout (connection, headers and answer together) and
 * keeps at most the first 1 KB of the answer.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import type { PostEvent } from '../destinations/ports';

const KEEP_BYTES = 1024;

const pinnedLookup = (address: string): LookupFunction => (_host, options, callback) => {
  const family = isIP(address);
  if ((options as { all?: boolean }).all) (callback as unknown as (error: null, addresses: Array<{ address: string; family: number }>) => void)(null, [{ address, family }]);
  else callback(null, address, family);
};

export const postEvent: PostEvent = ({ url, address, headers, body, timeoutMs }) => new Promise((resolve, reject) => {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const payload = Buffer.from(body, 'utf8');
  let settled = false;
  const finish = (error: Error | undefined, value?: { status: number; answer: string }) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    if (error) reject(error);
    else resolve(value!);
  };
  const req = send(url, {
    method: 'POST',
    lookup: pinnedLookup(address),
    headers: { ...headers, 'content-length': String(payload.length), 'user-agent': 'vn-messaging-webhooks/1' },
    agent: false,
  }, (res: IncomingMessage) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    res.on('data', (chunk: Buffer) => {
      if (kept < KEEP_BYTES) {
        chunks.push(chunk);
        kept += chunk.length;
      } else {
        // Enough for the log: the rest is not read.
        res.destroy();
        finish(undefined, { status: res.statusCode ?? 0, answer: Buffer.concat(chunks).subarray(0, KEEP_BYTES).toString('utf8') });
      }
    });
    res.on('end', () => finish(undefined, { status: res.statusCode ?? 0, answer: Buffer.concat(chunks).subarray(0, KEEP_BYTES).toString('utf8') }));
    res.on('error', (error) => finish(error));
  });
  const timer = setTimeout(() => {
    finish(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`));
    req.destroy();
  }, timeoutMs);
  req.on('error', (error) => finish(error));
  req.end(payload);
});
