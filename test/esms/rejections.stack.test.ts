/**
 * Every way an inbound eSMS callback or a read-API request is refused, through the local HTTP layer:
 * the status, the JSON error naming the field, and what is (and is not) kept.
 */
import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { vietnamDay } from '../../lib/time';
import { esmsFixture } from '../support/fixtures';
import { API_KEY, documentClient, getJson, readApi, TOKEN, useStack, type Answer } from '../support/stack';
import { getRawPath } from '../support/stack';

const stack = useStack({ aggregator: false }); // counters are not under test here
const WRONG_TOKEN = `wrong-${randomUUID()}`;

/** Line 1 with parameters replaced (`undefined` removes one) and a unique RequestId to find it again. */
const line1With = (values: Record<string, string | undefined>): string => {
  const marker = `rej-${randomUUID()}`;
  const all: Record<string, string | undefined> = { RequestId: marker, ...values };
  const segments = esmsFixture('cskh-batch-failed').split('&').flatMap((segment) => {
    const name = segment.slice(0, segment.indexOf('='));
    if (!(name in all)) return [segment];
    return all[name] === undefined ? [] : [`${name}=${all[name]}`];
  });
  return segments.join('&');
};

const getRaw = (path: string): Promise<Answer> => getRawPath(stack().url, path);

interface RejectedView { id: string; source: string; route: string; status: number; field: string; reason: string; raw: string; receivedAt: string }
interface RejectedAnswer { ok: boolean; day: string; rejected: RejectedView[] }

const rejectedLog = async (): Promise<RejectedView[]> => {
  const answer = await readApi<RejectedAnswer>(stack(), `/api/rejected?day=${vietnamDay(Date.now())}&limit=1000`);
  expect(answer.status).toBe(200);
  return answer.body.rejected;
};

const scanMessages = async (): Promise<Record<string, unknown>[]> => {
  const doc = documentClient(stack().endpoint);
  try {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new ScanCommand({ TableName: stack().tables.Messages, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  } finally {
    doc.destroy();
  }
};

const errorBody = (field: string) => ({ ok: false, error: { field, message: expect.any(String) } });

describe('malformed callbacks: refused with a status naming the field, raw query kept in the rejected log', () => {
  const cases: Array<{ name: string; raw: string; status: number; field: string }> = [
    { name: 'missing SMSID', raw: line1With({ SMSID: undefined }), status: 400, field: 'SMSID' },
    { name: 'non-numeric count', raw: line1With({ TotalSent: 'two' }), status: 400, field: 'TotalSent' },
    { name: 'negative count', raw: line1With({ SendFailed: '-1' }), status: 400, field: 'SendFailed' },
    { name: 'unknown SendStatus', raw: line1With({ SendStatus: '3' }), status: 400, field: 'SendStatus' },
    { name: 'unknown TypeId', raw: line1With({ TypeId: '99' }), status: 400, field: 'TypeId' },
    { name: 'price with 5 decimals', raw: line1With({ TotalPrice: '1.00001' }), status: 400, field: 'TotalPrice' },
    { name: 'malformed percent-encoding', raw: line1With({ phonenumber: '0901%ZZ8484' }), status: 400, field: 'phonenumber' },
    { name: 'truncated percent-encoding', raw: line1With({ phonenumber: '%E0%A4%A' }), status: 400, field: 'phonenumber' },
    { name: 'a parameter repeated with another value', raw: `${line1With({})}&SendStatus=7`, status: 400, field: 'SendStatus' },
    { name: 'query longer than an item can hold (3,700 bytes)', raw: `${line1With({})}&pad=${'x'.repeat(3600)}`, status: 414, field: 'query' },
    // Every length no real value comes near: a 400 naming the field, never a 5xx from DynamoDB later.
    { name: 'SMSID of 65 characters', raw: line1With({ SMSID: 'S'.repeat(65) }), status: 400, field: 'SMSID' },
    { name: 'phonenumber of 65 characters', raw: line1With({ phonenumber: '9'.repeat(65) }), status: 400, field: 'phonenumber' },
    { name: 'partnerids of 129 characters', raw: `${line1With({})}&partnerids=${'p'.repeat(129)}`, status: 400, field: 'partnerids' },
    { name: 'RequestId of 65 characters', raw: line1With({ RequestId: 'r'.repeat(65) }), status: 400, field: 'RequestId' },
    { name: 'oaid of 65 characters', raw: `${line1With({})}&oaid=${'1'.repeat(65)}`, status: 400, field: 'oaid' },
    { name: 'tempid of 65 characters', raw: `${line1With({})}&tempid=${'1'.repeat(65)}`, status: 400, field: 'tempid' },
    { name: 'error_info of 2,049 characters', raw: `${line1With({})}&error_info=${'e'.repeat(2049)}`, status: 400, field: 'error_info' },
  ];

  it('a query over 8 KiB is refused with 414 and kept truncated to 8 KiB, with its real size stated', async () => {
    const raw = `${line1With({ SMSID: `huge-${randomUUID()}` })}&pad=${'x'.repeat(9000)}`;
    const answer = await getRaw(`/esms/${TOKEN}/sms?${raw}`);
    expect(answer).toEqual({ status: 414, body: errorBody('query') });
    const kept = (await rejectedLog()).filter((item) => raw.startsWith(item.raw) && item.raw.length > 100);
    expect(kept).toEqual([expect.objectContaining({ status: 414, field: 'query', raw: raw.slice(0, 8192), rawBytes: Buffer.byteLength(raw) })]);
  });

  it.each(cases)('$name → $status naming $field, raw query kept', async ({ raw, status, field }) => {
    const answer = await getRaw(`/esms/${TOKEN}/sms?${raw}`);
    expect(answer).toEqual({ status, body: errorBody(field) });
    const { message } = (answer.body as { error: { message: string } }).error;
    const kept = (await rejectedLog()).filter((item) => item.raw === raw);
    expect(kept).toEqual([expect.objectContaining({ source: 'esms', route: 'sms', status, field, reason: message })]);
  });

  it('a refused callback is not stored as a message', async () => {
    const raw = line1With({ SMSID: `never-${randomUUID()}`, SendStatus: '3' });
    expect((await getRaw(`/esms/${TOKEN}/sms?${raw}`)).status).toBe(400);
    const smsId = new URLSearchParams(raw).get('SMSID')!;
    expect((await scanMessages()).filter((item) => item.kind === 'esms' && JSON.stringify(item).includes(smsId))).toEqual([]);
    expect((await readApi(stack(), `/api/esms/messages/${smsId}`)).status).toBe(404);
  });
});

describe('unknown token', () => {
  it('a valid callback with a wrong token is 404 and nothing of it is stored (no message, no rejected entry)', async () => {
    const smsId = `wrong-token-${randomUUID()}`;
    const raw = line1With({ SMSID: smsId });
    const answer = await getRaw(`/esms/${WRONG_TOKEN}/sms?${raw}`);
    expect(answer).toEqual({ status: 404, body: errorBody('token') });
    const stored = (await scanMessages()).filter((item) => JSON.stringify(item).includes(smsId));
    expect(stored).toEqual([]);
    expect((await rejectedLog()).filter((item) => item.raw.includes(smsId))).toEqual([]);
  });

  it('the token is checked before parsing: a malformed query on a wrong token is 404, not 400, and not kept', async () => {
    const raw = line1With({ SendStatus: '3' });
    expect(await getRaw(`/esms/${WRONG_TOKEN}/zns?${raw}`)).toEqual({ status: 404, body: errorBody('token') });
    expect((await rejectedLog()).filter((item) => item.raw === raw)).toEqual([]);
  });

  it('a token that only differs in case or by a suffix is refused', async () => {
    const raw = line1With({ SMSID: `case-${randomUUID()}` });
    for (const token of [TOKEN.toUpperCase(), `${TOKEN}x`, TOKEN.slice(0, -1)]) {
      expect((await getRaw(`/esms/${token}/sms?${raw}`)).status, token).toBe(404);
    }
  });
});

describe('read API refusals', () => {
  const paths = ['/api/esms/messages/dc712784-9c5f-4c69-b9a8-ea69d56adc9a87', '/api/rejected'];

  it.each(paths)('%s without a bearer key is 401 with WWW-Authenticate', async (path) => {
    const response = await fetch(`${stack().url}${path}`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.json()).toEqual(errorBody('Authorization'));
  });

  it.each(paths)('%s with a wrong bearer key (or the key without "Bearer") is 401', async (path) => {
    for (const authorization of [`Bearer ${API_KEY}x`, `Bearer ${TOKEN}`, API_KEY, `Basic ${API_KEY}`]) {
      expect(await getJson(`${stack().url}${path}`, { authorization }), authorization).toEqual({ status: 401, body: errorBody('Authorization') });
    }
  });

  it('an SMSID never seen is 404 naming smsid', async () => {
    expect(await readApi(stack(), `/api/esms/messages/unknown-${randomUUID()}`)).toEqual({ status: 404, body: errorBody('smsid') });
  });

  it.each(['2026-02-30', '20260101', 'yesterday', '2026-1-01'])('/api/rejected?day=%s is 400 naming day', async (day) => {
    expect(await readApi(stack(), `/api/rejected?day=${day}`)).toEqual({ status: 400, body: errorBody('day') });
  });

  it.each(['0', '1001', 'ten'])('/api/rejected?limit=%s is 400 naming limit', async (limit) => {
    expect(await readApi(stack(), `/api/rejected?limit=${limit}`)).toEqual({ status: 400, body: errorBody('limit') });
  });
});

describe('secrecy of the path token (last: sees every trace the tests above left)', () => {
  it('the rejected log and the messages table never contain a path token', async () => {
    const raw = line1With({ TypeId: '99' });
    expect((await getRaw(`/esms/${TOKEN}/viber?${raw}`)).status).toBe(400);
    const log = await rejectedLog();
    expect(log.some((item) => item.raw === raw)).toBe(true);
    const everything = JSON.stringify(await scanMessages()) + JSON.stringify(log);
    for (const token of [TOKEN, 'old-token', WRONG_TOKEN]) expect(everything, token).not.toContain(token);
  });
});
