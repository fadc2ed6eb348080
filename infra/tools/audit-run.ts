import { vietnamDay } from '../../lib/time';
import { settings } from '../../lib/config/settings';
import { buildDocumentClient } from '../../lib/store/client';
import { buildCountersStore } from '../../lib/store/counters';
import { repairCounter } from '../../lib/store/counter-repair';
import { scanTable } from '../../lib/store/scan';
import { compareCounters, expectedCounters } from '../../lib/reports/audit';
import { daysBetween } from '../../lib/reports/daily';

const bar = (done: number, width = 30): string => `[${'#'.repeat(Math.min(width, Math.round(done * width))).padEnd(width, '.')}]`;

export interface AuditOptions {
  from: string | undefined;
  to: string | undefined;
  repair: boolean;
  progress?: NodeJS.WritableStream;
}

export const runAudit = async (options: AuditOptions) => {
  const config = settings();
  const doc = buildDocumentClient(config.dynamodbEndpoint);
  const from = options.from ?? vietnamDay(Date.now());
  const to = options.to ?? from;
  const days = daysBetween(from, to);
  const tty = options.progress && 'isTTY' in options.progress && options.progress.isTTY;
  const items: Array<Record<string, unknown>> = [];
  for await (const item of scanTable(doc, config.messagesTable, (scanned) => {
    if (tty) options.progress!.write(`\rscanning messages ${bar(0.5)} ${scanned} items`);
  })) items.push(item);
  const expected = expectedCounters(items, new Set(days));
  const counters = buildCountersStore(doc, config.countersTable);
  const live: Array<Record<string, unknown>> = [];
  for (const [index, day] of days.entries()) {
    live.push(...(await counters.readDay(day)));
    if (tty) options.progress!.write(`\rreading counters  ${bar((index + 1) / days.length)} ${day}   `);
  }
  if (tty) options.progress!.write('\n');
  const differences = compareCounters(expected, live);
  let repaired = 0;
  if (options.repair) {
    const ids = new Set(differences.map((d) => `${d.pk}\n${d.sk}`));
    for (const id of ids) {
      const want = expected.get(id) ?? (() => {
        const [pk, sk] = id.split('\n') as [string, string];
        const day = differences.find((d) => d.pk === pk && d.sk === sk)!.day;
        const item = live.find((l) => l.pk === pk && l.sk === sk)!;
        return { pk, sk, day, scope: String(item.scope), dims: item.dims as Record<string, string>, metrics: {} };
      })();
      await repairCounter(doc, config.countersTable, want, [...new Set(differences.filter((d) => `${d.pk}\n${d.sk}` === id).map((d) => d.metric))]);
      repaired += 1;
    }
  }
  doc.destroy();
  return { from, to, scannedItems: items.length, counters: live.length, expectedCounters: expected.size, differences, repaired };
};
