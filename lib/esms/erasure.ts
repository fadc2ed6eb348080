/**
 * Erasing a phone number from a tenant's records (DELETE /api/recipients/{phone}). Each kind of record
 * has its own `Eraser` (eSMS messages and their phone index, the rejected log; Zalo records can add
 * theirs). What is erased is the number itself: in heads, callback items (their sort keys included), raw
 * queries and rejected raw requests it becomes `erased`; the phone's index items are deleted. Totals,
 * statuses, prices, days and every other counted field stay as they were, so counters do not move.
 *
 * Work is bounded per call: erasers stop at the budget's deadline and say `complete: false`; the caller
 * answers `incomplete` and a rerun carries on (what is erased no longer matches, so reruns converge).
 */
import type { InlineCallback, OverflowWinner } from '../table/esms';
import { ERASED_PHONE } from '../table/esms';
import { normalisePhone, phonePattern } from './phone';

export interface ErasureBudget {
  /** Epoch ms after which an eraser starts no new record. */
  deadline: number;
  now: () => number;
}

export interface ErasureResult {
  /** Records changed (rewritten or deleted). */
  changed: number;
  complete: boolean;
}

/** One kind of record a phone number is erased from; `phone` is normalised (lib/esms/phone.ts). */
export interface Eraser {
  erase(tenant: string, phone: string, budget: ErasureBudget): Promise<ErasureResult>;
}

/** Runs the erasers in turn within the budget. */
export const eraseRecipient = async (erasers: readonly Eraser[], tenant: string, phone: string, budget: ErasureBudget): Promise<ErasureResult> => {
  let changed = 0;
  for (const eraser of erasers) {
    if (budget.now() >= budget.deadline) return { changed, complete: false };
    const result = await eraser.erase(tenant, phone, budget);
    changed += result.changed;
    if (!result.complete) return { changed, complete: false };
  }
  return { changed, complete: true };
};

/** `text` with every spelling of the number replaced by `erased`. */
export const scrubText = (text: string, phone: string): string => text.replace(phonePattern(phone), ERASED_PHONE);

export const isPhone = (value: string | undefined, phone: string): boolean => value !== undefined && normalisePhone(value) === phone;

/** A stored callback (inline entry or overflow item) without the number. */
export const scrubCallback = <C extends Pick<InlineCallback, 'ph'> & { q?: string }>(callback: C, phone: string): C => ({
  ...callback,
  ...(isPhone(callback.ph, phone) && { ph: ERASED_PHONE }),
  ...(callback.q !== undefined && { q: scrubText(callback.q, phone) }),
});

/**
 * The head attributes that change when the number is erased from it (`phone`, inline callbacks, the best
 * overflow callback's phone), or an empty object when the head does not hold the number.
 */
export const scrubbedHeadAttributes = (head: Record<string, unknown>, phone: string, inlinePrefix: string): Record<string, unknown> => {
  const changes: Record<string, unknown> = {};
  if (typeof head.phone === 'string' && isPhone(head.phone, phone)) changes.phone = ERASED_PHONE;
  for (const [name, value] of Object.entries(head)) {
    if (!name.startsWith(inlinePrefix)) continue;
    const entry = value as InlineCallback;
    const scrubbed = scrubCallback(entry, phone);
    if (scrubbed.ph !== entry.ph || scrubbed.q !== entry.q) changes[name] = scrubbed;
  }
  const ow = head.ow as OverflowWinner | undefined;
  if (ow !== undefined && isPhone(ow.ph, phone)) changes.ow = { ...ow, ph: ERASED_PHONE };
  return changes;
};
