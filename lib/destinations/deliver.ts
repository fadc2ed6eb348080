/**
 * The delivery function's work (docs/destinations.md, docs/decisions.md "Event destinations"): each message
 * of the `DestinationDeliveries` queue is one event for one destination at one attempt.
 * - A message still holding a wait (`wait` > 0: a retry further away than SQS's 15-minute delay) is put back
 *   for the next hop and nothing is sent.
 * - A suspended tenant's delivery waits: put back for 15 minutes, not sent, not recorded, no attempt spent.
 * - The destination is read again (a deleted or disabled one gets nothing), its URL resolved and checked at
 *   this delivery (`safeAddress`, the address pinned for the connection: DNS rebinding cannot swap it).
 * - The logged body is POSTed byte for byte, signed per Standard Webhooks (both secrets during a rotation's
 *   24 hours), within 15 s, no redirect followed; a `2xx` is a success, anything else a failure.
 * - Each attempt is recorded (status or error, duration, at most 1 KB of the answer); a failure queues the
 *   next attempt after the schedule's next wait, until the schedule is spent (the attempt is then `failed`).
 * - A destination failing every attempt for 5 days is disabled, with an `alert.destination_disabled` event for
 *   the tenant's other destinations (and the event log).
 * - A failing destination (its last attempt failed: `failingSince` set) takes at most `maxInFlight` deliveries
 *   at once (a slot taken before the POST, released after it): one that finds every slot held goes back on the
 *   queue for `BUSY_WAIT_SECONDS` at the same attempt, unsent and unrecorded, so a hanging destination's backlog
 *   holds at most its slots of the function's concurrency, never everyone's. A healthy destination takes no
 *   slot (no cost, no cap on its throughput).
 * Messages run side by side with bounded concurrency and each reports its own failure (a storage or queue
 * outage; never a receiver's failure, which is a retry on the schedule), so a slow receiver holds one slot.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as v from 'valibot';
import { UnsafeAddressError } from '../errors';
import { runInLanes } from '../lanes';
import type { Log } from '../observability/ports';
import { destinationSealContext } from '../table/destinations';
import { vietnamIso } from '../time';
import { eventId } from './derive';
import { DeliveryTaskSchema, makeEvent, type DeliveryTask } from './events';
import type { PublishEvents } from './fan-out';
import type { Attempt, DestinationStore, EnqueueDeliveries, InFlightSlots, PostEvent } from './ports';

export type { PostEvent, PostRequest } from './ports';
import { DISABLE_AFTER_MS, nextHop } from './schedule';
import { webhookHeaders } from './sign';
import { safeAddress, type Resolve, type UrlPolicy } from './url';

/** The contract's wait for an answer. */
export const DELIVERY_TIMEOUT_MS = 15_000;
/** The attempt log keeps this much of an answer. */
export const ANSWER_LIMIT_BYTES = 1024;

export interface DeliveryDeps {
  store: Pick<DestinationStore, 'get' | 'update' | 'addAttempt'>;
  open: (sealed: string, context: string) => string;
  enqueue: EnqueueDeliveries;
  post: PostEvent;
  resolve: Resolve;
  policy: UrlPolicy;
  /** Waits before each retry in seconds (lib/destinations/schedule.ts). */
  schedule: readonly number[];
  now: () => number;
  log: Log;
  /** Where an `alert.destination_disabled` goes (lib/destinations/fan-out.ts). */
  publish: PublishEvents;
  /** Whether the tenant is suspended: its deliveries wait, unsent and unrecorded, until it resumes. */
  suspended?: (tenant: string) => Promise<boolean>;
  /** Counts a destination disabled (the operator's alarm, infra/observability.js). */
  countDisabled?: () => void;
  /** Per-destination cap of deliveries in flight (absent: no cap). */
  slots?: InFlightSlots;
  maxInFlight?: number;
  /** Messages of one batch in flight at once. */
  concurrency?: number;
  timeoutMs?: number;
}

export type DeliveryOutcome = 'hopped' | 'paused' | 'busy' | 'skipped' | 'delivered' | 'retrying' | 'failed';

/** How long a delivery that found its destination's slots all held waits before it tries again. */
export const BUSY_WAIT_SECONDS = 30;
/** A slot's lease outlives the POST's time-out by this much (then it frees itself: a crashed delivery). */
const LEASE_MARGIN_MS = 15_000;

/** How long a suspended tenant's delivery waits before it looks again (SQS's longest delay). */
export const SUSPENDED_WAIT_SECONDS = 900;

const truncate = (text: string): string => {
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length <= ANSWER_LIMIT_BYTES ? text : bytes.subarray(0, ANSWER_LIMIT_BYTES).toString('utf8').replace(/\uFFFD$/, '');
};

/** One queue message's work; throws only when storage or the queue fails (the message comes back). */
export const deliver = async (deps: DeliveryDeps, task: DeliveryTask): Promise<DeliveryOutcome> => {
  if (task.wait !== undefined && task.wait > 0) {
    const hop = nextHop(task.wait);
    await deps.enqueue([{ task: { ...task, wait: hop.remaining }, delaySeconds: hop.delaySeconds }]);
    return 'hopped';
  }
  if (deps.suspended && await deps.suspended(task.tenant)) {
    await deps.enqueue([{ task, delaySeconds: SUSPENDED_WAIT_SECONDS }]);
    return 'paused';
  }
  const destination = await deps.store.get(task.tenant, task.destination);
  if (!destination || !destination.enabled) return 'skipped';

  const started = deps.now();
  const secrets = [deps.open(destination.secret, destinationSealContext(task.tenant, destination.id, 'secret'))];
  if (destination.previous !== undefined && (destination.previousUntil ?? 0) > started) {
    secrets.push(deps.open(destination.previous, destinationSealContext(task.tenant, destination.id, 'previous')));
  }
  let slot: string | undefined;
  const timeoutMs = deps.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  if (deps.slots && deps.maxInFlight !== undefined && destination.failingSince !== undefined) {
    slot = await deps.slots.take(task.tenant, destination.id, deps.maxInFlight, started, started + timeoutMs + LEASE_MARGIN_MS);
    if (slot === undefined) {
      await deps.enqueue([{ task, delaySeconds: BUSY_WAIT_SECONDS }]);
      return 'busy';
    }
  }
  let outcome: Pick<Attempt, 'status' | 'error' | 'answer'>;
  try {
    const url = new URL(destination.url);
    const address = await safeAddress(url, deps.policy, deps.resolve);
    const { status, answer } = await deps.post({
      url, address, body: task.event.body, timeoutMs,
      headers: { ...webhookHeaders(secrets, task.event.id, deps.now(), task.event.body), 'content-type': 'application/json' },
    });
    outcome = { status, ...(answer !== '' && { answer: truncate(answer) }) };
  } catch (error) {
    outcome = { error: error instanceof UnsafeAddressError ? error.message : error instanceof Error ? error.message : String(error) };
  }
  if (slot !== undefined) await deps.slots!.release(task.tenant, destination.id, slot);
  const ok = outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300;
  const last = task.attempt > deps.schedule.length;
  const at = deps.now();
  await deps.store.addAttempt(task.tenant, destination.id, {
    eventId: task.event.id, type: task.event.type, at, attempt: task.attempt, durationMs: at - started, ok, ...outcome, ...(!ok && last && { failed: true }),
  });

  if (ok) {
    if (destination.failingSince !== undefined) await deps.store.update(task.tenant, destination.id, { failingSince: undefined });
    return 'delivered';
  }
  if (destination.failingSince === undefined) {
    await deps.store.update(task.tenant, destination.id, { failingSince: started, updatedAt: at });
  } else if (at - destination.failingSince >= DISABLE_AFTER_MS) {
    await deps.store.update(task.tenant, destination.id, { enabled: false, disabledReason: 'failing', updatedAt: at });
    deps.log.warn('destination disabled: every attempt failed for 5 days', { tenant: task.tenant, destination: destination.id });
    deps.countDisabled?.();
    const since = destination.failingSince;
    await deps.publish([{
      tenant: task.tenant,
      event: makeEvent(eventId(task.tenant, destination.id, 'disabled', since), 'alert.destination_disabled', at, {
        destinationId: destination.id, url: destination.url, failingSince: vietnamIso(since), reason: 'every attempt failed for 5 days',
      }),
    }]);
  }
  if (last) return 'failed';
  const hop = nextHop(deps.schedule[task.attempt - 1]!);
  await deps.enqueue([{ task: { ...task, attempt: task.attempt + 1, wait: hop.remaining }, delaySeconds: hop.delaySeconds }]);
  return 'retrying';
};

/** The SQS handler: every message of the batch at once (bounded), each failing alone. */
export const buildDeliveryHandler = (deps: DeliveryDeps) => async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const outcomes = await runInLanes(event.Records, deps.concurrency ?? 10, async (record) => {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch {
      body = undefined;
    }
    const parsed = v.safeParse(DeliveryTaskSchema, body);
    if (!parsed.success) {
      // A message that is not a task can never be delivered: dropped, not retried.
      deps.log.error('delivery queue message is not a delivery task; dropped', { messageId: record.messageId });
      return 'skipped';
    }
    return deliver(deps, parsed.output);
  });
  const failures = outcomes.flatMap((outcome, index) => {
    if (outcome.status === 'fulfilled') return [];
    deps.log.warn('delivery not processed; the message comes back', { messageId: event.Records[index]!.messageId, error: String(outcome.reason) });
    return [{ itemIdentifier: event.Records[index]!.messageId }];
  });
  return { batchItemFailures: failures };
};
