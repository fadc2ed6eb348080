/** The delivery function's work (lib/destinations/deliver.ts) over in-memory ports, signatures checked with `standardwebhooks`. */
import type { SQSEvent } from 'aws-lambda';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { buildDeliveryHandler, BUSY_WAIT_SECONDS, deliver, SUSPENDED_WAIT_SECONDS, type DeliveryDeps, type PostRequest } from '../../lib/destinations/deliver';
import { makeEvent, type DeliveryTask } from '../../lib/destinations/events';
import type { Attempt, Destination, EnqueueDeliveries, InFlightSlots } from '../../lib/destinations/ports';
import { DISABLE_AFTER_MS } from '../../lib/destinations/schedule';
import { newSecret } from '../../lib/destinations/sign';
import { LOCAL_DEV_TOKEN_KEY, open, seal, tokenKey } from '../../lib/seal';
import { destinationSealContext } from '../../lib/table/destinations';

const key = tokenKey(LOCAL_DEV_TOKEN_KEY);
/** The real clock: a receiver refuses a webhook-timestamp more than 5 minutes off its own. */
const NOW = Date.now();
const silent = { info: () => {}, warn: () => {}, error: () => {} } as unknown as DeliveryDeps['log'];

const setup = (answer: (request: PostRequest) => Promise<{ status: number; answer: string }>, destination: Partial<Destination> = {}) => {
  const secret = newSecret();
  let row: Destination | undefined = {
    tenant: 'acme', id: 'dst_a', url: 'http://127.0.0.1:9/hook', enabled: true, createdAt: NOW, updatedAt: NOW,
    secret: seal(key, secret, destinationSealContext('acme', 'dst_a', 'secret')), ...destination,
  };
  const attempts: Attempt[] = [];
  const posts: PostRequest[] = [];
  const queued: Parameters<EnqueueDeliveries>[0][number][] = [];
  const published: Array<{ tenant: string; event: { id: string; type: string; body: string } }> = [];
  let now = NOW;
  const deps: DeliveryDeps = {
    store: {
      get: async () => row,
      update: async (_t, _id, changes) => {
        row = { ...row!, ...changes };
        for (const [name, value] of Object.entries(changes)) if (value === undefined) delete (row as unknown as Record<string, unknown>)[name];
        return row;
      },
      addAttempt: async (_t, _id, attempt) => { attempts.push(attempt); },
    },
    open: (text, context) => open(key, text, context),
    enqueue: async (tasks) => { queued.push(...tasks); },
    post: async (request) => { posts.push(request); return answer(request); },
    resolve: async () => ['127.0.0.1'],
    policy: { allowLocal: true },
    schedule: [5, 300, 7200],
    now: () => now,
    log: silent,
    publish: async (events) => { published.push(...events); return { logged: events.length, queued: 0 }; },
  };
  return { deps, secret, attempts, posts, queued, published, row: () => row, tick: (ms: number) => { now += ms; } };
};

const event = makeEvent('evt_1', 'esms.message.updated', NOW - 1000, { smsId: 'abc', version: 3 });
const task = (attempt = 1, extra: Partial<DeliveryTask> = {}): DeliveryTask => ({ tenant: 'acme', destination: 'dst_a', event, attempt, ...extra });

describe('delivery', () => {
  it('POSTs the logged body byte-identical with headers a Standard Webhooks receiver verifies, and records the attempt', async () => {
    const { deps, secret, attempts, posts, queued } = setup(async () => ({ status: 204, answer: '' }));
    expect(await deliver(deps, task())).toBe('delivered');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toBe(event.body);
    expect(posts[0]!.address).toBe('127.0.0.1');
    expect(new Webhook(secret).verify(posts[0]!.body, posts[0]!.headers)).toEqual(JSON.parse(event.body));
    expect(posts[0]!.headers['webhook-id']).toBe('evt_1');
    expect(attempts).toEqual([expect.objectContaining({ eventId: 'evt_1', attempt: 1, status: 204, ok: true })]);
    expect(queued).toEqual([]);
  });

  it('a failure is recorded with at most 1 KB of the answer and the next attempt queued after the schedule\'s wait, same id', async () => {
    const { deps, attempts, queued, row } = setup(async () => ({ status: 500, answer: 'x'.repeat(5000) }));
    expect(await deliver(deps, task(2))).toBe('retrying');
    expect(attempts[0]).toMatchObject({ attempt: 2, status: 500, ok: false });
    expect(Buffer.byteLength(attempts[0]!.answer!)).toBe(1024);
    expect(queued).toEqual([{ task: task(3, { wait: 0 }), delaySeconds: 300 }]);
    expect(row()!.failingSince).toBe(NOW);
  });

  it('waits beyond SQS\'s 900 s travel in hops; the hop sends nothing', async () => {
    const { deps, posts, queued } = setup(async () => ({ status: 500, answer: '' }));
    await deliver(deps, task(3));
    expect(queued[0]).toEqual({ task: task(4, { wait: 7200 - 900 }), delaySeconds: 900 });
    queued.length = 0;
    expect(await deliver(deps, task(4, { wait: 6300 }))).toBe('hopped');
    expect(queued[0]).toEqual({ task: task(4, { wait: 5400 }), delaySeconds: 900 });
    expect(posts).toHaveLength(1);
  });

  it('the last attempt of the schedule is marked failed and nothing more is queued', async () => {
    const { deps, attempts, queued } = setup(async () => { throw new Error('connection refused'); });
    expect(await deliver(deps, task(4))).toBe('failed');
    expect(attempts[0]).toMatchObject({ attempt: 4, error: 'connection refused', ok: false, failed: true });
    expect(queued).toEqual([]);
  });

  it('a disabled or deleted destination gets nothing', async () => {
    const disabled = setup(async () => ({ status: 200, answer: '' }), { enabled: false });
    expect(await deliver(disabled.deps, task())).toBe('skipped');
    expect([disabled.posts.length, disabled.attempts.length]).toEqual([0, 0]);
    const gone = setup(async () => ({ status: 200, answer: '' }));
    gone.deps.store.get = async () => undefined;
    expect(await deliver(gone.deps, task())).toBe('skipped');
  });

  it('a suspended tenant\'s delivery waits: put back for 15 minutes at the same attempt, nothing sent or recorded; once resumed it goes out', async () => {
    const paused = setup(async () => ({ status: 200, answer: '' }));
    let suspended = true;
    const deps = { ...paused.deps, suspended: async (tenant: string) => tenant === 'acme' && suspended };
    expect(await deliver(deps, task(2))).toBe('paused');
    expect([paused.posts.length, paused.attempts.length]).toEqual([0, 0]);
    expect(paused.queued).toEqual([{ task: task(2), delaySeconds: SUSPENDED_WAIT_SECONDS }]);
    suspended = false;
    expect(await deliver(deps, paused.queued[0]!.task)).toBe('delivered');
    expect(paused.attempts.map((attempt) => attempt.attempt)).toEqual([2]);
  });

  it('a 3xx is a failure', async () => {
    const { deps, attempts } = setup(async () => ({ status: 302, answer: '' }));
    expect(await deliver(deps, task())).toBe('retrying');
    expect(attempts[0]!.ok).toBe(false);
  });

  it('an address that resolves to a private range at delivery is refused without connecting', async () => {
    const { deps, posts, attempts } = setup(async () => ({ status: 200, answer: '' }), { url: 'https://hooks.example.com/x' });
    deps.resolve = async () => ['10.0.0.8'];
    deps.policy = { allowLocal: false };
    expect(await deliver(deps, task())).toBe('retrying');
    expect(posts).toHaveLength(0);
    expect(attempts[0]!.error).toMatch(/private/);
  });

  it('during a rotation both secrets sign; after the 24 h only the new one', async () => {
    const old = newSecret();
    const { deps, secret, posts } = setup(async () => ({ status: 200, answer: '' }), {
      previous: seal(key, old, destinationSealContext('acme', 'dst_a', 'previous')), previousUntil: NOW + 1000,
    });
    await deliver(deps, task());
    expect(posts[0]!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(new Webhook(old).verify(posts[0]!.body, posts[0]!.headers)).toBeTruthy();
    expect(new Webhook(secret).verify(posts[0]!.body, posts[0]!.headers)).toBeTruthy();
    deps.now = () => NOW + 2000;
    await deliver(deps, task());
    expect(posts[1]!.headers['webhook-signature']!.split(' ')).toHaveLength(1);
  });

  it('a destination failing every attempt for 5 days is disabled, with an alert.destination_disabled and the operator\'s metric; a success clears failing-since', async () => {
    const failing = setup(async () => ({ status: 500, answer: '' }), { failingSince: NOW - DISABLE_AFTER_MS });
    let counted = 0;
    await deliver({ ...failing.deps, countDisabled: () => { counted += 1; } }, task());
    expect(failing.row()).toMatchObject({ enabled: false, disabledReason: 'failing' });
    // The operator's alarm counts it too (DestinationsDisabled).
    expect(counted).toBe(1);
    expect(failing.published.map(({ tenant, event: alert }) => [tenant, alert.type, JSON.parse(alert.body).data.destinationId])).toEqual([['acme', 'alert.destination_disabled', 'dst_a']]);
    const recovering = setup(async () => ({ status: 200, answer: '' }), { failingSince: NOW - 1000 });
    await deliver(recovering.deps, task());
    expect(recovering.row()!.failingSince).toBeUndefined();
  });

  it('a batch runs its messages side by side: a slow receiver does not hold the others, and a storage failure fails only its message', async () => {
    const done: string[] = [];
    const { deps } = setup(async (request) => {
      if (request.headers['webhook-id'] === 'slow') await new Promise((resolve) => setTimeout(resolve, 300));
      done.push(request.headers['webhook-id']!);
      return { status: 200, answer: '' };
    });
    const addAttempt = deps.store.addAttempt;
    deps.store.addAttempt = async (tenant, id, attempt) => {
      if (attempt.eventId === 'broken') throw new Error('storage down');
      return addAttempt(tenant, id, attempt);
    };
    const records = ['slow', 'a', 'broken', 'b', 'not json'].map((id, i) => ({
      messageId: `m${i}`, body: id === 'not json' ? '{' : JSON.stringify(task(1, { event: { ...event, id } })),
    }));
    const answer = await buildDeliveryHandler(deps)({ Records: records } as unknown as SQSEvent);
    expect(done.indexOf('slow')).toBe(done.length - 1);
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }]);
  });

  it('a failing destination takes at most maxInFlight deliveries at once: one more goes back for 30 s unsent and unrecorded; a slot is freed after the POST, whatever its outcome; a healthy one takes no slot', async () => {
    let release!: () => void;
    const hang = new Promise<void>((resolve) => { release = resolve; });
    const { deps, attempts, posts, queued } = setup(async () => { await hang; return { status: 500, answer: '' }; }, { failingSince: NOW - 60_000 });
    const held = new Map<string, number>();
    const slots: InFlightSlots = {
      take: async (_t, destination, cap) => {
        const count = held.get(destination) ?? 0;
        if (count >= cap) return undefined;
        held.set(destination, count + 1);
        return `slot-${count}`;
      },
      release: async (_t, destination) => { held.set(destination, (held.get(destination) ?? 1) - 1); },
    };
    const capped = { ...deps, slots, maxInFlight: 2 };
    const running = [deliver(capped, task()), deliver(capped, task())];
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await deliver(capped, task(2))).toBe('busy');
    expect(queued).toEqual([{ task: task(2), delaySeconds: BUSY_WAIT_SECONDS }]);
    expect([posts.length, attempts.length]).toEqual([2, 0]);
    release();
    expect(await Promise.all(running)).toEqual(['retrying', 'retrying']);
    expect(held.get('dst_a')).toBe(0);
    const healthy = setup(async () => ({ status: 204, answer: '' }));
    const taken: string[] = [];
    const counting: InFlightSlots = { take: async () => { taken.push('take'); return undefined; }, release: async () => {} };
    expect(await deliver({ ...healthy.deps, slots: counting, maxInFlight: 0 }, task())).toBe('delivered');
    expect(taken).toEqual([]);
  });
});
