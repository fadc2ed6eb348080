import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { headerValue } from '../headers';

/** A request header, matched case-insensitively (HTTP API lower-cases names, other front doors may not). */
export const header = (event: Pick<APIGatewayProxyEventV2, 'headers'>, name: string): string | undefined => headerValue(event.headers ?? {}, name);

/** The body exactly as the client sent it: signatures are computed over these bytes. */
export const rawBody = (event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>): string =>
  event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;

export const lowerCaseHeaders = (event: Pick<APIGatewayProxyEventV2, 'headers'>): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(event.headers ?? {}).map(([key, value]) => [key.toLowerCase(), value]));
