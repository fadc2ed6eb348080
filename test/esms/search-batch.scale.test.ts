/** The phone search finds every recipient of a 1,000-recipient batch, each by its own phone (GET /api/esms/messages?phone=). */
import { describe, expect, it } from 'vitest';
import { callbackQuery } from '../support/callback-query';
import { readApi, useStack } from '../support/stack';
import { ids, searchSteps, type Page } from './search-support';

const stack = useStack({ aggregator: { batchWindowMs: 50 } });
const { sendAllOf, indexed } = searchSteps(stack);

describe('search by phone in a large batch', () => {
  it('finds a 1,000-recipient batch by each recipient\'s phone', async () => {
    const smsId = `big-batch-${Date.now()}`;
    const phones = Array.from({ length: 1000 }, (_, i) => `093${String(i).padStart(7, '0')}`);
    await sendAllOf(phones.map((phone) => ({ route: 'sms', query: callbackQuery({ smsId, status: 5, receivers: 1000, sent: 1000, success: 990, failed: 10, phone }) })));
    await indexed();
    const missing: string[] = [];
    let next = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < phones.length) {
        const phone = phones[next++]!;
        // Searched in the other spelling than the one eSMS sent.
        const answer = await readApi<Page>(stack(), `/api/esms/messages?phone=84${phone.slice(1)}`);
        if (!ids(answer.body.messages).includes(smsId)) missing.push(phone);
      }
    }));
    expect(missing).toEqual([]);
  }, 240_000);
});
