/** The console's shell: sign-in, navigation, language switch, the admin's tenant switcher, and the pages. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { call, callAll, loadSession, saveSession, signIn, type Session } from './api';
import { html } from './html';
import { lang, setLang, t, tr } from './i18n';
import { DestinationsPage } from './pages/destinations';
import { MessagePage } from './pages/message';
import { MessagesPage } from './pages/messages';
import { OnboardingPage } from './pages/onboarding';
import { RejectedPage } from './pages/rejected';
import { ReportsPage } from './pages/reports';
import { SuppressionsPage } from './pages/suppressions';
import { TenantsPage } from './pages/tenants';
import { UsagePage } from './pages/usage';
import { ZaloPage } from './pages/zalo';
import { href, useRoute } from './router';

const PAGES = ['messages', 'reports', 'zalo', 'rejected', 'destinations', 'onboarding'] as const;

const SignIn = ({ onSession }: { onSession: (s: Session) => void }) => {
  const [error, setError] = useState<string>();
  const submit = async (e: Event) => {
    e.preventDefault();
    const key = ((e.target as HTMLFormElement).elements.namedItem('key') as HTMLInputElement).value.trim();
    try {
      const session = key ? await signIn(key) : undefined;
      if (session) onSession(session);
      else setError(t('badKey'));
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  return html`<form class="signin" onSubmit=${submit}>
    <h1>${t('title')}</h1>
    <label>${t('keyLabel')}<input name="key" type="password" autocomplete="off" required autofocus /></label>
    <p class="muted">${t('keyHint')}</p>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <button type="submit">${t('signIn')}</button>
  </form>`;
};

const TenantSwitch = ({ session, onSession }: { session: Session; onSession: (s: Session) => void }) => {
  const [tenants, setTenants] = useState<string[]>([session.tenant ?? 'default']);
  useEffect(() => {
    // `default` is the environment's tenant (API_KEYS, ESMS_CALLBACK_TOKENS): never in the registry's list.
    callAll<{ tenants: Array<{ id: string }> }>(session, 'api/admin/tenants').then((answer) => setTenants([...new Set(['default', ...answer.tenants.map((x) => x.id)])]), () => undefined);
  }, [session.key]);
  return html`<label class="tenant">${t('tenant')}
    <select name="tenant" value=${session.tenant} onChange=${(e: Event) => onSession({ ...session, tenant: (e.target as HTMLSelectElement).value })}>
      ${tenants.map((id) => html`<option value=${id}>${id}</option>`)}</select></label>`;
};

const App = () => {
  const [session, setSessionState] = useState(loadSession());
  const [, setLangState] = useState(lang);
  const route = useRoute();
  const [knownOas, setKnownOas] = useState<string[]>([]);
  const setSession = (next: Session | undefined) => {
    saveSession(next);
    setSessionState(next);
  };
  useEffect(() => {
    if (!session) return;
    call<{ onboarding: { oas: Array<{ oaId: string }> } }>(session, 'api/onboarding').then((a) => setKnownOas(a.onboarding.oas.map((oa) => oa.oaId)), () => setKnownOas([]));
  }, [session?.key, session?.tenant]);
  const switchLang = () => {
    setLang(lang === 'vi' ? 'en' : 'vi');
    setLangState(lang);
  };
  const langButton = html`<button type="button" class="lang" onClick=${switchLang}>${t('language')}</button>`;
  if (!session) return html`<main>${langButton}<${SignIn} onSession=${setSession} /></main>`;
  const page = route.page === 'message' && route.arg
    ? html`<${MessagePage} key=${route.arg} session=${session} smsId=${route.arg} />`
    : route.page === 'reports' ? html`<${ReportsPage} key=${route.query.toString()} session=${session} route=${route} />`
      : route.page === 'zalo' ? html`<${ZaloPage} key=${route.query.toString()} session=${session} route=${route} knownOas=${knownOas} />`
        : route.page === 'rejected' ? html`<${RejectedPage} key=${route.query.toString()} session=${session} route=${route} />`
          : route.page === 'destinations' ? html`<${DestinationsPage} session=${session} route=${route} />`
            : route.page === 'suppressions' ? html`<${SuppressionsPage} key=${route.query.toString()} session=${session} route=${route} />`
            : route.page === 'usage' ? html`<${UsagePage} key=${route.query.toString()} session=${session} route=${route} />`
            : route.page === 'tenants' ? html`<${TenantsPage} session=${session} route=${route} />`
            : route.page === 'onboarding' ? html`<${OnboardingPage} key=${route.query.toString()} session=${session} route=${route} />`
              : html`<${MessagesPage} key=${route.query.toString()} session=${session} route=${route} knownOas=${knownOas} />`;
  return html`<header>
      <nav aria-label=${t('title')}>${PAGES.map((p) => html`<a href=${href(p)} aria-current=${route.page === p || (p === 'messages' && route.page === 'message') ? 'page' : undefined}>${t(p)}</a>`)}
        <a href=${href('suppressions')} aria-current=${route.page === 'suppressions' ? 'page' : undefined}>${tr('Chặn gửi', 'Suppressions')}</a>
        <a href=${href('usage')} aria-current=${route.page === 'usage' ? 'page' : undefined}>${tr('Sử dụng', 'Usage')}</a>
        ${session.admin && html`<a href=${href('tenants')} aria-current=${route.page === 'tenants' ? 'page' : undefined}>${tr('Đối tác', 'Tenants')}</a>`}</nav>
      <div class="tools">${session.admin && html`<${TenantSwitch} session=${session} onSession=${setSession} />`}${langButton}
        <button type="button" onClick=${() => setSession(undefined)}>${t('signOut')}</button></div>
    </header>
    <main key=${`${session.tenant ?? ''}|${lang}`}>${page}</main>`;
};

document.documentElement.lang = lang;
render(html`<${App} />`, document.getElementById('app')!);
