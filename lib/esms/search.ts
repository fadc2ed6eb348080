/**
 * Finding a tenant's eSMS messages: by phone (any spelling), by the partner's own RequestId, or by report
 * day with optional filters. Each is a Query on one key (the phone's index partition, the byRequestId or
 * the byDay index), never a Scan; newest first, with the store's cursors.
 */
import type { StoredHead } from '../table/esms';
import { decodeErrorInfo } from './error-info';
import { outcomeOf, type Outcome } from './outcome';
import type { EsmsMessageStore, HeadPage } from './ports';
import { readQuery } from './query';
import { currentState, type CurrentState } from './state';

export interface DayFilters {
  /** TypeId, as reports group `by=channel`. */
  channel?: number;
  /** SendStatus or `expired`, as reports group `by=status`. */
  status?: string;
  oa?: string;
  template?: string;
  /** The outcome the message view shows (lib/esms/outcome.ts). */
  outcome?: Outcome;
}

/** The `error_info` of a callback held in the head (a batch's overflow winner is judged by its counts). */
const inlineErrorInfo = (state: CurrentState) => {
  if (!('q' in state.winner.entry)) return undefined;
  try {
    const value = readQuery(String(state.winner.entry.q)).get('error_info')?.value;
    return value ? decodeErrorInfo(value) : undefined;
  } catch {
    return undefined;
  }
};

/** The head's outcome, as the message view computes it from its winning callback. */
export const headOutcome = (head: StoredHead): Outcome | undefined => {
  const state = currentState(head);
  return state && outcomeOf({ status: state.status, final: state.final, counts: state.winner.entry.n, errorInfo: inlineErrorInfo(state) }).outcome;
};

export type MessageSearch =
  | { by: 'phone'; phone: string }
  | { by: 'requestId'; requestId: string }
  | { by: 'day'; day: string; filters: DayFilters };

/**
 * Heads read per filtered day page at most: a selective filter answers a shorter page (with `next`) instead
 * of reading a whole busy day in one request.
 */
export const MAX_FILTERED_READ = 5000;

export const matchesFilters = (head: StoredHead, filters: DayFilters): boolean => {
  const state = currentState(head);
  if (filters.channel !== undefined && (state?.winner.entry.t ?? head.typeId) !== filters.channel) return false;
  if (filters.status !== undefined && String(state?.status ?? '') !== filters.status) return false;
  if (filters.oa !== undefined && head.oaId !== filters.oa) return false;
  if (filters.template !== undefined && head.templateId !== filters.template) return false;
  if (filters.outcome !== undefined && headOutcome(head) !== filters.outcome) return false;
  return true;
};

const hasFilters = (filters: DayFilters): boolean => Object.values(filters).some((value) => value !== undefined);

type SearchStore = Pick<EsmsMessageStore, 'headsByPhone' | 'headsByRequestId' | 'headsOfDay'>;

/** One page of the matching messages' heads, newest first; `phone` must already be normalised. */
export const searchMessages = async (store: SearchStore, tenant: string, search: MessageSearch, limit: number, cursor?: string): Promise<HeadPage> => {
  if (search.by === 'phone') return store.headsByPhone(tenant, search.phone, limit, cursor);
  if (search.by === 'requestId') return store.headsByRequestId(tenant, search.requestId, limit, cursor);
  if (!hasFilters(search.filters)) return store.headsOfDay(tenant, search.day, limit, cursor);
  // The store stops at the last head it answers, so every head read is either answered or lies before the
  // cursor: nothing is skipped or repeated.
  const heads: StoredHead[] = [];
  let next = cursor;
  let read = 0;
  do {
    const page = await store.headsOfDay(tenant, search.day, limit - heads.length, next, undefined, (head) => matchesFilters(head, search.filters));
    read += page.read ?? page.heads.length;
    heads.push(...page.heads);
    next = page.next;
  } while (next !== undefined && heads.length < limit && read < MAX_FILTERED_READ);
  return { heads, next };
};
