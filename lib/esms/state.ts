/**
 * The counting rules of the contract as pure functions. A callback's rank: final (5 sent, 4 rejected)
 * beats 7, which beats 2, which beats 1; among equals the one received last wins. A message's totals are
 * its single winning callback's, whatever its number of recipients; a message the late-report sweep
 * expired shows `expired` until a final callback arrives.
 */
import type { EsmsCounterMetric } from '../table/counters';
import { storedCallback, type InlineCallback, type OverflowWinner, type StoredHead } from '../table/esms';
import { isFinal, statusRank, type SendStatus } from './channels';
import type { StoreCallbackInput } from './ports';

/** What a message adds to each eSMS counter metric (lib/table/counters.ts). */
export type Totals = Record<EsmsCounterMetric, number>;

export const ZERO_TOTALS: Totals = { requests: 0, receivers: 0, sent: 0, success: 0, failed: 0, priceE4: 0 };

/** The fields the ranking needs; inline entries, overflow items and the head's overflow winner all have them. */
export type RankedCallback = Pick<InlineCallback, 's' | 'at' | 'n' | 'p' | 't'> & Partial<Pick<InlineCallback, 'ph' | 'tc' | 'rt' | 'src'>>;
export interface Candidate<C extends RankedCallback = RankedCallback> { id: string; entry: C }

/** True when `a` wins over `b` (deterministic: the id breaks exact ties so every reader picks the same). */
export const beats = (a: Candidate, b: Candidate): boolean => {
  const rank = statusRank(a.entry.s) - statusRank(b.entry.s);
  if (rank !== 0) return rank > 0;
  if (a.entry.at !== b.entry.at) return a.entry.at > b.entry.at;
  return a.id > b.id;
};

export const winnerOf = <T extends Candidate>(candidates: Iterable<T>): T | undefined => {
  let best: T | undefined;
  for (const candidate of candidates) if (best === undefined || beats(candidate, best)) best = candidate;
  return best;
};

/** Every callback the head knows: its inline ones and the best overflow one. */
export const headCandidates = (head: StoredHead): Array<Candidate> => [
  ...head.inline,
  ...(head.ow ? [{ id: head.ow.id, entry: head.ow as OverflowWinner }] : []),
];

export type MessageStatus = SendStatus | 'expired';

export interface CurrentState {
  status: MessageStatus;
  final: boolean;
  winner: Candidate;
}

/** The message's current state: its winning callback, shown as `expired` when swept and not final. */
export const currentState = (head: StoredHead): CurrentState | undefined => {
  const winner = winnerOf(headCandidates(head));
  if (!winner) return undefined;
  const final = isFinal(winner.entry.s);
  return { status: !final && head.x !== undefined ? 'expired' : winner.entry.s, final, winner };
};

/** The totals a message contributes to reports: its winning callback's, counted as one request. */
export const messageTotals = (head: StoredHead | undefined): Totals => {
  const state = head && currentState(head);
  if (!state) return ZERO_TOTALS;
  const [receivers, sent, success, failed] = state.winner.entry.n;
  return { requests: 1, receivers, sent, success, failed, priceE4: state.winner.entry.p };
};

/** Whether a new callback would change what the head counts or shows (so it must be written to the head). */
export const improvesHead = (head: StoredHead | undefined, candidate: Candidate): boolean => {
  if (!head) return true;
  const winner = winnerOf(headCandidates(head));
  if (!winner) return true;
  if (!beats(candidate, winner)) return false;
  // A later callback of the same rank with the very same counted values changes no total: not worth a write.
  const same = winner.entry.s === candidate.entry.s && winner.entry.p === candidate.entry.p && winner.entry.t === candidate.entry.t
    && winner.entry.tc === candidate.entry.tc && winner.entry.n.every((value, index) => value === candidate.entry.n[index]);
  return !same;
};

/** The callback as a candidate for its message's head: its id (status + canonical query) and entry. */
export const callbackCandidate = (input: Pick<StoreCallbackInput, 'event' | 'raw' | 'route' | 'receivedAt' | 'source' | 'canonical'>): Candidate<InlineCallback> =>
  storedCallback(input);
