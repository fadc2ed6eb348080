import { describe, expect, it } from 'vitest';
import { esmsLine } from '../support/fixtures';
import { esmsUrl, getJson, useStack } from '../support/stack';

const stack = useStack();

describe('eSMS ingestion through the local HTTP layer (smoke)', () => {
  it('stores the seed CSKH sample and answers duplicate on its retry', async () => {
    const first = await getJson(esmsUrl(stack(), 'sms', esmsLine(1)));
    const retry = await getJson(esmsUrl(stack(), 'sms', esmsLine(18)));
    expect(first).toEqual({ status: 200, body: { ok: true, duplicate: false } });
    expect(retry).toEqual({ status: 200, body: { ok: true, duplicate: true } });
  });
});
