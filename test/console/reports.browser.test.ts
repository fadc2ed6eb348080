/**
 * Reports in the browser, on messages of three days: the chart draws per day exactly the API's
 * sent/success/failed, the table shows the API's rows and totals, and the CSV downloaded is the table.
 * The group-by is changed with the keyboard only.
 */
import { readFileSync } from 'node:fs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { localClient } from '../../infra/local/dynamodb';
import { buildRejectedStore } from '../../lib/store/rejected';
import { vietnamDay } from '../../lib/time';
import { esmsFixture } from '../support/fixtures';
import { API_KEY, esmsUrl, getJson, useStack } from '../support/stack';
import { CHANNEL_LABELS, OUTCOME_NAMES, TELCO_LABELS } from '../../console/src/labels';
import { openConsole, tableCells, useBrowser } from './browser';

const stack = useStack({ aggregator: { batchWindowMs: 50 } });
const browser = useBrowser();

interface Row { day: string; group: string; label?: string; requests: number; receivers: number; sent: number; success: number; failed: number; price: number }
const DAY = 86_400_000;
const today = vietnamDay(Date.now());
const from = vietnamDay(Date.now() - 2 * DAY);

/** A day as the Vietnamese page shows it. */
const dmy = (day: string) => day.split('-').reverse().join('/');

/** A displayed vi-VN number or VND amount ("1.234,5 ₫") read back. */
const shown = (text: string): number => Number(text.replace(/[^\d,-]/g, '').replace(',', '.'));

const seed = async () => {
  for (const name of ['viber', 'zns-114-json-string', 'cskh-status-5', 'promo-batch', 'rejected-status-4', 'zalo-transaction']) {
    expect((await getJson(esmsUrl(stack(), name.startsWith('zns') ? 'zns' : name.startsWith('viber') ? 'viber' : name.startsWith('zalo') ? 'zalo' : 'sms', esmsFixture(name)))).status).toBe(200);
  }
  // Two earlier days: requests kept raw then, replayed now with their original receive time (their report day).
  const rejected = buildRejectedStore(DynamoDBDocumentClient.from(localClient(stack().endpoint)), stack().tables.Messages, 30);
  const past = [
    { at: Date.now() - 2 * DAY, query: 'SMSID=aa11bb22cc33dd44ee55ff6600771188&SendFailed=1&SendStatus=5&SendSuccess=2&TotalPrice=1500.0000&TotalReceiver=3&TotalSent=3&RequestId=&TypeId=1' },
    { at: Date.now() - DAY, query: 'SMSID=aa11bb22cc33dd44ee55ff6600771199&SendFailed=0&SendStatus=5&SendSuccess=1&TotalPrice=470.0000&TotalReceiver=1&TotalSent=1&RequestId=&TypeId=23&telcoid=2&phonenumber=0901888000' },
  ];
  for (const { at, query } of past) await rejected.add({ source: 'esms', route: query.includes('TypeId=23') ? 'viber' : 'sms', status: 400, field: 'TypeId', reason: 'old parser', raw: query, receivedAt: at });
  for (const { at } of past) {
    const day = vietnamDay(at);
    const answer = await fetch(`${stack().url}/api/replay`, { method: 'POST', body: JSON.stringify({ day }), headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' } });
    expect(answer.status).toBe(200);
  }
  await stack().poller!.drain();
};

describe('console: reports', () => {
  it('the chart and the table show what the API answers, and the CSV downloaded is the table', async () => {
    await seed();
    const api = await getJson<{ rows: Row[] }>(`${stack().url}/api/reports/daily?from=${from}&to=${today}&by=channel`, { authorization: `Bearer ${API_KEY}` });
    expect(new Set(api.body.rows.map((row) => row.day)).size).toBe(3);
    const { page, problems } = await openConsole(browser(), stack(), API_KEY, { route: `#/reports?from=${from}&to=${today}&by=channel` });
    await page.waitForSelector('table.report tbody tr');

    // Chart: one group of bars per day, each bar's value the day's sum over the API's rows.
    const bars = await page.$$eval('.chart g.day', (groups) => groups.map((g) => ({
      day: g.getAttribute('data-day'),
      values: Object.fromEntries([...g.querySelectorAll('rect.bar')].map((bar) => [bar.getAttribute('data-series'), Number(bar.getAttribute('data-value'))])),
    })));
    const days = [...new Set(api.body.rows.map((row) => row.day))].sort();
    expect(bars).toEqual(days.map((day) => {
      const rows = api.body.rows.filter((row) => row.day === day);
      const sum = (metric: 'sent' | 'success' | 'failed') => rows.reduce((n, row) => n + row[metric], 0);
      return { day, values: { sent: sum('sent'), success: sum('success'), failed: sum('failed') } };
    }));
    // Bar heights follow the values (the tallest bar is the largest value).
    const heights = await page.$$eval('.chart rect.bar', (rects) => rects.map((rect) => ({ v: Number(rect.getAttribute('data-value')), h: Number(rect.getAttribute('height')) })));
    const tallest = heights.reduce((a, b) => (b.h > a.h ? b : a));
    expect(tallest.v).toBe(Math.max(...heights.map((bar) => bar.v)));

    // Table: the API's rows in its order, every number as the API says.
    const body = await tableCells(page, 'table.report');
    expect(body.map((cells) => cells[0])).toEqual(api.body.rows.map((row) => dmy(row.day)));
    expect(body.map((cells) => [shown(cells[2]!), shown(cells[3]!), shown(cells[4]!), shown(cells[5]!), shown(cells[6]!), shown(cells[7]!)]))
      .toEqual(api.body.rows.map((row) => [row.requests, row.receivers, row.sent, row.success, row.failed, row.price]));
    // Each channel named in Vietnamese with its TypeId, never the API's code (`sms_cskh`).
    expect(body.map((cells) => cells[1])).toEqual(api.body.rows.map((row) => `${CHANNEL_LABELS[row.label!]![0]} (${row.group})`));
    expect(body.map((cells) => cells[1]).join(' ')).not.toMatch(/sms_|zns_|viber\b/);
    const [totals] = await tableCells(page, 'table.report', 'tfoot');
    expect(shown(totals![2]!)).toBe(api.body.rows.reduce((n, row) => n + row.requests, 0));
    expect(shown(totals![7]!)).toBeCloseTo(api.body.rows.reduce((n, row) => n + row.price, 0), 4);

    // CSV: exactly the cells shown (header, rows, totals), UTF-8 with a BOM.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button.csv')]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const parsed = csv.slice(1).trimEnd().split('\r\n').map((line) => line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.filter((m, i, all) => i < all.length - 1 || m !== '').map((m) => m.replace(/,$/, '').replace(/^"(.*)"$/s, '$1').replaceAll('""', '"')));
    const [header] = await tableCells(page, 'table.report', 'thead');
    expect(parsed).toEqual([header, ...body, totals]);
    expect(problems).toEqual([]);
  });

  it('changes the group-by with the keyboard alone, and the table follows the API for it', async () => {
    const { page } = await openConsole(browser(), stack(), API_KEY, { route: `#/reports?from=${from}&to=${today}&by=channel` });
    await page.waitForSelector('table.report tbody tr');
    await page.focus('select[name="by"]');
    await page.keyboard.press('ArrowDown'); // channel → telco
    await page.keyboard.press('Tab'); // to the submit button
    await page.keyboard.press('Enter');
    await page.waitForURL(/by=telco/);
    const api = await getJson<{ rows: Row[] }>(`${stack().url}/api/reports/daily?from=${from}&to=${today}&by=telco`, { authorization: `Bearer ${API_KEY}` });
    // The URL changes before the table re-renders: the old rows are still there for a moment.
    await expect
      .poll(async () => (await tableCells(page, 'table.report')).map((cells) => [cells[0], cells[1]]), { timeout: 5_000 })
      .toEqual(api.body.rows.map((row) => [dmy(row.day), row.group === '-' ? '–' : TELCO_LABELS[row.group]![0]]));
  });

  it('offers by=outcome: one row per day and outcome, named in Vietnamese, as the API has them; the chart spans the page with its axes', async () => {
    const { page, problems } = await openConsole(browser(), stack(), API_KEY, { route: `#/reports?from=${from}&to=${today}&by=channel` });
    await page.waitForSelector('table.report tbody tr');
    await page.selectOption('select[name="by"]', 'outcome');
    expect(await page.textContent('select[name="by"] option[value="outcome"]')).toBe('Kết quả');
    await page.click('form.filters button[type="submit"]');
    await page.waitForURL(/by=outcome/);
    const api = await getJson<{ rows: Row[] }>(`${stack().url}/api/reports/daily?from=${from}&to=${today}&by=outcome`, { authorization: `Bearer ${API_KEY}` });
    expect(new Set(api.body.rows.map((row) => row.group))).toContain('failed');
    await expect
      .poll(async () => (await tableCells(page, 'table.report')).map((cells) => [cells[0], cells[1], shown(cells[2]!)]), { timeout: 5_000 })
      .toEqual(api.body.rows.map((row) => [dmy(row.day), OUTCOME_NAMES[row.group]![0], row.requests]));
    // The chart: as wide as its box, a value axis with gridlines, the days as dd/mm, values above the bars.
    const { svg, box } = await page.$eval('.chart', (figure) => ({ svg: figure.querySelector('svg')!.getBoundingClientRect().width, box: figure.clientWidth }));
    expect(svg).toBeGreaterThan(box * 0.9);
    expect(await page.$$eval('.chart .axis.y text', (texts) => texts.map((text) => text.textContent))).toContain('0');
    const ticks = await page.$$eval('.chart g.day > text.tick', (texts) => texts.map((text) => text.textContent));
    expect(ticks).toEqual([2, 1, 0].map((back) => dmy(vietnamDay(Date.now() - back * DAY)).slice(0, 5)));
    expect(await page.$$eval('.chart text.value', (texts) => texts.length)).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
});
