import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { RequestError } from '../errors';
import { eraseRecipient, type Eraser } from '../esms/erasure';
import { normalisePhone } from '../esms/phone';
import { pathParam, type Caller } from './read-api';

/** Work per request: well inside API Gateway's 30 s, so a large erasure answers `incomplete` instead of timing out. */
export const ERASURE_BUDGET_MS = 20_000;

const decoded = (value: string): string => {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new RequestError(400, 'phone', 'phone is not valid percent-encoding');
  }
};

/**
 * DELETE /api/recipients/{phone}: erases the number (any spelling) from the caller's records, keeping
 * counters. `{"changed":n}`, plus `"incomplete":true` when the budget ran out: call again until it is absent.
 */
export const eraseRecipientRoute = (erasers: readonly Eraser[], now: () => number, budgetMs = ERASURE_BUDGET_MS) =>
  async (event: APIGatewayProxyEventV2, caller: Caller) => {
    const phone = normalisePhone(decoded(pathParam(event, 'phone', 96)));
    if (phone === undefined) throw new RequestError(400, 'phone', 'phone is empty');
    const result = await eraseRecipient(erasers, caller.tenant, phone, { deadline: now() + budgetMs, now });
    return { changed: result.changed, ...(!result.complete && { incomplete: true }) };
  };
