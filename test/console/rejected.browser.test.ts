/**
 * Rejected requests in the browser: the list shows each with its reason, and replaying the selected one
 * from the console turns a rejected request into a stored message (the API then serves it); replaying the
 * whole day reports a result per item, a still-malformed one staying rejected.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { localClient } from '../../infra/local/dynamodb';
import { buildRejectedStore } from '../../lib/store/rejected';
import { vietnamDay } from '../../lib/time';
import { esmsFixture } from '../support/fixtures';
import { API_KEY, esmsUrl, getJson, useStack } from '../support/stack';
import { openConsole, useBrowser } from './browser';

const stack = useStack({ aggregator: false });
const browser = useBrowser();

const STORED_SMSID = '9b1f0c2e6a7d4e3f8c5b2a1d0e9f8a7b312';

describe('console: rejected and replay', () => {
  it('replays a selected rejected request into a stored message, and a day with a result per item', async () => {
    // As if yesterday's parser had refused the ZNS OTP callback (fixture line 12) and kept it raw.
    const rejected = buildRejectedStore(DynamoDBDocumentClient.from(localClient(stack().endpoint)), stack().tables.Messages, 30);
    await rejected.add({ source: 'esms', route: 'zns', status: 400, field: 'TypeId', reason: 'unknown TypeId 24 (old parser)', raw: esmsFixture('zns-otp-request-id'), receivedAt: Date.now() - 60_000 });
    // And one today's parser refuses too.
    expect((await getJson(esmsUrl(stack(), 'sms', 'SMSID=console-bad&SendStatus=9&TypeId=2&SendSuccess=1&SendFailed=0&TotalSent=1&TotalReceiver=1&TotalPrice=1'))).status).toBe(400);
    expect((await getJson(`${stack().url}/api/esms/messages/${STORED_SMSID}`, { authorization: `Bearer ${API_KEY}` })).status).toBe(404);

    const { page, problems } = await openConsole(browser(), stack(), API_KEY, { route: `#/rejected?day=${vietnamDay(Date.now())}`, lang: 'en' });
    await page.waitForSelector('table.rejected tbody tr');
    const rows = await page.$$eval('table.rejected tbody tr', (trs) => trs.map((tr) => ({ id: tr.getAttribute('data-id')!, text: tr.textContent ?? '' })));
    expect(rows).toHaveLength(2);
    const old = rows.find((row) => row.text.includes('old parser'))!;
    const bad = rows.find((row) => row.text.includes('console-bad'))!;
    expect(bad.text).toContain('SendStatus');

    // Select the old one with the keyboard (Space on its checkbox) and replay it.
    await page.focus(`tr[data-id="${old.id}"] input[type="checkbox"]`);
    await page.keyboard.press('Space');
    await page.click('button.replay-selected');
    await page.waitForSelector(`tr[data-id="${old.id}"] td.result strong`);
    expect(await page.textContent(`tr[data-id="${old.id}"] td.result`)).toBe('Stored');
    expect(await page.getAttribute(`tr[data-id="${old.id}"] td.result strong`, 'data-outcome')).toBe('stored');
    const message = await getJson<{ message: { smsId: string } }>(`${stack().url}/api/esms/messages/${STORED_SMSID}`, { authorization: `Bearer ${API_KEY}` });
    expect(message.status).toBe(200);
    expect(message.body.message.smsId).toBe(STORED_SMSID);

    // The whole day: the stored one is skipped (already replayed), the malformed one stays rejected, naming why.
    await page.click('button.replay-day');
    await page.waitForSelector(`tr[data-id="${bad.id}"] td.result strong`);
    expect(await page.textContent(`tr[data-id="${bad.id}"] td.result strong`)).toBe('Still rejected');
    expect(await page.getAttribute(`tr[data-id="${bad.id}"] td.result strong`, 'data-outcome')).toBe('rejected');
    expect(await page.textContent(`tr[data-id="${old.id}"] td.result strong`)).toBe('Skipped (already replayed)');
    expect(await page.getAttribute(`tr[data-id="${old.id}"] td.result strong`, 'data-outcome')).toBe('skipped');
    // The day field shows the day as dd/mm/yyyy.
    expect(await page.inputValue('input[name="day"]')).toBe(vietnamDay(Date.now()).split('-').reverse().join('/'));
    expect(problems).toEqual([]);
  });
});
