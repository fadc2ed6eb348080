/** One message: its state, each recipient's own status, and one timeline of every callback and linked Zalo event. */
import type { Session } from '../api';
import { describeCode } from '../error-codes';
import { fmtNumber, fmtTime, fmtVnd } from '../format';
import { html } from '../html';
import { lang, t, tr } from '../i18n';
import { OutcomeText, type WithOutcome } from '../outcome';
import { useApi } from '../use-api';

interface ErrorInfo { code?: number; message?: string; raw: string }
interface Callback extends WithOutcome { id: string; statusName: string; final: boolean; receivedAt: string; source: string; totals: { sent: number; success: number; failed: number }; price: number; errorInfo: ErrorInfo | null; query?: string; winning: boolean; typeId: number }
interface ZaloEvent { eventName?: string; event?: string; receivedAt?: string; time?: string; at?: string; [k: string]: unknown }
interface Recipient extends WithOutcome { phone: string | null; statusName: string | null; telco: { name: string } | null; price: number | null; errorInfo: ErrorInfo | null; zaloMsgId: string | null; history: Callback[]; zaloEvents?: ZaloEvent[] }
interface Message extends WithOutcome { smsId: string; statusName: string | null; final: boolean; channel: { name: string; typeId: number }; telco: { name: string } | null; totals: { receivers: number; sent: number; success: number; failed: number } | null; price: number | null; oaId: string | null; templateId: string | null; requestId: string | null; errorInfo: ErrorInfo | null; firstSeen: string; lastSeen: string; recipients: Recipient[] }

const ErrorText = ({ info }: { info: ErrorInfo | null }) => {
  if (!info) return html`–`;
  const human = describeCode(info.code, info.message, lang === 'vi');
  return html`<span class="err">${info.code !== undefined && html`<code>${info.code}</code> `}${human ?? info.raw}</span>`;
};

const zaloTime = (e: ZaloEvent): string => String(e.receivedAt ?? e.at ?? e.time ?? '');

type Entry = { at: string; kind: 'callback'; phone: string | null; cb: Callback } | { at: string; kind: 'zalo'; phone: string | null; ev: ZaloEvent };

export const MessagePage = ({ session, smsId }: { session: Session; smsId: string }) => {
  const { data, error, loading } = useApi<{ message: Message }>(session, `api/esms/messages/${encodeURIComponent(smsId)}`);
  if (loading) return html`<p>${t('loading')}</p>`;
  if (error || !data) return html`<p class="error" role="alert">${error}</p>`;
  const m = data.message;
  const entries: Entry[] = m.recipients.flatMap((r): Entry[] => [
    ...r.history.map((cb): Entry => ({ at: cb.receivedAt, kind: 'callback', phone: r.phone, cb })),
    ...(r.zaloEvents ?? []).map((ev): Entry => ({ at: zaloTime(ev), kind: 'zalo', phone: r.phone, ev })),
  ]).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return html`<section>
    <h1>${t('smsId')} <code>${m.smsId}</code></h1>
    <dl class="facts">
      <dt>${t('status')}</dt><dd data-field="status">${m.statusName ?? '–'}${m.final ? '' : ` (${tr('chưa cuối', 'not final')})`}</dd>
      <dt>${t('outcome')}</dt><dd data-field="outcome"><${OutcomeText} row=${m} /></dd>
      <dt>${t('channel')}</dt><dd>${m.channel.name} (TypeId ${m.channel.typeId})</dd>
      <dt>${t('telco')}</dt><dd>${m.telco?.name ?? '–'}</dd>
      <dt>${t('totals')}</dt><dd>${m.totals ? `${fmtNumber(m.totals.receivers)} / ${fmtNumber(m.totals.sent)} / ${fmtNumber(m.totals.success)} / ${fmtNumber(m.totals.failed)}` : '–'}</dd>
      <dt>${t('price')}</dt><dd>${fmtVnd(m.price)}</dd>
      <dt>${t('oa')} / ${t('template')}</dt><dd>${m.oaId ?? '–'} / ${m.templateId ?? '–'}</dd>
      <dt>${t('requestId')}</dt><dd>${m.requestId || '–'}</dd>
      <dt>${t('error')}</dt><dd><${ErrorText} info=${m.errorInfo} /></dd>
      <dt>${t('firstSeen')}</dt><dd>${fmtTime(m.firstSeen)}</dd><dt>${t('lastSeen')}</dt><dd>${fmtTime(m.lastSeen)}</dd>
    </dl>
    <h2>${t('recipients')}</h2>
    <div class="scroll"><table class="recipients"><thead><tr><th>${t('phone')}</th><th>${t('status')}</th><th>${t('outcome')}</th><th>${t('telco')}</th><th>${t('price')}</th><th>${t('error')}</th><th>Zalo msg</th></tr></thead>
    <tbody>${m.recipients.map((r) => html`<tr><td>${r.phone ?? '–'}</td><td>${r.statusName ?? '–'}</td><td><${OutcomeText} row=${r} /></td><td>${r.telco?.name ?? '–'}</td><td class="num">${fmtVnd(r.price)}</td><td><${ErrorText} info=${r.errorInfo} /></td><td>${r.zaloMsgId ?? '–'}</td></tr>`)}</tbody></table></div>
    <h2>${t('timeline')}</h2>
    <ol class="timeline">${entries.map((e) => e.kind === 'callback'
      ? html`<li class="callback" data-callback=${e.cb.id} data-at=${e.at}>
          <time>${fmtTime(e.at)}</time> <strong>${e.cb.statusName}</strong> · <${OutcomeText} row=${e.cb} /> <span class="tag">${e.cb.source}</span>${e.cb.winning ? html` <span class="tag win">${tr('quyết định', 'winning')}</span>` : ''}
          ${e.phone && html` · ${e.phone}`} · ${t('sent')} ${fmtNumber(e.cb.totals.sent)}, ${t('success')} ${fmtNumber(e.cb.totals.success)}, ${t('failed')} ${fmtNumber(e.cb.totals.failed)} · ${fmtVnd(e.cb.price)}
          ${e.cb.errorInfo && html`<div><${ErrorText} info=${e.cb.errorInfo} /></div>`}
          ${e.cb.query && html`<details><summary>${t('raw')}</summary><pre class="raw">${e.cb.query}</pre></details>`}
        </li>`
      : html`<li class="zalo" data-at=${e.at}><time>${fmtTime(e.at)}</time> <strong>${t('zaloEvent')}: ${String(e.ev.eventName ?? e.ev.event ?? '')}</strong>
          <details><summary>${t('raw')}</summary><pre class="raw">${JSON.stringify(e.ev, null, 2)}</pre></details></li>`)}</ol>
  </section>`;
};
