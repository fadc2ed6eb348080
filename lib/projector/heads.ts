/**
 * Which heads a shard's batch of stream records moves (pure): every callback item inserted (a batch's
 * per-phone callback, or a single recipient's that the head had no room for) is a candidate for its
 * message's head; per message, the best of them (by the counting rules of lib/esms/state.ts) and the
 * layouts they were written in. One head write per message per batch, however many of its callbacks the
 * batch carries: the callback path never touches the head of a batch.
 */
import * as v from 'valibot';
import { beats, improvesHead, type Candidate } from '../esms/state';
import { OverflowItemSchema, type OverflowItem } from '../table/esms';
import { KIND, TTL_ATTRIBUTE } from '../table/names';
import type { ChangeRecord } from '../aggregate/deltas';
import type { HeadAdvance, HeadProjection } from './ports';

const candidateOf = (item: OverflowItem): HeadAdvance['candidate'] => {
  const { pk: _pk, sk: _sk, kind: _kind, tenant: _tenant, smsId: _smsId, id, zmsg: _zmsg, fs: _fs, oa: _oa, tp: _tp, rq: _rq, [TTL_ATTRIBUTE]: _ttl, ...entry } = item;
  return { id, entry };
};

const firstSeenOf = (item: OverflowItem): number => item.fs ?? item.at;

/** The callback items a record inserts (a poison image throws: the caller dead-letters its record). */
export const insertedCallback = (record: ChangeRecord): OverflowItem | undefined =>
  record.oldImage === undefined && record.newImage?.kind === KIND.esmsCallback ? v.parse(OverflowItemSchema, record.newImage) : undefined;

/** One advance per message the items touch, in the order their messages first appear. */
export const headAdvances = (items: readonly OverflowItem[]): HeadAdvance[] => {
  const byMessage = new Map<string, OverflowItem[]>();
  for (const item of items) {
    const id = `${item.tenant}\n${item.smsId}`;
    byMessage.set(id, [...(byMessage.get(id) ?? []), item]);
  }
  return [...byMessage.values()].map((group) => {
    let best = group[0]!;
    for (const item of group) if (beats(candidateOf(item) as Candidate, candidateOf(best) as Candidate)) best = item;
    const earliest = group.reduce((a, b) => (firstSeenOf(b) < firstSeenOf(a) ? b : a));
    return {
      description: {
        tenant: best.tenant, smsId: best.smsId, typeId: earliest.t, route: earliest.rt, firstSeen: firstSeenOf(earliest),
        ...(earliest.tc !== undefined && { telcoId: earliest.tc }),
        ...(earliest.oa !== undefined && { oaId: earliest.oa }),
        ...(earliest.tp !== undefined && { templateId: earliest.tp }),
        ...(earliest.rq !== undefined && { requestId: earliest.rq }),
        ...(earliest[TTL_ATTRIBUTE] !== undefined && { expiresAt: earliest[TTL_ATTRIBUTE] }),
      },
      candidate: candidateOf(best),
      layouts: [...new Set(group.map((item) => item.sh ?? 1))].sort((a, b) => a - b),
      lastSeen: Math.max(...group.map((item) => item.at)),
    };
  });
};

/**
 * Moves one head forward (creating it when new), never backwards: skipped when the head already beats the
 * candidate and lists its layouts; a winner that moved meanwhile leaves only the layouts to add.
 * `changed` when its winner moved.
 */
export const projectHead = async (heads: HeadProjection, advance: HeadAdvance): Promise<{ changed: boolean; wcu: number }> => {
  const head = await heads.read(advance.description.tenant, advance.description.smsId);
  const known = new Set(head?.ly ?? []);
  const missing = advance.layouts.filter((shards) => shards > 1 && !known.has(shards));
  const improves = improvesHead(head, advance.candidate);
  if (!improves && missing.length === 0 && head) return { changed: false, wcu: 0 };
  const first = await heads.write(advance, improves, missing);
  if (first.written || missing.length === 0) return { changed: first.written && improves, wcu: first.wcu };
  const second = await heads.write(advance, false, missing);
  return { changed: false, wcu: first.wcu + second.wcu };
};
