/** Debian's chromium through playwright-core (no browser download); vitest-free, so scripts and the bench use it too. */
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

export const launch = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

/** The cells of a table's rows (`section` thead, tbody or tfoot), as shown. */
export const tableCells = (page: Page, selector: string, section: 'thead' | 'tbody' | 'tfoot' = 'tbody'): Promise<string[][]> =>
  page.$$eval(`${selector} ${section} tr`, (rows) => rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => (cell.textContent ?? '').trim())));
