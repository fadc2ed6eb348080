/** One message: its state, each recipient's own status, and one timeline of every callback and linked Zalo event. */
import type { Session } from '../api';
import { describeCode } from '../error-codes';
import { fmtNumber, fmtTime, fmtVnd } from '../format';
import { html } from '../html';
import { lang, t, tr } from '../i18n';
import { channelLabel, familyLabel, statusLabel, telcoLabel } from '../label';
import { OutcomeText, type WithOutcome } from '../outcome';
import { useApi } from '../use-api';

interface ErrorInfo { code?: number; message?: string; raw: string }
interface Callback extends WithOutcome { id: string; statusName: string; final: boolean; receivedAt: string; source: string; totals: { sent: number; success: number; failed: number }; price: number; errorInfo: ErrorInfo | null; query?: string; winning: boolean; typeId: number }
interface ZaloEvent { eventName?: string; family?: string; event?: string; receivedAt?: string; time?: string; at?: string; [k: string]: unknown }
interface Recipient extends WithOutcome { phone: string | null; statusName: string | null; telco: { name: string } | null; price: number | null; errorInfo: ErrorInfo | null; zaloMsgId: string | null; history: Callback[]; zaloEvents?: ZaloEvent[] }
interface Message extends WithOutcome { smsId: string; statusName: string | null; final: boolean; channel: { name: string; typeId: number }; telco: { name: string } | null; totals: { receivers: number; sent: number; success: number; failed: number } | null; price: number | null; oaId: string | null; templateId: string | null; requestId: string | null; errorInfo: ErrorInfo | null; firstSeen: string; lastSeen: string; recipients: Recipient[]; zaloMessages?: Array<{ msgId: string; via: string; requestId: string | null }> }

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
      <dt>${t('status')}</dt><dd data-field="status" data-status=${m.statusName ?? ''}>${statusLabel(m.statusName)}${m.final ? '' : ` (${tr('chưa cuối', 'not final')})`}</dd>
      <dt>${t('outcome')}</dt><dd data-field="outcome"><${OutcomeText} row=${m} /></dd>
      <dt>${t('channel')}</dt><dd data-field="channel">${channelLabel(m.channel.name)} (TypeId ${m.channel.typeId})</dd>
      <dt>${t('telco')}</dt><dd data-field="telco">${telcoLabel(m.telco?.name)}</dd>
      <dt>${t('totals')}</dt><dd data-field="totals">${m.totals ? `${t('receivers')} ${fmtNumber(m.totals.receivers)} · ${t('sent')} ${fmtNumber(m.totals.sent)} · ${t('success')} ${fmtNumber(m.totals.success)} · ${t('failed')} ${fmtNumber(m.totals.failed)}` : '–'}</dd>
      <dt>${t('price')}</dt><dd>${fmtVnd(m.price)}</dd>
      <dt>${t('oa')} / ${t('template')}</dt><dd>${m.oaId ?? '–'} / ${m.templateId ?? '–'}</dd>
      <dt>${t('requestId')}</dt><dd>${m.requestId || '–'}</dd>
      <dt>${t('error')}</dt><dd><${ErrorText} info=${m.errorInfo} /></dd>
      <dt>${tr('Tin Zalo liên kết', 'Linked Zalo messages')}</dt><dd data-field="zalo">${(m.zaloMessages ?? []).length === 0 ? '–'
        : (m.zaloMessages ?? []).map((z, i) => html`${i > 0 ? ', ' : ''}<code>${z.msgId}</code> (${z.via === 'tracking_id' ? tr('qua RequestId/tracking_id', 'by RequestId/tracking_id') : tr('qua partnerids', 'by partnerids')})`)}</dd>
      <dt>${t('firstSeen')}</dt><dd>${fmtTime(m.firstSeen)}</dd><dt>${t('lastSeen')}</dt><dd>${fmtTime(m.lastSeen)}</dd>
    </dl>
    <h2>${t('recipients')}</h2>
    <div class="scroll"><table class="recipients"><thead><tr><th>${t('phone')}</th><th>${t('status')}</th><th>${t('outcome')}</th><th>${t('telco')}</th><th>${t('price')}</th><th>${t('error')}</th><th>Zalo msg</th></tr></thead>
    <tbody>${m.recipients.map((r) => html`<tr><td>${r.phone ?? '–'}</td><td data-status=${r.statusName ?? ''}>${statusLabel(r.statusName)}</td><td><${OutcomeText} row=${r} /></td><td>${telcoLabel(r.telco?.name)}</td><td class="num">${fmtVnd(r.price)}</td><td><${ErrorText} info=${r.errorInfo} /></td><td>${r.zaloMsgId ?? '–'}</td></tr>`)}</tbody></table></div>
    <h2>${t('timeline')}</h2>
    <ol class="timeline">${entries.map((e) => e.kind === 'callback'
      ? html`<li class="callback" data-callback=${e.cb.id} data-at=${e.at}>
          <time>${fmtTime(e.at)}</time> <strong data-status=${e.cb.statusName}>${statusLabel(e.cb.statusName)}</strong> · <${OutcomeText} row=${e.cb} /> <span class="tag">${e.cb.source === 'reconcile' ? tr('đối soát', 'reconciliation') : tr('callback', 'callback')}</span>${e.cb.winning ? html` <span class="tag win">${tr('quyết định', 'winning')}</span>` : ''}
          ${e.phone && html` · ${e.phone}`} · ${t('sent')} ${fmtNumber(e.cb.totals.sent)}, ${t('success')} ${fmtNumber(e.cb.totals.success)}, ${t('failed')} ${fmtNumber(e.cb.totals.failed)} · ${fmtVnd(e.cb.price)}
          ${e.cb.errorInfo && html`<div><${ErrorText} info=${e.cb.errorInfo} /></div>`}
          ${e.cb.query && html`<details><summary>${t('raw')}</summary><pre class="raw">${e.cb.query}</pre></details>`}
        </li>`
      : html`<li class="zalo" data-at=${e.at}><time>${fmtTime(e.at)}</time> <strong>${t('zaloEvent')}: ${familyLabel(e.ev.family)}</strong> <code>${String(e.ev.eventName ?? e.ev.event ?? '')}</code>
          <details><summary>${t('raw')}</summary><pre class="raw">${JSON.stringify(e.ev, null, 2)}</pre></details></li>`)}</ol>
  </section>`;
};
