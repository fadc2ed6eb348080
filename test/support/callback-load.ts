/**
 * A seeded random workload of eSMS callbacks: each message reaches one final status after some of
 * 1/2/7, every callback is delivered 1–5 times, and all deliveries are shuffled, so late non-final
 * callbacks arrive after the final one. `expected` is what the contract says the reports must show.
 */
import { callbackQuery } from './callback-query';

export const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const ROUTE: Record<number, string> = { 1: 'sms', 2: 'sms', 23: 'viber', 25: 'zns' };

export interface Delivery {
  route: string;
  query: string;
}

export interface Expected {
  byChannel: Map<string, { requests: number; receivers: number; sent: number; success: number; failed: number; priceE4: number }>;
  messages: number;
}

type Row = Expected['byChannel'] extends Map<string, infer R> ? R : never;

/** Each callback delivered 1–5 times (as eSMS retries on time-outs). */
const deliverEach = (deliveries: Delivery[], random: () => number, route: string, callbacks: string[]) => {
  for (const query of callbacks) {
    const times = 1 + Math.floor(random() * 5);
    for (let t = 0; t < times; t += 1) deliveries.push({ route, query });
  }
};

/** What one message adds to the report of its channel: one request with its final totals. */
const addMessage = (byChannel: Expected['byChannel'], typeId: number, totals: Omit<Row, 'requests'>) => {
  const row = byChannel.get(String(typeId)) ?? { requests: 0, receivers: 0, sent: 0, success: 0, failed: 0, priceE4: 0 };
  row.requests += 1;
  row.receivers += totals.receivers;
  row.sent += totals.sent;
  row.success += totals.success;
  row.failed += totals.failed;
  row.priceE4 += totals.priceE4;
  byChannel.set(String(typeId), row);
};

/** Fisher–Yates with the workload's own random source, so a seed gives one order. */
const shuffle = <T>(items: T[], random: () => number) => {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
};

export const callbackWorkload = (messages: number, seed: number, prefix: string): { deliveries: Delivery[]; expected: Expected } => {
  const random = rng(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const deliveries: Delivery[] = [];
  const byChannel: Expected['byChannel'] = new Map();
  for (let i = 0; i < messages; i += 1) {
    const smsId = `${prefix}${i.toString(16).padStart(6, '0')}`;
    const typeId = pick([1, 2, 2, 23, 25]);
    const receivers = typeId === 1 ? 30 + Math.floor(random() * 100) : 1;
    const finalStatus = random() < 0.1 ? 4 : 5;
    const success = finalStatus === 4 ? 0 : Math.floor(random() * (receivers + 1));
    const price = `${Math.floor(random() * 900) * receivers}.${String(Math.floor(random() * 10_000)).padStart(4, '0')}`;
    const telco = typeId === 1 ? undefined : 1 + Math.floor(random() * 7);
    const phone = typeId === 1 ? undefined : `09${String(i).padStart(8, '0')}`;
    const base = { smsId, typeId, receivers, telco, phone };
    const earlier = [1, 2, 7].filter(() => random() < 0.5);
    const callbacks = [
      ...earlier.map((status) => callbackQuery({ ...base, status, sent: status === 7 ? receivers : 0, price: status === 7 ? price : '0.0000' })),
      callbackQuery({ ...base, status: finalStatus, sent: finalStatus === 4 ? 0 : receivers, success, failed: receivers - success, price: finalStatus === 4 ? '0.0000' : price }),
    ];
    deliverEach(deliveries, random, ROUTE[typeId]!, callbacks);
    addMessage(byChannel, typeId, {
      receivers, sent: finalStatus === 4 ? 0 : receivers, success, failed: receivers - success, priceE4: finalStatus === 4 ? 0 : Number(price.replace('.', '')),
    });
  }
  shuffle(deliveries, random);
  return { deliveries, expected: { byChannel, messages } };
};

/** Sends every delivery through the HTTP layer with `concurrency` in flight; returns the status codes seen. */
export const sendAll = async (base: string, token: string, deliveries: Delivery[], concurrency = 16): Promise<Map<number, number>> => {
  const statuses = new Map<number, number>();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < deliveries.length) {
      const { route, query } = deliveries[next++]!;
      const response = await fetch(`${base}/esms/${token}/${route}?${query}`);
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    }
  }));
  return statuses;
};

/**
 * The realistic mix of issue 8: 70 % single-recipient messages going 7 → 5, 20 % going through some of
 * 1/2/7 before the final, 10 % batches of 2–50 phones whose per-phone callbacks carry the batch's totals;
 * every callback delivered 1–5 times, all shuffled. Finals of one batch carry the same end totals, so the
 * contract's winner is the same whatever the arrival order.
 */
export const mixedWorkload = (messages: number, seed: number, prefix: string): { deliveries: Delivery[]; expected: Expected; distinct: number } => {
  const random = rng(seed);
  const deliveries: Delivery[] = [];
  const byChannel: Expected['byChannel'] = new Map();
  let distinct = 0;
  for (let i = 0; i < messages; i += 1) {
    const smsId = `${prefix}${i.toString(16).padStart(6, '0')}`;
    const kind = random();
    const batch = kind >= 0.9;
    const typeId = batch ? 2 : kind < 0.35 ? 25 : 2;
    const phones = batch ? 2 + Math.floor(random() * 49) : 1;
    const receivers = phones;
    const finalStatus = random() < 0.05 ? 4 : 5;
    const success = finalStatus === 4 ? 0 : Math.floor(random() * (receivers + 1));
    const price = `${(typeId === 25 ? 300 : 850) * receivers}.0000`;
    const telco = 1 + Math.floor(random() * 7);
    const statuses = kind < 0.7 || batch ? [7] : [1, 2, 7].filter(() => random() < 0.7);
    const znsExtras = typeId === 25 ? { oa: '1397492183140006179', template: '2056446' } : {};
    for (let p = 0; p < phones; p += 1) {
      const base = { smsId, typeId, receivers, telco, phone: `09${String(i * 100 + p).padStart(8, '0')}`, ...znsExtras };
      const callbacks = [
        ...statuses.map((status) => callbackQuery({ ...base, status, sent: status === 7 ? receivers : 0, price: status === 7 ? price : '0.0000' })),
        callbackQuery({ ...base, status: finalStatus, sent: finalStatus === 4 ? 0 : receivers, success, failed: receivers - success, price: finalStatus === 4 ? '0.0000' : price }),
      ];
      distinct += callbacks.length;
      deliverEach(deliveries, random, ROUTE[typeId]!, callbacks);
    }
    addMessage(byChannel, typeId, {
      receivers, sent: finalStatus === 4 ? 0 : receivers, success, failed: receivers - success, priceE4: finalStatus === 4 ? 0 : Number(price.replace('.', '')),
    });
  }
  shuffle(deliveries, random);
  return { deliveries, expected: { byChannel, messages }, distinct };
};
