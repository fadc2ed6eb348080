import { describe, expect, it } from 'vitest';
import { esmsFixture } from '../support/fixtures';
import { esmsUrl, getJson, useStack } from '../support/stack';

const stack = useStack();

describe('eSMS ingestion through the local HTTP layer (smoke)', () => {
  it('stores the seed CSKH sample and answers duplicate on its retry', async () => {
    const first = await getJson(esmsUrl(stack(), 'sms', esmsFixture('cskh-batch-failed')));
    const retry = await getJson(esmsUrl(stack(), 'sms', esmsFixture('cskh-batch-failed-retry')));
    expect(first).toEqual({ status: 200, body: { ok: true, duplicate: false } });
    expect(retry).toEqual({ status: 200, body: { ok: true, duplicate: true } });
  });
});
