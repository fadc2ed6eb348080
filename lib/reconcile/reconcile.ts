/**
 * Reconciliation with eSMS (contract: "Reconciliation with eSMS"). eSMS retries a callback only on a
 * time-out, so a 5xx or a lost callback can leave a message pending or missing. This asks eSMS's pull APIs
 * about every message of a window that has no final status, and sweeps eSMS's sent-data list for SMSIDs
 * never called back. What it learns is stored as callbacks of source `reconcile` through the same parser
 * and counting rules, so running it twice, concurrently, or before a late real callback never double counts.
 */
import { EsmsDeniedError } from '../errors';
import { isFinal, routeOfType, TypeIdSchema, type TypeId } from '../esms/channels';
import { parseCallbackWithIdentity } from '../esms/parse';
import type { EsmsMessageStore } from '../esms/ports';
import { callbackCandidate, currentState, improvesHead } from '../esms/state';
import type { StoredHead } from '../table/esms';
import { daysBetween, vietnamDay } from '../time';
import * as v from 'valibot';
import type { EsmsAccount, EsmsPullApi, PullResult, SentDataRow, SentDataSmsType } from './ports';

export interface ReconcileResult {
  /** Messages asked about. */
  checked: number;
  /** Messages whose counted state changed. */
  updated: number;
  /** SMSIDs found in eSMS's sent-data list that had never been called back. */
  discovered: number;
  /** Answers that could not be used (malformed, unparseable, failed after retries, or refused). */
  failed: number;
  /** eSMS refused the account (101 wrong keys, 140 IP not allow-listed): nothing else was tried. */
  denied: boolean;
  /** The run stopped at its time budget; the next run continues. */
  incomplete: boolean;
}

export interface ReconcileDeps {
  api: EsmsPullApi;
  store: Pick<EsmsMessageStore, 'headsOfDay' | 'readHead' | 'storeCallback'>;
  now: () => number;
  /** True when the run must stop (its time budget is spent). */
  outOfTime?: () => boolean;
  /** Told of each SMSID whose lost callback was completed (`lost`) or that was never called back (`neverSeen`). */
  found?: (kind: 'lost' | 'neverSeen', smsId: string) => void;
  /** Told after each message asked about (`ask`) and each sent-data type swept (`discover`). */
  progress?: (step: { phase: 'ask' | 'discover'; done: number; total: number }) => void;
}

const SENT_DATA_TYPES: readonly SentDataSmsType[] = [1, 2, 8, 23, 24, 25];
const GET_CALLBACK_BATCH = 200;
const PAGE_SIZE = 500;

export const reconcile = async (deps: ReconcileDeps, tenant: string, account: EsmsAccount, window: { fromMs: number; toMs: number }): Promise<ReconcileResult> => {
  const result: ReconcileResult = { checked: 0, updated: 0, discovered: 0, failed: 0, denied: false, incomplete: false };
  const outOfTime = deps.outOfTime ?? (() => false);

  /**
   * Stores one answer as a reconcile callback; true when the message's counted state changed (decided by the
   * write when the callback went into the head, else by the counting rules against the head known before).
   */
  const store = async (query: string, firstSeen?: number, head?: StoredHead): Promise<boolean> => {
    let parsed;
    try {
      parsed = parseCallbackWithIdentity(query);
    } catch {
      result.failed += 1;
      return false;
    }
    const { event, canonical } = parsed;
    const input = {
      tenant, event, canonical, raw: query, route: routeOfType(event.typeId), receivedAt: deps.now(), source: 'reconcile' as const, ...(firstSeen !== undefined && { firstSeen }),
    };
    const stored = await deps.store.storeCallback(input);
    return stored.headChanged ?? (!stored.duplicate && improvesHead(head, callbackCandidate(input)));
  };

  /** Unwraps a pull answer: the value, or undefined (not yet / failed, counted); a refusal stops the run. */
  const use = <T>(answer: PullResult<T>): T | undefined => {
    switch (answer.kind) {
      case 'ok': return answer.value;
      case 'not-yet': return undefined;
      case 'denied': throw new EsmsDeniedError(answer.code);
      case 'failed':
        result.failed += 1;
        return undefined;
    }
  };

  try {
    await forEachPendingPage(deps, tenant, window, outOfTime, result, async (pending, found) =>
      askAbout(pending, deps.api, account, use, store, result, outOfTime, (step) => deps.progress?.({ ...step, total: found }), deps.found));
    if (!result.incomplete) await discover(deps, tenant, account, window, use, store, result, outOfTime);
  } catch (error) {
    if (!(error instanceof EsmsDeniedError)) throw error;
    result.denied = true;
    result.failed += 1;
  }
  return result;
};

/**
 * Heads first seen in the window whose status is not final (expired ones included: eSMS may know more),
 * handed over a page at a time: a window of a million messages is never held in memory at once.
 */
const forEachPendingPage = async (
  deps: ReconcileDeps, tenant: string, window: { fromMs: number; toMs: number }, outOfTime: () => boolean, result: ReconcileResult,
  ask: (pending: StoredHead[], foundSoFar: number) => Promise<void>,
) => {
  let found = 0;
  for (const day of daysBetween(vietnamDay(window.fromMs), vietnamDay(window.toMs))) {
    let cursor: string | undefined;
    do {
      if (outOfTime()) {
        result.incomplete = true;
        return;
      }
      const page = await deps.store.headsOfDay(tenant, day, 500, cursor, [window.fromMs, window.toMs]);
      const pending = page.heads.filter((head) => !currentState(head)?.final);
      found += pending.length;
      await ask(pending, found);
      if (result.incomplete) return;
      cursor = page.next;
    } while (cursor);
  }
};

const typeOf = (head: StoredHead): TypeId | undefined => {
  const typeId = currentState(head)?.winner.entry.t ?? head.typeId;
  return v.is(TypeIdSchema, typeId) ? typeId : undefined;
};

type Use = <T>(answer: PullResult<T>) => T | undefined;
type Store = (query: string, firstSeen?: number, head?: StoredHead) => Promise<boolean>;

const askAbout = async (
  pending: StoredHead[], api: EsmsPullApi, account: EsmsAccount, use: Use, store: Store, result: ReconcileResult, outOfTime: () => boolean,
  progress: ReconcileDeps['progress'], found: ReconcileDeps['found'],
) => {
  // Zalo-type messages (26, 27) are asked in batches of 200 per OA through GetCallback.
  const zaloByOa = new Map<string, StoredHead[]>();
  const told = () => progress?.({ phase: 'ask', done: result.checked, total: pending.length });

  for (const head of pending) {
    told();
    if (outOfTime()) {
      result.incomplete = true;
      return;
    }
    const typeId = typeOf(head);
    if (typeId === undefined) continue;
    if (typeId === 26 || typeId === 27) {
      zaloByOa.set(head.oaId ?? '', [...(zaloByOa.get(head.oaId ?? '') ?? []), head]);
      continue;
    }
    result.checked += 1;
    if (typeId === 24 || typeId === 25) {
      const answer = use(await api.queryZnsStatus(account, head.smsId, typeId));
      if (answer && (await store(answer.query, undefined, head))) {
        result.updated += 1;
        found?.('lost', head.smsId);
      }
      continue;
    }
    const totals = use(await api.sendStatus(account, head.smsId, typeId));
    if (totals === undefined) continue;
    let changed = await store(totals, undefined, head);
    const batchFinal = (() => {
      try {
        const parsed = parseCallbackWithIdentity(totals).event;
        return parsed.totalReceiver > 1 && isFinal(parsed.sendStatus) ? parsed : undefined;
      } catch {
        return undefined;
      }
    })();
    if (batchFinal) {
      // A batch's per-phone view: each recipient gets the batch's final totals under its own phone.
      for (const row of use(await api.receiverStatus(account, head.smsId)) ?? []) {
        changed = (await store(`${totals}&phonenumber=${encodeURIComponent(row.phone)}`, undefined, head)) || changed;
      }
    }
    if (changed) {
      result.updated += 1;
      found?.('lost', head.smsId);
    }
  }
  for (const [oaId, heads] of zaloByOa) {
    for (let i = 0; i < heads.length; i += GET_CALLBACK_BATCH) {
      if (outOfTime()) {
        result.incomplete = true;
        return;
      }
      const chunk = heads.slice(i, i + GET_CALLBACK_BATCH);
      result.checked += chunk.length;
      const rows = use(await api.getCallback(account, chunk.map((head) => head.smsId), oaId || undefined)) ?? [];
      const changed = new Set<string>();
      for (const row of rows) if (await store(row.query, undefined, chunk.find((head) => head.smsId === row.smsId))) changed.add(row.smsId);
      result.updated += changed.size;
      for (const smsId of changed) found?.('lost', smsId);
      told();
    }
  }
  told();
};

/** Rows of one SMSID → the callback eSMS would have sent, for when GetSendStatus cannot answer. */
const fromRows = (smsId: string, smsType: number, rows: SentDataRow[]): string | undefined => {
  const statuses = rows.map((row) => row.sendStatus).filter((status) => status !== 0);
  if (statuses.length === 0) return undefined;
  const status = statuses.includes(5) ? 5 : statuses.includes(4) ? 4 : statuses.includes(7) ? 7 : Math.max(...statuses);
  const success = rows.filter((row) => row.sendResult === 1).length;
  const failed = rows.filter((row) => row.sendResult === 0).length;
  const price = rows.reduce((sum, row) => sum + Math.round(row.sellPrice * 10_000), 0);
  return [
    `SMSID=${encodeURIComponent(smsId)}`, `SendFailed=${failed}`, `SendStatus=${status}`, `SendSuccess=${success}`,
    `TotalPrice=${Math.floor(price / 10_000)}.${String(price % 10_000).padStart(4, '0')}`, `TotalReceiver=${rows.length}`,
    `TotalSent=${success + failed}`, `TypeId=${smsType}`, ...(rows.length === 1 ? [`phonenumber=${encodeURIComponent(rows[0]!.phone)}`] : []),
  ].join('&');
};

const discover = async (deps: ReconcileDeps, tenant: string, account: EsmsAccount, window: { fromMs: number; toMs: number }, use: Use, store: Store, result: ReconcileResult, outOfTime: () => boolean) => {
  for (const [index, smsType] of SENT_DATA_TYPES.entries()) {
    deps.progress?.({ phase: 'discover', done: index, total: SENT_DATA_TYPES.length });
    const bySmsId = new Map<string, SentDataRow[]>();
    for (let page = 1; ; page += 1) {
      if (outOfTime()) {
        result.incomplete = true;
        return;
      }
      const answer = use(await deps.api.sentData(account, smsType, new Date(window.fromMs), new Date(window.toMs), page, PAGE_SIZE));
      if (!answer) break;
      for (const row of answer.rows) bySmsId.set(row.smsId, [...(bySmsId.get(row.smsId) ?? []), row]);
      if (answer.rows.length < PAGE_SIZE || page * PAGE_SIZE >= answer.countTotal) break;
    }
    for (const [smsId, rows] of bySmsId) {
      if (outOfTime()) {
        result.incomplete = true;
        return;
      }
      if (await deps.store.readHead(tenant, smsId)) continue;
      result.checked += 1;
      const sentAt = Math.min(...rows.map((row) => row.sentTimeMs));
      const totals = use(await deps.api.sendStatus(account, smsId, smsType)) ?? fromRows(smsId, smsType, rows);
      if (totals === undefined) continue;
      if (await store(totals, sentAt)) {
        result.discovered += 1;
        result.updated += 1;
        deps.found?.('neverSeen', smsId);
      }
    }
  }
  deps.progress?.({ phase: 'discover', done: SENT_DATA_TYPES.length, total: SENT_DATA_TYPES.length });
};
