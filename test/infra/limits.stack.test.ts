/**
 * Payload limits. API Gateway HTTP APIs take bodies up to 10 MB and Lambda up to 6 MB, but a DynamoDB item
 * holds 400 KB: the routes that take a body refuse what they could never store with a 413 naming `body`,
 * before reading it (eSMS callbacks are GET query strings, refused above 8 KB with a 414 by their parser).
 */
import { describe, expect, it } from 'vitest';
import { BODY_LIMITS } from '../../lib/http/limits';
import { API_KEY, postJson, useStack } from '../support/stack';

const stack = useStack({ aggregator: false });
const tooLarge = { status: 413, body: { ok: false, error: { field: 'body', message: expect.stringContaining('at most') } } };

describe('body limits', () => {
  it('the Zalo webhook refuses a body above its limit with 413, before checking its signature', async () => {
    const body = JSON.stringify({ app_id: '1', timestamp: String(Date.now()), pad: 'x'.repeat(BODY_LIMITS.zaloWebhook) });
    expect(await postJson(`${stack().url}/zalo/webhook`, body, { 'x-zevent-signature': `mac=${'0'.repeat(64)}` })).toEqual(tooLarge);
  });

  it('POST /api/replay refuses a body above its limit with 413', async () => {
    const body = JSON.stringify({ ids: ['x'], pad: 'y'.repeat(BODY_LIMITS.replay) });
    expect(await postJson(`${stack().url}/api/replay`, body, { authorization: `Bearer ${API_KEY}` })).toEqual(tooLarge);
  });
});
