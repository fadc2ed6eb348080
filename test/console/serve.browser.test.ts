/**
 * How the console is served and how it behaves as a page: a strict CSP with nothing inline, versioned
 * assets cached for good, a refused key, the language switch, keyboard navigation, and a phone-width
 * layout with no page wider than the screen.
 */
import { describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../../lib/api/console';
import { API_KEY, useStack } from '../support/stack';
import { openConsole, PHONE, useBrowser } from './browser';

const stack = useStack({ aggregator: false });
const browser = useBrowser();

describe('console: serving', () => {
  it('serves the page with a strict CSP, no inline script or style, and versioned assets cached as immutable', async () => {
    const page = await fetch(`${stack().url}/console`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("default-src 'self'");
    expect(CONSOLE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=/);
    const src = /<script src="([^"]+)"/.exec(html)![1]!.replaceAll('&amp;', '&');
    const script = await fetch(new URL(src, `${stack().url}/console`));
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('cache-control')).toContain('immutable');
    expect(script.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect((await fetch(`${stack().url}/console?asset=app.js`)).headers.get('cache-control')).toBe('no-cache');
    expect((await fetch(`${stack().url}/console?asset=../../etc/passwd`)).status).toBe(404);
  });

  it('refuses an unknown key with a message and stores nothing', async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    await page.goto(`${stack().url}/console`);
    await page.fill('input[name="key"]', 'not-a-key');
    await page.press('input[name="key"]', 'Enter');
    expect(await page.textContent('[role="alert"]')).toBe('Khóa này không được chấp nhận.');
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await context.close();
  });

  it('is Vietnamese by default, switches to English, and keeps the choice after a reload', async () => {
    const { page } = await openConsole(browser(), stack(), API_KEY);
    expect(await page.textContent('header nav a:first-child')).toBe('Tin nhắn');
    await page.click('button.lang');
    expect(await page.textContent('header nav a:first-child')).toBe('Messages');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.reload();
    await page.waitForSelector('header nav');
    expect(await page.textContent('header nav a:first-child')).toBe('Messages');
  });

  it('is navigable by keyboard: Tab reaches every page link in order and Enter opens it', async () => {
    const { page } = await openConsole(browser(), stack(), API_KEY, { lang: 'en' });
    const focused: string[] = [];
    await page.evaluate('document.activeElement?.blur()');
    for (let i = 0; i < 8; i += 1) {
      await page.keyboard.press('Tab');
      focused.push(String(await page.evaluate("document.activeElement?.textContent ?? ''")));
    }
    expect(focused).toEqual(['Messages', 'Reports', 'Zalo', 'Rejected', 'Destinations', 'Onboarding', 'Suppressions', 'Usage']);
    for (let i = 0; i < 4; i += 1) await page.keyboard.press('Shift+Tab'); // back to Rejected
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/rejected/);
    // The hash changes before the view re-renders: wait for the marked link rather than reading it at once.
    await page.waitForSelector('header nav a[aria-current="page"][href="#/rejected"]', { timeout: 5_000 });
    expect(await page.getAttribute('header nav a[aria-current="page"]', 'href')).toBe('#/rejected');
  });

  it('fits a phone-width screen on every page (nothing wider than the viewport but scrolling tables)', async () => {
    const { page, problems } = await openConsole(browser(), stack(), API_KEY, { viewport: PHONE });
    for (const route of ['#/messages', '#/reports', '#/zalo', '#/rejected', '#/destinations', '#/onboarding']) {
      await page.goto(`${stack().url}/console${route}`);
      await page.waitForSelector('main h1');
      const widths = await page.evaluate<{ page: number; screen: number }>('({ page: document.documentElement.scrollWidth, screen: window.innerWidth })');
      expect(widths.page, route).toBeLessThanOrEqual(widths.screen);
    }
    expect(problems).toEqual([]);
  });

  it('runs under its CSP without one violation while every page is visited', async () => {
    const context = await browser().newContext();
    try {
      const page = await context.newPage();
      await page.addInitScript('window.__violations = []; document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective + " " + e.blockedURI));');
      await page.goto(`${stack().url}/console`);
      await page.fill('input[name="key"]', API_KEY);
      await page.press('input[name="key"]', 'Enter');
      for (const route of ['#/messages', '#/reports', '#/zalo', '#/rejected', '#/destinations', '#/onboarding']) {
        await page.evaluate(`location.hash = ${JSON.stringify(route)}`);
        await page.waitForTimeout(300);
      }
      expect(await page.evaluate('window.__violations')).toEqual([]);
      // The policy is enforced: an inline script injected by hand is refused and reported.
      await page.evaluate("{ const s = document.createElement('script'); s.textContent = 'window.__ran = true'; document.body.append(s); }");
      await page.waitForTimeout(100);
      expect(await page.evaluate('window.__ran')).toBeUndefined();
      expect(await page.evaluate('window.__violations.length')).toBe(1);
    } finally {
      await context.close();
    }
  });
});
