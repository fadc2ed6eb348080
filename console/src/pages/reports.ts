/** Reports: a range and a group-by; a chart of sent/success/failed per day, the table, and a CSV of exactly that table. */
import { useState } from 'preact/hooks';
import type { Session } from '../api';
import { BarChart, type ChartDay } from '../chart';
import { toCsv } from '../csv';
import { download } from '../download';
import { fmtDay, fmtNumber, fmtVnd, vnDay } from '../format';
import { DayInput } from '../inputs';
import { channelLabel, statusLabel, telcoLabel } from '../label';
import { CHANNEL_CODES, STATUS_CODES } from '../labels';
import { outcomeName } from '../outcome';
import { html } from '../html';
import { t } from '../i18n';
import { go, type Route } from '../router';
import { useApi } from '../use-api';

export interface ReportRow { day: string; group: string; label?: string; requests: number; receivers: number; sent: number; success: number; failed: number; price: number }
const BY = ['channel', 'telco', 'status', 'outcome', 'oa', 'template'] as const;
const METRICS = ['requests', 'receivers', 'sent', 'success', 'failed'] as const;

/** A row's group in the UI's language, with the API's code beside it where the name is not the code. */
export const groupLabel = (by: string, group: string): string => {
  // `-`: the callbacks named none (no telco, OA or template).
  if (group === '-') return '–';
  switch (by) {
    case 'channel': return `${channelLabel(CHANNEL_CODES[group] ?? group)} (${group})`;
    case 'status': return STATUS_CODES[group] ? `${statusLabel(STATUS_CODES[group])} (${group})` : group;
    case 'telco': return telcoLabel(group);
    case 'outcome': return outcomeName(group);
    default: return group;
  }
};

/** Per day, summed over the groups: what the chart draws. */
export const perDay = (rows: ReportRow[]): ChartDay[] => {
  const days = new Map<string, ChartDay>();
  for (const row of rows) {
    const day = days.get(row.day) ?? { day: row.day, sent: 0, success: 0, failed: 0 };
    day.sent += row.sent;
    day.success += row.success;
    day.failed += row.failed;
    days.set(row.day, day);
  }
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
};

export const ReportsPage = ({ session, route }: { session: Session; route: Route }) => {
  const from = route.query.get('from') ?? vnDay(-6);
  const to = route.query.get('to') ?? vnDay();
  const by = route.query.get('by') ?? 'channel';
  const [form, setForm] = useState({ from, to, by });
  const { data, error, loading } = useApi<{ rows: ReportRow[] }>(session, 'api/reports/daily', { from, to, by }, true);
  const rows = data?.rows ?? [];
  const header = [t('day'), t('group'), ...METRICS.map((m) => t(m)), t('price')];
  const cells = rows.map((r) => [fmtDay(r.day), groupLabel(by, r.group), ...METRICS.map((m) => fmtNumber(r[m])), fmtVnd(r.price)]);
  const sum = (m: typeof METRICS[number] | 'price') => rows.reduce((acc, r) => acc + r[m], 0);
  const totals = [t('total'), '', ...METRICS.map((m) => fmtNumber(sum(m))), fmtVnd(sum('price'))];
  const labels = { sent: t('sent'), success: t('success'), failed: t('failed') };
  return html`<section>
    <h1>${t('reports')}</h1>
    <form class="filters" onSubmit=${(e: Event) => { e.preventDefault(); go('reports', undefined, form); }}>
      <${DayInput} name="from" label=${t('from')} value=${form.from} onDay=${(day: string) => setForm({ ...form, from: day })} />
      <${DayInput} name="to" label=${t('to')} value=${form.to} onDay=${(day: string) => setForm({ ...form, to: day })} />
      <label>${t('groupBy')}<select name="by" value=${form.by} onChange=${(e: Event) => setForm({ ...form, by: (e.target as HTMLSelectElement).value })}>
        ${BY.map((b) => html`<option value=${b}>${t(b)}</option>`)}</select></label>
      <button type="submit">${t('show')}</button>
    </form>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${loading ? html`<p>${t('loading')}</p>` : !error && html`
      <${BarChart} days=${perDay(rows)} labels=${labels} title=${t('chart')} />
      <div class="scroll"><table class="report"><thead><tr>${header.map((h) => html`<th>${h}</th>`)}</tr></thead>
        <tbody>${cells.map((row) => html`<tr>${row.map((c, i) => html`<td class=${i > 1 ? 'num' : ''}>${c}</td>`)}</tr>`)}</tbody>
        <tfoot><tr>${totals.map((c, i) => html`<td class=${i > 1 ? 'num' : ''}>${c}</td>`)}</tr></tfoot></table></div>
      <button type="button" class="csv" onClick=${() => download(`report-${by}-${from}-${to}.csv`, toCsv([header, ...cells, totals]))}>${t('csv')}</button>`}
  </section>`;
};
