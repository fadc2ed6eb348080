/** Every method of the eSMS pull adapter against the fake eSMS, its answers run through the real callback parser. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCallback } from '../../lib/esms/parse';
import { vietnamTime } from '../../lib/esms-api';
import type { PullResult } from '../../lib/reconcile/ports';
import { ACCOUNT, startPair, T0 } from './support';

type Pair = Awaited<ReturnType<typeof startPair>>;
let pair: Pair;
beforeEach(async () => {
  pair = await startPair();
});
afterEach(() => pair.fake.stop());

const okValue = <T>(result: PullResult<T>): T => {
  if (result.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result.value;
};

describe('sendStatus (GetSendStatus)', () => {
  it('a batch SMSID: the totals come back as a callback query whose parse gives the batch totals and exact price', async () => {
    const phones = Array.from({ length: 169 }, (_, i) => `09${String(10_000_000 + i)}`);
    pair.fake.addMessage({ smsId: 'b1e2c3d4e5f60718293a4b5c6d7e8f9021', typeId: 1, phones, sendStatus: 5, sendSuccess: 160, sendFailed: 9, totalPrice: '696987.0000', sentTimeMs: T0 - 3600_000 });
    const query = okValue(await pair.api.sendStatus(ACCOUNT, 'b1e2c3d4e5f60718293a4b5c6d7e8f9021', 1));
    expect(query).toContain('TotalPrice=696987.0000');
    expect(parseCallback(query)).toEqual({
      smsId: 'b1e2c3d4e5f60718293a4b5c6d7e8f9021', sendStatus: 5, typeId: 1, totalReceiver: 169, totalSent: 169,
      sendSuccess: 160, sendFailed: 9, priceE4: 6_969_870_000, extra: {},
    });
  });

  it('follows the truth as it moves from 7 to 5, with the TypeId the caller gave', async () => {
    pair.fake.addMessage({ smsId: 'zns-0001', typeId: 25, phones: ['0901888484'], sendStatus: 7, totalPrice: '0.0000' });
    expect(parseCallback(okValue(await pair.api.sendStatus(ACCOUNT, 'zns-0001', 25)))).toMatchObject({ sendStatus: 7, typeId: 25, sendSuccess: 0 });
    pair.fake.truth.update('zns-0001', { sendStatus: 5, sendSuccess: 1, totalPrice: '330.0000' });
    expect(parseCallback(okValue(await pair.api.sendStatus(ACCOUNT, 'zns-0001', 25)))).toMatchObject({ sendStatus: 5, typeId: 25, sendSuccess: 1, priceE4: 3_300_000 });
    expect(pair.fake.calls().GetSendStatus).toBe(2);
  });
});

describe('receiverStatus (GetSmsReceiverStatus_get)', () => {
  it('one row per phone of the batch, SentResult booleans as 1/0', async () => {
    pair.fake.addMessage({ smsId: 'batch-3', typeId: 2, phones: ['0901888484', '0918238965', '0765418062'], sendStatus: 5, sendSuccess: 1, sendFailed: 2, telcoId: 1 });
    expect(okValue(await pair.api.receiverStatus(ACCOUNT, 'batch-3'))).toEqual([
      { phone: '0901888484', isSent: true, sentResult: 1, network: 'Viettel' },
      { phone: '0918238965', isSent: true, sentResult: 0, network: 'Viettel' },
      { phone: '0765418062', isSent: true, sentResult: 0, network: 'Viettel' },
    ]);
  });
});

describe('sentData (GetSmsSentData_V2)', () => {
  const at = (iso: string) => Date.parse(iso);
  beforeEach(() => {
    // 06:30 and 07:30 on 2025-01-02 in Vietnam; a window asked for in UTC would miss the first.
    pair.fake.addMessage({ smsId: 'sd-1', typeId: 2, phones: ['0901000001'], sendStatus: 5, sendSuccess: 1, totalPrice: '790.0000', sentTimeMs: at('2025-01-01T23:30:00Z'), campaign: 'Tet' });
    pair.fake.addMessage({ smsId: 'sd-2', typeId: 2, phones: ['0901000002', '0901000003'], sendStatus: 7, totalPrice: '690.0000', sentTimeMs: at('2025-01-02T00:30:00Z') });
    pair.fake.addMessage({ smsId: 'sd-other-type', typeId: 1, phones: ['0901000004'], sentTimeMs: at('2025-01-02T00:00:00Z') });
    pair.fake.addMessage({ smsId: 'sd-late', typeId: 2, phones: ['0901000005'], sentTimeMs: at('2025-01-02T05:00:00Z') });
  });

  it('sends From/To as Vietnam time', () => {
    expect(vietnamTime(new Date('2025-01-01T23:00:00Z'))).toBe('2025-01-02 06:00:00');
  });

  it('pages through the window: CountTotal, one row per recipient, SentTime as epoch ms', async () => {
    const from = new Date('2025-01-01T23:00:00Z');
    const to = new Date('2025-01-02T01:00:00Z');
    const first = okValue(await pair.api.sentData(ACCOUNT, 2, from, to, 1, 2));
    expect(first.countTotal).toBe(3);
    expect(first.rows).toEqual([
      { smsId: 'sd-1', phone: '0901000001', sellPrice: 790, sendResult: 1, sendStatus: 5, sentTimeMs: at('2025-01-01T23:30:00Z'), smsType: 2, campaign: 'Tet' },
      { smsId: 'sd-2', phone: '0901000002', sellPrice: 345, sendResult: 2, sendStatus: 7, sentTimeMs: at('2025-01-02T00:30:00Z'), smsType: 2 },
    ]);
    const second = okValue(await pair.api.sentData(ACCOUNT, 2, from, to, 2, 2));
    expect(second.rows.map((r) => r.phone)).toEqual(['0901000003']);
  });

  it("reads the doc sample's malformed shape (missing comma, \"SendStatus:5, keys, no closing brace)", async () => {
    pair.fake.setSwitches({ malformed: 'doc-sample' });
    const page = okValue(await pair.api.sentData(ACCOUNT, 2, new Date('2025-01-01T23:00:00Z'), new Date('2025-01-02T01:00:00Z'), 1, 500));
    expect(page.countTotal).toBe(3);
    expect(page.rows.map((r) => [r.smsId, r.sendStatus])).toEqual([['sd-1', 5], ['sd-2', 7], ['sd-2', 7]]);
  });

  it('refuses a page size above 500 or a page below 1 without calling eSMS', async () => {
    await expect(pair.api.sentData(ACCOUNT, 2, new Date(T0), new Date(T0), 1, 501)).rejects.toThrow(RangeError);
    await expect(pair.api.sentData(ACCOUNT, 2, new Date(T0), new Date(T0), 0, 10)).rejects.toThrow(RangeError);
    expect(pair.fake.calls().GetSmsSentData_V2).toBe(0);
  });
});

describe('getCallback (ZaloCallback/GetCallback)', () => {
  const junkError = '{"error":-124,"message":"Access token is invalid"}Object reference not set to an instance of an object.';

  it('maps each stored callback to a query the callback parser reads with every Zalo field', async () => {
    pair.fake.addMessage({
      smsId: '4a496110-9fd3-4838-ac8b-bcaa36616f7011', typeId: 25, phones: ['0909090909'], sendStatus: 5, sendFailed: 1,
      totalPrice: '0.0', telcoId: 1, partnerIds: '7984e9b198c40e9957d6', errorInfo: junkError, oaId: '1090257973118325189', templateId: '228386', requestId: 'order 42+1',
    });
    const [row, ...rest] = okValue(await pair.api.getCallback(ACCOUNT, ['4a496110-9fd3-4838-ac8b-bcaa36616f7011', 'unknown-id'], '1090257973118325189'));
    expect(rest).toEqual([]);
    expect(row!.smsId).toBe('4a496110-9fd3-4838-ac8b-bcaa36616f7011');
    expect(parseCallback(row!.query)).toMatchObject({
      smsId: '4a496110-9fd3-4838-ac8b-bcaa36616f7011', sendStatus: 5, typeId: 25, totalReceiver: 1, totalSent: 1, sendSuccess: 0, sendFailed: 1,
      priceE4: 0, telcoId: 1, phone: '0909090909', partnerIds: '7984e9b198c40e9957d6', oaId: '1090257973118325189', templateId: '228386',
      requestId: 'order 42+1', errorInfo: { shape: 'json-with-trailer', code: -124, raw: junkError },
    });
  });

  it("keeps a Zalo-by-UID callback's double-encoded error_info as eSMS stores it", async () => {
    const stored = '%7B%22data%22%3A%7B%22message_id%22%3A%22m1%22%2C%22user_id%22%3A%22u1%22%7D%2C%22error%22%3A0%2C%22message%22%3A%22Success%22%7D____24/04/2024%2016:58:01';
    pair.fake.addMessage({ smsId: 'uid-1', typeId: 26, phones: ['8125465742112233'], sendStatus: 5, sendSuccess: 1, totalPrice: '60.0000', errorInfo: stored });
    const [row] = okValue(await pair.api.getCallback(ACCOUNT, ['uid-1']));
    expect(parseCallback(row!.query).errorInfo).toMatchObject({ shape: 'double-encoded', code: 0, zaloMsgId: 'm1', at: '2024-04-24T16:58:01+07:00' });
  });

  it('answers not-yet (854) when none of the SMSIDs has a stored callback', async () => {
    expect(await pair.api.getCallback(ACCOUNT, ['nothing-here'])).toEqual({ kind: 'not-yet', code: '854' });
  });

  it('rejects 201 SMSIDs with a RangeError before calling eSMS; 200 are sent', async () => {
    const ids = Array.from({ length: 201 }, (_, i) => `id-${i}`);
    await expect(pair.api.getCallback(ACCOUNT, ids)).rejects.toThrow(RangeError);
    expect(pair.fake.calls().GetCallback).toBe(0);
    await pair.api.getCallback(ACCOUNT, ids.slice(0, 200));
    expect(pair.fake.calls().GetCallback).toBe(1);
  });
});

describe('queryZnsStatus (QueryZnsStatus)', () => {
  it('reports FinalStatus, the Zalo msg id and the totals as a parsable query', async () => {
    pair.fake.addMessage({ smsId: '59e0c764219c49119063db4468f257fb221', typeId: 24, phones: ['0901888484'], sendStatus: 7, totalPrice: '330.0' });
    const pending = okValue(await pair.api.queryZnsStatus(ACCOUNT, '59e0c764219c49119063db4468f257fb221', 24));
    expect(pending.final).toBe(false);
    expect(parseCallback(pending.query)).toMatchObject({ sendStatus: 7, typeId: 24, priceE4: 3_300_000 });

    pair.fake.truth.update('59e0c764219c49119063db4468f257fb221', { sendStatus: 5, sendSuccess: 1, partnerIds: '6dc7499c9ef6baaee3e1' });
    const done = okValue(await pair.api.queryZnsStatus(ACCOUNT, '59e0c764219c49119063db4468f257fb221', 24));
    expect(done).toMatchObject({ final: true, zaloMsgId: '6dc7499c9ef6baaee3e1' });
    expect(parseCallback(done.query)).toMatchObject({ sendStatus: 5, sendSuccess: 1, partnerIds: '6dc7499c9ef6baaee3e1', errorInfo: { shape: 'code', code: 0, success: true } });
  });
});
