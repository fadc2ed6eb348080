/** Counter items → report rows, as a pure function (the API and the audit share it). */
import * as v from 'valibot';
import { TYPE_ID_INFO, type TypeId } from '../esms/channels';
import { ESMS_COUNTER_METRICS, type EsmsCounterMetric } from '../table/counters';

export const REPORT_DIMENSIONS = ['channel', 'telco', 'status', 'outcome', 'oa', 'template'] as const;
export const ReportBySchema = v.picklist(REPORT_DIMENSIONS);
export type ReportBy = v.InferOutput<typeof ReportBySchema>;

export const CounterItemSchema = v.looseObject({
  scope: v.picklist(['esms', 'zalo']),
  day: v.string(),
  dims: v.record(v.string(), v.string()),
});

/** The metrics a report row shows: the counters' eSMS metrics, the price in VND instead of 1/10,000 VND. */
export const REPORT_METRICS = [...ESMS_COUNTER_METRICS.filter((metric): metric is Exclude<EsmsCounterMetric, 'priceE4'> => metric !== 'priceE4'), 'price' as const];

export type EsmsRow = { day: string; group: string; label?: string; zalo?: Record<string, number> } & Record<(typeof REPORT_METRICS)[number], number>;

const zeroCounters = () => Object.fromEntries(ESMS_COUNTER_METRICS.map((metric) => [metric, 0])) as Record<EsmsCounterMetric, number>;

const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value ?? 0) || 0);

const labelOf = (by: ReportBy, group: string): string | undefined =>
  by === 'channel' ? TYPE_ID_INFO[Number(group) as TypeId]?.name : undefined;

export const buildDailyReport = (items: Array<Record<string, unknown>>, by: ReportBy) => {
  const rows = new Map<string, EsmsRow & { priceE4: number }>();
  const zalo = new Map<string, { day: string; oa: string; counts: Record<string, number> }>();
  for (const raw of items) {
    const parsed = v.safeParse(CounterItemSchema, raw);
    if (!parsed.success) continue; // dead letters and other non-counter items share the table
    const { scope, day, dims } = parsed.output;
    if (scope === 'zalo') {
      const oa = dims.oa ?? '-';
      const slot = zalo.get(`${day}|${oa}`) ?? { day, oa, counts: {} };
      slot.counts[dims.family ?? 'unknown'] = (slot.counts[dims.family ?? 'unknown'] ?? 0) + num(raw.events);
      zalo.set(`${day}|${oa}`, slot);
      continue;
    }
    const group = dims[by] ?? '-';
    const key = `${day}|${group}`;
    const row = rows.get(key) ?? { day, group, ...zeroCounters(), price: 0 };
    for (const metric of ESMS_COUNTER_METRICS) row[metric] += num(raw[metric]);
    rows.set(key, row);
  }
  if (by === 'oa') {
    for (const { day, oa, counts } of zalo.values()) {
      const key = `${day}|${oa}`;
      const row = rows.get(key) ?? { day, group: oa, ...zeroCounters(), price: 0 };
      row.zalo = counts;
      rows.set(key, row);
    }
  }
  // A counter whose messages all moved to another group nets to zero: not a row anyone wants to see.
  const sorted = [...rows.values()]
    .filter((row) => row.zalo !== undefined || ESMS_COUNTER_METRICS.some((metric) => row[metric] !== 0))
    .map(({ priceE4, ...row }) => ({ ...row, ...(labelOf(by, row.group) ? { label: labelOf(by, row.group) } : {}), price: priceE4 / 10_000 }))
    .sort((a, b) => a.day.localeCompare(b.day) || a.group.localeCompare(b.group));
  const zaloRows = [...zalo.values()].sort((a, b) => a.day.localeCompare(b.day) || a.oa.localeCompare(b.oa));
  return { rows: sorted, zalo: zaloRows };
};
