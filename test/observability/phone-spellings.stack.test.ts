/**
 * Issue 22 finding 9, end to end: one phone number in every spelling goes through every log path of the
 * inbound functions (eSMS accepted, malformed, with the number echoed in the refusal reason, unknown token;
 * Zalo accepted, unparsed, unparsed with the number where a reason would echo it, refused for an unknown
 * app id spelled as the number, forged, oversized; the read and erasure routes) with logging at DEBUG, so
 * every level prints. No printed line holds the number in any spelling, and none holds a raw body or query.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { captureOutput } from '../support/capture-output';
import { esmsFixture, zaloFixture } from '../support/fixtures';
import { holdsNumber, PHONE_SPELLINGS } from '../support/phone-spellings';
import { API_KEY, esmsUrl, getJson, postJson, readApi, useStack } from '../support/stack';
import { postZalo, signed } from '../zalo/client';

const printed = captureOutput();
const stack = useStack({ env: { POWERTOOLS_LOG_LEVEL: 'DEBUG' }, aggregator: false });

const RAW_MARKER = 'RAWMARKER';
const lines = () => printed.join('').split('\n').filter((line) => line.trim().length > 0);

/** The fixture's query with `changes` (already encoded as they go on the wire). */
const query = (changes: Record<string, string>) => {
  const params = esmsFixture('cskh-batch-failed').split('&').filter((segment) => !Object.keys(changes).some((name) => segment.startsWith(`${name}=`)));
  return [...params, ...Object.entries(changes).map(([name, value]) => `${name}=${value}`), `note=${RAW_MARKER}`].join('&');
};

const zalo = (name: string, change: (envelope: Record<string, unknown>) => void, secret?: string) => {
  const envelope = JSON.parse(zaloFixture(name).rawBody) as Record<string, unknown>;
  envelope.timestamp = String(Date.now() - 60_000);
  change(envelope);
  return signed(JSON.stringify(envelope), undefined, secret);
};

describe('every spelling of a phone through every log path', () => {
  beforeAll(async () => {
    const s = stack();
    for (const [i, spelling] of PHONE_SPELLINGS.entries()) {
      const wire = encodeURIComponent(spelling);
      const smsId = `spell-${i}-${Date.now()}`;
      expect((await getJson(esmsUrl(s, 'sms', query({ SMSID: smsId, phonenumber: wire })))).status).toBe(200);
      expect((await getJson(esmsUrl(s, 'sms', query({ SMSID: `${smsId}-bad`, phonenumber: wire, SendStatus: '9' })))).status).toBe(400);
      expect((await getJson(esmsUrl(s, 'sms', query({ SMSID: `${smsId}-echo`, TotalSent: wire })))).status).toBe(400);
      expect((await getJson(esmsUrl(s, 'sms', query({ SMSID: smsId, phonenumber: wire }), 'not-a-token'))).status).toBe(404);
      const text = `${RAW_MARKER} gọi tôi ${spelling}`;
      expect((await postZalo(s, zalo('user_send_text', (e) => { (e.message as Record<string, unknown>).text = text; (e.message as Record<string, unknown>).msg_id = `spellmsg${i}x${Date.now()}`; }))).status).toBe(200);
      expect((await postZalo(s, zalo('user_submit_info', (e) => { (e.info as Record<string, unknown>).phone = spelling; e.timestamp = String(Date.now() - 1000 * i); }))).status).toBe(200);
      expect((await postZalo(s, zalo('user_send_text', (e) => { e.event_name = 'user_send_hologram'; (e.message as Record<string, unknown>).text = text; }))).body).toMatchObject({ unparsed: true });
      expect((await postZalo(s, zalo('user_send_text', (e) => { e.sender = `${RAW_MARKER} ${spelling}`; }))).body).toMatchObject({ unparsed: true });
      expect((await postZalo(s, zalo('user_send_text', (e) => { e.app_id = spelling; }))).status).toBe(401);
      expect((await postZalo(s, zalo('user_send_text', (e) => { (e.message as Record<string, unknown>).text = text; }, 'not-the-key'))).status).toBe(401);
      expect((await postJson(`${s.url}/zalo/webhook`, JSON.stringify({ text, pad: 'x'.repeat(140 * 1024) }))).status).toBe(413);
      expect((await readApi(s, `/api/esms/messages?phone=${wire}`)).status).toBe(200);
      expect((await readApi(s, `/api/esms/messages/${encodeURIComponent(spelling)}`)).status).toBe(404);
    }
    expect((await fetch(`${s.url}/api/recipients/${encodeURIComponent(PHONE_SPELLINGS[0]!)}`, { method: 'DELETE', headers: { authorization: `Bearer ${API_KEY}` } })).status).toBe(200);
  }, 120_000);

  it('the paths did log (DEBUG to ERROR lines of the eSMS and Zalo functions)', () => {
    const messages = new Set(lines().flatMap((line) => {
      try {
        return [String((JSON.parse(line) as { message?: unknown }).message)];
      } catch {
        return [];
      }
    }));
    for (const message of ['esms callback', 'esms callback rejected', 'zalo event', 'zalo event unparsed', 'zalo webhook refused', 'request body too large']) expect(messages).toContain(message);
  });

  it('no printed line holds the number, in any spelling', () => {
    expect(lines().filter(holdsNumber)).toEqual([]);
  });

  it('no printed line holds a raw body or query (only their size and hash)', () => {
    expect(lines().filter((line) => line.includes(RAW_MARKER))).toEqual([]);
    const unparsed = lines().map((line) => JSON.parse(line) as Record<string, unknown>).find((entry) => entry.message === 'zalo event unparsed');
    expect(unparsed).toMatchObject({ bytes: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{16}$/) });
  });
});
