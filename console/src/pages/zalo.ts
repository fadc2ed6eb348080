/** Zalo, per OA: connection, followers (and follows per day), templates and quota; a Journey looked up by id. */
import { useState } from 'preact/hooks';
import type { Session } from '../api';
import { fmtDay, fmtNumber, fmtTime, vnDay } from '../format';
import { OaPicker } from '../inputs';
import { familyLabel, qualityLabel, templateStatusLabel } from '../label';
import { html } from '../html';
import { t, tr } from '../i18n';
import { go, type Route } from '../router';
import { useApi } from '../use-api';

interface OaState { connection: { connected: boolean; accessExpiresAt?: string | null; connectedAt?: string | null }; templates: Array<{ templateId: string; status: string | null; quality: string | null; quota: unknown }>; dailyQuota: { value: unknown } | null }
interface ZaloRow { day: string; oa: string; counts: Record<string, number> }

const OaView = ({ session, oaId }: { session: Session; oaId: string }) => {
  const state = useApi<{ state: OaState }>(session, `api/oa/${encodeURIComponent(oaId)}/state`, {}, true);
  const followers = useApi<{ followers: Array<{ userId: string; followedAt: string | null }>; next?: string }>(session, `api/oa/${encodeURIComponent(oaId)}/followers`, { limit: '100' });
  const report = useApi<{ zalo: ZaloRow[] }>(session, 'api/reports/daily', { from: vnDay(-29), to: vnDay(), by: 'oa' }, true);
  const days = (report.data?.zalo ?? []).filter((row) => row.oa === oaId);
  // One column per event family seen in the range, in a fixed order.
  const families = [...new Set(days.flatMap((d) => Object.keys(d.counts)))].sort();
  const s = state.data?.state;
  return html`<div>
    ${state.error && html`<p class="error" role="alert">${state.error}</p>`}
    ${s && html`<h2>${t('connection')}</h2><p class=${s.connection.connected ? 'ok' : 'bad'}>${s.connection.connected ? t('connected') : t('notConnected')}
      ${s.connection.connected && html` · ${t('validUntil')} ${fmtTime(s.connection.accessExpiresAt)}`}</p>
      <p>${t('lastEvent')}: ${fmtDay(days.at(-1)?.day)}</p>
      <h2>${t('templates')}</h2>
      ${s.templates.length === 0 ? html`<p>–</p>` : html`<div class="scroll"><table><thead><tr><th>${t('template')}</th><th>${t('status')}</th><th>${tr('Chất lượng', 'Quality')}</th><th>${tr('Hạn mức', 'Quota')}</th></tr></thead>
        <tbody>${s.templates.map((tpl) => html`<tr><td>${tpl.templateId}</td><td data-status=${tpl.status ?? ''}>${templateStatusLabel(tpl.status)}</td><td>${qualityLabel(tpl.quality)}</td><td><code>${tpl.quota === null ? '–' : JSON.stringify(tpl.quota)}</code></td></tr>`)}</tbody></table></div>`}
      <p>${t('quota')}: ${s.dailyQuota ? String(s.dailyQuota.value) : '–'}</p>`}
    <h2>${t('events')}</h2>
    ${days.length === 0 ? html`<p>–</p>` : html`<div class="scroll"><table class="zalo-days"><thead><tr><th>${t('day')}</th>${families.map((f) => html`<th data-family=${f}>${familyLabel(f)}</th>`)}<th>${t('total')}</th></tr></thead>
      <tbody>${days.map((d) => html`<tr data-day=${d.day}><td>${fmtDay(d.day)}</td>${families.map((f) => html`<td class="num" data-family=${f}>${fmtNumber(d.counts[f] ?? 0)}</td>`)}<td class="num">${fmtNumber(Object.values(d.counts).reduce((a, b) => a + b, 0))}</td></tr>`)}</tbody></table></div>`}
    <h2>${t('followers')} (${fmtNumber(followers.data?.followers.length)}${followers.data?.next ? '+' : ''})</h2>
    ${followers.error && html`<p class="error" role="alert">${followers.error}</p>`}
    <ul class="followers">${(followers.data?.followers ?? []).map((f) => html`<li><code>${f.userId}</code> · ${t('followedAt')} ${fmtTime(f.followedAt)}</li>`)}</ul>
  </div>`;
};

const JourneyView = ({ session, journeyId }: { session: Session; journeyId: string }) => {
  const { data, error } = useApi<{ journey: { journeyId: string; charged: boolean; chargedAt: string | null; expiredAt: string | null } }>(session, `api/zalo/journeys/${encodeURIComponent(journeyId)}`);
  if (error) return html`<p class="error" role="alert">${error}</p>`;
  const j = data?.journey;
  return j ? html`<p>${t('journey')} <code>${j.journeyId}</code>: ${j.charged ? `${t('charged')} ${fmtTime(j.chargedAt)}` : j.expiredAt ? `${t('expired')} ${fmtTime(j.expiredAt)}` : '–'}</p>` : null;
};

export const ZaloPage = ({ session, route, knownOas }: { session: Session; route: Route; knownOas: string[] }) => {
  const oaId = route.query.get('oa') ?? knownOas[0] ?? '';
  const journeyId = route.query.get('journey') ?? '';
  const [form, setForm] = useState({ oa: oaId, journey: journeyId });
  return html`<section>
    <h1>${t('zalo')}</h1>
    <form class="filters" onSubmit=${(e: Event) => { e.preventDefault(); go('zalo', undefined, { ...form, oa: form.oa || oaId }); }}>
      <${OaPicker} name="oa" label=${t('oaId')} value=${form.oa || oaId} knownOas=${knownOas} onOa=${(oa: string) => setForm({ ...form, oa })} />
      <label>${t('journeyId')}<input name="journey" value=${form.journey} onInput=${(e: Event) => setForm({ ...form, journey: (e.target as HTMLInputElement).value })} /></label>
      <button type="submit">${t('show')}</button>
    </form>
    ${journeyId && html`<${JourneyView} session=${session} journeyId=${journeyId} />`}
    ${oaId && html`<${OaView} key=${oaId} session=${session} oaId=${oaId} />`}
  </section>`;
};
