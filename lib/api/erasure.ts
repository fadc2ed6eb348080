import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { RequestError } from '../errors';
import { erasedPhone, eraseRecipient } from '../esms/erasure';
import { erasablePhone } from '../esms/phone';
import type { Eraser, ErasureProgressStore } from '../esms/ports';
import type { AnswerBody } from './answers';
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
 * counters. `{"changed":n}`, plus `"incomplete":true` when the budget ran out: call again, and the next call
 * carries on where this one stopped (the progress is stored), until it is absent. Only a phone number is
 * accepted (lib/esms/phone.ts `erasablePhone`): erasing `1` would rewrite every text holding a 1.
 */
export const eraseRecipientRoute = (erasers: readonly Eraser[], progress: ErasureProgressStore, now: () => number, budgetMs = ERASURE_BUDGET_MS) =>
  async (event: APIGatewayProxyEventV2, caller: Caller): Promise<AnswerBody<'Erasure'>> => {
    const phone = erasablePhone(decoded(pathParam(event, 'phone', 96)));
    if (phone === undefined) {
      throw new RequestError(400, 'phone', 'phone is not a phone number: a Vietnamese number in any spelling (0901888484, +84 901 888 484) or another country\'s number with its + or 00 prefix');
    }
    const result = await eraseRecipient(erasers, progress, caller.tenant, erasedPhone(phone), { deadline: now() + budgetMs, now });
    return { changed: result.changed, ...(!result.complete && { incomplete: true }) };
  };
