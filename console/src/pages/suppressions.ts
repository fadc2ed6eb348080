/**
 * Suppressions: the phones (and Zalo user ids) a new Zalo send would fail for, with why, since when and the
 * message that showed it; look one up in any spelling, clear one by hand, download the list as CSV.
 */
import { useEffect, useState } from 'preact/hooks';
import { apiUrl, call, type Session } from '../api';
import { download } from '../download';
import { fmtTime } from '../format';
import { html } from '../html';
import { lang, tr } from '../i18n';
import { href, type Route } from '../router';

interface Suppression {
  phone: string; type: string; reason: string | null; reasonVi: string | null; code: number | string | null; since: string;
  source: string; smsId: string | null; msgId: string | null; oaId: string | null; event: string | null;
}

const reasonOf = (row: Suppression) => (lang === 'vi' ? row.reasonVi ?? row.reason : row.reason ?? row.reasonVi) ?? '–';
const subjectType = (type: string) => (type === 'phone' ? tr('Số điện thoại', 'Phone') : tr('Người dùng Zalo', 'Zalo user'));

export const SuppressionsPage = ({ session }: { session: Session; route: Route }) => {
  const [rows, setRows] = useState<Suppression[]>([]);
  const [next, setNext] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();
  const [lookup, setLookup] = useState('');
  const [found, setFound] = useState<Suppression | null>();
  const load = async (cursor?: string) => {
    setLoading(true);
    try {
      const page = await call<{ suppressions: Suppression[]; next?: string }>(session, 'api/suppressions', { limit: '100', next: cursor });
      setRows((prev) => [...(cursor ? prev : []), ...page.suppressions]);
      setNext(page.next);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => void load(), [session.key, session.tenant]);
  const find = async () => {
    setError(undefined);
    try {
      setFound((await call<{ suppression: Suppression }>(session, `api/suppressions/${encodeURIComponent(lookup.trim())}`)).suppression);
    } catch (failure) {
      if ((failure as { status?: number }).status === 404) setFound(null);
      else setError((failure as Error).message);
    }
  };
  const clear = async (phone: string) => {
    setError(undefined);
    try {
      await call(session, `api/suppressions/${encodeURIComponent(phone)}`, {}, undefined, 'DELETE');
      setRows((prev) => prev.filter((row) => row.phone !== phone));
      if (found?.phone === phone) setFound(null);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  const csv = async () => {
    const response = await fetch(apiUrl('api/suppressions', { format: 'csv', limit: '1000' }, session), { headers: { authorization: `Bearer ${session.key}` } });
    download('suppressions.csv', await response.text());
  };
  const row = (item: Suppression) => html`<tr data-phone=${item.phone}>
    <td><code>${item.phone}</code></td><td>${subjectType(item.type)}</td><td>${reasonOf(item)}</td><td><code>${item.code ?? '–'}</code></td>
    <td>${fmtTime(item.since)}</td>
    <td>${item.smsId ? html`<a href=${href('message', item.smsId)}>${item.smsId}</a>` : item.msgId ? html`<code>${item.msgId}</code>` : item.event ?? '–'}</td>
    <td><button type="button" class="clear" onClick=${() => void clear(item.phone)}>${tr('Gỡ chặn', 'Clear')}</button></td></tr>`;
  const head = html`<thead><tr><th>${tr('Số / người dùng', 'Phone / user')}</th><th>${tr('Loại', 'Kind')}</th><th>${tr('Lý do', 'Reason')}</th><th>${tr('Mã lỗi', 'Code')}</th>
    <th>${tr('Từ lúc', 'Since')}</th><th>${tr('Tin nhắn cho thấy', 'Shown by')}</th><th></th></tr></thead>`;
  return html`<section>
    <h1>${tr('Danh sách chặn gửi', 'Suppressions')}</h1>
    <p class="muted">${tr(
      'Các số mà lần gửi Zalo/ZNS mới sẽ thất bại (không có tài khoản Zalo, đã chặn hoặc từ chối OA, từ chối cuộc gọi, bỏ quan tâm). Một lần gửi Zalo thành công sau đó tự gỡ chặn.',
      'Phones a new Zalo/ZNS send would fail for (no Zalo account, blocked or refused the OA, refused a call, unfollowed). A later successful Zalo delivery clears one by itself.')}</p>
    <form class="filters" onSubmit=${(e: Event) => { e.preventDefault(); void find(); }}>
      <label>${tr('Tra một số (mọi cách viết)', 'Look up a phone (any spelling)')}<input name="lookup" type="search" value=${lookup} onInput=${(e: Event) => setLookup((e.target as HTMLInputElement).value)} /></label>
      <button type="submit">${tr('Tra', 'Look up')}</button>
      <button type="button" onClick=${() => void csv()}>${tr('Tải CSV', 'Download CSV')}</button>
    </form>
    ${found === null && html`<p class="lookup-result" role="status">${tr('Số này không bị chặn gửi.', 'This phone is not suppressed.')}</p>`}
    ${found && html`<div class="scroll"><table class="suppression-found">${head}<tbody>${row(found)}</tbody></table></div>`}
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${!loading && rows.length === 0 && html`<p>${tr('Chưa có số nào bị chặn gửi.', 'No phone is suppressed.')}</p>`}
    ${rows.length > 0 && html`<div class="scroll"><table class="suppressions">${head}<tbody>${rows.map(row)}</tbody></table></div>`}
    ${loading && html`<p>${tr('Đang tải…', 'Loading…')}</p>`}
    ${next && !loading && html`<button onClick=${() => void load(next)}>${tr('Xem thêm', 'More')}</button>`}
  </section>`;
};
