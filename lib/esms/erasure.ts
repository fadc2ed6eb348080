/**
 * Erasing a phone number from a tenant's records (DELETE /api/recipients/{phone}). Each kind of record
 * has its own `Eraser` (lib/esms/ports.ts: eSMS messages and their phone index, the rejected log, Zalo
 * records, dead-lettered stream records). What is erased is the number itself: in heads, callback items
 * (their sort keys included), raw queries, raw bodies and rejected requests it becomes `erased`; the phone's
 * index items are deleted. Totals, statuses, prices, days and every other counted field stay as they were,
 * so counters do not move.
 *
 * Work is bounded per call and resumable: erasers stop at the budget's deadline and answer where they stopped
 * (a cursor); the progress (which eraser, its cursor, when the erasure began) is stored, the caller answers
 * `incomplete`, and the next call carries on from there instead of starting over, whatever the size of the
 * records (a flooded rejected log included). Records received after the erasure began are new data.
 */
import { ERASED_PHONE, INLINE_PREFIX, type InlineCallback, type OverflowWinner } from '../table/esms';
import { normalisePhone, phonePattern, phoneSpellings } from './phone';
import type { ErasedPhone, Eraser, ErasureBudget, ErasureProgressStore, ErasureResult } from './ports';

export type { ErasedPhone, Eraser, ErasureBudget, ErasureResult } from './ports';

const isPhone = (value: string | undefined, normalised: string): boolean => value !== undefined && normalisePhone(value) === normalised;

/** The number with its spelling rules (lib/esms/phone.ts), as the erasers' storage uses it. */
export const erasedPhone = (normalised: string): ErasedPhone => {
  const pattern = phonePattern(normalised);
  const scrub = (text: string): string => text.replace(pattern, ERASED_PHONE);
  const scrubCallback = <C extends { ph?: string | undefined; q?: string | undefined }>(callback: C): C => ({
    ...callback,
    ...(isPhone(callback.ph, normalised) && { ph: ERASED_PHONE }),
    ...(callback.q !== undefined && { q: scrub(callback.q) }),
  });
  return {
    normalised,
    spellings: phoneSpellings(normalised),
    // Every spelling a provider writes whole holds its national significant number.
    needle: /^84\d{9,10}$/.test(normalised) ? normalised.slice(2) : normalised,
    isIn: (text) => {
      pattern.lastIndex = 0;
      return pattern.test(text);
    },
    scrub,
    scrubCallback,
    scrubbedHead: (head) => {
      const changes: Record<string, unknown> = {};
      if (typeof head.phone === 'string' && isPhone(head.phone, normalised)) changes.phone = ERASED_PHONE;
      for (const [name, value] of Object.entries(head)) {
        if (!name.startsWith(INLINE_PREFIX)) continue;
        const entry = value as InlineCallback;
        const scrubbed = scrubCallback(entry);
        if (scrubbed.ph !== entry.ph || scrubbed.q !== entry.q) changes[name] = scrubbed;
      }
      const ow = head.ow as OverflowWinner | undefined;
      if (ow !== undefined && isPhone(ow.ph, normalised)) changes.ow = { ...ow, ph: ERASED_PHONE };
      return changes;
    },
  };
};

/** `text` with every spelling of the number replaced by `erased`. */
export const scrubText = (text: string, normalised: string): string => erasedPhone(normalised).scrub(text);

/**
 * Runs the erasers in turn within the budget, from where the last call stopped (`progress`); the progress
 * is saved when the budget runs out and cleared when every eraser is done.
 */
export const eraseRecipient = async (
  erasers: readonly Eraser[], progress: ErasureProgressStore, tenant: string, phone: ErasedPhone, budget: Omit<ErasureBudget, 'started'>,
): Promise<ErasureResult> => {
  const saved = await progress.load(tenant, phone);
  const started = saved?.started ?? budget.now();
  let changed = 0;
  for (let step = saved?.step ?? 0; step < erasers.length; step += 1) {
    const cursor = step === saved?.step ? saved.cursor : undefined;
    const result = budget.now() >= budget.deadline
      ? { changed: 0, complete: false, cursor }
      : await erasers[step]!.erase(tenant, phone, { ...budget, started }, cursor);
    changed += result.changed;
    if (!result.complete) {
      await progress.save(tenant, phone, { step, cursor: result.cursor, started });
      return { changed, complete: false };
    }
  }
  await progress.clear(tenant, phone);
  return { changed, complete: true };
};
