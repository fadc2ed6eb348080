/**
 * The counting rules of the contract as pure functions: a message's winning callback is the one with
 * the highest status rank (final 5/4 > 7 > 2 > 1), and among equals the one received last.
 */
import { isFinal, statusRank } from './channels';
import type { CallbackEntry, StoredEsmsMessage } from './stored';

export interface Totals {
  requests: number;
  receivers: number;
  sent: number;
  success: number;
  failed: number;
  priceE4: number;
}

export const ZERO_TOTALS: Totals = { requests: 0, receivers: 0, sent: 0, success: 0, failed: 0, priceE4: 0 };

const beats = (a: { name: string; entry: CallbackEntry }, b: { name: string; entry: CallbackEntry }): boolean => {
  const rank = statusRank(a.entry.s) - statusRank(b.entry.s);
  if (rank !== 0) return rank > 0;
  if (a.entry.at !== b.entry.at) return a.entry.at > b.entry.at;
  return a.name > b.name; // deterministic tie-break so every reader picks the same winner
};

export const winningEntry = (message: StoredEsmsMessage): { name: string; entry: CallbackEntry } | undefined =>
  message.entries.reduce<{ name: string; entry: CallbackEntry } | undefined>(
    (best, candidate) => (best === undefined || beats(candidate, best) ? candidate : best),
    undefined,
  );

/** The totals a message contributes to reports: its winning callback's, counted as one request. */
export const messageTotals = (message: StoredEsmsMessage | undefined): Totals => {
  const won = message && winningEntry(message);
  if (!won) return ZERO_TOTALS;
  const [receivers, sent, success, failed] = won.entry.n;
  return { requests: 1, receivers, sent, success, failed, priceE4: won.entry.p };
};

export const messageStatus = (message: StoredEsmsMessage) => {
  const won = winningEntry(message);
  return won && { status: won.entry.s, final: isFinal(won.entry.s), entry: won.entry, name: won.name };
};

