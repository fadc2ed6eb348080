/**
 * What destinations need from storage and the queue, declared here and implemented in lib/store/destinations.ts
 * and lib/queue/sqs.ts.
 */
import type { DeliveryTask, PlatformEvent } from './events';

export type { PlatformEvent } from './events';

export interface Destination {
  tenant: string;
  id: string;
  url: string;
  events?: string[];
  description?: string;
  enabled: boolean;
  disabledReason?: string;
  failingSince?: number;
  /** Sealed secrets (lib/seal.ts): the current one, and the one before a rotation with its end. */
  secret: string;
  previous?: string;
  previousUntil?: number;
  createdAt: number;
  updatedAt: number;
}

/** Fields to set; a key present with `undefined` removes the attribute. */
export type DestinationChanges = Partial<Omit<Destination, 'tenant' | 'id' | 'createdAt'>>;

export interface Attempt {
  eventId: string;
  type: string;
  at: number;
  attempt: number;
  status?: number;
  error?: string;
  durationMs: number;
  answer?: string;
  ok: boolean;
  failed?: boolean;
}

export interface DestinationStore {
  /** Creates it; throws if the id exists. */
  create(destination: Destination): Promise<void>;
  list(tenant: string): Promise<Destination[]>;
  get(tenant: string, id: string): Promise<Destination | undefined>;
  /** Applies the changes to an existing destination; undefined when there is none. */
  update(tenant: string, id: string, changes: DestinationChanges): Promise<Destination | undefined>;
  remove(tenant: string, id: string): Promise<boolean>;
  addAttempt(tenant: string, id: string, attempt: Attempt): Promise<void>;
  attempts(tenant: string, id: string, limit: number, cursor: string | undefined): Promise<{ items: Attempt[]; next?: string }>;
}

export interface EventLog {
  add(tenant: string, events: readonly PlatformEvent[]): Promise<void>;
  /** Events with `from ≤ at ≤ to`, oldest first, at most `limit`. */
  between(tenant: string, from: number, to: number, limit: number): Promise<PlatformEvent[]>;
}

/**
 * A destination's in-flight slots (lib/store/destination-slots.ts): at most `cap` deliveries to one destination
 * hold a slot at once, each until its lease ends (a crashed delivery's slot frees itself).
 */
export interface InFlightSlots {
  /** A slot held until `until` (its release token), or undefined when every slot is held. */
  take(tenant: string, destination: string, cap: number, now: number, until: number): Promise<string | undefined>;
  release(tenant: string, destination: string, token: string): Promise<void>;
}

/** Puts deliveries on the delivery queue, each after `delaySeconds` (≤ 900). */
export type EnqueueDeliveries = (tasks: ReadonlyArray<{ task: DeliveryTask; delaySeconds?: number }>) => Promise<void>;

/** One POST to a receiver, connected to `address` (already checked) for `url`'s host. */
export interface PostRequest {
  url: URL;
  address: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}
/** The receiver's status and the first bytes of its answer; throws on no answer (refused, reset, timeout). Implemented in lib/webhook-client/post.ts. */
export type PostEvent = (request: PostRequest) => Promise<{ status: number; answer: string }>;
