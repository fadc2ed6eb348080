/**
 * The projector: the messages table's second stream consumer, beside the aggregator. What the callback
 * path leaves to the stream happens here, per batch of records:
 * - each message's head moves forward to the best callback item inserted (lib/projector/heads.ts), one
 *   write per message per batch, so a batch's callbacks never share a key on the callback path;
 * - the phone index learns the (phone, SMSID) pairs the records make known (lib/projector/phone-pairs.ts).
 * Both are idempotent, so a failure reports the earliest record whose work is not done and Lambda retries
 * from there; a record that can never be read, or a pair DynamoDB refuses as invalid, is dead-lettered
 * instead of blocking the shard. The head's own change then reaches the counters through the aggregator.
 * - With `events`, the event destinations hear what the records mean (lib/destinations/derive.ts,
 *   derive-zalo.ts): a head whose counted state changed, a recipient whose status changed, a Zalo event
 *   stored (once: a duplicate webhook writes nothing); each event is logged and queued for the
 *   tenant's destinations (lib/destinations/fan-out.ts). Redelivered records make the same ids.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { ChangeRecord } from '../aggregate/deltas';
import type { DeadLetterWriter } from '../aggregate/ports';
import { runInLanes } from '../lanes';
import { maskDigits } from '../mask';
import { METRICS } from '../observability/metric-names';
import type { Log, Telemetry } from '../observability/ports';
import type { OverflowItem } from '../table/esms';
import { headEvents, insertedRecipientItem, recipientItemEvent, type TenantEvent } from '../destinations/derive';
import type { PublishEvents } from '../destinations/fan-out';
import { insertedZaloEvent, statusMsgIds, zaloEvents } from '../destinations/derive-zalo';
import { callbacksLostEvent, insertedFinding, insertedRejected, unparsedEvent, unparsedHour } from '../destinations/derive-alerts';
import type { RejectedItem } from '../table/rejected';
import type { StoredZaloEvent } from '../table/zalo';
import { headAdvances, insertedCallback, projectHead } from './heads';
import { phonePairsOf } from './phone-pairs';
import type { HeadProjection, PhoneIndexWriter } from './ports';
import { suppressionChanges, type SuppressionChange } from '../suppressions/derive';
import type { SuppressionWriter } from '../suppressions/ports';

export interface ProjectorDeps {
  heads: HeadProjection;
  phoneIndex: PhoneIndexWriter;
  deadLetters: DeadLetterWriter;
  telemetry: Pick<Telemetry, 'count'>;
  log: Log;
  now: () => number;
  toChange: (record: DynamoDBRecord) => ChangeRecord;
  concurrency?: number;
  /** Suppressions (lib/suppressions/derive.ts): subjects a record's outcome suppresses or clears. */
  suppressions?: SuppressionWriter;
  /** Event destinations: where derived events go, and a recipient's callback items (its earlier ones tell whether its status changed). */
  events?: {
    /** Whether the tenant has a destination: events of a tenant without one are not derived (no lookups). */
    listening: (tenant: string) => Promise<boolean>;
    publish: PublishEvents;
    phoneItems: (item: OverflowItem) => Promise<OverflowItem[]>;
    /** The tenant's SMSIDs whose eSMS callbacks carried a Zalo msg_id (a `zalo.message.status`'s `smsId`). */
    smsIdsOf: (tenant: string, msgId: string) => Promise<string[]>;
    /** Claims the tenant's hour of `alert.unparsed_events` for a kept raw item (`claimant` its key): true if it holds it. */
    claimUnparsedHour: (tenant: string, hour: string, claimant: string, at: number) => Promise<boolean>;
  };
}

/** Dead letters of the projector are filed under this name instead of a shard id (Lambda names none without a window). */
export const PROJECTOR_LETTERS = 'projector';

const bySequence = (a: string, b: string): number => (a.length - b.length) || (a < b ? -1 : a > b ? 1 : 0);

export const buildProjector = (deps: ProjectorDeps) => async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const readable: Array<{ change: ChangeRecord; record: DynamoDBRecord }> = [];
  const items: Array<{ item: OverflowItem; seq: string }> = [];
  const deadLetter = async (record: DynamoDBRecord | undefined, sequenceNumber: string, reason: string) => {
    await deps.deadLetters.add({ shardId: PROJECTOR_LETTERS, sequenceNumber, reason, record, at: deps.now() });
    deps.telemetry.count(METRICS.deadLetteredRecords);
    // A schema error quotes the offending value, which may be a phone number.
    deps.log.error('stream record dead-lettered by the projector', { sequenceNumber, reason: maskDigits(reason) });
  };
  for (const record of event.Records) {
    const change = deps.toChange(record);
    try {
      const item = insertedCallback(change);
      if (item) items.push({ item, seq: change.sequenceNumber });
      readable.push({ change, record });
    } catch (error) {
      await deadLetter(record, change.sequenceNumber, String(error));
    }
  }

  const failedAt: string[] = [];
  const advances = headAdvances(items.map(({ item }) => item));
  const outcomes = await runInLanes(advances, deps.concurrency ?? 8, (advance) => projectHead(deps.heads, advance));
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome.status === 'fulfilled') continue;
    const { tenant, smsId } = advances[index]!.description;
    const seqs = items.filter(({ item }) => item.tenant === tenant && item.smsId === smsId).map(({ seq }) => seq);
    failedAt.push(seqs.sort(bySequence)[0]!);
    deps.log.warn('head advance failed; its records will be retried', { error: String(outcome.reason) });
  }
  deps.telemetry.count(METRICS.headAdvances, {}, outcomes.filter((outcome) => outcome.status === 'fulfilled' && outcome.value.changed).length);

  const pairs = readable.flatMap(({ change }) => phonePairsOf(change));
  if (pairs.length > 0) {
    try {
      const { refused } = await deps.phoneIndex.index(pairs);
      for (const { pair, reason } of refused) {
        const record = readable.find(({ change }) => change.sequenceNumber === pair.sequenceNumber)?.record;
        await deadLetter(record, pair.sequenceNumber, `phone index: ${reason}`);
      }
    } catch (error) {
      failedAt.push(pairs.map((pair) => pair.sequenceNumber).sort(bySequence)[0]!);
      deps.log.warn('phone index failed; its records will be retried', { error: String(error) });
    }
  }
  if (deps.suppressions) {
    const failed = await applySuppressions(deps, deps.suppressions, readable.map(({ change }) => change));
    if (failed !== undefined) failedAt.push(failed);
  }
  if (deps.events) {
    const failed = await publishEvents(deps, deps.events, readable.map(({ change }) => change));
    if (failed !== undefined) failedAt.push(failed);
  }
  if (failedAt.length === 0) return { batchItemFailures: [] };
  return { batchItemFailures: [{ itemIdentifier: failedAt.sort(bySequence)[0]! }] };
};

/**
 * Applies the suppression changes of the batch: per subject only the newest (an older one would be refused
 * by the store's order condition anyway); answers the earliest sequence number to retry from, if any failed.
 */
const applySuppressions = async (deps: ProjectorDeps, writer: SuppressionWriter, changes: ChangeRecord[]): Promise<string | undefined> => {
  const newest = new Map<string, { change: SuppressionChange; seqs: string[] }>();
  for (const record of changes) {
    let derived: SuppressionChange[];
    try {
      derived = suppressionChanges(record);
    } catch (error) {
      deps.log.error('suppressions of a stream record could not be derived', { sequenceNumber: record.sequenceNumber, error: maskDigits(String(error)) });
      continue;
    }
    for (const change of derived) {
      const key = `${change.tenant}\n${change.subject}`;
      const held = newest.get(key);
      if (!held) newest.set(key, { change, seqs: [change.sequenceNumber] });
      else newest.set(key, { change: change.order > held.change.order ? change : held.change, seqs: [...held.seqs, change.sequenceNumber] });
    }
  }
  const groups = [...newest.values()];
  const outcomes = await runInLanes(groups, deps.concurrency ?? 8, ({ change }) => writer.apply(change));
  const failed = outcomes.flatMap((outcome, index) => (outcome.status === 'rejected' ? groups[index]!.seqs : []));
  if (failed.length > 0) deps.log.warn('suppressions not written; their records will be retried', { failed: failed.length });
  return failed.sort(bySequence)[0];
};

/** Derives and publishes the batch's events; answers the earliest sequence number to retry from, if any failed. */
const publishEvents = async (deps: ProjectorDeps, events: NonNullable<ProjectorDeps['events']>, changes: ChangeRecord[]): Promise<string | undefined> => {
  const derived: Array<{ seq: string; events: TenantEvent[] }> = [];
  const recipients: Array<{ seq: string; item: OverflowItem }> = [];
  const zalo: Array<{ seq: string; item: StoredZaloEvent & { tenant: string } }> = [];
  const rejected: Array<{ seq: string; item: RejectedItem & { tenant: string } }> = [];
  const tenants = [...new Set(changes.map(({ newImage, oldImage }) => String((newImage ?? oldImage)?.tenant ?? '')).filter(Boolean))];
  let listening: Set<string>;
  try {
    listening = new Set((await Promise.all(tenants.map(async (tenant) => ((await events.listening(tenant)) ? tenant : undefined)))).filter((t): t is string => t !== undefined));
  } catch (error) {
    deps.log.warn('destinations not read; the records will be retried', { error: String(error) });
    return changes.map(({ sequenceNumber }) => sequenceNumber).sort(bySequence)[0];
  }
  for (const change of changes) {
    if (!listening.has(String((change.newImage ?? change.oldImage)?.tenant ?? ''))) continue;
    try {
      const fromHead = headEvents(change);
      if (fromHead.length > 0) derived.push({ seq: change.sequenceNumber, events: fromHead });
      const item = insertedRecipientItem(change);
      if (item) recipients.push({ seq: change.sequenceNumber, item });
      const zaloItem = insertedZaloEvent(change);
      if (zaloItem) zalo.push({ seq: change.sequenceNumber, item: zaloItem });
      const finding = insertedFinding(change);
      if (finding) derived.push({ seq: change.sequenceNumber, events: [callbacksLostEvent(finding)] });
      const kept = insertedRejected(change);
      if (kept) rejected.push({ seq: change.sequenceNumber, item: kept });
    } catch (error) {
      // A record the projector read above but events cannot: logged, never blocking the shard.
      deps.log.error('events of a stream record could not be derived', { sequenceNumber: change.sequenceNumber, error: maskDigits(String(error)) });
    }
  }
  const failedSeqs: string[] = [];
  const lookups = await runInLanes(recipients, deps.concurrency ?? 8, async ({ item }) => recipientItemEvent(item, await events.phoneItems(item)));
  for (const [index, outcome] of lookups.entries()) {
    if (outcome.status === 'rejected') failedSeqs.push(recipients[index]!.seq);
    else if (outcome.value) derived.push({ seq: recipients[index]!.seq, events: [outcome.value] });
  }
  const linked = await runInLanes(zalo, deps.concurrency ?? 8, async ({ item }) =>
    zaloEvents(item, new Map(await Promise.all(statusMsgIds(item).map(async (msgId) => [msgId, await events.smsIdsOf(item.tenant, msgId)] as const)))));
  for (const [index, outcome] of linked.entries()) {
    if (outcome.status === 'rejected') failedSeqs.push(zalo[index]!.seq);
    else if (outcome.value.length > 0) derived.push({ seq: zalo[index]!.seq, events: outcome.value });
  }
  // Only the first kept item of a tenant's hour in the batch tries the claim: the others would lose it anyway, so a
  // flood costs one conditional write per batch, not one per item.
  const tried = new Set<string>();
  for (const { seq, item } of rejected) {
    const hour = `${item.tenant}\n${unparsedHour(item)}`;
    if (tried.has(hour)) continue;
    tried.add(hour);
    try {
      if (await events.claimUnparsedHour(item.tenant, unparsedHour(item), `${item.pk}#${item.sk}`, item.receivedAt)) derived.push({ seq, events: [unparsedEvent(item)] });
    } catch (error) {
      deps.log.warn('unparsed alert not claimed; its record will be retried', { error: String(error) });
      failedSeqs.push(seq);
    }
  }
  try {
    if (derived.length > 0) await events.publish(derived.flatMap(({ events: list }) => list));
  } catch (error) {
    deps.log.warn('events not published; their records will be retried', { error: String(error) });
    failedSeqs.push(...derived.map(({ seq }) => seq));
  }
  return failedSeqs.sort(bySequence)[0];
};
