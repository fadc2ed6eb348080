/**
 * Suppressions through the whole local stack (eSMS callbacks and signed Zalo events over HTTP, DynamoDB Local
 * with its real stream, the projector): a real ZNS -118 callback suppresses its phone; an SMS success does not
 * clear it, a later Zalo success does; an unfollow suppresses a Zalo user id and a later follow clears it; the
 * list walks every page (JSON and CSV) with nothing skipped or repeated; a hand-made clear; the erasure of
 * the phone removes it.
 */
import { describe, expect, it } from 'vitest';
import { callbackQuery } from '../support/callback-query';
import { esmsFixture, zaloFixture } from '../support/fixtures';
import { API_KEY, esmsUrl, getJson, readApi, useStack } from '../support/stack';
import { postZalo, signedEnvelope } from '../zalo/client';

const stack = useStack({ aggregator: { batchWindowMs: 50 } });
const ZNS_114 = esmsFixture('zns-114-json-string');
const ZNS_OK = esmsFixture('zns-otp-request-id');
const run = `sup${Date.now() % 1_000_000}`;

/** A ZNS callback (TypeId 25) for `phone` with Zalo's `code`. */
const znsFailure = (smsId: string, phone: string, code = -118) =>
  ZNS_114.replace(/SMSID=[^&]+/, `SMSID=${smsId}`).replace('phonenumber=0901888484', `phonenumber=${phone}`).replace('-114', String(code));
const znsSuccess = (smsId: string, phone: string) => ZNS_OK.replace(/SMSID=[^&]+/, `SMSID=${smsId}`).replace('phonenumber=0987654321', `phonenumber=${phone}`).replace(/RequestId=[^&]*/, 'RequestId=');
const send = async (route: string, query: string) => expect((await getJson(esmsUrl(stack(), route, query))).status).toBe(200);
const settle = () => stack().poller!.drain();
const one = (subject: string) => readApi<{ suppression?: Record<string, unknown> }>(stack(), `/api/suppressions/${encodeURIComponent(subject)}`);
const remove = async (path: string) => {
  const response = await fetch(`${stack().url}${path}`, { method: 'DELETE', headers: { authorization: `Bearer ${API_KEY}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const phone = (i: number) => `0912${String(Date.now() % 1000).padStart(3, '0')}${String(i).padStart(3, '0')}`;

describe('suppressions from the stream', () => {
  it('a ZNS -118 callback suppresses the phone; an SMS success does not clear it; a later Zalo success does', async () => {
    const target = phone(1);
    await send('zns', znsFailure(`${run}-f1`, target));
    await settle();
    const suppressed = await one(target);
    expect(suppressed.status).toBe(200);
    expect(suppressed.body.suppression).toMatchObject({ phone: `84${target.slice(1)}`, type: 'phone', code: -118, smsId: `${run}-f1`, source: 'esms', oaId: '1397492183140006179' });
    expect(String(suppressed.body.suppression!.since)).toMatch(/\+07:00$/);
    expect(suppressed.body.suppression!.reason).toBe('Zalo account does not exist or is deactivated');

    // The SMS fallback succeeds: Zalo still cannot reach the phone.
    await send('sms', callbackQuery({ smsId: `${run}-sms`, status: 5, sent: 1, success: 1, phone: target }));
    await settle();
    expect((await one(`+84 ${target.slice(1)}`)).status).toBe(200);

    await send('zns', znsSuccess(`${run}-ok`, target));
    await settle();
    expect((await one(target)).status).toBe(404);
  });

  it('-114 (maybe transient) suppresses nothing', async () => {
    const target = phone(2);
    await send('zns', znsFailure(`${run}-f2`, target, -114));
    await settle();
    expect((await one(target)).status).toBe(404);
  });

  it('an unfollow suppresses the Zalo user id; a later follow clears it', async () => {
    const userId = `77${Date.now()}`;
    const at = Date.now();
    const envelope = (name: 'follow' | 'unfollow', time: number) => ({ ...JSON.parse(zaloFixture(name).rawBody) as Record<string, unknown>, follower: { id: userId }, timestamp: String(time) });
    expect((await postZalo(stack(), signedEnvelope(envelope('unfollow', at)))).status).toBe(200);
    await settle();
    expect((await one(userId)).body.suppression).toMatchObject({ phone: userId, type: 'zalo-user', event: 'unfollow', source: 'zalo' });
    // A follow older than the unfollow (delivered late) changes nothing; a newer one clears.
    expect((await postZalo(stack(), signedEnvelope(envelope('follow', at - 60_000)))).status).toBe(200);
    await settle();
    expect((await one(userId)).status).toBe(200);
    expect((await postZalo(stack(), signedEnvelope(envelope('follow', at + 1000)))).status).toBe(200);
    await settle();
    expect((await one(userId)).status).toBe(404);
  });

  it('the list walks every page (limit 4, JSON then CSV) with nothing skipped or repeated', async () => {
    const phones = Array.from({ length: 11 }, (_, i) => phone(100 + i));
    for (const [i, target] of phones.entries()) await send('zns', znsFailure(`${run}-p${i}`, target, i % 2 === 0 ? -119 : -141));
    await settle();
    const expected = phones.map((p) => `84${p.slice(1)}`);
    const walk = async (csv: boolean) => {
      const seen: string[] = [];
      let next: string | undefined;
      let pages = 0;
      do {
        const url = `${stack().url}/api/suppressions?limit=4${csv ? '&format=csv' : ''}${next ? `&next=${next}` : ''}`;
        const response = await fetch(url, { headers: { authorization: `Bearer ${API_KEY}` } });
        expect(response.status).toBe(200);
        if (csv) {
          expect(response.headers.get('content-type')).toContain('text/csv');
          const lines = (await response.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
          expect(lines[0]!.startsWith('phone,type,reason')).toBe(true);
          seen.push(...lines.slice(1).map((line) => line.split(',')[0]!));
          next = response.headers.get('x-next-cursor') ?? undefined;
        } else {
          const body = (await response.json()) as { suppressions: Array<{ phone: string }>; next?: string };
          expect(body.suppressions.length).toBeLessThanOrEqual(4);
          seen.push(...body.suppressions.map((s) => s.phone));
          next = body.next;
        }
        pages += 1;
      } while (next !== undefined && pages < 100);
      return seen;
    };
    for (const csv of [false, true]) {
      const seen = await walk(csv);
      expect(new Set(seen).size, 'no subject repeated').toBe(seen.length);
      expect(expected.filter((p) => !seen.includes(p)), 'none skipped').toEqual([]);
    }
  });

  it('DELETE /api/suppressions/{phone} clears one (404 when not suppressed); the erasure of a phone removes its suppression', async () => {
    const [cleared, erased] = [phone(201), phone(202)];
    await send('zns', znsFailure(`${run}-c1`, cleared, -139));
    await send('zns', znsFailure(`${run}-e1`, erased, -140));
    await settle();
    expect(await remove(`/api/suppressions/${cleared}`)).toEqual({ status: 200, body: { ok: true, cleared: true } });
    expect((await one(cleared)).status).toBe(404);
    expect((await remove(`/api/suppressions/${cleared}`)).status).toBe(404);
    expect((await remove('/api/suppressions/not-a-phone')).status).toBe(400);

    expect((await one(erased)).status).toBe(200);
    const erasure = await remove(`/api/recipients/${erased}`);
    expect(erasure.status).toBe(200);
    expect((await one(erased)).status).toBe(404);
  });
});
