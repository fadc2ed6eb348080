/**
 * eSMS ingestion end to end: raw callback → local HTTP front door (serverless.yml routes) → the Lambda
 * handler modules → DynamoDB Local → the read API. Callbacks are sent byte for byte as in the fixtures
 * (node:http keeps the path verbatim; fetch would re-encode `"` and friends).
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { esmsCallbackLines, esmsFixture } from '../support/fixtures';
import { readApi, TOKEN, useStack, type Answer } from '../support/stack';
import { getRawPath } from '../support/stack';

// The aggregator (stream → counters) is not under test here; without it DynamoDB Local only serves ingestion.
// The projector runs: a batch's head is moved to its best callback item from the stream, so reads drain first.
const stack = useStack({ aggregator: { batchWindowMs: 20 } });

/** The contract's route table (docs: contract.md "Inbound: eSMS delivery callbacks"). */
const ROUTE_OF_TYPE: Record<string, string> = {
  '1': 'sms', '2': 'sms', '8': 'sms', '23': 'viber', '24': 'zns', '25': 'zns', '26': 'zalo', '27': 'journey',
};

const param = (raw: string, name: string): string => {
  const value = new URLSearchParams(raw).get(name);
  if (value === null) throw new Error(`no ${name} in ${raw.slice(0, 60)}`);
  return value;
};
const routeOf = (raw: string): string => ROUTE_OF_TYPE[param(raw, 'TypeId')]!;

/** A derived variant: the fixture with some parameters' raw values replaced (names matched exactly). */
const withParams = (raw: string, values: Record<string, string>): string => {
  const segments = raw.split('&');
  const names = segments.map((segment) => segment.slice(0, segment.indexOf('=')));
  for (const name of Object.keys(values)) if (!names.includes(name)) throw new Error(`no ${name} to replace in ${raw.slice(0, 60)}`);
  return segments.map((segment, index) => (names[index]! in values ? `${names[index]}=${values[names[index]!]}` : segment)).join('&');
};

const freshSmsId = (tag: string): string => `${tag}-${randomUUID()}`;

const getRaw = (path: string): Promise<Answer> => getRawPath(stack().url, path);

const send = (raw: string, route = routeOf(raw), token = TOKEN) => getRaw(`/esms/${token}/${route}?${raw}`);

interface HistoryView { status: number; final: boolean; route: string; query: string; winning: boolean; totals: Record<string, number>; price: number }
interface RecipientView {
  phone: string | null; status: number | null; statusName: string | null; final: boolean;
  totals: Record<string, number> | null; price: number | null;
  channel: { typeId: number; name: string; route: string | null };
  telco: { id: number; name: string } | null;
  oaId: string | null; templateId: string | null; requestId: string | null;
  errorInfo: Record<string, unknown> | null; zaloMsgId: string | null; routeFlag: string | null;
  firstSeen: string; lastSeen: string; history: HistoryView[];
}
interface MessageAnswer { ok: boolean; message: { smsId: string; oaId: string | null; templateId: string | null; requestId: string | null; recipients: RecipientView[] } }

/** Each recipient of the message, with the message-level fields (OA, template, RequestId) beside its own. */
const read = async (smsId: string): Promise<RecipientView[]> => {
  await stack().poller!.drain();
  const answer = await readApi<MessageAnswer>(stack(), `/api/esms/messages/${encodeURIComponent(smsId)}`);
  expect(answer.status, `read ${smsId}`).toBe(200);
  const { recipients, oaId, templateId, requestId, smsId: read } = answer.body.message;
  expect(read).toBe(smsId);
  return recipients.map((recipient) => ({ ...recipient, oaId, templateId, requestId }));
};
const readOne = async (smsId: string): Promise<RecipientView> => {
  const recipients = await read(smsId);
  expect(recipients).toHaveLength(1);
  return recipients[0]!;
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Sends in order, a few ms apart so "received last" is never a same-millisecond tie. */
const sendInOrder = async (raws: string[], route?: string): Promise<Answer[]> => {
  const answers: Answer[] = [];
  for (const raw of raws) {
    answers.push(await send(raw, route ?? routeOf(raw)));
    await pause(3);
  }
  return answers;
};

const ok = (duplicate: boolean) => ({ status: 200, body: { ok: true, duplicate } });
const totals = (receivers: number, sent: number, success: number, failed: number) => ({ receivers, sent, success, failed });
const channel = (typeId: number, name: string, route: string) => ({ typeId, name, route });

describe('the 30 fixture callbacks, each sent once in file order to the route of its TypeId', () => {
  const lines = esmsCallbackLines();
  let answers: Answer[] = [];
  beforeAll(async () => {
    answers = await sendInOrder(lines);
  });

  it('the fixture set is the 30 lines docs/protocols.md §8 describes', () => {
    expect(lines).toHaveLength(30);
  });

  it('every line answers 200; only line 7 (= 6), line 10 (= 3 re-encoded) and line 18 (= 1) are duplicates', () => {
    // Line 10 is the older doc's rendering of line 3: same parameters and the same decoded values, only the
    // percent-encoding differs. The dedupe identity is the canonical (decoded) query, so it is a retry of 3.
    // Line 8 reuses line 5's SMSID and phone but is another callback (TypeId 27, price 220): new.
    const duplicates = new Set([7, 10, 18]);
    expect(answers.map((answer, index) => [index + 1, answer])).toEqual(
      lines.map((_, index) => [index + 1, ok(duplicates.has(index + 1))]),
    );
  });

  /** The current state each SMSID must read back with; `lines` are the callbacks stored for it, in arrival order. */
  const expected: Array<[string, { lines: string[]; view: Partial<RecipientView> & Record<string, unknown> }]> = [
    ['line 1 (CSKH, 2 receivers, retry 18 ignored)', { lines: ['cskh-batch-failed'], view: {
      status: 5, statusName: 'sent', final: true, totals: totals(2, 2, 0, 2), price: 0, channel: channel(2, 'sms_cskh', 'sms'),
      telco: { id: 1, name: 'viettel' }, phone: '0901888484', oaId: null, templateId: null, zaloMsgId: null, errorInfo: null } }],
    ['line 2 (promo batch priced 696987 VND)', { lines: ['promo-batch'], view: {
      status: 5, final: true, totals: totals(169, 169, 0, 0), price: 696987, channel: channel(1, 'sms_promo', 'sms'),
      telco: null, phone: null, errorInfo: null } }],
    ['line 3 (ZNS -114 as a JSON string literal)', { lines: ['zns-114-json-string'], view: {
      status: 5, final: true, totals: totals(1, 0, 0, 1), price: 0, channel: channel(25, 'zns_cskh', 'zns'),
      telco: { id: 2, name: 'mobifone' }, phone: '0901888484', oaId: '1397492183140006179', templateId: '2056446', zaloMsgId: null,
      errorInfo: expect.objectContaining({ shape: 'json-string', code: -114, success: false,
        message: 'User is inactive, or reject the message, or using an outdated Zalo version, or other internal errors' }) } }],
    ['line 4 (Viber 470 VND)', { lines: ['viber'], view: {
      status: 5, final: true, totals: totals(1, 1, 1, 0), price: 470, channel: channel(23, 'viber', 'viber'),
      telco: { id: 2, name: 'mobifone' }, phone: '0901888484', errorInfo: null } }],
    ['line 6 (Zalo transaction by uid, double-encoded; retry 7 ignored)', { lines: ['zalo-transaction'], view: {
      status: 5, final: true, totals: totals(1, 1, 1, 0), price: 60, channel: channel(26, 'zalo_uid', 'zalo'),
      telco: null, phone: '312158068343230', oaId: '4097311281936189049', templateId: null, zaloMsgId: 'f405841b5f2352790b36',
      errorInfo: expect.objectContaining({ shape: 'double-encoded', code: 0, success: true, zaloMsgId: 'f405841b5f2352790b36',
        zaloUserId: '31215806834323092', at: '2024-04-24T17:07:01+07:00' }) } }],
    ['line 9 (ZNS by uid, telcoid 9, plain JSON)', { lines: ['zns-by-uid-plain-json'], view: {
      status: 5, final: true, totals: totals(1, 1, 1, 0), price: 2104, channel: channel(25, 'zns_cskh', 'zns'),
      telco: { id: 9, name: 'unknown' }, phone: '5308693166941955879', oaId: '3639635426588416370', templateId: '523194',
      zaloMsgId: '416f53d0cf0ec7569e19', errorInfo: expect.objectContaining({ shape: 'json', code: 0, deliveryStatus: 1 }) } }],
    ['line 11 (ZNS -124 with a .NET trailer)', { lines: ['error-info-dotnet-trailer'], view: {
      status: 5, final: true, totals: totals(1, 1, 0, 1), price: 0, channel: channel(25, 'zns_cskh', 'zns'),
      telco: { id: 1, name: 'viettel' }, phone: '0909090909', oaId: '1090257973118325189', templateId: '228386', zaloMsgId: '7984e9b198c40e9957d6',
      errorInfo: expect.objectContaining({ shape: 'json-with-trailer', code: -124, message: 'Access token is invalid',
        trailer: 'Object reference not set to an instance of an object.' }) } }],
    ['line 12 (ZNS OTP with RequestId)', { lines: ['zns-otp-request-id'], view: {
      status: 5, final: true, totals: totals(1, 1, 1, 0), price: 300, channel: channel(24, 'zns_otp', 'zns'), requestId: 'ord-20260101-0001',
      telco: { id: 1, name: 'viettel' }, zaloMsgId: 'a4d0243feee163bd3af2',
      errorInfo: expect.objectContaining({ code: 0, zaloMsgId: 'a4d0243feee163bd3af2' }) } }],
    ['lines 13 then 14 (7 then 5)', { lines: ['cskh-status-7', 'cskh-status-5'], view: {
      status: 5, statusName: 'sent', final: true, totals: totals(1, 1, 1, 0), price: 850, channel: channel(2, 'sms_cskh', 'sms'),
      telco: { id: 3, name: 'vinaphone' }, phone: '0912345678' } }],
    ['line 15 (rejected, final)', { lines: ['rejected-status-4'], view: {
      status: 4, statusName: 'rejected', final: true, totals: totals(1, 0, 0, 0), price: 0 } }],
    ['line 16 (pending approval, not final)', { lines: ['pending-approval-status-1'], view: {
      status: 1, statusName: 'pending_approval', final: false, totals: totals(35, 0, 0, 0), channel: channel(1, 'sms_promo', 'sms'), phone: null } }],
    ['line 17 (waiting, not final)', { lines: ['waiting-status-2'], view: { status: 2, statusName: 'waiting', final: false } }],
    ['line 19 (fixed-number SMS on Vietnamobile)', { lines: ['fixed-number-vietnamobile'], view: {
      status: 5, final: true, price: 450, channel: channel(8, 'sms_fixed_number', 'sms'), telco: { id: 4, name: 'vietnamobile' } } }],
    ['line 20 (Reddi failure)', { lines: ['reddi-failure'], view: { totals: totals(1, 1, 0, 1), telco: { id: 7, name: 'reddi' } } }],
    ['line 21 (Totalprice casing)', { lines: ['totalprice-casing'], view: { price: 690, telco: { id: 6, name: 'itel' } } }],
    ['line 22 (ZNS failure, empty partnerids and error_info)', { lines: ['zns-failure-empty'], view: {
      totals: totals(1, 0, 0, 1), channel: channel(25, 'zns_cskh', 'zns'), telco: { id: 5, name: 'gtel' }, zaloMsgId: null, errorInfo: null,
      oaId: '1397492183140006179', templateId: '2056446' } }],
    ['line 23 (delivered with delivery_time)', { lines: ['zns-delivered-with-time'], view: {
      price: 300, zaloMsgId: '6dc7499c9ef6baaee3e1',
      errorInfo: expect.objectContaining({ code: 0, deliveryStatus: 1, deliveredAt: 1767678030984 }) } }],
    ['line 24 (accepted, not delivered)', { lines: ['zns-accepted-not-delivered'], view: {
      zaloMsgId: '7ed8509daf0abbf4e2f1', errorInfo: expect.objectContaining({ code: 0, deliveryStatus: 0 }) } }],
    ['line 25 (bare 1001)', { lines: ['error-info-bare-1001'], view: {
      zaloMsgId: null, errorInfo: { raw: '1001', shape: 'code', code: 1001, success: false } } }],
    ['line 26 (consulting -230, double-encoded with suffix)', { lines: ['zalo-consulting-230'], view: {
      channel: channel(26, 'zalo_uid', 'zalo'), phone: '5308693166941955879', zaloMsgId: null,
      errorInfo: expect.objectContaining({ shape: 'double-encoded', code: -230,
        message: 'User has not interacted with the OA in the past 7 days', at: '2026-01-01T08:15:42+07:00' }) } }],
    ['line 27 (Journey -149)', { lines: ['journey-149'], view: {
      channel: channel(27, 'zns_journey', 'journey'), phone: '84901234567', templateId: null, zaloMsgId: null,
      errorInfo: expect.objectContaining({ code: -149, message: 'Journey token is invalid' }) } }],
    ['line 28 (+ for spaces)', { lines: ['plus-for-spaces'], view: {
      errorInfo: expect.objectContaining({ code: -118, message: 'Zalo account not existed' }) } }],
    ['line 29 (ZNS -144, fully encoded JSON string literal)', { lines: ['zns-144-fully-encoded'], view: {
      channel: channel(24, 'zns_otp', 'zns'), telco: { id: 2, name: 'mobifone' },
      errorInfo: expect.objectContaining({ shape: 'json-string', code: -144, message: 'OA has exceeded the daily ZNS sending limit' }) } }],
    ['line 30 (reordered params + unknown param)', { lines: ['reordered-unknown-param'], view: {
      status: 5, final: true, totals: totals(1, 1, 1, 0), price: 850, channel: channel(2, 'sms_cskh', 'sms'),
      telco: { id: 1, name: 'viettel' }, phone: '0969000111' } }],
  ];

  it.each(expected)('%s reads back with the contract state, no route flag, and its raw callbacks as history', async (_name, { lines: sent, view }) => {
    const first = esmsFixture(sent[0]!);
    const [recipient] = await read(param(first, 'SMSID'));
    expect(recipient).toMatchObject({ ...view, routeFlag: null });
    expect(recipient!.history.map((entry) => [entry.query, entry.route])).toEqual(sent.map((line) => [esmsFixture(line), routeOf(esmsFixture(line))]));
    expect(recipient!.history.filter((entry) => entry.winning)).toHaveLength(1);
    expect(Date.parse(recipient!.lastSeen)).toBeGreaterThanOrEqual(Date.parse(recipient!.firstSeen));
  });

  it('lines 5 (/zalo, TypeId 26) and 8 (/journey, TypeId 27) share SMSID and phone: one recipient, two history entries, the later (8) wins', async () => {
    const recipient = await readOne(param(esmsFixture('zalo-consulting-double-encoded'), 'SMSID'));
    expect(recipient.history.map((entry) => [entry.query, entry.route, entry.winning])).toEqual([
      [esmsFixture('zalo-consulting-double-encoded'), 'zalo', false],
      [esmsFixture('journey-reused-smsid'), 'journey', true],
    ]);
    expect(recipient).toMatchObject({
      status: 5, final: true, totals: totals(1, 1, 1, 0), price: 220, channel: channel(27, 'zns_journey', 'journey'),
      phone: '312158068343230', oaId: '4097311281936189049', templateId: null,
      // Both callbacks' error_info carry Zalo message e1a60e8890be9de4c4ab; partnerids of line 8 is the doc's non-hex one.
      errorInfo: expect.objectContaining({ shape: 'double-encoded', code: 0, zaloMsgId: 'e1a60e8890be9de4c4ab', at: '2024-04-24T16:58:01+07:00' }),
      zaloMsgId: 'e1a60e8890be9derir3gfbff',
    });
    expect(recipient.history[0]!.price).toBe(60);
  });
});

describe('line 5 on its own', () => {
  it('line 5 (fresh SMSID, before any line 8) reads back as a consulting message by Zalo uid: price 60, double-encoded error_info, Zalo msg e1a60e8890be9de4c4ab', async () => {
    const raw = withParams(esmsFixture('zalo-consulting-double-encoded'), { SMSID: freshSmsId('line5') });
    expect(await send(raw)).toEqual(ok(false));
    expect(await readOne(param(raw, 'SMSID'))).toMatchObject({
      status: 5, final: true, totals: totals(1, 1, 1, 0), price: 60, channel: channel(26, 'zalo_uid', 'zalo'),
      telco: null, phone: '312158068343230', oaId: '4097311281936189049', templateId: null, zaloMsgId: 'e1a60e8890be9de4c4ab', routeFlag: null,
      errorInfo: expect.objectContaining({ shape: 'double-encoded', code: 0, success: true, zaloMsgId: 'e1a60e8890be9de4c4ab',
        zaloUserId: '31215806834323092', at: '2024-04-24T16:58:01+07:00' }),
      history: [expect.objectContaining({ query: raw, route: 'zalo' })],
    });
  });
});

describe('route mismatches', () => {
  it('a TypeId sent to another route (line 3, TypeId 25, on /sms) is stored under its own TypeId, answered 200 with `flagged`, and shown with routeFlag', async () => {
    const raw = withParams(esmsFixture('zns-114-json-string'), { SMSID: freshSmsId('wrong-route') });
    const answer = await send(raw, 'sms');
    expect(answer).toEqual({ status: 200, body: { ok: true, duplicate: false, flagged: expect.stringContaining('/zns') } });
    const recipient = await readOne(param(raw, 'SMSID'));
    expect(recipient.channel).toEqual(channel(25, 'zns_cskh', 'zns'));
    expect(recipient.routeFlag).toEqual(expect.stringMatching(/\/sms.*\/zns/));
    expect(recipient.history.map((entry) => entry.route)).toEqual(['sms']);
    expect(recipient.errorInfo).toMatchObject({ code: -114 });
  });

  it('callbacks of one SMSID that each arrived on their own correct route (a 26 on /zalo, then a 27 on /journey, as lines 5 and 8) are not flagged', async () => {
    const smsId = freshSmsId('two-routes');
    const answers = await sendInOrder([withParams(esmsFixture('zalo-consulting-double-encoded'), { SMSID: smsId }), withParams(esmsFixture('journey-reused-smsid'), { SMSID: smsId })]);
    expect(answers).toEqual([ok(false), ok(false)]);
    const recipient = await readOne(smsId);
    expect(recipient.history.map((entry) => entry.route)).toEqual(['zalo', 'journey']);
    expect(recipient.routeFlag).toBeNull();
  });

  it('a later callback of an SMSID that arrives on the wrong route (7 on /sms, then its 5 on /zns) is flagged in the read view', async () => {
    const smsId = freshSmsId('late-wrong-route');
    const [first, second] = [withParams(esmsFixture('cskh-status-7'), { SMSID: smsId }), withParams(esmsFixture('cskh-status-5'), { SMSID: smsId })];
    expect(await send(first, 'sms')).toEqual(ok(false));
    expect(await send(second, 'zns')).toEqual({ status: 200, body: { ok: true, duplicate: false, flagged: expect.stringContaining('/sms') } });
    const recipient = await readOne(smsId);
    expect(recipient.history.map((entry) => entry.route)).toEqual(['sms', 'zns']);
    expect(recipient.routeFlag).toEqual(expect.stringContaining('/zns'));
  });
});

describe('winner rules across several callbacks of one SMSID', () => {
  it.each([
    ['7 then 5', ['cskh-status-7', 'cskh-status-5']],
    ['5 then a late 7', ['cskh-status-5', 'cskh-status-7']],
  ])('%s (lines 13/14 under a fresh SMSID) ends at 5, final, with both callbacks in the history', async (_name, order) => {
    const smsId = freshSmsId('seq');
    const raws = order.map((line) => withParams(esmsFixture(line), { SMSID: smsId }));
    expect(await sendInOrder(raws)).toEqual([ok(false), ok(false)]);
    const recipient = await readOne(smsId);
    expect(recipient).toMatchObject({ status: 5, final: true, totals: totals(1, 1, 1, 0), price: 850 });
    expect(recipient.history.map((entry) => [entry.status, entry.query])).toEqual(raws.map((raw) => [Number(param(raw, 'SendStatus')), raw]));
    expect(recipient.history.find((entry) => entry.winning)?.status).toBe(5);
  });

  it('4 (line 15) is final: a late 7 for the same SMSID does not reopen it', async () => {
    const smsId = freshSmsId('rejected');
    const rejected = withParams(esmsFixture('rejected-status-4'), { SMSID: smsId });
    const late7 = withParams(esmsFixture('rejected-status-4'), { SMSID: smsId, SendStatus: '7' });
    expect(await sendInOrder([rejected, late7])).toEqual([ok(false), ok(false)]);
    expect(await readOne(smsId)).toMatchObject({ status: 4, statusName: 'rejected', final: true, history: [{ status: 4 }, { status: 7 }] });
  });

  it.each([
    ['5 then 4: the 4 received last wins', ['5', '4'], 4],
    ['4 then 5: the 5 received last wins', ['4', '5'], 5],
  ])('between two finals %s', async (_name, statuses, winner) => {
    const smsId = freshSmsId('finals');
    const raws = statuses.map((status) => withParams(esmsFixture('cskh-status-5'), { SMSID: smsId, SendStatus: status }));
    expect(await sendInOrder(raws)).toEqual([ok(false), ok(false)]);
    expect(await readOne(smsId)).toMatchObject({ status: winner, final: true });
  });

  const permutations = <T>(items: T[]): T[][] =>
    items.length <= 1 ? [items] : items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));

  it('1 → 2 → 7 → 5 delivered in each of the 24 possible orders always ends at 5 with the 5\'s totals', async () => {
    const orders = permutations([1, 2, 7, 5]);
    expect(orders).toHaveLength(24);
    const results = await Promise.all(orders.map(async (order) => {
      const smsId = freshSmsId(`perm-${order.join('')}`);
      // 1, 2 and 7 are line 13 (a 7) with SendStatus rewritten; the 5 is line 14 (SendSuccess 1).
      const raws = order.map((status) =>
        status === 5 ? withParams(esmsFixture('cskh-status-5'), { SMSID: smsId }) : withParams(esmsFixture('cskh-status-7'), { SMSID: smsId, SendStatus: String(status) }));
      const answers = await sendInOrder(raws);
      const recipient = await readOne(smsId);
      return {
        order: order.join(''),
        answers: answers.map((answer) => answer.status),
        state: [recipient.status, recipient.final, recipient.totals?.success, recipient.price],
        history: recipient.history.map((entry) => entry.status).join(''),
      };
    }));
    expect(results).toEqual(orders.map((order) => ({ order: order.join(''), answers: [200, 200, 200, 200], state: [5, true, 1, 850], history: order.join('') })));
  });
});

describe('idempotency', () => {
  it('the same callback delivered five times in a row answers duplicate:false once, then duplicate:true four times, and keeps one history entry', async () => {
    const raw = withParams(esmsFixture('viber'), { SMSID: freshSmsId('retry') });
    const answers = await sendInOrder([raw, raw, raw, raw, raw]);
    expect(answers).toEqual([ok(false), ok(true), ok(true), ok(true), ok(true)]);
    const recipient = await readOne(param(raw, 'SMSID'));
    expect(recipient.history).toHaveLength(1);
    expect(recipient.history[0]!.query).toBe(raw);
  });

  it('the same callback delivered five times at once is stored exactly once (one duplicate:false, four duplicate:true)', async () => {
    const raw = withParams(esmsFixture('zns-otp-request-id'), { SMSID: freshSmsId('burst') });
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => send(raw)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.filter((answer) => answer.body.duplicate === false)).toHaveLength(1);
    expect((await readOne(param(raw, 'SMSID'))).history).toHaveLength(1);
  });

  it('a retry with its parameters reordered is recognised as the same callback', async () => {
    const raw = withParams(esmsFixture('totalprice-casing'), { SMSID: freshSmsId('reordered') });
    const reordered = raw.split('&').reverse().join('&');
    expect(await sendInOrder([raw, reordered])).toEqual([ok(false), ok(true)]);
    expect((await readOne(param(raw, 'SMSID'))).history).toHaveLength(1);
  });
});

describe('token rotation', () => {
  it('the second configured token (ESMS_CALLBACK_TOKENS=old-token,test-token) is accepted too', async () => {
    const raw = withParams(esmsFixture('fixed-number-vietnamobile'), { SMSID: freshSmsId('old-token') });
    expect(await send(raw, 'sms', 'old-token')).toEqual(ok(false));
    expect(await send(raw, 'sms', TOKEN)).toEqual(ok(true));
    expect((await readOne(param(raw, 'SMSID'))).history).toHaveLength(1);
  });
});
