import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { headerValue } from '../headers';

/** A request header, matched case-insensitively (HTTP API lower-cases names, other front doors may not). */
export const header = (event: Pick<APIGatewayProxyEventV2, 'headers'>, name: string): string | undefined => headerValue(event.headers ?? {}, name);

/** The body exactly as the client sent it: signatures are computed over these bytes. */
export const rawBody = (event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>): string =>
  event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;

export const lowerCaseHeaders = (event: Pick<APIGatewayProxyEventV2, 'headers'>): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(event.headers ?? {}).map(([key, value]) => [key.toLowerCase(), value]));

/**
 * The network a request came from, as API Gateway saw the caller (`requestContext.http.sourceIp`, which
 * a client cannot choose): an IPv4 /24 or an IPv6 /48. What a pending Zalo app's requests are counted by.
 */
export const sourceNetwork = (ip: string | undefined): string => {
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/i.exec(ip ?? '');
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  if (!ip || !/^[0-9a-f:]+$/i.test(ip) || ip.split('::').length > 2) return 'unknown';
  const [head = '', tail] = ip.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const known = [...groups(head), ...(tail === undefined ? [] : [...Array(Math.max(0, 8 - groups(head).length - groups(tail).length)).fill('0'), ...groups(tail)])];
  if (known.length !== 8 || known.some((group) => group.length > 4)) return 'unknown';
  return `${known.slice(0, 3).map((group) => Number.parseInt(group, 16).toString(16)).join(':')}::/48`;
};
