/**
 * The audit behind `npm run audit`: one streaming scan of the messages table folded page by page into
 * expected counters (no item is kept), the live counters read tenant by tenant and day by day, the
 * differences, and — with `repair` — one conditional write per differing counter (lib/store/counter-repair.ts)
 * that refuses counters the stream moved after they were read. The same scan checks the phone index: each
 * (phone, SMSID) pair of the range's messages (lib/projector/phone-pairs.ts) must have its entry, which the
 * aggregator writes from the stream; `repair` writes the missing ones as the aggregator would (a stream batch
 * Lambda gave up on leaves both its counters and its index entries behind). eSMS counters of days retention
 * may have thinned are neither compared nor repaired (`outsideRetention`; lib/reports/audit.ts isDayIntact).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { daysBetween, isCalendarDay, vietnamDay } from '../../lib/time';
import { settings } from '../../lib/config/settings';
import { buildDocumentClient } from '../../lib/store/client';
import { buildCountersStore } from '../../lib/store/counters';
import { buildCounterRepairer } from '../../lib/store/counter-repair';
import { buildRegistryStore } from '../../lib/store/registry';
import { approximateItemCount, scanPages } from '../../lib/store/scan';
import { phonePairsOf } from '../../lib/projector/phone-pairs';
import { buildMessageEraser } from '../../lib/store/esms-erasure';
import { erasedPhone } from '../../lib/esms/erasure';
import { buildPhoneIndexWriter } from '../../lib/store/esms-phone-index';
import {
  RERUN_ADVICE, addExpected, changedCounter, diffCounters, differenceRows, emptyExpected, isDayIntact, readLiveCounter, tenantDay,
  type AuditReport, type ChangedCounter, type LiveCounter,
} from '../../lib/reports/audit';
import type { CounterDiff, CounterRepairer } from '../../lib/reports/ports';
import { number, progressBar, type ProgressStream } from './progress';
export type { ProgressStream } from './progress';

export interface AuditOptions {
  from?: string | undefined;
  to?: string | undefined;
  repair: boolean;
  /** Only this tenant's counters (default: every tenant seen in the messages table). */
  tenant?: string | undefined;
  /** Parallel scan segments (default 1). */
  segments?: number | undefined;
  progress?: ProgressStream | undefined;
  /** Write the phone index entries found missing (default: `repair`). */
  repairPhoneIndex?: boolean;
  /**
   * A tenant's message retention in days (undefined: kept until erased). Default: the registry's
   * `retentionDays`, else MESSAGE_RETENTION_DAYS, as the callback path sets heads' TTL (lib/wiring/shared.ts).
   */
  retention?: (tenant: string) => Promise<number | undefined>;
  /** Epoch ms the audit takes as now (default Date.now()). */
  now?: number;
  /** Called with the differing counters once they are known, before any repair (tests move a counter here, as the stream would). */
  beforeRepair?: (diffs: readonly CounterDiff[]) => Promise<void> | void;
}

export interface AuditTables {
  messages: string;
  counters: string;
}

const resolveRange = (from: string | undefined, to: string | undefined): { from: string; to: string } => {
  const start = from ?? vietnamDay(Date.now());
  const end = to ?? start;
  for (const day of [start, end]) if (!isCalendarDay(day)) throw new Error(`not a date (YYYY-MM-DD): ${day}`);
  if (start > end) throw new Error(`--from ${start} is after --to ${end}`);
  return { from: start, to: end };
};

/** DescribeTable's ItemCount is only an estimate; without it (no permission, say) the bar shows counts only. */
const estimateItems = (doc: DynamoDBDocumentClient, table: string): Promise<number | undefined> =>
  approximateItemCount(doc, table).catch(() => undefined);

export interface AuditFindings {
  report: AuditReport;
  /** The differing counters with the live values read: what a repair needs. */
  diffs: CounterDiff[];
}

/** Scans, reads the live counters and compares; writes nothing but, with `repairPhoneIndex`, missing phone index entries. */
export const findDifferences = async (doc: DynamoDBDocumentClient, tables: AuditTables, options: Omit<AuditOptions, 'repair' | 'beforeRepair'>): Promise<AuditFindings> => {
  const { from, to } = resolveRange(options.from, options.to);
  const days = daysBetween(from, to);
  const daySet = new Set(days);

  const scanBar = progressBar(options.progress, 'scanning messages');
  const estimate = (await estimateItems(doc, tables.messages)) || undefined; // 0: not counted yet, as good as unknown
  const now = options.now ?? Date.now();
  const expected = emptyExpected(options.tenant);
  let scanned = 0;
  const scanDetail = () => (estimate === undefined ? `${number(scanned)} items` : `${number(scanned)} / ~${number(Math.max(estimate, scanned))} items`);
  scanBar.show(0, scanDetail());
  const phoneIndex = buildPhoneIndexWriter(doc, tables.messages, buildMessageEraser(doc, tables.messages, erasedPhone));
  const index = { pairs: 0, missing: 0, restored: 0, refused: 0 };
  for await (const page of scanPages(doc, tables.messages, { segments: options.segments })) {
    for (const item of page.items) addExpected(expected, item, daySet, options.tenant, now);
    const pairs = page.items.flatMap((item) => phonePairsOf({ sequenceNumber: '0', oldImage: undefined, newImage: item }))
      .filter((pair) => daySet.has(vietnamDay(pair.ds)) && (options.tenant === undefined || pair.tenant === options.tenant));
    if (pairs.length > 0) {
      const result = await phoneIndex.index(pairs, { dryRun: !options.repairPhoneIndex });
      index.pairs += pairs.length;
      index.missing += result.missing;
      index.restored += result.written + result.erased;
      index.refused += result.refused.length;
    }
    scanned += page.scanned;
    scanBar.show(estimate ? scanned / estimate : 0, scanDetail());
  }
  scanBar.done(scanDetail());

  const tenants = [...expected.tenants].sort();
  const reader = buildCountersStore(doc, tables.counters);
  const live: LiveCounter[] = [];
  const total = tenants.length * days.length;
  const countersBar = progressBar(options.progress, 'reading counters ');
  let read = 0;
  countersBar.show(0, `0/${total} tenant-days`);
  for (const tenant of tenants) {
    for (const day of days) {
      for (const item of await reader.readDay(tenant, day)) {
        const counter = readLiveCounter(tenant, item);
        if (counter) live.push(counter);
      }
      read += 1;
      countersBar.show(read / total, `${read}/${total} tenant-days (${tenant} ${day})`);
    }
  }
  countersBar.done(`${read}/${total} tenant-days, ${number(live.length)} counters`);

  // eSMS counters only of the days whose messages retention has not started deleting (isDayIntact).
  const outsideRetention: Array<{ tenant: string; day: string }> = [];
  const intact = new Set<string>();
  for (const tenant of tenants) {
    const retentionDays = await (options.retention ?? (() => Promise.resolve(undefined)))(tenant);
    for (const day of days) {
      if (isDayIntact(day, retentionDays, now, expected.expiredDays.has(tenantDay(tenant, day)))) intact.add(tenantDay(tenant, day));
      else outsideRetention.push({ tenant, day });
    }
  }
  const diffs = diffCounters(expected.counters, live, (counter) => counter.scope !== 'esms' || intact.has(tenantDay(counter.tenant, counter.day)));
  return {
    diffs,
    report: {
      from, to, tenants,
      scannedItems: expected.scannedItems,
      unreadableItems: expected.unreadableItems,
      counters: live.length,
      outsideRetention,
      expectedCounters: expected.counters.size,
      differences: differenceRows(diffs),
      repaired: 0,
      changedDuringAudit: [],
      phoneIndex: index,
    },
  };
};

/** One conditional write per differing counter; the ones the stream moved since they were read are left alone. */
export const repairDifferences = async (repairer: CounterRepairer, diffs: readonly CounterDiff[]): Promise<{ repaired: number; changedDuringAudit: ChangedCounter[] }> => {
  let repaired = 0;
  const changedDuringAudit: ChangedCounter[] = [];
  for (const diff of diffs) {
    if ((await repairer.repair(diff)) === 'repaired') repaired += 1;
    else changedDuringAudit.push(changedCounter(diff));
  }
  return { repaired, changedDuringAudit };
};

/** The whole audit against the tables of the environment (MESSAGES_TABLE, COUNTERS_TABLE, DYNAMODB_ENDPOINT). */
export const runAudit = async (options: AuditOptions): Promise<AuditReport> => {
  const config = settings();
  const doc = buildDocumentClient(config.dynamodbEndpoint);
  const tables = { messages: config.messagesTable, counters: config.countersTable };
  try {
    const registry = config.registryTable === undefined ? undefined : buildRegistryStore(doc, config.registryTable);
    const retention = options.retention ?? (async (tenant: string) =>
      (registry === undefined ? undefined : (await registry.getTenant(tenant))?.retentionDays) ?? config.messageRetentionDays);
    const { report, diffs } = await findDifferences(doc, tables, { ...options, retention, repairPhoneIndex: options.repairPhoneIndex ?? options.repair });
    await options.beforeRepair?.(diffs);
    if (!options.repair || diffs.length === 0) return report;
    const outcome = await repairDifferences(buildCounterRepairer(doc, tables.counters), diffs);
    return { ...report, ...outcome, ...(outcome.changedDuringAudit.length > 0 ? { advice: RERUN_ADVICE } : {}) };
  } finally {
    doc.destroy();
  }
};
