/** Shared steps of the search tests: send callbacks through the stack, read every page of a search. */
import { expect } from 'vitest';
import type { LocalStack } from '../../infra/local/stack';
import { esmsUrl, getJson, readApi } from '../support/stack';

export interface Summary { smsId: string; firstSeen: string; status: number | 'expired'; channel: { typeId: number }; oaId: string | null; templateId: string | null; requestId: string | null }
export interface Page { messages: Summary[]; next?: string }

export const searchSteps = (stack: () => LocalStack) => {
  const send = async (route: string, query: string) => {
    const answer = await getJson(esmsUrl(stack(), route, query));
    expect(answer.status).toBe(200);
  };

  const sendAllOf = async (items: Array<{ route: string; query: string }>, concurrency = 16) => {
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const { route, query } = items[next++]!;
        await send(route, query);
      }
    }));
  };

  /** Every page of a search, following `next`; fails on a page over the limit. */
  const allPages = async (query: string, limit: number): Promise<{ messages: Summary[]; pages: number }> => {
    const messages: Summary[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const answer = await readApi<Page>(stack(), `/api/esms/messages?${query}&limit=${limit}${next ? `&next=${encodeURIComponent(next)}` : ''}`);
      expect(answer.status).toBe(200);
      expect(answer.body.messages.length).toBeLessThanOrEqual(limit);
      messages.push(...answer.body.messages);
      next = answer.body.next;
      pages += 1;
    } while (next);
    return { messages, pages };
  };
  /** The phone index is written by the aggregator from the stream: wait until it has read everything sent. */
  const indexed = () => stack().poller!.drain();
  return { send, sendAllOf, allPages, indexed };
};

export const ids = (messages: Summary[]) => messages.map((message) => message.smsId);
export const newestFirst = (messages: Summary[]) => messages.every((message, i) => i === 0 || message.firstSeen <= messages[i - 1]!.firstSeen);
