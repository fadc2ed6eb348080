/** Messages: search by phone (any spelling), SMSID, RequestId, or a day with filters; newest first, with cursors. */
import { useEffect, useState } from 'preact/hooks';
import { call, type Session } from '../api';
import { fmtNumber, fmtTime, fmtVnd, vnDay } from '../format';
import { DayInput, OaPicker } from '../inputs';
import { channelLabel, statusLabel } from '../label';
import { CHANNEL_CODES, STATUS_CODES } from '../labels';
import { html } from '../html';
import { t } from '../i18n';
import { OUTCOME_NAMES, OutcomeText, outcomeName, type WithOutcome } from '../outcome';
import { go, href, type Route } from '../router';

interface Found extends WithOutcome {
  smsId: string;
  statusName?: string | null;
  channel?: { name?: string } | null;
  phone?: string | null;
  price?: number | null;
  totals?: { receivers: number } | null;
  firstSeen?: string | null;
  requestId?: string | null;
}

const FIELDS = ['phone', 'smsId', 'requestId', 'day', 'channel', 'status', 'outcome', 'oa', 'template'] as const;
type Field = typeof FIELDS[number];

export const MessagesPage = ({ session, route, knownOas }: { session: Session; route: Route; knownOas: string[] }) => {
  const initial = Object.fromEntries(FIELDS.map((f) => [f, route.query.get(f) ?? ''])) as Record<Field, string>;
  const [form, setForm] = useState(initial);
  const [found, setFound] = useState<{ items: Found[]; next?: string; error?: string; loading: boolean } | undefined>();
  // A link or bookmark with a search in it runs that search.
  useEffect(() => {
    if (FIELDS.some((f) => initial[f] !== '')) void search();
  }, []);

  const search = async (next?: string) => {
    if (form.smsId.trim()) return go('message', form.smsId.trim());
    const query = form.phone.trim() ? { phone: form.phone.trim() } : form.requestId.trim() ? { requestId: form.requestId.trim() }
      : { day: form.day || vnDay(), channel: form.channel, status: form.status, outcome: form.outcome, oa: form.oa, template: form.template };
    setFound((prev) => ({ items: next ? prev?.items ?? [] : [], loading: true }));
    try {
      const page = await call<{ messages: Found[]; next?: string }>(session, 'api/esms/messages', { ...query, next });
      setFound((prev) => ({ items: [...(next ? prev?.items ?? [] : []), ...page.messages], next: page.next, loading: false }));
    } catch (error) {
      setFound({ items: [], error: (error as Error).message, loading: false });
    }
  };

  // The search goes into the address (a reload or a shared link runs it again); the same search again reruns it.
  const submit = () => {
    if (form.smsId.trim()) return go('message', form.smsId.trim());
    const target = href('messages', undefined, Object.fromEntries(FIELDS.map((f) => [f, form[f].trim()])));
    if (location.hash === target) void search();
    else location.hash = target;
  };

  const input = (field: Field, type = 'text') => html`<label>${t(field)}
    <input name=${field} type=${type} value=${form[field]} onInput=${(e: Event) => setForm({ ...form, [field]: (e.target as HTMLInputElement).value })} /></label>`;

  const choice = (field: 'channel' | 'status' | 'outcome', options: Array<[value: string, label: string]>) => html`<label>${t(field)}
    <select name=${field} value=${form[field]} onChange=${(e: Event) => setForm({ ...form, [field]: (e.target as HTMLSelectElement).value })}>
      <option value="">–</option>${options.map(([value, label]) => html`<option value=${value} selected=${value === form[field]}>${label}</option>`)}
    </select></label>`;
  const channelChoice = choice('channel', Object.entries(CHANNEL_CODES).map(([typeId, name]) => [typeId, `${channelLabel(name)} (${typeId})`]));
  const statusChoice = choice('status', Object.entries(STATUS_CODES).map(([code, name]) => [code, statusLabel(name)]));
  const outcomeChoice = choice('outcome', Object.keys(OUTCOME_NAMES).map((o) => [o, outcomeName(o)]));

  return html`<section>
    <h1>${t('messages')}</h1>
    <form class="filters" onSubmit=${(e: Event) => { e.preventDefault(); submit(); }}>
      ${input('phone', 'search')}${input('smsId', 'search')}${input('requestId', 'search')}
      <${DayInput} name="day" label=${t('day')} value=${form.day} onDay=${(day: string) => setForm({ ...form, day })} />
      ${channelChoice}${statusChoice}${outcomeChoice}
      <${OaPicker} name="oa" label=${t('oa')} value=${form.oa} knownOas=${knownOas} any=${true} onOa=${(oa: string) => setForm({ ...form, oa })} />
      ${input('template')}
      <button type="submit">${t('search')}</button>
    </form>
    ${found?.error && html`<p class="error" role="alert">${found.error}</p>`}
    ${found && !found.loading && !found.error && found.items.length === 0 && html`<p>${t('noResults')}</p>`}
    ${found && found.items.length > 0 && html`<div class="scroll"><table class="results">
      <thead><tr><th>${t('smsId')}</th><th>${t('phone')}</th><th>${t('channel')}</th><th>${t('status')}</th><th>${t('outcome')}</th><th>${t('receivers')}</th><th>${t('price')}</th><th>${t('firstSeen')}</th></tr></thead>
      <tbody>${found.items.map((m) => html`<tr>
        <td><a href=${href('message', m.smsId)}>${m.smsId}</a></td><td>${m.phone ?? '–'}</td><td>${channelLabel(m.channel?.name)}</td>
        <td data-status=${m.statusName ?? ''}>${statusLabel(m.statusName)}</td><td><${OutcomeText} row=${m} /></td><td class="num">${fmtNumber(m.totals?.receivers)}</td><td class="num">${fmtVnd(m.price)}</td><td>${fmtTime(m.firstSeen)}</td>
      </tr>`)}</tbody></table></div>`}
    ${found?.loading && html`<p>${t('loading')}</p>`}
    ${found?.next && !found.loading && html`<button onClick=${() => void search(found.next)}>${t('more')}</button>`}
  </section>`;
};
