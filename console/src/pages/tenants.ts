/**
 * The admin's tenants: the list, one tenant's credentials (ids and times, never a secret), suspend and resume,
 * and offboarding in the bounded calls the API takes (called again while it answers `incomplete`).
 */
import { useEffect, useState } from 'preact/hooks';
import { call, callAll, type Session } from '../api';
import { fmtTime } from '../format';
import { html } from '../html';
import { tr } from '../i18n';
import { go, href, type Route } from '../router';
import { useApi } from '../use-api';

interface TenantView { id: string; name: string; createdAt: string; suspended: boolean; retentionDays?: number }
interface Credential { createdAt: string; lastUsedAt?: string | null }
interface Inventory {
  tenant: TenantView;
  credentials: {
    apiKeys: Array<Credential & { keyId: string }>;
    esmsTokens: Array<Credential & { tokenId: string }>;
    zaloApps: Array<Credential & { appId: string; hasKey: boolean; hasAppSecret: boolean; pendingKept: number }>;
    destinations: Array<Credential & { id: string; enabled: boolean }>;
  };
}
interface OffboardStep { changed: number; incomplete: boolean }

const yesNo = (value: boolean) => (value ? tr('Có', 'Yes') : tr('Không', 'No'));
const state = (tenant: TenantView) => (tenant.suspended
  ? html`<span class="badge bad">${tr('Tạm ngưng', 'Suspended')}</span>`
  : html`<span class="badge ok">${tr('Đang hoạt động', 'Active')}</span>`);

const TenantList = ({ session }: { session: Session }) => {
  const [tenants, setTenants] = useState<TenantView[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    callAll<{ tenants: TenantView[] }>(session, 'api/admin/tenants').then((answer) => setTenants(answer.tenants), (failure: Error) => setError(failure.message));
  }, [session.key]);
  return html`<section>
    <h1>${tr('Đối tác', 'Tenants')}</h1>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${!tenants && !error && html`<p>${tr('Đang tải…', 'Loading…')}</p>`}
    ${tenants && html`<div class="scroll"><table class="tenants"><thead><tr>
        <th>${tr('Mã', 'Id')}</th><th>${tr('Tên', 'Name')}</th><th>${tr('Tạo lúc', 'Created')}</th><th>${tr('Trạng thái', 'State')}</th><th>${tr('Lưu trữ (ngày)', 'Retention (days)')}</th>
      </tr></thead><tbody>${tenants.map((tenant) => html`<tr data-id=${tenant.id}>
        <td><a href=${href('tenants', tenant.id)}>${tenant.id}</a></td><td>${tenant.name}</td><td>${fmtTime(tenant.createdAt)}</td><td>${state(tenant)}</td>
        <td>${tenant.retentionDays ?? tr('mặc định', 'default')}</td></tr>`)}</tbody></table></div>`}
  </section>`;
};

const CredentialTable = ({ title, name, rows }: { title: string; name: string; rows: Array<{ id: string; createdAt: string; lastUsedAt?: string | null; extra?: string }> }) => html`
  <h2>${title} <span class="muted">(${rows.length})</span></h2>
  ${rows.length === 0 ? html`<p class="muted">${tr('Không có.', 'None.')}</p>` : html`<div class="scroll"><table class=${`credentials ${name}`}><thead><tr>
    <th>${tr('Mã', 'Id')}</th><th>${tr('Tạo lúc', 'Created')}</th><th>${tr('Dùng lần cuối', 'Last used')}</th><th></th>
  </tr></thead><tbody>${rows.map((row) => html`<tr><td><code>${row.id}</code></td><td>${fmtTime(row.createdAt)}</td>
    <td>${row.lastUsedAt ? fmtTime(row.lastUsedAt) : tr('chưa ghi nhận', 'not recorded')}</td><td>${row.extra ?? ''}</td></tr>`)}</tbody></table></div>`}`;

const Offboard = ({ session, id }: { session: Session; id: string }) => {
  const [typed, setTyped] = useState('');
  const [progress, setProgress] = useState<{ calls: number; changed: number; done: boolean }>();
  const [error, setError] = useState<string>();
  const run = async () => {
    setError(undefined);
    let calls = 0;
    let changed = 0;
    try {
      for (;;) {
        const step = await call<OffboardStep>(session, `api/admin/tenants/${encodeURIComponent(id)}`, { confirm: typed }, undefined, 'DELETE');
        calls += 1;
        changed += step.changed;
        setProgress({ calls, changed, done: !step.incomplete });
        if (!step.incomplete) return;
        // The counters wait for the stream to settle after the messages are gone: nothing changes meanwhile.
        if (step.changed === 0) await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  return html`<form class="offboard" onSubmit=${(e: Event) => { e.preventDefault(); void run(); }}>
    <h2>${tr('Chấm dứt đối tác', 'Offboard the tenant')}</h2>
    <p class="muted">${tr(
      'Xóa mọi bản ghi và thông tin xác thực của đối tác, theo từng lượt có giới hạn. Khóa và token ngừng hoạt động ngay. Không thể hoàn tác.',
      'Deletes every record and credential of the tenant, in bounded calls. Its keys and tokens stop at once. This cannot be undone.')}</p>
    <label>${tr('Gõ mã đối tác để xác nhận', 'Type the tenant id to confirm')}<input name="confirm" autocomplete="off" value=${typed} onInput=${(e: Event) => setTyped((e.target as HTMLInputElement).value)} /></label>
    <button type="submit" class="danger" disabled=${typed !== id || (progress !== undefined && !progress.done)}>${tr('Xóa đối tác', 'Delete the tenant')}</button>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${progress && html`<p class="progress" role="status">${progress.done
      ? tr(`Đã xóa xong: ${progress.changed} bản ghi trong ${progress.calls} lượt.`, `Deleted: ${progress.changed} records in ${progress.calls} calls.`)
      : tr(`Đang xóa… ${progress.changed} bản ghi, ${progress.calls} lượt.`, `Deleting… ${progress.changed} records, ${progress.calls} calls.`)}</p>`}
  </form>`;
};

const TenantDetail = ({ session, id, onChanged }: { session: Session; id: string; onChanged: () => void }) => {
  const { data, error, loading } = useApi<Inventory>(session, `api/admin/tenants/${encodeURIComponent(id)}`);
  const [actionError, setActionError] = useState<string>();
  const suspend = async (suspended: boolean) => {
    setActionError(undefined);
    try {
      await call(session, `api/admin/tenants/${encodeURIComponent(id)}`, {}, { suspended }, 'PATCH');
      onChanged();
    } catch (failure) {
      setActionError((failure as Error).message);
    }
  };
  const tenant = data?.tenant;
  const credentials = data?.credentials;
  return html`<section>
    <p><a href=${href('tenants')}>← ${tr('Đối tác', 'Tenants')}</a></p>
    <h1>${tr('Đối tác', 'Tenant')} <code>${id}</code> ${tenant && state(tenant)}</h1>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${loading && html`<p>${tr('Đang tải…', 'Loading…')}</p>`}
    ${tenant && credentials && html`
      <dl class="tenant-facts"><dt>${tr('Tên', 'Name')}</dt><dd>${tenant.name}</dd><dt>${tr('Tạo lúc', 'Created')}</dt><dd>${fmtTime(tenant.createdAt)}</dd>
        <dt>${tr('Lưu trữ (ngày)', 'Retention (days)')}</dt><dd>${tenant.retentionDays ?? tr('mặc định', 'default')}</dd></dl>
      <div class="actions">${tenant.suspended
        ? html`<button type="button" class="resume" onClick=${() => void suspend(false)}>${tr('Cho hoạt động lại', 'Resume')}</button>`
        : html`<button type="button" class="suspend" onClick=${() => void suspend(true)}>${tr('Tạm ngưng', 'Suspend')}</button>`}
        <span class="muted">${tr(
          'Đối tác tạm ngưng: khóa API bị từ chối (403), điểm nhận sự kiện tạm dừng; callback và sự kiện vẫn được lưu.',
          'A suspended tenant: its API keys get 403 and its destinations pause; its callbacks and events are still stored.')}</span></div>
      ${actionError && html`<p class="error" role="alert">${actionError}</p>`}
      <${CredentialTable} title=${tr('Khóa API', 'API keys')} name="api-keys" rows=${credentials.apiKeys.map((key) => ({ ...key, id: key.keyId }))} />
      <${CredentialTable} title=${tr('Token callback eSMS', 'eSMS callback tokens')} name="esms-tokens" rows=${credentials.esmsTokens.map((token) => ({ ...token, id: token.tokenId }))} />
      <${CredentialTable} title=${tr('Ứng dụng Zalo', 'Zalo apps')} name="zalo-apps" rows=${credentials.zaloApps.map((app) => ({
        ...app, id: app.appId,
        extra: `${tr('OA Secret Key', 'OA Secret Key')}: ${yesNo(app.hasKey)} · App secret: ${yesNo(app.hasAppSecret)}${app.pendingKept ? ` · ${tr('đang giữ', 'kept')}: ${app.pendingKept}` : ''}`,
      }))} />
      <${CredentialTable} title=${tr('Điểm nhận sự kiện', 'Destinations')} name="destinations" rows=${credentials.destinations.map((destination) => ({
        ...destination, extra: destination.enabled ? tr('đang bật', 'enabled') : tr('đã tắt', 'disabled'),
      }))} />
      ${id !== 'default' && html`<${Offboard} session=${session} id=${id} />`}`}
  </section>`;
};

/** `#/tenants` lists; `#/tenants/<id>` shows one. A tenant key never gets here (the admin routes answer 403). */
export const TenantsPage = ({ session, route }: { session: Session; route: Route }) => {
  const [version, setVersion] = useState(0);
  if (!session.admin) {
    go('messages');
    return null;
  }
  return route.arg
    ? html`<${TenantDetail} key=${`${route.arg}|${version}`} session=${session} id=${route.arg} onChanged=${() => setVersion(version + 1)} />`
    : html`<${TenantList} session=${session} />`;
};
