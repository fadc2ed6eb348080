/**
 * Usage: a Vietnam-time month of the tenant (callbacks, duplicates, rejected, Zalo events, messages,
 * deliveries), what eTelecom invoices from; the admin key also sees every tenant's month side by side.
 */
import { html } from '../html';
import { fmtNumber, vnDay } from '../format';
import { tr } from '../i18n';
import { go, type Route } from '../router';
import type { Session } from '../api';
import { useApi } from '../use-api';

interface Usage { callbacks: number; duplicates: number; rejected: number; zaloEvents: number; messages: number; deliveries: number }

const FIGURES: Array<[keyof Usage, () => string, () => string]> = [
  ['callbacks', () => tr('Callback eSMS mới', 'New eSMS callbacks'), () => tr('callback eSMS được lưu lần đầu', 'eSMS callbacks stored the first time')],
  ['duplicates', () => tr('Callback trùng', 'Duplicate callbacks'), () => tr('eSMS gửi lại, không tính lần hai', 'sent again by eSMS, not counted twice')],
  ['rejected', () => tr('Bị từ chối', 'Rejected'), () => tr('callback sai dạng và sự kiện Zalo chưa đọc được', 'malformed callbacks and unparsed Zalo events')],
  ['zaloEvents', () => tr('Sự kiện Zalo', 'Zalo events'), () => tr('sự kiện webhook Zalo OA đã lưu', 'Zalo OA webhook events stored')],
  ['messages', () => tr('Tin nhắn', 'Messages'), () => tr('SMSID khác nhau', 'distinct SMSIDs')],
  ['deliveries', () => tr('Lượt gửi sự kiện', 'Event deliveries'), () => tr('lượt gửi tới điểm nhận sự kiện', 'delivery attempts to destinations')],
];

/** The last 12 Vietnam months, newest first. */
const months = (): string[] => {
  const [year, month] = vnDay().split('-').map(Number) as [number, number];
  return Array.from({ length: 12 }, (_, back) => {
    const index = year * 12 + (month - 1) - back;
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  });
};
const monthLabel = (month: string) => `${month.slice(5)}/${month.slice(0, 4)}`;

export const UsagePage = ({ session, route }: { session: Session; route: Route }) => {
  const month = route.query.get('month') ?? vnDay().slice(0, 7);
  // An admin reads the tenant its switcher shows (without `tenant=` the route answers every tenant's).
  const own = useApi<{ usage: Usage }>({ ...session, tenant: session.tenant ?? (session.admin ? 'default' : undefined) }, 'api/usage', { month });
  const every = useApi<{ tenants: Array<Usage & { tenant: string }> }>({ ...session, tenant: undefined }, session.admin ? 'api/usage' : undefined, { month });
  return html`<section>
    <h1>${tr('Mức sử dụng', 'Usage')}</h1>
    <form class="filters"><label>${tr('Tháng', 'Month')}
      <select name="month" value=${month} onChange=${(e: Event) => go('usage', undefined, { month: (e.target as HTMLSelectElement).value })}>
        ${months().map((m) => html`<option value=${m}>${monthLabel(m)}</option>`)}</select></label></form>
    ${own.error && html`<p class="error" role="alert">${own.error}</p>`}
    ${own.loading && html`<p>${tr('Đang tải…', 'Loading…')}</p>`}
    ${own.data && html`<dl class="usage">${FIGURES.map(([name, label, hint]) => html`<div data-figure=${name}>
      <dt>${label()}</dt><dd class="num">${fmtNumber(own.data!.usage[name])}</dd><dd class="muted">${hint()}</dd></div>`)}</dl>`}
    ${every.data && html`<h2>${tr('Mọi đối tác', 'Every tenant')}</h2><div class="scroll"><table class="usage-tenants"><thead><tr>
        <th>${tr('Đối tác', 'Tenant')}</th>${FIGURES.map(([, label]) => html`<th>${label()}</th>`)}</tr></thead>
      <tbody>${every.data.tenants.map((row) => html`<tr data-tenant=${row.tenant}><td>${row.tenant}</td>${FIGURES.map(([name]) => html`<td class="num">${fmtNumber(row[name])}</td>`)}</tr>`)}</tbody></table></div>`}
  </section>`;
};
