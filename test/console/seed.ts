/**
 * Seeded data for the console's screenshots and bench: `messages` eSMS send requests of today spread over
 * channels, telcos and statuses (a few with several callbacks), three earlier days through replay of kept
 * raw requests (replay keeps their receive time, hence their report day), rejected requests, and the
 * Zalo fixtures of the environment's app (followers, template and quota changes, a ZNS receipt), then the
 * aggregator drained so reports are complete.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localClient } from '../../infra/local/dynamodb';
import type { LocalStack } from '../../infra/local/stack';
import { buildRejectedStore } from '../../lib/store/rejected';
import { vietnamDay } from '../../lib/time';
import { runLimited } from '../bench/common';
import { esmsFixture, zaloFixtures } from '../support/fixtures';
import { zaloMac } from '../zalo/sign';

const DAY = 86_400_000;
const ROUTES = [['sms', 2], ['sms', 1], ['viber', 23], ['zns', 25], ['zalo', 26]] as const;
const TELCOS = [1, 2, 3, 4, 5];
export const SEED_PHONE = '0901888484';

const query = (i: number, status: number, prefix: string) => {
  const [, typeId] = ROUTES[i % ROUTES.length]!;
  const ok = status === 5 && i % 7 !== 0;
  const price = typeId === 23 ? '470.0000' : typeId === 25 ? '300.0000' : typeId === 26 ? '60.0000' : '850.0000';
  const phone = i % 50 === 0 ? SEED_PHONE : `09${String(10_000_000 + i).slice(-8)}`;
  return `SMSID=${prefix}${String(i).padStart(8, '0')}${typeId}&SendFailed=${ok ? 0 : 1}&SendStatus=${status}&SendSuccess=${ok ? 1 : 0}&TotalPrice=${price}&TotalReceiver=1&TotalSent=1&RequestId=req-${i}&TypeId=${typeId}&telcoid=${TELCOS[i % TELCOS.length]}&phonenumber=${phone}${typeId === 25 && !ok ? '&error_info=%7B%22error%22%3A-114%2C%22message%22%3A%22User%20is%20inactive%22%7D&oaid=1397492183140006179&tempid=2056446' : ''}`;
};
const routeOf = (i: number) => ROUTES[i % ROUTES.length]![0];

export const seedConsole = async (stack: LocalStack, token: string, apiKey: string, messages = 120): Promise<{ day: string; smsIds: string[] }> => {
  const get = (url: string) => fetch(url).then((r) => r.text());
  const base = `${stack.url}/esms/${token}`;
  // Some messages walk 7 → 5 (two callbacks in the timeline); the rest arrive final at once.
  await runLimited(Array.from({ length: messages }, (_, i) => i), 8, async (i) => {
    if (i % 4 === 0) await get(`${base}/${routeOf(i)}?${query(i, 7, 'cs')}`);
    await get(`${base}/${routeOf(i)}?${query(i, i % 11 === 0 ? 4 : 5, 'cs')}`);
  });
  for (const name of ['zns-114-json-string', 'viber', 'zalo-transaction']) {
    await get(`${base}/${name.startsWith('zns') ? 'zns' : name.startsWith('viber') ? 'viber' : 'zalo'}?${esmsFixture(name)}`);
  }
  const rejected = buildRejectedStore(DynamoDBDocumentClient.from(localClient(stack.endpoint)), stack.tables.Messages, 30);
  for (const back of [1, 2, 3]) {
    const at = Date.now() - back * DAY;
    for (let i = 0; i < 6 * back; i += 1) await rejected.add({ source: 'esms', route: routeOf(i), status: 400, field: 'TypeId', reason: 'kept raw (old parser)', raw: query(i, 5, `p${back}`), receivedAt: at });
    await fetch(`${stack.url}/api/replay`, { method: 'POST', body: JSON.stringify({ day: vietnamDay(at) }), headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' } });
  }
  // Today's rejected ones stay for the Rejected page.
  await get(`${base}/sms?SMSID=bad-status&SendStatus=9&TypeId=2&SendSuccess=1&SendFailed=0&TotalSent=1&TotalReceiver=1&TotalPrice=1`);
  await get(`${base}/zns?SMSID=no-count&SendStatus=5&TypeId=25&SendSuccess=one&phonenumber=0901888484`);
  const now = Date.now();
  for (const [i, fixture] of zaloFixtures().filter((f) => f.confirmed && f.name !== 'unfollow').entries()) {
    const body = fixture.rawBody.replace(/"timestamp":"\d+"/, `"timestamp":"${now - 60_000 + i * 100}"`);
    await fetch(`${stack.url}/zalo/webhook`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-zevent-signature': zaloMac(body) } });
  }
  await stack.poller?.drain();
  return { day: vietnamDay(now), smsIds: Array.from({ length: messages }, (_, i) => query(i, 5, 'cs').slice(6, query(i, 5, 'cs').indexOf('&'))) };
};

/**
 * One ZNS batch of `recipients` to a partner's callback URL, as eSMS reports it: every recipient reaches the
 * telco (7), then most are delivered, one in nine fails with -118 (no Zalo account) and one in thirteen stays
 * pending; each per-phone callback carries the batch's running totals.
 */
export const seedTenantBatch = async (url: string, smsId: string, recipients: number): Promise<void> => {
  const phones = Array.from({ length: recipients }, (_, i) => `09${String(30_000_000 + i * 7).slice(-8)}`);
  let success = 0;
  let failed = 0;
  await runLimited(phones.map((phone, i) => [phone, i] as const), 8, async ([phone, i]) => {
    if (i % 13 === 0) return void (await fetch(`${url}?SMSID=${smsId}&SendStatus=7&TypeId=25&TotalReceiver=${recipients}&TotalSent=${i + 1}&SendSuccess=${success}&SendFailed=${failed}&TotalPrice=${(success * 300).toFixed(4)}&telcoid=1&phonenumber=${phone}&oaid=4368496045530136633&tempid=312881`));
    const ok = i % 9 !== 0;
    if (ok) success += 1;
    else failed += 1;
    const error = ok ? '' : '&error_info=%7B%22error%22%3A-118%2C%22message%22%3A%22Zalo%20account%20not%20existed%22%7D';
    await fetch(`${url}?SMSID=${smsId}&SendStatus=5&TypeId=25&TotalReceiver=${recipients}&TotalSent=${i + 1}&SendSuccess=${success}&SendFailed=${failed}&TotalPrice=${(success * 300).toFixed(4)}&telcoid=1&phonenumber=${phone}&oaid=4368496045530136633&tempid=312881${error}`);
  });
};
