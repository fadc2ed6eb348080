/**
 * The console's browser tests: Debian's chromium driven by playwright-core (no browser download), one
 * browser per test file, against the real local stack. Every page records the console errors and CSP
 * violations it met, so a test can assert the console ran under its policy without a complaint.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildConsole } from '../../console/build';
import type { LocalStack } from '../../infra/local/stack';
import { DESKTOP, launch } from './chromium';

export { DESKTOP, PHONE, launch, tableCells } from './chromium';

/** Builds the console and starts one browser for the file. */
export const useBrowser = (): (() => Browser) => {
  let browser: Browser | undefined;
  beforeAll(async () => {
    await buildConsole();
    browser = await launch();
  }, 60_000);
  afterAll(async () => browser?.close());
  return () => {
    if (!browser) throw new Error('browser not started');
    return browser;
  };
};

export interface ConsolePage {
  page: Page;
  /** Console errors and CSP violations seen so far. */
  problems: string[];
}

/** A fresh page (own sessionStorage) at /console, signed in with `key`, on the hash route `route`. */
export const openConsole = async (browser: Browser, stack: LocalStack, key: string, options: { route?: string; viewport?: { width: number; height: number }; lang?: 'vi' | 'en' } = {}): Promise<ConsolePage> => {
  const context = await browser.newContext({ viewport: options.viewport ?? DESKTOP, acceptDownloads: true, locale: 'vi-VN', timezoneId: 'UTC' });
  const page = await context.newPage();
  const problems: string[] = [];
  // An API answer the console shows (a 404 for an unknown SMSID) is not a problem; a CSP refusal or a script error is.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  if (options.lang) await context.addInitScript(`localStorage.setItem('console.lang', ${JSON.stringify(options.lang)})`);
  await page.goto(`${stack.url}/console${options.route ?? ''}`);
  await page.fill('input[name="key"]', key);
  await page.press('input[name="key"]', 'Enter');
  await page.waitForSelector('header nav');
  return { page, problems };
};
