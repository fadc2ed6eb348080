/**
 * Section 4: DynamoDB write units per callback through the real adapter (`buildEsmsStore().storeCallback`,
 * ConsumedCapacity TOTAL) on DynamoDB Local: each fixture line's first delivery, its duplicate, and a
 * realistic workload (callbackWorkload: retries, late non-final statuses).
 */
import '../../../infra/local/quiet';
import { localClient } from '../../../infra/local/dynamodb';
import { ensureTables, tableNames } from '../../../infra/local/tables';
import { parseCallbackWithIdentity } from '../../../lib/esms/parse';
import { esmsKey } from '../../../lib/esms/stored';
import { buildDocumentClient } from '../../../lib/store/client';
import { buildEsmsStore } from '../../../lib/store/esms-messages';
import { callbackWorkload } from '../../support/callback-load';
import { esmsCallbackLines } from '../../support/fixtures';
import { round, runLimited, size, writeJson } from '../common';

const main = async () => {
  const out = process.argv[2]!;
  const endpoint = process.env.BENCH_DYNAMO_ENDPOINT!;
  const doc = buildDocumentClient(endpoint);
  const stamp = Date.now().toString(36);
  const admin = localClient(endpoint);
  const freshStore = async (name: string) => {
    const names = tableNames(`wcu${stamp}${name}`);
    await ensureTables(admin, names);
    return buildEsmsStore(doc, names.Messages);
  };

  // Each line lands on an item of its own: a line whose SMSID × phone item is already taken by an
  // earlier line goes to the next table, so every figure is a first delivery. Tables are all created
  // before the first write (see e2e.ts on DynamoDB Local's late stream tables).
  const lines = esmsCallbackLines();
  const parsedLines = lines.map((raw) => {
    try {
      return { raw, parsed: parseCallbackWithIdentity(raw) };
    } catch (error) {
      return { raw, error: String(error) };
    }
  });
  const used: Array<Set<string>> = [];
  const slots = parsedLines.map((line) => {
    if (!('parsed' in line) || !line.parsed) return -1;
    const key = JSON.stringify(esmsKey(line.parsed.event.smsId, line.parsed.event.phone));
    let slot = used.findIndex((keys) => !keys.has(key));
    if (slot === -1) slot = used.push(new Set()) - 1;
    used[slot]!.add(key);
    return slot;
  });
  const tables = await Promise.all(used.map((_, i) => freshStore(`t${i}`)));
  const loadStore = await freshStore('load');
  const perLine: Array<{ line: number; firstWcu: number | null; duplicate: boolean; dupDuplicate: boolean; dupWcu: number | null; table: number; error?: string }> = [];
  for (const [index, line] of parsedLines.entries()) {
    if (!('parsed' in line) || !line.parsed) {
      perLine.push({ line: index + 1, firstWcu: null, duplicate: false, dupDuplicate: false, dupWcu: null, table: -1, error: line.error });
      continue;
    }
    const slot = slots[index]!;
    const input = { event: line.parsed.event, canonical: line.parsed.canonical, raw: line.raw, route: 'sms', receivedAt: Date.now() };
    const first = await tables[slot]!.storeCallback(input);
    const again = await tables[slot]!.storeCallback(input);
    perLine.push({ line: index + 1, firstWcu: first.consumedWcu ?? null, duplicate: first.duplicate, dupDuplicate: again.duplicate, dupWcu: again.consumedWcu ?? null, table: slot });
  }
  const firsts = perLine.filter((row) => row.firstWcu !== null && !row.duplicate);

  // A realistic workload through the same adapter (no HTTP: the write cost does not depend on it).
  const messages = size('BENCH_WCU_MESSAGES', 600, 100);
  const { deliveries } = callbackWorkload(messages, 4242, `wcu${stamp}-`);
  const store = loadStore;
  let accepted = 0;
  let duplicates = 0;
  let wcu = 0;
  let unreported = 0;
  const histogram: Record<string, number> = {};
  await runLimited(deliveries, 8, async ({ route, query }) => {
    const { event, canonical } = parseCallbackWithIdentity(query);
    const result = await store.storeCallback({ event, canonical, raw: query, route, receivedAt: Date.now() });
    if (result.duplicate) {
      duplicates += 1;
      return;
    }
    accepted += 1;
    if (result.consumedWcu === undefined) unreported += 1;
    wcu += result.consumedWcu ?? 0;
    histogram[String(result.consumedWcu)] = (histogram[String(result.consumedWcu)] ?? 0) + 1;
  });
  admin.destroy();
  doc.destroy();

  writeJson(out, {
    perLine,
    fixtureFirstDelivery: {
      lines: firsts.length,
      meanWcu: round(firsts.reduce((sum, row) => sum + row.firstWcu!, 0) / firsts.length, 3),
      histogram: Object.fromEntries([...new Set(firsts.map((row) => row.firstWcu))].map((w) => [String(w), firsts.filter((row) => row.firstWcu === w).length])),
      duplicatesRecognised: perLine.filter((row) => row.dupDuplicate).length,
      duplicateWcuReported: perLine.some((row) => row.dupWcu !== null) ? 'some reported' : 'none reported (the ConditionalCheckFailed error carries no ConsumedCapacity)',
    },
    workload: {
      messages,
      deliveries: deliveries.length,
      accepted,
      duplicates,
      reportedWcu: wcu,
      unreportedAccepted: unreported,
      wcuPerAccepted: round(wcu / accepted, 3),
      wcuPerDeliveryReported: round(wcu / deliveries.length, 3),
      // AWS bills a refused conditional write too: at least 1 WCU (by the size of the existing item).
      wcuPerDeliveryBilledAtLeast: round((wcu + duplicates) / deliveries.length, 3),
      acceptedWcuHistogram: histogram,
    },
  });
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
