/**
 * The destinations routes (docs/destinations.md): a tenant's HTTPS endpoints, their secrets (shown once),
 * the attempt log, a test event and the replay of a window. Every route runs under the read API's key
 * check (lib/api/read-api.ts), so the tenant is the key's, or `tenant=` for the admin key.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as v from 'valibot';
import { RequestError } from '../errors';
import { rawBody } from '../http/request';
import { json } from '../http/response';
import { EVENT_TYPES, makeEvent, TEST_EVENT, wants } from '../destinations/events';
import type { Destination, DestinationChanges, DestinationStore, EnqueueDeliveries, EventLog } from '../destinations/ports';
import { newSecret } from '../destinations/sign';
import { checkDestinationUrl, type Resolve, type UrlPolicy } from '../destinations/url';
import { DESTINATION_ID_PATTERN, destinationSealContext, EVENT_RETENTION_DAYS } from '../table/destinations';
import { vietnamIso } from '../time';
import { ANSWERS, shaped, type AnswerBody } from './answers';
import { RawAnswer } from './csv';
import { listParams, pathParam, type Caller } from './read-api';

export interface DestinationsDeps {
  store: DestinationStore;
  events: EventLog;
  enqueue: EnqueueDeliveries;
  seal: (plaintext: string, context: string) => string;
  open: (sealed: string, context: string) => string;
  policy: UrlPolicy;
  resolve: Resolve;
  newId: () => string;
  now: () => number;
}

/** Destinations per tenant: each event is one delivery per destination, so this bounds a tenant's fan-out. */
export const MAX_DESTINATIONS = 20;
/** Events one replay call queues; a larger window answers `next`, the time to call again from. */
export const REPLAY_PAGE = 5000;
const ROTATION_OVERLAP_MS = 24 * 3_600_000;

const EventsSchema = v.pipe(v.array(v.picklist(EVENT_TYPES, `events must be among ${EVENT_TYPES.join(', ')}`)), v.minLength(1), v.maxLength(EVENT_TYPES.length));
export const CreateDestinationSchema = v.strictObject({
  url: v.string(),
  events: v.optional(EventsSchema),
  description: v.optional(v.pipe(v.string(), v.maxLength(200))),
});
export const PatchDestinationSchema = v.strictObject({
  url: v.optional(v.string()),
  events: v.optional(v.nullable(EventsSchema)),
  description: v.optional(v.pipe(v.string(), v.maxLength(200))),
  enabled: v.optional(v.boolean()),
});
export const ReplayWindowSchema = v.strictObject({ from: v.string(), to: v.string() });

const bodyOf = <S extends v.GenericSchema>(event: APIGatewayProxyEventV2, schema: S, shape: string): v.InferOutput<S> => {
  let body: unknown;
  try {
    body = JSON.parse(rawBody(event) || '{}');
  } catch {
    throw new RequestError(400, 'body', `body must be JSON: ${shape}`);
  }
  const parsed = v.safeParse(schema, body);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const field = issue.path?.map((step) => String(step.key)).join('.') || 'body';
    throw new RequestError(400, field, `${issue.message} (expected ${shape})`);
  }
  return parsed.output;
};

/** What the routes show of a destination: never a secret. */
export const destinationView = (d: Destination) => ({
  id: d.id,
  url: d.url,
  events: d.events ?? null,
  ...(d.description !== undefined && { description: d.description }),
  enabled: d.enabled,
  ...(d.disabledReason !== undefined && { disabledReason: d.disabledReason }),
  ...(d.failingSince !== undefined && { failingSince: vietnamIso(d.failingSince) }),
  ...(d.previousUntil !== undefined && { previousSecretUntil: vietnamIso(d.previousUntil) }),
  createdAt: vietnamIso(d.createdAt),
  updatedAt: vietnamIso(d.updatedAt),
});

const idParam = (event: APIGatewayProxyEventV2): string => {
  const id = pathParam(event, 'id', 64);
  if (!DESTINATION_ID_PATTERN.test(id)) throw new RequestError(404, 'id', 'no destination with this id');
  return id;
};

const existing = async (deps: DestinationsDeps, tenant: string, id: string): Promise<Destination> => {
  const found = await deps.store.get(tenant, id);
  if (!found) throw new RequestError(404, 'id', 'no destination with this id');
  return found;
};

const isoParam = (text: string, field: string): number => {
  const at = /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(at)) throw new RequestError(400, field, `${field} must be an ISO 8601 time such as 2026-05-01T08:00:00+07:00`);
  return at;
};

export const createDestination = (deps: DestinationsDeps) => async (event: APIGatewayProxyEventV2, caller: Caller) => {
  const input = bodyOf(event, CreateDestinationSchema, '{"url":"https://…","events"?:[…],"description"?:"…"}');
  const url = await checkDestinationUrl(input.url, deps.policy, deps.resolve);
  if ((await deps.store.list(caller.tenant)).length >= MAX_DESTINATIONS) {
    throw new RequestError(409, 'url', `a tenant has at most ${MAX_DESTINATIONS} destinations: delete one first`);
  }
  const id = deps.newId();
  const secret = newSecret();
  const now = deps.now();
  const destination: Destination = {
    tenant: caller.tenant, id, url: url.href, enabled: true, createdAt: now, updatedAt: now,
    secret: deps.seal(secret, destinationSealContext(caller.tenant, id, 'secret')),
    ...(input.events !== undefined && { events: input.events }),
    ...(input.description !== undefined && { description: input.description }),
  };
  await deps.store.create(destination);
  return new RawAnswer(json(201, { ok: true, ...shaped(ANSWERS.DestinationCreated, { id, secret, destination: destinationView(destination) }) }));
};

export const listDestinations = (deps: DestinationsDeps) => async (_event: APIGatewayProxyEventV2, caller: Caller): Promise<AnswerBody<'Destinations'>> =>
  ({ destinations: (await deps.store.list(caller.tenant)).map(destinationView) });

export const getDestination = (deps: DestinationsDeps) => async (event: APIGatewayProxyEventV2, caller: Caller): Promise<AnswerBody<'Destination'>> =>
  ({ destination: destinationView(await existing(deps, caller.tenant, idParam(event))) });

export const patchDestination = (deps: DestinationsDeps) => async (event: APIGatewayProxyEventV2, caller: Caller): Promise<AnswerBody<'Destination'>> => {
  const id = idParam(event);
  const input = bodyOf(event, PatchDestinationSchema, '{"url"?:"https://…","events"?:[…]|null,"description"?:"…","enabled"?:true|false}');
  await existing(deps, caller.tenant, id);
  const changes: DestinationChanges = { updatedAt: deps.now() };
  if (input.url !== undefined) changes.url = (await checkDestinationUrl(input.url, deps.policy, deps.resolve)).href;
  if (input.events !== undefined) changes.events = input.events ?? undefined;
  if (input.description !== undefined) changes.description = input.description;
  if (input.enabled === true) Object.assign(changes, { enabled: true, disabledReason: undefined, failingSince: undefined });
  if (input.enabled === false) Object.assign(changes, { enabled: false, disabledReason: 'patch' });
  const updated = await deps.store.update(caller.tenant, id, changes);
  if (!updated) throw new RequestError(404, 'id', 'no destination with this id');
  return { destination: destinationView(updated) };
};

export const deleteDestination = (deps: DestinationsDeps) => async (event: APIGatewayProxyEventV2, caller: Caller): Promise<AnswerBody<'Empty'>> => {
  if (!(await deps.store.remove(caller.tenant, idParam(event)))) throw new RequestError(404, 'id', 'no destination with this id');
  return {};
};

/** A new secret; the one it replaces keeps signing beside it for 24 hours (receivers move at their pace). */
export const rotateSecret = (deps: DestinationsDeps) => async (event: APIGatewayProxyEventV2, caller: Caller): Promise<AnswerBody<'SecretRotated'>> => {
  const id = idParam(event);
  const current = await existing(deps, caller.tenant, id);
  const secret = newSecret();
  const now = deps.now();
  // The current secret moves to the `previous` slot, sealed again under that slot's context.
  const previous = deps.seal(deps.open(current.secret, destinationSealContext(caller.tenant, id, 'secret')), destinationSealContext(caller.tenant, id, 'previous'));
  const updated = await deps.store.update(caller.tenant, id, {
    secret: deps.seal(secret, destinationSealContext(caller.tenant, id, 'secret')),
    previous,
    previousUntil: now + ROTATION_OVERLAP_MS,
    updatedAt: now,
  });
  if (!updated) throw new RequestError(404, 'id', 'no destination with this id');
  return { secret, previousSecretUntil: vietnamIso(now + ROTATION_OVERLAP_MS) };
};

const refuseDisabled = (d: Destination) => {
  if (!d.enabled) throw new RequestError(409, 'id', 'the destination is disabled: PATCH {"enabled":true} first');
};

export const sendTestEvent = (deps: DestinationsDeps) => async (event: APIGatewayProxyEventV2, caller: Caller) => {
  const destination = await existing(deps, caller.tenant, idParam(event));
  refuseDisabled(destination);
  const at = deps.now();
  const test = makeEvent(`evt_test_${deps.newId().slice(4)}`, TEST_EVENT, at, { destinationId: destination.id, message: 'A test event: your endpoint verified its signature if it answered 2xx.' });
  await deps.enqueue([{ task: { tenant: caller.tenant, destination: destination.id, event: test, attempt: 1 } }]);
  return new RawAnswer(json(202, { ok: true, ...shaped(ANSWERS.TestQueued, { eventId: test.id }) }));
};

export const listAttempts = (deps: DestinationsDeps) => async (event: APIGatewayProxyEventV2, caller: Caller): Promise<AnswerBody<'Attempts'>> => {
  const id = idParam(event);
  await existing(deps, caller.tenant, id);
  const { limit, next } = listParams(event);
  const page = await deps.store.attempts(caller.tenant, id, limit, next);
  return {
    attempts: page.items.map((a) => ({
      eventId: a.eventId, type: a.type, at: vietnamIso(a.at), attempt: a.attempt, ok: a.ok,
      ...(a.status !== undefined && { status: a.status }),
      ...(a.error !== undefined && { error: a.error }),
      durationMs: a.durationMs,
      ...(a.answer !== undefined && { answer: a.answer }),
      ...(a.failed === true && { failed: true }),
    })),
    ...(page.next !== undefined && { next: page.next }),
  };
};

/** Sends again every event of the window the destination takes, same ids and bodies, in pages of REPLAY_PAGE. */
export const replayWindow = (deps: DestinationsDeps) => async (event: APIGatewayProxyEventV2, caller: Caller) => {
  const destination = await existing(deps, caller.tenant, idParam(event));
  refuseDisabled(destination);
  const input = bodyOf(event, ReplayWindowSchema, '{"from":"<ISO>","to":"<ISO>"}');
  const from = isoParam(input.from, 'from');
  const to = isoParam(input.to, 'to');
  if (to < from) throw new RequestError(400, 'to', 'to is before from');
  if (from < deps.now() - EVENT_RETENTION_DAYS * 86_400_000) throw new RequestError(400, 'from', `events are kept ${EVENT_RETENTION_DAYS} days`);
  const events = await deps.events.between(caller.tenant, from, to, REPLAY_PAGE + 1);
  const page = events.slice(0, REPLAY_PAGE).filter((e) => wants(destination.events, e.type));
  await deps.enqueue(page.map((e) => ({ task: { tenant: caller.tenant, destination: destination.id, event: e, attempt: 1, replay: true } })));
  const more = events[REPLAY_PAGE];
  return new RawAnswer(json(202, { ok: true, ...shaped(ANSWERS.ReplayQueued, { queued: page.length, ...(more !== undefined && { next: vietnamIso(more.at) }) }) }));
};
