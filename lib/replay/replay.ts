/**
 * Replays rejected raw requests through today's parsers, keeping their original receive time, and
 * records the outcome on each entry. A request that still does not parse stays in the log with the
 * new reason in its outcome; nothing is deleted.
 */
import { ParseError } from '../errors';
import { DEFAULT_TENANT } from '../table/names';
import type { RejectedItem } from '../table/rejected';
import type { RejectedLog } from './ports';

export type ReplayOutcome = 'stored' | 'duplicate';

/** Re-parses and stores one rejected entry of a source; throws ParseError when it is still malformed. */
export type Replayer = (item: RejectedItem) => Promise<ReplayOutcome>;

export interface ReplayResult {
  id: string;
  source: string;
  outcome: ReplayOutcome | 'rejected' | 'skipped';
  field?: string;
  message?: string;
}

export interface ReplayDeps {
  rejected: Pick<RejectedLog, 'get' | 'listDay' | 'markReplayed'>;
  replayers: Partial<Record<RejectedItem['source'], Replayer>>;
  now: () => number;
}

export const replayOne = async (deps: ReplayDeps, item: RejectedItem, force: boolean): Promise<ReplayResult> => {
  const base = { id: item.sk, source: item.source };
  if (item.replayedAt !== undefined && item.replayOutcome !== 'rejected' && !force) return { ...base, outcome: 'skipped', message: `already replayed: ${item.replayOutcome}` };
  const replayer = deps.replayers[item.source];
  if (!replayer) return { ...base, outcome: 'skipped', message: `no replayer for ${item.source}` };
  const tenant = item.tenant ?? DEFAULT_TENANT;
  try {
    const outcome = await replayer(item);
    await deps.rejected.markReplayed(tenant, item.sk, outcome, deps.now());
    return { ...base, outcome };
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    await deps.rejected.markReplayed(tenant, item.sk, 'rejected', deps.now());
    return { ...base, outcome: 'rejected', field: error.field, message: error.message };
  }
};
