/**
 * The phone index follows the stream (lib/store/esms-phone-index.ts), through the local HTTP stack on
 * DynamoDB Local with its real stream: a callback is answered with none of it written; the projector then
 * writes one item per (phone, SMSID), never a second; and a callback stored before an erasure of its
 * phone but indexed after it (the stream lagging) is erased by the projector, not indexed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { callbackQuery } from '../support/callback-query';
import { scanAll } from '../support/scan-all';
import { API_KEY, documentClient, esmsUrl, getJson, readApi, useStack } from '../support/stack';

/** While set, the projector's invocations wait: the stream lags behind the callbacks. */
let held: Promise<void> | undefined;
let release = () => {};
const hold = () => {
  held = new Promise((resolve) => {
    release = () => {
      held = undefined;
      resolve();
    };
  });
};
const stack = useStack({
  aggregator: { batchWindowMs: 50 },
  projector: {
    wrapInvoke: (invoke) => async (event) => {
      while (held) await held;
      return invoke(event);
    },
  },
});
const docs: Array<ReturnType<typeof documentClient>> = [];
const doc = () => (docs[0] ??= documentClient(stack().endpoint));
afterAll(() => docs.forEach((d) => d.destroy()));

const scan = () => scanAll(doc(), stack().tables.Messages);
const indexItems = async (smsIdPrefix: string) => (await scan())
  .filter((item) => item.kind === 'esms-ph' && String(item.smsId).startsWith(smsIdPrefix))
  .sort((a, b) => `${String(a.pk)}${String(a.sk)}`.localeCompare(`${String(b.pk)}${String(b.sk)}`));
const send = async (query: string) => expect((await getJson(esmsUrl(stack(), 'sms', query))).status).toBe(200);
const search = async (phone: string) => (await readApi<{ messages: Array<{ smsId: string }> }>(stack(), `/api/esms/messages?phone=${phone}`)).body.messages.map((m) => m.smsId);

describe('the phone index, written from the stream', () => {
  it('is not written by the callback; the projector writes one item per (phone, SMSID) and none again for later callbacks', async () => {
    const run = `pi-${Date.now()}`;
    const batchPhones = ['0912000101', '0912000102', '0912000103'];
    const batch = (phone: string, status: number, extra = '') =>
      `${callbackQuery({ smsId: `${run}-batch`, status, receivers: 3, sent: 3, success: status === 5 ? 3 : 0, phone })}${extra}`;
    hold();
    try {
      await send(callbackQuery({ smsId: `${run}-single`, status: 7, sent: 1, phone: '0901000100' }));
      await send(callbackQuery({ smsId: `${run}-single`, status: 5, sent: 1, success: 1, phone: '0901000100' }));
      for (const phone of batchPhones) await send(batch(phone, 7));
      for (const phone of batchPhones) await send(batch(phone, 5));
      expect(await indexItems(run)).toEqual([]);
    } finally {
      release();
    }
    await stack().poller!.drain();
    const written = await indexItems(run);
    expect(written.map((item) => [item.pk, item.sk, item.sp])).toEqual([
      ['T#default#P#84901000100', `M#${run}-single`, '0901000100'],
      ...batchPhones.map((phone) => [`T#default#P#84${phone.slice(1)}`, `M#${run}-batch`, phone]),
    ]);
    // The head of the single message says when it was first seen: the index orders by it.
    const head = (await scan()).find((item) => item.pk === `T#default#M#${run}-single` && item.sk === '#')!;
    expect(written[0]!.ds).toBe(head.firstSeen);

    // Retries and later distinct callbacks of the same pairs: nothing new, nothing rewritten.
    for (const phone of batchPhones) await send(batch(phone, 5));
    for (const phone of batchPhones) await send(batch(phone, 5, '&switchsmsid=other-route'));
    await send(callbackQuery({ smsId: `${run}-single`, status: 5, sent: 1, success: 1, phone: '0901000100' }));
    await stack().poller!.drain();
    expect(await indexItems(run)).toEqual(written);
    expect(await search('84912000102')).toEqual([`${run}-batch`]);
  }, 60_000);

  it('a callback stored before an erasure of its phone and indexed after it is erased by the projector; one stored after is indexed', async () => {
    const run = `pe-${Date.now()}`;
    const nsn = '903777111';
    hold();
    try {
      await send(callbackQuery({ smsId: `${run}-single`, status: 5, sent: 1, success: 1, phone: `0${nsn}` }));
      for (const phone of [`0${nsn}`, '0903777222']) {
        await send(callbackQuery({ smsId: `${run}-batch`, status: 5, receivers: 2, sent: 2, success: 2, phone }));
      }
      // The erasure runs while the index knows nothing of these messages yet.
      const erased = await fetch(`${stack().url}/api/recipients/84${nsn}`, { method: 'DELETE', headers: { authorization: `Bearer ${API_KEY}` } });
      expect(erased.status).toBe(200);
      expect(await erased.json()).toEqual({ ok: true, changed: 0 });
    } finally {
      release();
    }
    await stack().poller!.drain();
    const holding = (await scan()).filter((item) => String(item.pk).startsWith('T#default#') && JSON.stringify(item).includes(nsn));
    expect(holding).toEqual([]);
    const view = await readApi<{ message: { status: number; recipients: Array<{ phone: string; status: number }> } }>(stack(), `/api/esms/messages/${run}-batch`);
    expect(view.body.message.recipients.map((r) => [r.phone, r.status]).sort()).toEqual([['0903777222', 5], ['erased', 5]]);
    expect(await search(`0${nsn}`)).toEqual([]);

    // A callback that arrives after the erasure is new data: indexed as usual (docs/search.md).
    await send(callbackQuery({ smsId: `${run}-later`, status: 5, sent: 1, success: 1, phone: `0${nsn}` }));
    await stack().poller!.drain();
    expect(await search(`0${nsn}`)).toEqual([`${run}-later`]);
  }, 60_000);
});
