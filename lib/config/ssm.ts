/**
 * The SSM adapter of `lib/config/secrets.ts`: one `GetParameters` call (JSON protocol, signed by the SDK's
 * own SigV4 signer, `@smithy/signature-v4`, over node:crypto) per 10 names, decrypted. Deliberately not
 * `@aws-sdk/client-ssm` (or Powertools Parameters over it): that client adds ~210 KB to every bundle (~46 KB
 * gzipped) and ~0.17 G instructions of module init to each cold start, for one request shape made once per
 * cold start and every few minutes after; the signer is already in every bundle (the DynamoDB client's).
 * Credentials are the execution role's, which Lambda puts in the environment; `AWS_ENDPOINT_URL_SSM`
 * (the SDK's own override) points it elsewhere, e.g. at a test server.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { FetchParameters } from './secrets';

const BATCH = 10; // GetParameters' limit
const TARGET = 'AmazonSSM.GetParameters';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignInput {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string;
  region: string;
  service: string;
  credentials: Credentials;
  now: Date;
}

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData): string | Buffer =>
  typeof data === 'string' ? data : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);

/**
 * SHA-256 (HMAC with a secret) from node:crypto behind the signer's checksum interface: what
 * `@smithy/hash-node`'s `Hash` does, without a dependency this package does not declare.
 */
class Sha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.create();
  }
  private create(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(this.secret));
  }
  update(data: Uint8Array | string): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.create();
  }
}

/** AWS Signature Version 4 headers for a request with a body (host, x-amz-date, the token, authorization). */
export const signRequest = async (input: SignInput): Promise<Record<string, string>> => {
  const signer = new SignatureV4({
    credentials: input.credentials, region: input.region, service: input.service, sha256: Sha256,
    applyChecksum: false, // no x-amz-content-sha256 header: SSM does not want one
  });
  const headers = {
    ...Object.fromEntries(Object.entries(input.headers).map(([name, value]) => [name.toLowerCase(), value.trim()])),
    host: input.url.host,
  };
  const signed = await signer.sign({
    method: input.method, protocol: input.url.protocol, hostname: input.url.hostname, path: input.url.pathname || '/',
    query: Object.fromEntries(input.url.searchParams), headers, body: input.body,
  }, { signingDate: input.now });
  return signed.headers as Record<string, string>;
};

export interface SsmOptions {
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  now?: () => Date;
  timeoutMs?: number;
}

interface GetParametersAnswer {
  Parameters?: Array<{ Name?: string; Value?: string }>;
  __type?: string;
  message?: string;
}

const RETRYABLE = (status: number, type: string | undefined) => status >= 500 || status === 429 || /Throttl/i.test(type ?? '');

/** `FetchParameters` over SSM's HTTP API: names → decrypted values (unknown names are absent). */
export const buildSsmFetch = (options: SsmOptions = {}): FetchParameters => {
  const env = options.env ?? process.env;
  const send = options.fetch ?? fetch;
  const call = async (names: readonly string[], attempt = 1): Promise<GetParametersAnswer> => {
    const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
    if (!region || !accessKeyId || !secretAccessKey) throw new Error('SSM: AWS_REGION and the execution role credentials must be in the environment');
    const url = new URL(env.AWS_ENDPOINT_URL_SSM ?? `https://ssm.${region}.amazonaws.com/`);
    const body = JSON.stringify({ Names: names, WithDecryption: true });
    const headers = await signRequest({
      method: 'POST', url, body, region, service: 'ssm', now: options.now?.() ?? new Date(),
      headers: { 'content-type': CONTENT_TYPE, 'x-amz-target': TARGET },
      credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    });
    delete headers.host; // fetch sets it from the URL
    let response: Response;
    try {
      // A cold start waits for this read: fail fast so the provider's retry lands on a healthy attempt.
      response = await send(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(options.timeoutMs ?? 1_500) });
    } catch (error) {
      if (attempt < 2) return call(names, attempt + 1);
      throw error;
    }
    const answer = (await response.json().catch(() => ({}))) as GetParametersAnswer;
    if (response.ok) return answer;
    if (attempt < 2 && RETRYABLE(response.status, answer.__type)) return call(names, attempt + 1);
    // SSM's error message names the action and resource, never a value.
    throw new Error(`SSM GetParameters answered ${response.status} ${answer.__type ?? ''}: ${answer.message ?? ''}`.trim());
  };
  return async (names) => {
    const values: Record<string, string> = {};
    for (let start = 0; start < names.length; start += BATCH) {
      const answer = await call(names.slice(start, start + BATCH));
      for (const parameter of answer.Parameters ?? []) {
        if (parameter.Name !== undefined && parameter.Value !== undefined) values[parameter.Name] = parameter.Value;
      }
    }
    return values;
  };
};
