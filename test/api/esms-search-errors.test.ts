/**
 * Search results explain their errors (issue 23): each message's winning callback's `error_info` is decoded
 * and described, whether the head holds the callback or it is an overflow item of the message's own
 * partition (one read, Zalo types only); `outcome=` filters a day; the CSV's errorInfo is the description.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { RawAnswer } from '../../lib/api/csv';
import { searchEsmsMessages } from '../../lib/api/esms-search';
import type { EsmsMessageStore } from '../../lib/esms/ports';
import { HEAD_SK, type InlineCallback, type OverflowItem, type StoredHead } from '../../lib/table/esms';

const T = Date.parse('2026-11-30T03:00:00Z');
const errorInfo = (code: number, message: string) => `error_info=${encodeURIComponent(JSON.stringify({ error: code, message }))}`;
const query = (smsId: string, typeId: number, extra: string) => `SMSID=${smsId}&SendStatus=5&TypeId=${typeId}&${extra}`;
const entry = (typeId: number, counts: [number, number, number, number], q: string): InlineCallback =>
  ({ s: 5, t: typeId, n: counts, p: 0, at: T, rt: typeId === 26 ? 'zalo' : typeId >= 24 ? 'zns' : 'sms', q });

const withoutQuery = ({ q: _q, ...rest }: InlineCallback) => rest;
const head = (smsId: string, typeId: number, winner: { inline: InlineCallback } | { overflow: InlineCallback; shards?: number }): StoredHead => ({
  pk: `T#acme#M#${smsId}`, sk: HEAD_SK, kind: 'esms', tenant: 'acme', smsId, typeId, route: 'zns', firstSeen: T, lastSeen: T,
  inline: 'inline' in winner ? [{ id: `5#${smsId}`, entry: winner.inline }] : [],
  // The head summarises an overflow winner without its raw query (OverflowWinnerSchema).
  ...('overflow' in winner && { ow: { ...withoutQuery(winner.overflow), id: `5#${smsId}`, ...(winner.shards !== undefined && { sh: winner.shards }) } }),
});

const gone = head('zns-118', 24, { inline: entry(24, [1, 0, 0, 1], query('zns-118', 24, errorInfo(-118, 'Zalo account not existed'))) });
const noInteraction = entry(26, [1, 1, 0, 1], query('uid-230', 26, errorInfo(-230, 'User has not interacted with the OA in the past 7 days')));
const overflowOwn = head('uid-230', 26, { overflow: noInteraction });
const smsBatch = head('sms-batch', 1, { overflow: entry(1, [169, 169, 160, 9], query('sms-batch', 1, 'phonenumber=0901888484')), shards: 1 });
const shardedZalo = head('zns-sharded', 25, { overflow: entry(25, [500, 500, 0, 500], query('zns-sharded', 25, errorInfo(-141, 'refused'))), shards: 4 });
const HEADS = [gone, overflowOwn, smsBatch, shardedZalo];

const reads: string[] = [];
const store: Pick<EsmsMessageStore, 'headsByPhone' | 'headsByRequestId' | 'headsOfDay' | 'readOverflow'> = {
  headsByPhone: async () => ({ heads: HEADS, next: undefined }),
  headsByRequestId: async () => ({ heads: [], next: undefined }),
  headsOfDay: async (_tenant, _day, limit, _cursor, _between, accept) => ({ heads: HEADS.filter((h) => accept?.(h) ?? true).slice(0, limit), next: undefined }),
  readOverflow: async (_tenant, smsId) => {
    reads.push(smsId);
    return smsId === 'uid-230' ? { ...noInteraction, pk: 'p', sk: 's', kind: 'esms-cb', tenant: 'acme', smsId, id: `5#${smsId}` } satisfies OverflowItem : undefined;
  },
};
const search = (params: Record<string, string>) =>
  searchEsmsMessages(store)({ queryStringParameters: params } as unknown as APIGatewayProxyEventV2, { tenant: 'acme', kind: 'tenant' } as never);

interface Found { smsId: string; outcome: string; error: { code: number; description: { en: string } } | null }

describe('search answers explain their errors', () => {
  it('decodes the inline winner, reads a Zalo overflow winner of the own partition once, and reads nothing for SMS or a sharded batch', async () => {
    reads.length = 0;
    const answer = await search({ phone: '0901888484' }) as { messages: Found[] };
    const bySms = Object.fromEntries(answer.messages.map((m) => [m.smsId, [m.outcome, m.error?.code ?? null, m.error?.description.en ?? null]]));
    expect(bySms).toEqual({
      'zns-118': ['failed', -118, 'Zalo account does not exist or is deactivated'],
      'uid-230': ['failed', -230, 'User has not interacted with the OA in the past 7 days'],
      'sms-batch': ['partial', null, null],
      'zns-sharded': ['failed', null, null],
    });
    expect(reads).toEqual(['uid-230']);
  });

  it('outcome= keeps the messages of that outcome; with no day it is a 400 naming day', async () => {
    const partial = await search({ day: '2026-11-30', outcome: 'partial' }) as { messages: Found[] };
    expect(partial.messages.map((m) => m.smsId)).toEqual(['sms-batch']);
    const failed = await search({ day: '2026-11-30', outcome: 'failed' }) as { messages: Found[] };
    expect(failed.messages.map((m) => m.smsId)).toEqual(['zns-118', 'uid-230', 'zns-sharded']);
    await expect(search({ phone: '0901888484', outcome: 'failed' })).rejects.toMatchObject({ status: 400, field: 'day' });
    await expect(search({ day: '2026-11-30', outcome: 'lost' })).rejects.toMatchObject({ status: 400, field: 'outcome' });
  });

  it('the CSV row: errorInfo is the description, errorCode the code, then the outcome and its reason', async () => {
    const answer = await search({ phone: '0901888484', format: 'csv' });
    expect(answer).toBeInstanceOf(RawAnswer);
    const [header, ...rows] = String((answer as RawAnswer).response.body).replace(/^\uFEFF/, '').trimEnd().split('\r\n').map((line) => line.split(','));
    const row = rows.find((cells) => cells[0] === 'zns-118')!;
    const cell = (name: string) => row[header!.indexOf(name)];
    expect([cell('errorInfo'), cell('errorInfoVi'), cell('errorCode'), cell('outcome'), cell('outcomeReason')])
      .toEqual(['Zalo account does not exist or is deactivated', 'Tài khoản Zalo không tồn tại hoặc đã bị vô hiệu hóa', '-118', 'failed', 'Zalo account does not exist or is deactivated']);
    expect(header!.some((name) => name.startsWith('errorInfo.'))).toBe(false);
  });
});
