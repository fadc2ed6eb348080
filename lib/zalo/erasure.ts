/**
 * Erasing a phone number from a tenant's Zalo records (an `Eraser` of lib/esms/ports.ts). Every event whose
 * body names a phone left a pointer under the phone (lib/table/zalo.ts): consent events one per (OA, day),
 * any other event (a ZNS receipt's `recipient.id`, `user_submit_info`, `oa_call_user`, a business card) one
 * per partition it and its conversation copy were written to. So the work is found by a Query of the phone.
 * Per pointer: the number in the raw bodies (and sort keys) of the partition's items becomes `erased`
 * (re-keyed items keep every counted field: the aggregator's −1 and +1 cancel), the OA's consent item for
 * the phone is deleted, and the pointer goes last. The cursor is the pointer in progress and the last
 * item looked at, so a call stopped by the budget is carried on by the next.
 */
import { zaloEventsPk } from '../table/zalo';
import type { ErasedPhone, Eraser } from '../esms/ports';
import type { ZaloErasureStore } from './ports';

export { erasedPhone } from '../esms/erasure';
export type { ErasedPhone };

const POINTER_PAGE = 25;

interface Cursor { p: string; k: string }

export const buildZaloEraser = (store: ZaloErasureStore): Eraser => ({
  async erase(tenant, phone, budget, cursor) {
    const at = cursor === undefined ? undefined : JSON.parse(cursor) as Cursor;
    let changed = 0;
    // Deleted pointers are gone from the next Query, so each page starts at the front again.
    for (;;) {
      if (budget.now() >= budget.deadline) return { changed, complete: false, cursor };
      const pointers = await store.consentPointers(tenant, phone, POINTER_PAGE);
      if (pointers.length === 0) return { changed, complete: true };
      for (const pointer of pointers) {
        if (budget.now() >= budget.deadline) return { changed, complete: false };
        const partition = pointer.part ?? zaloEventsPk(tenant, pointer.oaId ?? '', pointer.day ?? '');
        const after = at !== undefined && at.p === pointer.key.sk ? at.k : undefined;
        const events = await store.scrubPartition(partition, phone, budget, after);
        changed += events.changed;
        if (!events.complete) {
          return { changed, complete: false, cursor: events.last === undefined ? undefined : JSON.stringify({ p: pointer.key.sk, k: events.last } satisfies Cursor) };
        }
        if (pointer.oaId !== undefined && pointer.part === undefined) changed += await store.deleteConsent(tenant, pointer.oaId, phone);
        await store.deletePointer(pointer.key);
        changed += 1;
      }
    }
  },
});
