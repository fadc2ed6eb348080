/**
 * Business counters for the dashboard (MessagesSent/Succeeded/Failed per channel): what a stream record
 * changed in the totals of messages whose winning status is final (5 sent, 4 rejected). The exact numbers
 * are the reports' counters; these metrics show the trend. A message counts when it becomes final, and a
 * later final callback that wins (received last) moves its totals by the difference.
 */
import { TYPE_ID_INFO, TypeIdSchema } from '../esms/channels';
import { currentState, messageTotals } from '../esms/state';
import { readHead } from '../table/esms';
import { KIND } from '../table/names';
import * as v from 'valibot';

export interface FinalTotals {
  sent: number;
  success: number;
  failed: number;
}

const finalTotals = (item: Record<string, unknown> | undefined): { channel: string; totals: FinalTotals } | undefined => {
  if (item?.kind !== KIND.esms) return undefined;
  const head = readHead(item);
  const state = currentState(head);
  const typeId = state?.winner.entry.t;
  if (!state?.final || !v.is(TypeIdSchema, typeId)) return undefined;
  const { sent, success, failed } = messageTotals(head);
  return { channel: TYPE_ID_INFO[typeId].name, totals: { sent, success, failed } };
};

/** Adds finalTotals(new) − finalTotals(old) of each record into per-channel sums (zero sums dropped). */
export const finalTotalsDelta = (records: ReadonlyArray<{ oldImage?: Record<string, unknown>; newImage?: Record<string, unknown> }>): Map<string, FinalTotals> => {
  const sums = new Map<string, FinalTotals>();
  const add = (entry: ReturnType<typeof finalTotals>, sign: 1 | -1) => {
    if (!entry) return;
    const sum = sums.get(entry.channel) ?? { sent: 0, success: 0, failed: 0 };
    sum.sent += sign * entry.totals.sent;
    sum.success += sign * entry.totals.success;
    sum.failed += sign * entry.totals.failed;
    sums.set(entry.channel, sum);
  };
  for (const record of records) {
    add(finalTotals(record.newImage), 1);
    add(finalTotals(record.oldImage), -1);
  }
  for (const [channel, sum] of sums) if (sum.sent === 0 && sum.success === 0 && sum.failed === 0) sums.delete(channel);
  return sums;
};
