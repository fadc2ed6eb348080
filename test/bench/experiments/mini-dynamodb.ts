/**
 * EXPERIMENT (bench only, not product code): the smallest DynamoDB client that could carry this
 * project's traffic. JSON protocol over node:http(s) with keep-alive, SigV4 signed with node:crypto,
 * plain JS values marshalled to AttributeValues. No middleware stack, no endpoint rules, no credential
 * chain beyond the environment (what Lambda provides), one retry on 5xx / throttling / a dropped socket.
 */
import { createHash, createHmac } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';

type AttributeValue = Record<string, unknown>;

export const marshallValue = (value: unknown): AttributeValue | undefined => {
  if (value === undefined) return undefined;
  if (value === null) return { NULL: true };
  switch (typeof value) {
    case 'string': return { S: value };
    case 'number': case 'bigint': return { N: String(value) };
    case 'boolean': return { BOOL: value };
    default: break;
  }
  if (Array.isArray(value)) return { L: value.map((item) => marshallValue(item) ?? { NULL: true }) };
  if (value instanceof Set) {
    const items = [...value];
    return typeof items[0] === 'number' ? { NS: items.map(String) } : { SS: items.map(String) };
  }
  if (value instanceof Uint8Array) return { B: Buffer.from(value).toString('base64') };
  return { M: marshall(value as Record<string, unknown>) };
};

export const marshall = (item: Record<string, unknown>): Record<string, AttributeValue> => {
  const out: Record<string, AttributeValue> = {};
  for (const key in item) {
    const value = marshallValue(item[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
};

export const unmarshallValue = (value: AttributeValue): unknown => {
  const key = Object.keys(value)[0];
  const inner = value[key as string];
  switch (key) {
    case 'S': return inner;
    case 'N': return Number(inner);
    case 'BOOL': return inner;
    case 'NULL': return null;
    case 'M': return unmarshall(inner as Record<string, AttributeValue>);
    case 'L': return (inner as AttributeValue[]).map(unmarshallValue);
    case 'SS': return new Set(inner as string[]);
    case 'NS': return new Set((inner as string[]).map(Number));
    case 'B': return Buffer.from(inner as string, 'base64');
    default: throw new Error(`unsupported attribute type ${key}`);
  }
};

export const unmarshall = (item: Record<string, AttributeValue>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const key in item) out[key] = unmarshallValue(item[key]!);
  return out;
};

export interface MiniConfig {
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxAttempts?: number;
}

const sha256hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** An error shaped like the SDK's service exceptions as far as this project looks at them (`name`, `Item`). */
export class DynamoDBError extends Error {
  [key: string]: unknown;
  constructor(name: string, message: string, body: Record<string, unknown>, public statusCode: number) {
    super(message);
    Object.assign(this, body);
    this.name = name;
  }
}

export const buildMiniDynamo = (config: MiniConfig = {}) => {
  const region = config.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const url = new URL(config.endpoint ?? `https://dynamodb.${region}.amazonaws.com`);
  const secure = url.protocol === 'https:';
  const agent = secure ? new https.Agent({ keepAlive: true, maxSockets: 50 }) : new http.Agent({ keepAlive: true, maxSockets: 50 });
  const transport = secure ? https : http;
  const host = url.host;
  const maxAttempts = config.maxAttempts ?? 2;
  let signingKey: { day: string; key: Buffer } | undefined;

  const credentials = () => config.credentials ?? {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? '',
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '',
    sessionToken: process.env.AWS_SESSION_TOKEN,
  };

  const sign = (target: string, body: string): Record<string, string> => {
    const { accessKeyId, secretAccessKey, sessionToken } = credentials();
    const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
    const day = amzDate.slice(0, 8);
    if (signingKey?.day !== day) {
      signingKey = { day, key: hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), region), 'dynamodb'), 'aws4_request') };
    }
    const headers: Record<string, string> = {
      'content-type': 'application/x-amz-json-1.0',
      host,
      'x-amz-date': amzDate,
      ...(sessionToken ? { 'x-amz-security-token': sessionToken } : {}),
      'x-amz-target': `DynamoDB_20120810.${target}`,
    };
    const names = Object.keys(headers).sort();
    const signed = names.join(';');
    const canonical = `POST\n/\n\n${names.map((name) => `${name}:${headers[name]}\n`).join('')}\n${signed}\n${sha256hex(body)}`;
    const scope = `${day}/${region}/dynamodb/aws4_request`;
    const signature = createHmac('sha256', signingKey.key).update(`AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256hex(canonical)}`, 'utf8').digest('hex');
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${signed}, Signature=${signature}`;
    headers['content-length'] = String(Buffer.byteLength(body));
    return headers;
  };

  const once = (target: string, body: string): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const request = transport.request({ hostname: url.hostname, port: url.port || (secure ? 443 : 80), path: '/', method: 'POST', agent, headers: sign(target, body) }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(body);
    });

  /** Sends one low-level request (AttributeValue-shaped input and output). */
  const call = async (target: string, input: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const body = JSON.stringify(input);
    for (let attempt = 1; ; attempt += 1) {
      let answer: { status: number; text: string };
      try {
        answer = await once(target, body);
      } catch (error) {
        if (attempt < maxAttempts) continue;
        throw error;
      }
      const parsed = answer.text ? (JSON.parse(answer.text) as Record<string, unknown>) : {};
      if (answer.status === 200) return parsed;
      const type = String(parsed.__type ?? 'UnknownError');
      const name = type.slice(type.lastIndexOf('#') + 1);
      const retryable = answer.status >= 500 || /Throttl|ProvisionedThroughputExceeded|RequestLimitExceeded/.test(name);
      if (retryable && attempt < maxAttempts) continue;
      throw new DynamoDBError(name, String(parsed.message ?? parsed.Message ?? name), parsed, answer.status);
    }
  };

  return { call, destroy: () => agent.destroy() };
};
export type MiniDynamo = ReturnType<typeof buildMiniDynamo>;
