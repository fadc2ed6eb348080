/** The read API's fixed shape: bearer key check (constant-time) → handler → JSON, errors mapped in one place. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { RequestError } from '../http/errors';
import { header } from '../http/request';
import { errorResponse, json } from '../http/response';
import { bearer, matchesSecret } from '../http/secrets';

type ReadHandler = (event: APIGatewayProxyEventV2) => Promise<unknown>;

export const buildReadApi = (keys: () => readonly string[]) => (handle: ReadHandler) =>
  async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    try {
      if (!matchesSecret(bearer(header(event, 'authorization')), keys())) {
        const refused = errorResponse(new RequestError(401, 'Authorization', 'missing or invalid bearer key'));
        return { ...refused, headers: { ...refused.headers, 'www-authenticate': 'Bearer' } };
      }
      return json(200, { ok: true, ...(await handle(event) as object) });
    } catch (error) {
      return errorResponse(error);
    }
  };

/** A required path parameter, refused with a 400 naming it when absent or oversized. */
export const pathParam = (event: APIGatewayProxyEventV2, name: string, maxLength = 128): string => {
  const value = event.pathParameters?.[name];
  if (!value) throw new RequestError(400, name, `path parameter ${name} is required`);
  if (value.length > maxLength) throw new RequestError(400, name, `${name} is longer than ${maxLength} characters`);
  return value;
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A YYYY-MM-DD query parameter (a real calendar date), or `fallback` when absent. */
export const dayParam = (event: APIGatewayProxyEventV2, name: string, fallback: string): string => {
  const value = event.queryStringParameters?.[name] ?? fallback;
  if (!DAY.test(value) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new RequestError(400, name, `${name} must be a date YYYY-MM-DD, got ${JSON.stringify(value.slice(0, 40))}`);
  }
  return value;
};
