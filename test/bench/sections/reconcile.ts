/**
 * Section 8: reconciliation throughput. The real `reconcile()` over the real eSMS pull-API adapter
 * (`buildEsmsPullApi`, eSMS's 20 TPS limit) against the in-process fake eSMS, with the real eSMS store on
 * DynamoDB Local. Every message of the window is pending in the store (its 7 arrived, its final was lost)
 * while eSMS knows it final: TypeId 2 asked through GetSendStatus (every tenth a 3-phone batch, which adds
 * GetSmsReceiverStatus_get), 25 through QueryZnsStatus, 26 through GetCallback in batches of 200; then the
 * sent-data sweep (GetSmsSentData_V2 over six SmsTypes) finds SMSIDs never called back. A second run over
 * the same window must change nothing. The same scenario without the rate limit says what bounds the first.
 */
import '../../../infra/local/quiet';
import { randomUUID } from 'node:crypto';
import { FAKE_ESMS_DEFAULT_KEYS, startFakeEsms, type FakeMessage } from '../../../infra/fakes/esms-api';
import { localClient } from '../../../infra/local/dynamodb';
import { ensureTables, tableNames } from '../../../infra/local/tables';
import { routeOfType } from '../../../lib/esms/channels';
import { buildEsmsPullApi } from '../../../lib/esms-api';
import { parseCallbackWithIdentity } from '../../../lib/esms/parse';
import { currentState } from '../../../lib/esms/state';
import type { EsmsPullApi } from '../../../lib/reconcile/ports';
import { reconcile, type ReconcileDeps } from '../../../lib/reconcile/reconcile';
import { buildDocumentClient } from '../../../lib/store/client';
import { buildEsmsStore } from '../../../lib/store/esms-messages';
import { DEFAULT_TENANT } from '../../../lib/table/names';
import { callbackQuery } from '../../support/callback-query';
import { round, runLimited, size, writeJson } from '../common';

const OA = '1397492183140006179';
const TYPES = [2, 2, 25, 26] as const;

/** The callback eSMS would have sent of a message (the 7 carries no result yet). */
const queryOf = (m: FakeMessage, status: 5 | 7, phone: string): string => {
  const final = status === 5;
  return callbackQuery({
    smsId: m.smsId, status, typeId: m.typeId, receivers: m.totalReceiver, sent: final ? m.totalSent : m.totalReceiver,
    success: final ? m.sendSuccess : 0, failed: final ? m.sendFailed : 0, price: final ? m.totalPrice : '0.0000', phone,
    ...(m.typeId === 26 ? {} : { telco: 1 }), ...(m.typeId !== 2 ? { oa: OA } : {}), ...(m.typeId === 25 ? { template: '2056446' } : {}),
  });
};

/** Counts and times every call a port sees. */
const counting = <T extends object>(target: T, tally: Record<string, { calls: number; ms: number }>): T =>
  new Proxy(target, {
    get(object, name, receiver) {
      const value = Reflect.get(object, name, receiver) as unknown;
      if (typeof value !== 'function' || typeof name !== 'string') return value;
      return async (...args: unknown[]) => {
        const t0 = performance.now();
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(object, args);
        } finally {
          const row = (tally[name] ??= { calls: 0, ms: 0 });
          row.calls += 1;
          row.ms += performance.now() - t0;
        }
      };
    },
  });

const scenario = async (endpoint: string, label: string, tps: number, pendingCount: number, discoveredCount: number) => {
  const names = tableNames(`rec${label}${Date.now().toString(36)}`);
  const admin = localClient(endpoint);
  await ensureTables(admin, names);
  admin.destroy();
  const doc = buildDocumentClient(endpoint);
  const store = buildEsmsStore(doc, names.Messages);
  const fake = await startFakeEsms(FAKE_ESMS_DEFAULT_KEYS);
  const account = FAKE_ESMS_DEFAULT_KEYS;
  const sentTimeMs = Date.now() - 5 * 60_000;
  const tag = randomUUID().slice(0, 8);

  const truth = (i: number, typeId: 2 | 25 | 26, phones: string[]) => fake.addMessage({
    smsId: `rec-${label}-${tag}-${i}`, typeId, phones, sendStatus: 5, totalReceiver: phones.length, totalSent: phones.length,
    sendSuccess: phones.length - (i % 3 === 0 ? 1 : 0), sendFailed: i % 3 === 0 ? 1 : 0, totalPrice: `${phones.length * 850}.0000`, sentTimeMs,
    telcoId: typeId === 26 ? undefined : 1, ...(typeId !== 2 ? { oaId: OA } : {}), ...(typeId === 25 ? { templateId: '2056446' } : {}),
    ...(typeId !== 2 ? { partnerIds: `zmsg${tag}x${i}` } : {}),
  });
  const pending: FakeMessage[] = [];
  for (let i = 0; i < pendingCount; i += 1) {
    const typeId = TYPES[i % TYPES.length]!;
    const phones = typeId === 2 && i % 10 === 0 ? ['0901000001', '0901000002', '0901000003'] : [`09${String(i).padStart(8, '0')}`];
    pending.push(truth(i, typeId, phones));
  }
  const discovered: FakeMessage[] = [];
  for (let j = 0; j < discoveredCount; j += 1) discovered.push(truth(pendingCount + j, j % 2 === 0 ? 2 : 25, [`09${String(pendingCount + j).padStart(8, '0')}`]));

  // What the store knows before: each pending message's 7 (per phone); the discovered ones are unknown.
  const sevens = pending.flatMap((m) => m.phones.map((phone) => queryOf(m, 7, phone)));
  await runLimited(sevens, 8, async (query) => {
    const { event, canonical } = parseCallbackWithIdentity(query);
    await store.storeCallback({ tenant: DEFAULT_TENANT, event, canonical, raw: query, route: routeOfType(event.typeId), receivedAt: Date.now() });
  });

  const api = buildEsmsPullApi({ baseUrl: fake.url, statusBaseUrl: fake.url, tps });
  const window = { fromMs: Date.now() - 3_600_000, toMs: Date.now() + 60_000 };
  const run = async () => {
    const apiCalls: Record<string, { calls: number; ms: number }> = {};
    const storeCalls: Record<string, { calls: number; ms: number }> = {};
    const deps: ReconcileDeps = {
      api: counting<EsmsPullApi>(api, apiCalls),
      store: counting<ReconcileDeps['store']>(store, storeCalls),
      now: Date.now,
    };
    const before = fake.calls();
    const t0 = performance.now();
    const result = await reconcile(deps, DEFAULT_TENANT, account, window);
    const seconds = (performance.now() - t0) / 1000;
    const after = fake.calls();
    const byEndpoint = Object.fromEntries(Object.entries(after).map(([endpoint, n]) => [endpoint, n - before[endpoint as keyof typeof before]]).filter(([, n]) => Number(n) > 0));
    const esmsCalls = Object.values(byEndpoint).reduce<number>((a, b) => a + Number(b), 0);
    const rounded = (tally: Record<string, { calls: number; ms: number }>) =>
      Object.fromEntries(Object.entries(tally).map(([name, row]) => [name, { calls: row.calls, ms: round(row.ms, 0) }]));
    return {
      seconds: round(seconds, 2), result, esmsCalls, byEndpoint,
      messagesPerSecond: result.checked ? round(result.checked / seconds, 1) : null,
      callsPerMessage: result.checked ? round(esmsCalls / result.checked, 3) : null,
      // At `tps` the calls alone take (calls − 1) / tps seconds; the rest is the store and the fake's own time.
      rateLimitFloorSeconds: round(Math.max(0, esmsCalls - 1) / tps, 2),
      apiCalls: rounded(apiCalls),
      storeCalls: rounded(storeCalls),
    };
  };
  const first = await run();
  const second = await run();

  // Every message must now be final in the store.
  let final = 0;
  for (const m of [...pending, ...discovered]) if (currentState((await store.readHead(DEFAULT_TENANT, m.smsId))!)?.final) final += 1;
  await fake.stop();
  doc.destroy();
  return {
    tps,
    pending: pending.length,
    pendingByType: Object.fromEntries(TYPES.filter((t, i, all) => all.indexOf(t) === i).map((t) => [String(t), pending.filter((m) => m.typeId === t).length])),
    pendingBatches: pending.filter((m) => m.phones.length > 1).length,
    discoverable: discovered.length,
    finalAfter: final,
    expectedFinal: pending.length + discovered.length,
    first,
    second,
  };
};

const main = async () => {
  const out = process.argv[2]!;
  const endpoint = process.env.BENCH_DYNAMO_ENDPOINT!;
  const pendingCount = size('BENCH_RECONCILE_MESSAGES', 400, 120);
  const discoveredCount = size('BENCH_RECONCILE_DISCOVERED', 20, 6);
  const tps = size('BENCH_RECONCILE_TPS', 20, 20);
  const limited = await scenario(endpoint, 'tps', tps, pendingCount, discoveredCount);
  // The same work without the client's rate limit (the fake has none): what the store and the engine allow.
  const unlimited = await scenario(endpoint, 'free', 100_000, pendingCount, discoveredCount);
  writeJson(out, { limited, unlimited });
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
