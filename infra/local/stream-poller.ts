/**
 * Lambda's DynamoDB-stream event source mapping, locally: reads DynamoDB Local's real Streams API and
 * invokes the aggregator handler the way Lambda does — shard by shard in order (parents before children),
 * batches of up to `batchSize` within a batching window, tumbling windows (shardId, window, the state the
 * function returned carried to its next invocation, a final invocation when the window ends — also when
 * the shard closes or `drain()` asks, and the state persisted beside the checkpoints), retries from the
 * first `batchItemFailures` record, the source's filter patterns, bisection of a batch whose invocation throws, a
 * bounded number of retries, then a dead-letter entry instead of a blocked shard.
 */
import { existsSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { DescribeTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand,
  type _Record as StreamRecord, type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import type { StreamWindowEvent, StreamWindowResponse } from '../../lib/aggregate/aggregator';
import { localClient } from './dynamodb';

export interface PollerSettings {
  batchSize: number;
  batchWindowMs: number;
  maximumRetryAttempts: number;
  bisectBatchOnFunctionError: boolean;
  tumblingWindowInSeconds: number;
  /**
   * drain() waits out the batching window as Lambda would, instead of flushing at once: for measurements
   * of the write pattern (npm run capacity, the aggregation bench), where batch sizes are the figure.
   */
  drainKeepsWindow?: boolean;
}

export interface LocalDeadLetter {
  shardId: string;
  firstSequenceNumber: string;
  lastSequenceNumber: string;
  count: number;
  reason: string;
  at: string;
  records: DynamoDBRecord[];
}

export interface PollerOptions extends PollerSettings {
  endpoint: string;
  table: string;
  invoke: (event: StreamWindowEvent) => Promise<StreamWindowResponse>;
  checkpointFile?: string;
  deadLetterFile?: string;
  pollIntervalMs?: number;
  onError?: (error: unknown) => void;
  /** The event source's filter (infra/local/stream-filter.ts); absent: every record. */
  filter?: (record: DynamoDBRecord) => boolean;
}

interface ShardState {
  shard: Shard;
  iterator: string | undefined;
  checkpoint: string | undefined;
  done: boolean;
  buffer: DynamoDBRecord[];
  firstBufferedAt: number;
  windowStart: number;
  state: Record<string, string>;
}

const toLambdaRecord = (record: StreamRecord, streamArn: string): DynamoDBRecord => {
  const approx = record.dynamodb?.ApproximateCreationDateTime;
  return {
    ...(record as unknown as DynamoDBRecord),
    eventSourceARN: streamArn,
    dynamodb: {
      ...(record.dynamodb as unknown as DynamoDBRecord['dynamodb']),
      ...(approx ? { ApproximateCreationDateTime: Math.floor(new Date(approx).getTime() / 1000) } : {}),
    },
  };
};

/** The pause between idle passes while a drain() waits: short, so a drain costs a few passes, not a few tenths of a second each. */
const DRAIN_POLL_MS = 10;

export const startStreamPoller = (options: PollerOptions) => {
  const streams = new DynamoDBStreamsClient({ endpoint: options.endpoint, region: 'ddblocal', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const shards = new Map<string, ShardState>();
  const deadLetters: LocalDeadLetter[] = [];
  const saved: Record<string, string> = options.checkpointFile && existsSync(options.checkpointFile) ? JSON.parse(readFileSync(options.checkpointFile, 'utf8')) : {};
  // Lambda keeps a window's state on its side across invocations and restarts; locally it sits beside the checkpoints.
  const stateFile = options.checkpointFile?.replace(/\.json$/, '') + '-window-state.json';
  const savedStates: Record<string, { windowStart: number; state: Record<string, string> }> =
    options.checkpointFile && existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : {};
  const windowed = options.tumblingWindowInSeconds > 0;
  const span = options.tumblingWindowInSeconds * 1000;
  let closeRequested = false;
  let closeWaiters: Array<() => void> = [];
  const stats = { invocations: 0, records: 0, failedInvocations: 0 };
  let streamArn: string | undefined;
  let running = true;
  let busy = false;
  let idleWaiters: Array<() => void> = [];
  // drain(): sentinel keys whose stream record has not been delivered yet.
  const sentinels = new Map<string, () => void>();
  // drain() calls under way: the batching window is not waited out meanwhile (a drain asks for everything now;
  // each one otherwise waited a whole window, 5 s for the aggregator), unless drainKeepsWindow.
  let draining = 0;
  const noteDelivered = (batch: DynamoDBRecord[]) => {
    for (const record of batch) {
      const pk = record.dynamodb?.Keys?.pk?.S;
      const done = pk && sentinels.get(pk);
      if (done) {
        sentinels.delete(pk);
        done();
      }
    }
  };

  const saveCheckpoints = () => {
    if (!options.checkpointFile) return;
    const all = Object.fromEntries([...shards].flatMap(([id, s]) => (s.checkpoint ? [[id, s.checkpoint]] : [])));
    writeFileSync(options.checkpointFile, JSON.stringify({ ...saved, ...all }));
    writeFileSync(stateFile, JSON.stringify(Object.fromEntries([...shards].map(([id, s]) => [id, { windowStart: s.windowStart, state: s.state }]))));
  };

  const deadLetter = (shardId: string, batch: DynamoDBRecord[], reason: string) => {
    const entry: LocalDeadLetter = {
      shardId, count: batch.length, reason, at: new Date().toISOString(), records: batch,
      firstSequenceNumber: batch[0]?.dynamodb?.SequenceNumber ?? '', lastSequenceNumber: batch.at(-1)?.dynamodb?.SequenceNumber ?? '',
    };
    deadLetters.push(entry);
    if (options.deadLetterFile) appendFileSync(options.deadLetterFile, `${JSON.stringify(entry)}\n`);
  };

  const invokeRaw = async (state: ShardState, batch: DynamoDBRecord[], final: boolean): Promise<StreamWindowResponse> => {
    stats.invocations += 1;
    const response = await options.invoke({
      Records: batch,
      shardId: state.shard.ShardId!,
      eventSourceARN: streamArn,
      ...(windowed ? {
        window: { start: new Date(state.windowStart).toISOString(), end: new Date(state.windowStart + span).toISOString() },
        state: state.state,
        isFinalInvokeForWindow: final,
        isWindowTerminatedEarly: false,
      } : {}),
    });
    if (windowed && (response === undefined || response.state === undefined)) throw new Error('tumbling-window response without state');
    state.state = final ? {} : response?.state ?? {};
    return response;
  };

  const hasState = (state: ShardState) => Object.keys(state.state).length > 0;

  /** The window's final invocation (no new records); retried while it fails, the state kept for the next try. */
  const closeWindow = async (state: ShardState): Promise<void> => {
    for (let attempt = 0; attempt <= options.maximumRetryAttempts; attempt += 1) {
      try {
        await invokeRaw(state, [], true);
        saveCheckpoints();
        return;
      } catch (error) {
        stats.failedInvocations += 1;
        options.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };

  const invoke = async (state: ShardState, batch: DynamoDBRecord[]): Promise<StreamWindowResponse> => {
    const now = Date.now();
    if (windowed && now - state.windowStart >= span) {
      if (hasState(state)) await closeWindow(state);
      state.windowStart = now - (now % span);
      state.state = {};
    }
    return invokeRaw(state, batch, false);
  };

  /** Delivers one batch until it succeeds or its retries run out; returns when the shard may move on. */
  const deliver = async (state: ShardState, records: DynamoDBRecord[]) => {
    const queue: Array<{ batch: DynamoDBRecord[]; attempt: number }> = [{ batch: records, attempt: 0 }];
    while (queue.length > 0) {
      const { batch, attempt } = queue.shift()!;
      let retryFrom: DynamoDBRecord[] | undefined;
      let reason = '';
      try {
        const response = await invoke(state, batch);
        const failure = response?.batchItemFailures?.[0]?.itemIdentifier;
        if (failure !== undefined) {
          const index = batch.findIndex((r) => r.dynamodb?.SequenceNumber === failure);
          retryFrom = index === -1 ? batch : batch.slice(index);
          reason = `batchItemFailures from ${failure}`;
        }
      } catch (error) {
        stats.failedInvocations += 1;
        reason = error instanceof Error ? error.message : String(error);
        if (options.bisectBatchOnFunctionError && batch.length > 1 && attempt < options.maximumRetryAttempts) {
          const half = Math.ceil(batch.length / 2);
          queue.unshift({ batch: batch.slice(0, half), attempt: attempt + 1 }, { batch: batch.slice(half), attempt: attempt + 1 });
          continue;
        }
        retryFrom = batch;
      }
      if (retryFrom === undefined) {
        noteDelivered(batch);
        state.checkpoint = batch.at(-1)?.dynamodb?.SequenceNumber ?? state.checkpoint;
        stats.records += batch.length;
        continue;
      }
      const done = batch.slice(0, batch.length - retryFrom.length);
      if (done.length) state.checkpoint = done.at(-1)?.dynamodb?.SequenceNumber ?? state.checkpoint;
      if (attempt < options.maximumRetryAttempts) queue.unshift({ batch: retryFrom, attempt: attempt + 1 });
      else {
        deadLetter(state.shard.ShardId!, retryFrom, reason);
        noteDelivered(retryFrom);
        state.checkpoint = retryFrom.at(-1)?.dynamodb?.SequenceNumber ?? state.checkpoint;
      }
    }
    saveCheckpoints();
  };

  const refreshShards = async () => {
    streamArn ??= (await localClient(options.endpoint).send(new DescribeTableCommand({ TableName: options.table }))).Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`table ${options.table} has no stream`);
    let start: string | undefined;
    do {
      const page = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }));
      for (const shard of page.StreamDescription?.Shards ?? []) {
        if (!shards.has(shard.ShardId!)) {
          shards.set(shard.ShardId!, {
            shard, iterator: undefined, checkpoint: saved[shard.ShardId!], done: false, buffer: [], firstBufferedAt: 0,
            windowStart: savedStates[shard.ShardId!]?.windowStart ?? 0, state: savedStates[shard.ShardId!]?.state ?? {},
          });
        }
      }
      start = page.StreamDescription?.LastEvaluatedShardId;
    } while (start);
  };

  /** One pass over the shards; true when it found or delivered anything. */
  const pollOnce = async (): Promise<boolean> => {
    await refreshShards();
    const closing = closeRequested;
    closeRequested = false;
    const closed = closing ? closeWaiters : [];
    if (closing) closeWaiters = [];
    let ok = false;
    try {
      const activity = await passOver(closing);
      ok = true;
      return activity;
    } finally {
      // A failed pass hands drain()'s request to the next one.
      if (ok) closed.forEach((resolve) => resolve());
      else if (closing) {
        closeWaiters.push(...closed);
        closeRequested = true;
      }
    }
  };

  const passOver = async (closing: boolean): Promise<boolean> => {
    let activity = false;
    for (const state of shards.values()) {
      if (state.done) continue;
      const parent = state.shard.ParentShardId && shards.get(state.shard.ParentShardId);
      if (parent && !parent.done) continue;
      if (!state.iterator) {
        const answer = await streams.send(new GetShardIteratorCommand({
          StreamArn: streamArn, ShardId: state.shard.ShardId,
          ...(state.checkpoint ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: state.checkpoint } : { ShardIteratorType: 'TRIM_HORIZON' }),
        }));
        state.iterator = answer.ShardIterator;
      }
      let page;
      try {
        page = await streams.send(new GetRecordsCommand({ ShardIterator: state.iterator, Limit: 1000 }));
      } catch (error) {
        // DynamoDB Local occasionally refuses an iterator (trimmed/expired); start again from the checkpoint.
        if (error instanceof Error && /TrimmedDataAccess|ExpiredIterator/.test(error.name)) {
          state.iterator = undefined;
          activity = true;
          continue;
        }
        throw error;
      }
      // Records the event source's filters drop never reach a batch (as on Lambda); drain()'s sentinels always do.
      const fresh = (page.Records ?? []).map((r) => toLambdaRecord(r, streamArn!))
        .filter((record) => sentinels.has(record.dynamodb?.Keys?.pk?.S ?? '') || (options.filter?.(record) ?? true));
      if (fresh.length && state.buffer.length === 0) state.firstBufferedAt = Date.now();
      state.buffer.push(...fresh);
      state.iterator = page.NextShardIterator;
      const closedAndDrained = page.NextShardIterator === undefined || page.NextShardIterator === null;
      while (state.buffer.length >= options.batchSize || (state.buffer.length > 0 && ((draining > 0 && !options.drainKeepsWindow) || Date.now() - state.firstBufferedAt >= options.batchWindowMs || closedAndDrained))) {
        activity = true;
        const batch = state.buffer.splice(0, options.batchSize);
        await deliver(state, batch);
        state.firstBufferedAt = Date.now();
      }
      if (fresh.length || state.buffer.length) activity = true;
      // The window ends (by time, because the shard closed, or because drain() asked): its final invocation.
      const windowOver = windowed && Date.now() - state.windowStart >= span;
      if (hasState(state) && state.buffer.length === 0 && (windowOver || closedAndDrained || closing)) {
        await closeWindow(state);
        activity = true;
      }
      if (closedAndDrained && state.buffer.length === 0 && !hasState(state)) state.done = true;
    }
    return activity;
  };

  const loop = (async () => {
    while (running) {
      let activity = false;
      busy = true;
      try {
        activity = await pollOnce();
      } catch (error) {
        options.onError?.(error);
      }
      busy = false;
      if (!activity) {
        const waiters = idleWaiters;
        idleWaiters = [];
        waiters.forEach((resolve) => resolve());
        await new Promise((resolve) => setTimeout(resolve, draining > 0 ? DRAIN_POLL_MS : options.pollIntervalMs ?? 100));
      }
    }
  })();

  return {
    deadLetters,
    stats,
    /**
     * Resolves once everything written before this call has been delivered: it writes a sentinel item and
     * waits for its stream record (DynamoDB Local publishes stream records with a lag under load, so
     * "no records right now" proves nothing), then for a pass with nothing left in any shard.
     */
    drain: async (): Promise<void> => {
      draining += 1;
      try {
        const pk = `DRAIN#${randomUUID()}`;
        const delivered = new Promise<void>((resolve) => sentinels.set(pk, resolve));
        const client = localClient(options.endpoint);
        await client.send(new PutItemCommand({ TableName: options.table, Item: { pk: { S: pk }, sk: { S: '-' }, kind: { S: 'drain' } } }));
        client.destroy();
        await delivered;
        await new Promise<void>((resolve) => idleWaiters.push(resolve));
        // Then end the open windows, as Lambda does when a window's time is up, so counters are written now.
        await new Promise<void>((resolve) => {
          closeWaiters.push(resolve);
          closeRequested = true;
        });
      } finally {
        draining -= 1;
      }
    },
    isBusy: () => busy,
    async stop() {
      running = false;
      await loop;
      streams.destroy();
    },
  };
};
export type StreamPoller = ReturnType<typeof startStreamPoller>;
