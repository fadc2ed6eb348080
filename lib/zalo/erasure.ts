/**
 * Erasing a phone number from a tenant's Zalo records (the `Eraser` of lib/esms/erasure.ts). Zalo names a
 * phone only in call-consent events (`oa_send_consent`, `user_reply_consent`); each one left a pointer
 * under the phone (lib/table/zalo.ts `consentPointerKey`: OA and day), so the work is found by a Query of
 * the phone. Per pointer: the number in the raw bodies (and sort keys) of that OA's events of that day
 * becomes `erased` (re-keyed items keep every counted field: the aggregator's −1 and +1 cancel), the OA's consent item for the
 * phone is deleted, and the pointer goes last, so a call stopped by the budget is carried on by a rerun.
 */
import type { ErasureBudget, Eraser } from '../esms/erasure';

export interface ConsentPointer {
  oaId: string;
  day: string;
  key: { pk: string; sk: string };
}

/** Storage for the Zalo eraser (lib/store/zalo-erasure.ts). */
export interface ZaloErasureStore {
  /** Up to `limit` pointers of the phone (normalised). */
  consentPointers(tenant: string, phone: string, limit: number): Promise<ConsentPointer[]>;
  /** Events of the OA and day whose raw body holds the number, rewritten without it; how many. Stops at the deadline. */
  scrubEvents(tenant: string, oaId: string, day: string, phone: string, budget: ErasureBudget): Promise<{ changed: number; complete: boolean }>;
  /** The OA's consent items of the phone (any spelling) deleted; how many existed. */
  deleteConsent(tenant: string, oaId: string, phone: string): Promise<number>;
  deletePointer(key: { pk: string; sk: string }): Promise<void>;
}

const POINTER_PAGE = 25;

export const buildZaloEraser = (store: ZaloErasureStore): Eraser => ({
  async erase(tenant, phone, budget) {
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
