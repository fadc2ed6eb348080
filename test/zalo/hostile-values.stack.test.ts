/**
 * Signed Zalo events carrying values no DynamoDB key can hold, or ids that would alias another key, and
 * signed events the parsers cannot read that are larger than 8 KiB: every one is answered 200 (Zalo
 * disables a webhook after repeated non-200s, and a request that fails the same way every time must not
 * be a 5xx), kept raw and whole as unparsed with the field that did not fit, and listed by GET /api/rejected.
 */
import { describe, expect, it } from 'vitest';
import { zaloFixture } from '../support/fixtures';
import { API_KEY, readApi, useStack } from '../support/stack';
import { postZalo, signed } from './client';

const stack = useStack();

interface RejectedEntry { reason: string; field: string; raw: string; status: number; rawBytes?: number }

const listed = async (rawBody: string): Promise<RejectedEntry | undefined> => {
  const answer = await readApi<{ rejected: RejectedEntry[] }>(stack(), '/api/rejected?limit=1000');
  return answer.body.rejected.find((entry) => entry.raw === rawBody);
};

type Envelope = Record<string, unknown>;

/** A fixture's envelope with `value` at the dotted `path`, re-timed to now and signed on its own bytes. */
const variant = (name: string, changes: Record<string, unknown>) => {
  const envelope = JSON.parse(zaloFixture(name).rawBody) as Envelope;
  envelope.timestamp = String(Date.now() - 60_000);
  for (const [path, value] of Object.entries(changes)) {
    const parts = path.split('.');
    const parent = parts.slice(0, -1).reduce((node, part) => node[part] as Envelope, envelope);
    parent[parts.at(-1)!] = value;
  }
  return signed(JSON.stringify(envelope));
};

const LONG = 'a'.repeat(2000);
const WIDE = 'ệ'.repeat(700); // 700 characters, 2,100 bytes: over a partition key's 2,048

describe('values no key can hold', () => {
  it.each([
    ['a 2,000-character msg_id', 'user_send_text', 'message.msg_id', LONG],
    ['a 2,000-character follower.id', 'follow', 'follower.id', LONG],
    ['a 2,000-character oa_id', 'follow', 'oa_id', LONG],
    ['a 2,000-character id in a seen receipt\'s msg_ids', 'user_seen_message', 'message.msg_ids.0', LONG],
    ['a 2,100-byte sender.id', 'user_send_text', 'sender.id', WIDE],
    ['a 2,000-character template_id', 'change_template_status', 'template_id', LONG],
    ['a 2,000-character consent phone', 'oa_send_consent', 'phone', '8'.repeat(2000)],
  ])('%s: 200, kept whole as unparsed, naming the field', async (_name, fixture, field, value) => {
    const request = variant(fixture, { [field]: value });
    const answer = await postZalo(stack(), request);
    expect(answer).toEqual({ status: 200, body: { ok: true, duplicate: false, unparsed: true } });
    expect(await listed(request.rawBody)).toMatchObject({ field, status: 200 });
  });

  it.each([
    ['an OA id holding "#"', 'user_send_text', 'recipient.id', '1397492183140006179#5308693166941955879'],
    ['a follower id holding "#"', 'follow', 'follower.id', 'U#x'],
    ['a msg_id holding "#"', 'user_send_text', 'message.msg_id', 'E#96d3cdf3af1504609090'],
  ])('%s (it would alias another key of the tenant): 200, kept as unparsed', async (_name, fixture, field, value) => {
    const request = variant(fixture, { [field]: value });
    expect(await postZalo(stack(), request)).toEqual({ status: 200, body: { ok: true, duplicate: false, unparsed: true } });
    expect(await listed(request.rawBody)).toMatchObject({ field });
  });
});

describe('unparsed events larger than 8 KiB', () => {
  it('a signed 100 KiB event of an unknown name is kept whole (replayable), not cut to 8 KiB', async () => {
    const request = variant('user_send_text', { event_name: 'user_send_hologram', 'message.text': 'x'.repeat(100 * 1024) });
    expect(Buffer.byteLength(request.rawBody)).toBeGreaterThan(100 * 1024);
    expect(await postZalo(stack(), request)).toEqual({ status: 200, body: { ok: true, duplicate: false, unparsed: true } });
    const entry = await listed(request.rawBody);
    expect(entry?.raw).toBe(request.rawBody);
    expect(entry?.rawBytes).toBeUndefined();
  });

  it('GET /api/rejected pages such bodies within a Lambda answer (6 MB): 60 of 100 KiB list across pages, each answer under 5 MB', async () => {
    const bodies = new Set<string>();
    for (let i = 0; i < 60; i += 1) {
      const request = variant('user_send_text', { event_name: `user_send_hologram_${i}`, 'message.text': 'y'.repeat(100 * 1024) });
      expect((await postZalo(stack(), request)).status).toBe(200);
      bodies.add(request.rawBody);
    }
    const seen = new Set<string>();
    let next: string | undefined;
    let pages = 0;
    do {
      const response = await fetch(`${stack().url}/api/rejected?limit=1000${next ? `&next=${encodeURIComponent(next)}` : ''}`, { headers: { authorization: `Bearer ${API_KEY}` } });
      const text = await response.text();
      expect(response.status).toBe(200);
      expect(Buffer.byteLength(text)).toBeLessThan(5_000_000);
      const page = JSON.parse(text) as { rejected: RejectedEntry[]; next?: string };
      for (const entry of page.rejected) if (bodies.has(entry.raw)) seen.add(entry.raw);
      next = page.next;
      pages += 1;
    } while (next);
    expect(pages).toBeGreaterThan(1);
    expect(seen.size).toBe(60);
  }, 120_000);
});
