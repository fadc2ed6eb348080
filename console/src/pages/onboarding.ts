/**
 * The onboarding checklist, in the eTelecom guide's order. Each step shows its evidence and the exact next
 * step; evidence comes from what the API exposes: GET / (the served meta tags), GET /api/onboarding (apps,
 * permissions, tokens) and the daily report of the last 93 days (signed Zalo events, eSMS callbacks).
 */
import { useEffect, useState } from 'preact/hooks';
import { apiUrl, call, callAll, type Session } from '../api';
import { fmtNumber, fmtTime, vnDay } from '../format';
import { html } from '../html';
import { t, tr } from '../i18n';
import { go, type Route } from '../router';

interface Facts { siteVerification: { codes: string[] }; zaloApps: Array<{ appId: string; secretSet: boolean; pendingKept?: number }>; oas: Array<{ oaId: string; appId: string; accessValid: boolean; accessExpiresAt: string }>; esmsTokens: { issued: number | null } }
interface Report { rows: Array<{ day: string; requests: number }>; zalo: Array<{ day: string; oa: string; counts: Record<string, number> }> }
interface Step { id: string; title: string; done: boolean; evidence: string; next: string }

/** The codes GET / really serves (what Zalo's verifier reads). */
const servedCodes = async (): Promise<string[]> => {
  const page = await (await fetch(apiUrl('./'))).text();
  const doc = new DOMParser().parseFromString(page, 'text/html');
  return [...doc.querySelectorAll('meta[name="zalo-platform-site-verification"]')].map((meta) => meta.getAttribute('content') ?? '');
};

export const steps = (facts: Facts, served: string[], report: Report): Step[] => {
  const codes = facts.siteVerification.codes;
  const zaloEvents = report.zalo.reduce((n, row) => n + Object.values(row.counts).reduce((a, b) => a + b, 0), 0);
  const lastZaloDay = report.zalo.at(-1)?.day;
  const keyed = facts.zaloApps.filter((app) => app.secretSet);
  const valid = facts.oas.filter((oa) => oa.accessValid);
  const callbackDays = report.rows.filter((row) => row.requests > 0);
  return [
    {
      id: 'domain', title: t('stepDomain'), done: codes.length > 0 && codes.every((code) => served.includes(code)),
      evidence: codes.length ? tr(`GET / phục vụ ${served.length} mã: ${served.join(', ')}`, `GET / serves ${served.length} code(s): ${served.join(', ')}`) : tr('Chưa cấu hình mã nào', 'No code configured'),
      next: tr('Đặt mã xác thực của Zalo (ZALO_SITE_VERIFICATION hoặc params.<stage>.zaloSiteVerification), triển khai, rồi bấm "Xác thực" trên trang Zalo for Developers.', 'Set the Zalo verification code (ZALO_SITE_VERIFICATION or params.<stage>.zaloSiteVerification), deploy, then press "Verify" on Zalo for Developers.'),
    },
    {
      id: 'webhook', title: t('stepWebhook'), done: zaloEvents > 0,
      evidence: zaloEvents > 0 ? tr(`${fmtNumber(zaloEvents)} sự kiện có chữ ký trong 93 ngày, gần nhất ngày ${lastZaloDay}`, `${fmtNumber(zaloEvents)} signed events in 93 days, last on ${lastZaloDay}`) : tr('Chưa nhận sự kiện có chữ ký nào', 'No signed event received yet'),
      next: tr('Đặt Webhook URL của ứng dụng thành <domain>/zalo/webhook và bật các sự kiện cần thiết.', "Set the app's Webhook URL to <domain>/zalo/webhook and enable the events you need."),
    },
    {
      id: 'secret', title: t('stepSecret'), done: keyed.length > 0,
      evidence: facts.zaloApps.length
        ? facts.zaloApps.map((app) => `${app.appId}: ${app.secretSet ? tr('có khóa', 'key set') : tr(`chờ khóa, giữ ${fmtNumber(app.pendingKept ?? 0)} yêu cầu`, `pending, ${fmtNumber(app.pendingKept ?? 0)} request(s) kept`)}`).join(', ')
        : tr('Chưa thấy ứng dụng nào (nhập App ID ở trên)', 'No app found (type the App ID above)'),
      next: tr('Gửi OA Secret Key của ứng dụng cho eTelecom (ZALO_APPS hoặc PUT /api/admin/tenants/{id}/zalo-apps/{appId}).', "Send the app's OA Secret Key to eTelecom (ZALO_APPS or PUT /api/admin/tenants/{id}/zalo-apps/{appId})."),
    },
    {
      id: 'permission', title: t('stepPermission'), done: valid.length > 0,
      evidence: facts.oas.length ? facts.oas.map((oa) => `OA ${oa.oaId}: ${oa.accessValid ? tr('hiệu lực đến', 'valid until') : tr('hết hạn', 'expired')} ${fmtTime(oa.accessExpiresAt)}`).join(', ') : tr('Chưa OA nào cấp quyền', 'No OA granted permission'),
      next: tr('Tạo liên kết kết nối (POST /api/zalo/oa-connect-links {"appId"}), gửi cho quản trị viên OA; họ mở liên kết (dùng một lần, trong 72 giờ) và đồng ý cấp quyền.', 'Create a connection link (POST /api/zalo/oa-connect-links {"appId"}) and send it to the OA admin, who opens it (once, within 72 hours) and grants permission.'),
    },
    {
      // Registry tokens cannot be counted per tenant (issued: null): a callback received proves one works.
      id: 'token', title: t('stepToken'), done: (facts.esmsTokens.issued ?? 0) > 0 || (facts.esmsTokens.issued === null && callbackDays.length > 0),
      evidence: facts.esmsTokens.issued !== null ? tr(`${facts.esmsTokens.issued} token đang hoạt động`, `${facts.esmsTokens.issued} active token(s)`)
        : callbackDays.length > 0 ? tr('Một token đã nhận callback', 'A token has received callbacks') : tr('Chưa token nào nhận callback', 'No token has received a callback yet'),
      next: tr('Cấp token (ESMS_CALLBACK_TOKENS hoặc POST /api/admin/tenants/{id}/esms-tokens) và đặt CallbackUrl <domain>/esms/<token>/<kênh> khi gửi.', 'Issue a token (ESMS_CALLBACK_TOKENS or POST /api/admin/tenants/{id}/esms-tokens) and send with CallbackUrl <domain>/esms/<token>/<channel>.'),
    },
    {
      id: 'first-callback', title: t('stepFirst'), done: callbackDays.length > 0,
      evidence: callbackDays.length ? tr(`Callback đầu tiên ngày ${callbackDays[0]!.day}`, `First callback on ${callbackDays[0]!.day}`) : tr('Chưa nhận callback nào trong 93 ngày', 'No callback in the last 93 days'),
      next: tr('Gửi một tin qua eSMS với CallbackUrl ở trên; callback sẽ hiện ở trang Tin nhắn.', 'Send one message through eSMS with the CallbackUrl above; its callback shows on the Messages page.'),
    },
  ];
};

export const OnboardingPage = ({ session, route }: { session: Session; route: Route }) => {
  const apps = route.query.get('app') ?? '';
  const [state, setState] = useState<{ steps?: Step[]; error?: string; round?: number }>({});
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    Promise.all([
      call<{ onboarding: Facts }>(session, 'api/onboarding', { app: apps }), servedCodes(),
      callAll<Report>(session, 'api/reports/daily', { from: vnDay(-92), to: vnDay(), by: 'oa' }),
    ]).then(([facts, served, report]) => live && setState({ steps: steps(facts.onboarding, served, report), round }), (error: Error) => live && setState({ error: error.message, round }));
    return () => {
      live = false;
    };
  }, [session.key, session.tenant, round, apps]);
  return html`<section>
    <h1>${t('onboarding')}</h1>
    <form class="filters" onSubmit=${(e: Event) => { e.preventDefault(); go('onboarding', undefined, { app: ((e.target as HTMLFormElement).elements.namedItem('app') as HTMLInputElement).value }); }}>
      <label>Zalo App ID<input name="app" value=${apps} inputmode="numeric" /></label>
      <button type="submit">${t('show')}</button>
      <button type="button" class="refresh" onClick=${() => setRound(round + 1)}>${t('refresh')}</button>
    </form>
    ${state.error && html`<p class="error" role="alert">${state.error}</p>`}
    ${!state.steps && !state.error && html`<p>${t('loading')}</p>`}
    <ol class="checklist" data-round=${state.round}>${(state.steps ?? []).map((step) => html`<li class=${step.done ? 'done' : 'todo'} data-step=${step.id} data-done=${String(step.done)}>
      <h2><span class="mark" aria-hidden="true">${step.done ? '✓' : '○'}</span> ${step.title} <span class="sr">${step.done ? t('done') : t('todo')}</span></h2>
      <p><strong>${t('evidence')}:</strong> ${step.evidence}</p>
      ${!step.done && html`<p><strong>${t('next')}:</strong> ${step.next}</p>`}
    </li>`)}</ol>
  </section>`;
};
