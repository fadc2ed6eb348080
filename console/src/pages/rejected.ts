/** Rejected and unparsed requests of a day: the reason, the raw request, replay of the selected ones or the whole day. */
import { useState } from 'preact/hooks';
import { call, type Session } from '../api';
import { fmtTime, vnDay } from '../format';
import { html } from '../html';
import { t } from '../i18n';
import { DayInput } from '../inputs';
import { reasonLabel, replayLabel } from '../label';
import { go, type Route } from '../router';
import { useApi } from '../use-api';

interface Rejected { id: string; source: string; route: string; status: number; reason: string; receivedAt: string; raw: string; field: string; replayOutcome?: string }
interface Result { id: string; outcome: string; message?: string; field?: string }

export const RejectedPage = ({ session, route }: { session: Session; route: Route }) => {
  const day = route.query.get('day') ?? vnDay();
  const [reload, setReload] = useState(0);
  const { data, error, loading } = useApi<{ rejected: Rejected[]; next?: string }>(session, 'api/rejected', { day, limit: '1000', r: String(reload) });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [results, setResults] = useState<Record<string, Result>>({});
  const [busy, setBusy] = useState(false);
  const [chosen, setChosen] = useState(day);
  const replay = async (body: object) => {
    setBusy(true);
    try {
      const answer = await call<{ results: Result[] }>(session, 'api/replay', {}, body);
      setResults((prev) => ({ ...prev, ...Object.fromEntries(answer.results.map((r) => [r.id, r])) }));
    } finally {
      setBusy(false);
    }
  };
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const items = data?.rejected ?? [];
  return html`<section>
    <h1>${t('rejected')}</h1>
    <form class="filters" onSubmit=${(e: Event) => { e.preventDefault(); go('rejected', undefined, { day: chosen }); }}>
      <${DayInput} name="day" label=${t('day')} value=${chosen} onDay=${setChosen} /><button type="submit">${t('show')}</button>
      <button type="button" onClick=${() => setReload(reload + 1)}>${t('refresh')}</button>
    </form>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${loading && html`<p>${t('loading')}</p>`}
    ${!loading && !error && items.length === 0 && html`<p>${t('none')}</p>`}
    ${items.length > 0 && html`<div class="actions">
        <button type="button" class="replay-selected" disabled=${busy || selected.size === 0} onClick=${() => void replay({ ids: [...selected] })}>${t('replaySelected')} (${selected.size})</button>
        <button type="button" class="replay-day" disabled=${busy} onClick=${() => void replay({ day })}>${t('replayDay')}</button>
      </div>
      <div class="scroll"><table class="rejected"><thead><tr><th>${t('select')}</th><th>${t('received')}</th><th>${t('source')}</th><th>${t('reason')}</th><th>${t('raw')}</th><th>${t('result')}</th></tr></thead>
      <tbody>${items.map((item) => html`<tr data-id=${item.id}>
        <td><input type="checkbox" aria-label=${`${t('select')} ${item.id}`} checked=${selected.has(item.id)} onChange=${() => toggle(item.id)} /></td>
        <td>${fmtTime(item.receivedAt)}</td><td>${item.source}</td>
        <td>${reasonLabel(item.reason)}${item.field ? html` · <code>${item.field}</code>` : ''} <span class="muted">${item.status} /${item.route}</span></td>
        <td><details><summary>${t('raw')}</summary><pre class="raw">${item.raw}</pre></details></td>
        <td class="result">${results[item.id] ? html`<strong data-outcome=${results[item.id]!.outcome}>${replayLabel(results[item.id]!.outcome)}</strong>${results[item.id]!.message ? ` · ${results[item.id]!.message}` : ''}` : item.replayOutcome ? replayLabel(item.replayOutcome) : ''}</td>
      </tr>`)}</tbody></table></div>`}
  </section>`;
};
