/**
 * Erasing a phone number from a tenant's Zalo records (the `Eraser` of lib/esms/erasure.ts). Zalo names a
 * phone only in call-consent events (`oa_send_consent`, `user_reply_consent`); each one left a pointer
 * under the phone (lib/table/zalo.ts `consentPointerKey`: OA and day), so the work is found by a Query of
 * the phone. Per pointer: the number in the raw bodies (and sort keys) of that OA's events of that day
 * becomes `erased` (re-keyed items keep every counted field: the aggregator's −1 and +1 cancel), the OA's consent item for the
 * phone is deleted, and the pointer goes last, so a call stopped by the budget is carried on by a rerun.
 */
import { scrubText, type Eraser } from '../esms/erasure';
import { phonePattern, phoneSpellings } from '../esms/phone';
import type { ErasedPhone, ZaloErasureStore } from './ports';

/** The phone's spelling rules (lib/esms/phone.ts) as the erasure store uses them. */
export const erasedPhone = (normalised: string): ErasedPhone => ({
  normalised,
  spellings: phoneSpellings(normalised),
  // Every spelling of a Vietnamese number holds its national significant number.
  needle: /^84\d{9,10}$/.test(normalised) ? normalised.slice(2) : normalised,
  isIn: (text) => phonePattern(normalised).test(text),
  scrub: (text) => scrubText(text, normalised),
});

const POINTER_PAGE = 25;

export const buildZaloEraser = (store: ZaloErasureStore): Eraser => ({
  async erase(tenant, normalised, budget) {
    const phone = erasedPhone(normalised);
    let changed = 0;
    // Deleted pointers are gone from the next Query, so each page starts at the front again.
    for (;;) {
      if (budget.now() >= budget.deadline) return { changed, complete: false };
      const pointers = await store.consentPointers(tenant, phone, POINTER_PAGE);
      if (pointers.length === 0) return { changed, complete: true };
      for (const pointer of pointers) {
        if (budget.now() >= budget.deadline) return { changed, complete: false };
        const events = await store.scrubEvents(tenant, pointer.oaId, pointer.day, phone, budget);
        changed += events.changed;
        if (!events.complete) return { changed, complete: false };
        changed += await store.deleteConsent(tenant, pointer.oaId, phone);
        await store.deletePointer(pointer.key);
        changed += 1;
      }
    }
  },
});
