/**
 * Section 14: the AWS SDK's CPU per DynamoDB request, for the requests the eSMS store really sends, against
 * a peer-like request — the floor under the handler-CPU goal (≤ 0.5× the peer, issue 12).
 * The real store runs the 30 fixture lines once on DynamoDB Local with `send` recorded; then fresh
 * processes (fresh JIT, as a new Lambda instance) replay those commands through the product's document
 * client (SMSIDs re-tagged on every pass, so every pass writes new messages), and, alternating with them,
 * a 15-attribute `PutCommand` shaped like the peer's callback item.
 */
import '../../../infra/local/quiet';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { localClient } from '../../../infra/local/dynamodb';
import { ensureTables, tableNames } from '../../../infra/local/tables';
import { parseCallbackWithIdentity } from '../../../lib/esms/parse';
import { isConditionFailure } from '../../../lib/store/errors';
import { buildDocumentClient } from '../../../lib/store/client';
import { buildEsmsStore } from '../../../lib/store/esms-messages';
import { DEFAULT_TENANT } from '../../../lib/table/names';
import { esmsCallbackLines } from '../../support/fixtures';
import { median, QUICK, RESULTS, round, size, writeJson } from '../common';

type Recorded = { name: 'GetCommand' | 'PutCommand' | 'UpdateCommand'; input: Record<string, unknown> };
const WARM = size('BENCH_REQUESTS_WARM', 600, 150);
const MEASURED = size('BENCH_REQUESTS_MEASURED', 2000, 300);
const ROUNDS = QUICK ? 1 : 3;

/** Child: replays `mode`'s requests, WARM then MEASURED, and prints µs of process CPU per measured request. */
const replay = async (mode: 'store' | 'peer-like', file: string) => {
  const { table, smsIds, sent } = JSON.parse(readFileSync(file, 'utf8')) as { table: string; smsIds: string[]; sent: Recorded[] };
  const doc = buildDocumentClient(process.env.BENCH_DYNAMO_ENDPOINT);
  const text = JSON.stringify(sent);
  let pass = 0;
  const nextPass = (): Recorded[] => {
    const tag = `.${process.pid}x${pass++}`;
    return JSON.parse(smsIds.reduce((t, id) => t.split(id).join(`${id}${tag}`), text)) as Recorded[];
  };
  const peerLike = (i: number) => new PutCommand({
    TableName: table,
    Item: {
      pk: `peer#${process.pid}#${i}`, sk: '5#2026-12-01T00:00:00.000Z', receivedAt: '2026-12-01T00:00:00.000Z', SMSID: `peer-${i}`, SendStatus: 5,
      SendSuccess: 1, SendFailed: 0, TotalSent: 1, TotalReceiver: 1, TotalPrice: 750, TypeId: 2, telcoid: 1, RequestId: 'r1', phonenumber: '0901888484', partnerids: '',
    },
  });
  let queue: Recorded[] = [];
  let sentCount = 0;
  const one = async () => {
    if (mode === 'peer-like') { await doc.send(peerLike(sentCount++)); return; }
    if (queue.length === 0) queue = nextPass();
    const { name, input } = queue.shift()!;
    sentCount++;
    // A recorded conditional write can be refused on replay exactly as it was when recorded (a duplicate line).
    const command = name === 'GetCommand' ? new GetCommand(input as never) : name === 'PutCommand' ? new PutCommand(input as never) : new UpdateCommand(input as never);
    try { await doc.send(command as UpdateCommand); } catch (error) { if (!isConditionFailure(error)) throw error; }
  };
  for (let i = 0; i < WARM; i++) await one();
  const before = process.cpuUsage();
  for (let i = 0; i < MEASURED; i++) await one();
  const used = process.cpuUsage(before);
  process.stdout.write(JSON.stringify({ usPerRequest: (used.user + used.system) / MEASURED, systemUsPerRequest: used.system / MEASURED }));
  doc.destroy();
};

const child = (mode: string, file: string): Promise<{ usPerRequest: number; systemUsPerRequest: number }> =>
  new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, '--replay', mode, file], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    proc.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
    proc.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`replay ${mode} exited ${code}: ${err.slice(-800)}`))));
  });

const main = async () => {
  const out = process.argv[2]!;
  const endpoint = process.env.BENCH_DYNAMO_ENDPOINT!;
  const names = tableNames(`breq${Date.now().toString(36)}`);
  await ensureTables(localClient(endpoint), names);

  // 1. Record what the store sends for the fixture lines (real answers, so batch lines read and move their heads).
  const doc = buildDocumentClient(endpoint);
  const sent: Recorded[] = [];
  const send = doc.send.bind(doc) as (command: unknown) => Promise<unknown>;
  (doc as unknown as { send: (command: unknown) => Promise<unknown> }).send = (command) => {
    sent.push({ name: (command as object).constructor.name as Recorded['name'], input: (command as { input: Record<string, unknown> }).input });
    return send(command);
  };
  const store = buildEsmsStore(doc, names.Messages);
  const lines = esmsCallbackLines();
  const smsIds = new Set<string>();
  for (const line of lines) {
    const { event, canonical } = parseCallbackWithIdentity(line);
    smsIds.add(event.smsId);
    await store.storeCallback({ tenant: DEFAULT_TENANT, event, canonical, raw: line, route: 'sms', receivedAt: Date.now() });
  }
  doc.destroy();
  const file = join(RESULTS, 'sections', 'requests-recorded.json');
  writeFileSync(file, JSON.stringify({ table: names.Messages, smsIds: [...smsIds].sort((a, b) => b.length - a.length), sent }));
  const byCommand: Record<string, number> = {};
  for (const { name } of sent) byCommand[name] = (byCommand[name] ?? 0) + 1;

  // 2. Replay, alternating the two kinds in fresh processes.
  const rounds: Record<'store' | 'peer-like', number[]> = { store: [], 'peer-like': [] };
  const system: Record<'store' | 'peer-like', number[]> = { store: [], 'peer-like': [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const mode of ['store', 'peer-like'] as const) {
      const result = await child(mode, file);
      rounds[mode].push(round(result.usPerRequest, 0));
      system[mode].push(round(result.systemUsPerRequest, 0));
    }
  }
  const requestsPerLine = round(sent.length / lines.length, 3);
  const store1 = median(rounds.store);
  const peer1 = median(rounds['peer-like']);
  writeJson(out, {
    lines: lines.length, requests: sent.length, requestsPerLine, byCommand, warm: WARM, measured: MEASURED,
    store: { usPerRequest: store1, rounds: rounds.store, systemUs: median(system.store) },
    peerLike: { usPerRequest: peer1, rounds: rounds['peer-like'], systemUs: median(system['peer-like']) },
    // The SDK's part of a callback if every request cost what the peer-like one costs, the project's own code free.
    sdkFloorUsPerCallback: round(requestsPerLine * peer1, 0),
    sdkUsPerCallback: round(requestsPerLine * store1, 0),
  });
};

if (process.argv[2] === '--replay') {
  replay(process.argv[3] as 'store' | 'peer-like', process.argv[4]!).catch((error: unknown) => { console.error(error); process.exit(1); });
} else {
  main().catch((error: unknown) => { console.error(error); process.exit(1); });
}
