/** Traffic and stored items for the audit tests (built here: the other helpers build an older item layout). */
import { createHash } from 'node:crypto';
import { dayIndexValues, messagePk } from '../../lib/table/esms';
import { vietnamDay } from '../../lib/time';

export interface Callback {
  smsId: string;
  status: number;
  typeId: number;
  receivers: number;
  sent?: number;
  success?: number;
  failed?: number;
  price?: string;
  telco?: number;
  phone?: string;
}

/** A callback query as eSMS sends it. */
export const callbackQuery = (c: Callback): string => [
  `SMSID=${c.smsId}`, `SendFailed=${c.failed ?? 0}`, `SendStatus=${c.status}`, `SendSuccess=${c.success ?? 0}`,
  `TotalPrice=${c.price ?? '0.0000'}`, `TotalReceiver=${c.receivers}`, `TotalSent=${c.sent ?? 0}`, 'RequestId=',
  `TypeId=${c.typeId}`, ...(c.telco ? [`telcoid=${c.telco}`] : []), ...(c.phone ? [`phonenumber=${c.phone}`] : []),
].join('&');

const ROUTE: Record<number, string> = { 1: 'sms', 2: 'sms', 23: 'viber', 25: 'zns' };

/**
 * `messages` SMSIDs over four channels and seven telcos: most go 1/2/7 → final (5 or 4), some stay at 7,
 * every few callbacks are delivered twice, and some get a late 7 after their final status.
 */
export const trafficQueries = (prefix: string, messages: number): Array<{ route: string; query: string }> => {
  const out: Array<{ route: string; query: string }> = [];
  for (let i = 0; i < messages; i += 1) {
    const typeId = [1, 2, 2, 23, 25][i % 5]!;
    const receivers = typeId === 1 ? 10 + i : 1;
    const base = { smsId: `${prefix}${String(i).padStart(4, '0')}`, typeId, receivers, ...(typeId === 1 ? {} : { telco: 1 + (i % 7), phone: `09${String(i).padStart(8, '0')}` }) };
    const price = `${(i + 1) * receivers * 10}.${String(i * 37 % 10_000).padStart(4, '0')}`;
    const pending = callbackQuery({ ...base, status: 7, sent: receivers, price });
    const failed = Math.min(i % 3, receivers);
    const final = i % 6 === 0
      ? callbackQuery({ ...base, status: 4, failed: receivers })
      : callbackQuery({ ...base, status: 5, sent: receivers, success: receivers - failed, failed, price });
    const sequence = i % 8 === 3 ? [pending, pending] : i % 4 === 1 ? [callbackQuery({ ...base, status: 2 }), pending, final, pending] : [pending, final, final];
    const route = ROUTE[typeId]!;
    for (const query of sequence) out.push({ route, query });
  }
  return out;
};

/**
 * `count` items written straight into the messages table: eSMS heads of `tenant` carrying a 1.4 KB raw
 * query each, 500 Zalo events of the default tenant, and one poison head nobody can read.
 */
export const bulkItems = (tenant: string, count: number, at: number): Array<Record<string, unknown>> => {
  const zalo = 500;
  const heads = count - zalo - 1;
  const items: Array<Record<string, unknown>> = [];
  for (let i = 0; i < heads; i += 1) {
    const smsId = `bulk${String(i).padStart(6, '0')}`;
    const status = i % 10 === 0 ? 4 : 5;
    const typeId = i % 2 === 0 ? 2 : 25;
    const query = `${callbackQuery({ smsId, status, typeId, receivers: 1, sent: status === 5 ? 1 : 0, success: status === 5 ? 1 : 0, price: '350.0000' })}&pad=${'x'.repeat(1400)}`;
    const id = `${status}#${createHash('sha256').update(query).digest('base64url').slice(0, 16)}`;
    items.push({
      pk: messagePk(tenant, smsId), sk: '#', kind: 'esms', tenant, smsId, typeId, route: typeId === 2 ? 'sms' : 'zns',
      firstSeen: at, lastSeen: at, telcoId: 1 + (i % 3), ...dayIndexValues(tenant, smsId, at),
      [`c#${id}`]: { s: status, t: typeId, n: [1, status === 5 ? 1 : 0, status === 5 ? 1 : 0, 0], p: status === 5 ? 3_500_000 : 0, at, q: query, rt: 'sms' },
    });
  }
  for (let i = 0; i < zalo; i += 1) {
    items.push({
      pk: `ZEV#oa-bulk#${vietnamDay(at)}`, sk: `E#bulk-${i}`, kind: 'zalo', family: i % 2 === 0 ? 'message' : 'follow',
      eventName: i % 2 === 0 ? 'user_send_text' : 'follow', appId: 'app-bulk', oaId: 'oa-bulk', eventTime: at, receivedAt: at, raw: `{"pad":"${'y'.repeat(800)}"}`,
    });
  }
  items.push({ pk: messagePk(tenant, 'poison'), sk: '#', kind: 'esms' });
  return items;
};
