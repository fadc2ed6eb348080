/** Shared body of the redelivery tests: drive a workload through the stack, then check report and audit. */
import { expect } from 'vitest';
import { vietnamDay } from '../../lib/time';
import { runAudit } from '../../infra/tools/audit-run';
import { callbackWorkload, sendAll } from './callback-load';
import { documentClient, readApi, TOKEN } from './stack';
import { scanAll } from './scan-all';
import type { LocalStack } from '../../infra/local/stack';

interface Row { group: string; requests: number; receivers: number; sent: number; success: number; failed: number; price: number }

export const expectExactCounters = async (stack: LocalStack, seed: number, messages = 150) => {
  const { deliveries, expected } = callbackWorkload(messages, seed, `s${seed}-`);
  const statuses = await sendAll(stack.url, TOKEN, deliveries);
  expect([...statuses.keys()]).toEqual([200]);
  await stack.poller!.drain();
  const day = vietnamDay(Date.now());
  const report = await readApi<{ rows: Row[] }>(stack, `/api/reports/daily?from=${day}&by=channel`);
  const actual = Object.fromEntries(report.body.rows.map((row) => [row.group, {
    requests: row.requests, receivers: row.receivers, sent: row.sent, success: row.success, failed: row.failed, priceE4: Math.round(row.price * 10_000),
  }]));
  expect(actual).toEqual(Object.fromEntries(expected.byChannel));
  const audit = await runAudit({ from: day, to: day, repair: false });
  expect(audit.differences).toEqual([]);
  // The phone index, written by the same invocations, has every (SMSID, phone) pair once, whatever was redelivered.
  const pairs = new Set(deliveries.flatMap(({ query }) => {
    const params = new URLSearchParams(query);
    return params.get('phonenumber') ? [`${params.get('SMSID')} M#${params.get('SMSID')}`] : [];
  }));
  const doc = documentClient(stack.endpoint);
  const indexed = (await scanAll(doc, stack.tables.Messages)).filter((item) => item.kind === 'esms-ph' && String(item.smsId).startsWith(`s${seed}-`));
  doc.destroy();
  expect(indexed.map((item) => `${String(item.smsId)} ${String(item.sk)}`).sort()).toEqual([...pairs].sort());
  return { deliveries: deliveries.length };
};
