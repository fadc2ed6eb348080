/**
 * Zalo webhook ingestion: the inbound pipeline bound to Zalo's signed POSTs. The body's app id is looked
 * up in the app directory first (its tenant owns everything the request brings); an app still waiting for
 * its OA Secret Key has its requests kept raw; otherwise the signature is checked on the raw bytes before
 * anything is parsed. A signed, fresh request is always answered 200 (Zalo disables a webhook after
 * repeated non-200 answers): an event the parsers cannot read is kept raw as *unparsed*. The event is
 * stored with one conditional Put, its conversation copy and state changes (all idempotent) in the same
 * round trip, so the answer stays well inside Zalo's 2-second budget.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ParseError, RequestError, StorageUnavailableError } from '../errors';
import { headerValue, type Headers } from '../headers';
import type { RecordUse } from '../tenants/last-used';
import { storageBudget, type InboundDeps } from './deps';
import type { BufferedRequest } from './buffer';
import { handleInbound, type InboundSteps } from './pipeline';
import { rawBody, sourceNetwork } from '../http/request';
import { errorResponse, json } from '../http/response';
import { bodyFacts, maskPhone } from '../mask';
import { DIMENSIONS, METRICS } from '../observability/metric-names';
import { copyItems, eventItem } from '../zalo/items';
import { parseZaloEvent, ZALO_SERVER_HEADER, type KnownZaloEvent, type ParsedZaloEvent, type UnparsedZaloEvent } from '../zalo/parse';
import type { PendingZaloRequests, TokenStore, ZaloApp, ZaloAppDirectory, ZaloEventStore, ZaloStateStore } from '../zalo/ports';
import { readSignedFields, refusalDetail, refused, verifyZaloSignature, ZALO_SIGNATURE_HEADER, type SignedFields } from '../zalo/signature';
import { phonePointers, stateChanges, trackingPointers } from '../zalo/state';

export interface ZaloIngestDeps extends InboundDeps {
  /** app id → its tenant and OA Secret Key (undefined while pending). */
  apps: ZaloAppDirectory;
  /** Where requests of a pending app wait for its key. */
  pending: PendingZaloRequests;
  events: Pick<ZaloEventStore, 'putEvent' | 'putCopies'>;
  state: Pick<ZaloStateStore, 'apply'>;
  /** A `permission_revoked` event marks its OA disconnected (no refresh until it connects again). */
  revocations: Pick<TokenStore, 'markRevoked'>;
  /** Records a registry app's verified request as its last use (lib/tenants/last-used.ts); absent: nothing recorded. */
  recordUse?: RecordUse;
}

/** A request as received: the raw body (byte for byte), its headers, when it arrived and from which network. */
export interface ZaloRequest {
  raw: string;
  headers: Headers;
  receivedAt: number;
  /** lib/http/request.ts `sourceNetwork`; absent for requests that did not come over HTTP (replay, drain). */
  source?: string;
}

/** Not 'zalo': that is the eSMS /esms/{token}/zalo route, which also counts StorageFailure. */
const ROUTE = { [DIMENSIONS.route]: 'zalo-webhook' };

/** The headers worth keeping beside a kept body: enough to verify and replay it later. */
const KEPT_HEADERS = [ZALO_SIGNATURE_HEADER, ZALO_SERVER_HEADER, 'num_retry', 'content-type'];
export const keptHeaders = (headers: Headers): Record<string, string> =>
  Object.fromEntries(KEPT_HEADERS.flatMap((name) => {
    const value = headerValue(headers, name);
    return value === undefined ? [] : [[name.toLowerCase(), value]];
  }));

type Outcome = 'stored' | 'duplicate' | 'unparsed';

/** Stores a known event under its tenant: the event item, its conversation copy and its state changes. */
/** Replay and the drain of a pending app may run without `revocations`: a revocation event is then only stored. */
type StoreDeps = Pick<ZaloIngestDeps, 'events' | 'state' | 'log'> & Partial<Pick<ZaloIngestDeps, 'revocations'>>;

const storeKnown = async (deps: StoreDeps, tenant: string, appId: string, parsed: KnownZaloEvent, request: ZaloRequest) => {
  const item = eventItem({ parsed, tenant, appId, raw: request.raw, headers: request.headers, receivedAt: request.receivedAt });
  const revoked = parsed.family === 'permission_revoked' && parsed.oaId !== undefined
    ? deps.revocations?.markRevoked(tenant, parsed.oaId, parsed.eventTime, 'permission_revoked event')
    : undefined;
  const copies = copyItems(item, parsed);
  const [[stored, copyWcu, ...changes], disconnected] = await Promise.all([
    Promise.all([
      deps.events.putEvent(item),
      deps.events.putCopies(copies),
      ...[...stateChanges(parsed, tenant), ...trackingPointers(parsed, tenant, item.trackingId), ...phonePointers(parsed, tenant, request.raw, [item.pk, ...copies.map((copy) => copy.pk)])]
        .map((change) => deps.state.apply(change)),
    ]),
    revoked,
  ]);
  if (disconnected !== undefined) deps.log.warn('zalo OA permission revoked', { tenant, oaId: parsed.oaId, disconnected });
  deps.log.info('zalo event', {
    tenant, eventName: item.eventName, family: item.family, oaId: item.oaId, userId: maskPhone(item.userId),
    msgId: item.msgIds?.[0], msgIds: item.msgCount ?? item.msgIds?.length, duplicate: stored.duplicate,
    wcu: (stored.consumedWcu ?? 0) + copyWcu + changes.reduce((sum, change) => sum + (change.consumedWcu ?? 0), 0),
  });
  return stored;
};

/** An event the parsers cannot read: kept raw in the rejected log (reason `unparsed`, answered 200), counted. */
const keepUnparsed = async (deps: Pick<ZaloIngestDeps, 'rejected' | 'telemetry' | 'log'>, tenant: string, parsed: UnparsedZaloEvent, request: ZaloRequest) => {
  await deps.rejected.add({
    tenant, source: 'zalo', route: 'webhook', status: 200, field: parsed.field, reason: 'unparsed',
    raw: request.raw, headers: keptHeaders(request.headers), receivedAt: request.receivedAt,
  });
  deps.telemetry.count(METRICS.zaloEventUnparsed, ROUTE);
  // Never the body itself (chat text, phones): its size and a hash find the kept copy in the rejected log.
  deps.log.warn('zalo event unparsed', { tenant, eventName: parsed.eventName?.slice(0, 64), field: parsed.field, reason: parsed.reason, ...bodyFacts(request.raw) });
};

const parseRequest = (fields: SignedFields, request: ZaloRequest): ParsedZaloEvent =>
  parseZaloEvent(fields.envelope, request.headers, request.raw);

const steps = (deps: ZaloIngestDeps, app: ZaloApp & { secret: string }, fields: SignedFields): InboundSteps<ZaloRequest, ParsedZaloEvent> => ({
  async authenticate({ raw, headers, receivedAt }) {
    verifyZaloSignature({ rawBody: raw, headers, fields, secret: app.secret, now: receivedAt });
    // An app of the settings has no index entry to record on.
    if (app.fromSettings !== true) await deps.recordUse?.({ tenant: app.tenant, kind: 'zalo-app', id: app.appId });
  },
  parse: (request) => parseRequest(fields, request),
  async store(parsed, request) {
    if (!parsed.known) {
      await keepUnparsed(deps, app.tenant, parsed, request);
      return { duplicate: false, extra: { unparsed: true } };
    }
    return { duplicate: (await storeKnown(deps, app.tenant, fields.appId, parsed, request)).duplicate };
  },
  async keepRejected({ raw, headers, receivedAt }, error) {
    // Only a storage bug reaches here (parsing never throws): keep the raw body for replay once fixed.
    await deps.rejected.add({
      tenant: app.tenant, source: 'zalo', route: 'webhook', status: error.status, field: error.field, reason: error.message,
      raw, headers: keptHeaders(headers), receivedAt,
    });
  },
  ...(deps.buffer && {
    buffer: async ({ raw, headers, receivedAt }, work) => {
      await deps.buffer!.keep({ v: 1, provider: 'zalo', tenant: app.tenant, raw, headers: keptHeaders(headers), receivedAt, work });
    },
  }),
  budget: ({ receivedAt }) => storageBudget(deps, receivedAt),
  observe: (outcome) => observe(deps, outcome),
});

const observe = (deps: ZaloIngestDeps, outcome: Parameters<InboundSteps<ZaloRequest, unknown>['observe']>[0], appId?: string): void => {
  switch (outcome.kind) {
    case 'accepted': return deps.telemetry.count(METRICS.zaloEventAccepted, ROUTE);
    case 'duplicate': return deps.telemetry.count(METRICS.zaloEventDuplicate, ROUTE);
    case 'refused':
      deps.telemetry.count(METRICS.signatureFailure, ROUTE);
      return deps.log.warn('zalo webhook refused', { reason: refusalDetail(outcome.error), ...(appId !== undefined && { appId: appId.slice(0, 64) }) });
    case 'rejected':
      return deps.log.warn('zalo event rejected', { field: outcome.error.field, reason: outcome.error.message });
    case 'buffered':
      deps.telemetry.count(METRICS.callbackBuffered, ROUTE);
      return deps.log.warn('storage unavailable within the budget: event kept in the buffer', { route: 'zalo', error: String((outcome.error as Error).cause ?? outcome.error) });
    case 'storage-failure':
      deps.telemetry.count(METRICS.storageFailure, ROUTE);
      return deps.log.error('storage unavailable', { route: 'zalo', error: String((outcome.error as Error).cause ?? outcome.error) });
    case 'error':
      return deps.log.error('unexpected error', { route: 'zalo', error: outcome.error instanceof Error ? outcome.error.stack : String(outcome.error) });
  }
};

const withSecret = (app: ZaloApp | undefined): (ZaloApp & { secret: string }) | undefined =>
  app?.secret === undefined ? undefined : { ...app, secret: app.secret };

/**
 * Finds the app a request names and handles a pending one: its request is kept raw (`pending: true`), or
 * dropped when the app's cap is reached (still 200: a retry would be dropped the same way). When the key
 * arrived meanwhile the app is read again and the request verified as usual.
 */
type Resolved = { app: ZaloApp & { secret: string } } | { answer: APIGatewayProxyStructuredResultV2 };

const resolveApp = async (deps: ZaloIngestDeps, fields: SignedFields, request: ZaloRequest): Promise<Resolved> => {
  const app = await deps.apps.find(fields.appId);
  if (app === undefined) throw refused(`app ${fields.appId} is not registered`);
  const ready = withSecret(app);
  if (ready) return { app: ready };
  const kept = await deps.pending.keep(app, { raw: request.raw, headers: keptHeaders(request.headers), receivedAt: request.receivedAt, ...(request.source !== undefined && { source: request.source }) });
  if (kept.kept) {
    deps.telemetry.count(METRICS.zaloPendingKept, ROUTE);
    return { answer: json(200, { ok: true, pending: true }) };
  }
  if (kept.pending) {
    deps.telemetry.count(METRICS.zaloPendingDropped, ROUTE);
    deps.log.warn('zalo pending request dropped: the app\'s cap of kept requests is reached', { tenant: app.tenant, appId: app.appId });
    return { answer: json(200, { ok: true, pending: true, kept: false }) };
  }
  const configured = withSecret(await deps.apps.find(fields.appId));
  if (!configured) throw refused(`app ${fields.appId} left pending without a key`);
  return { app: configured };
};

export const buildZaloIngest = (deps: ZaloIngestDeps) => async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const request: ZaloRequest = { raw: rawBody(event), headers: event.headers ?? {}, receivedAt: deps.now(), source: sourceNetwork(event.requestContext?.http?.sourceIp) };
  let fields: SignedFields | undefined;
  try {
    fields = readSignedFields(request.raw);
    const resolved = await resolveApp(deps, fields, request);
    if ('answer' in resolved) return resolved.answer;
    return await handleInbound(steps(deps, resolved.app, fields), request);
  } catch (error) {
    if (error instanceof RequestError) observe(deps, { kind: 'refused', error }, fields?.appId);
    else if (error instanceof StorageUnavailableError) observe(deps, { kind: 'storage-failure', error });
    else observe(deps, { kind: 'error', error });
    return errorResponse(error);
  }
};

/**
 * Ingests a request already verified for `tenant` (e.g. a request kept while its app was pending, once
 * the key is configured and the request passed `verifyZaloRequest` against its receive time): stored,
 * a duplicate, or kept as unparsed exactly as on the live path.
 */
export const buildZaloVerifiedIngest = (deps: StoreDeps & Pick<ZaloIngestDeps, 'rejected' | 'telemetry'>) => async (tenant: string, request: ZaloRequest): Promise<Outcome> => {
  const fields = readSignedFields(request.raw);
  const parsed = parseRequest(fields, request);
  if (!parsed.known) {
    await keepUnparsed(deps, tenant, parsed, request);
    return 'unparsed';
  }
  return (await storeKnown(deps, tenant, fields.appId, parsed, request)).duplicate ? 'duplicate' : 'stored';
};

/**
 * Replays a kept body (already in the rejected log) through today's parser and store. Only bodies that
 * passed the signature check were kept, so it is not checked again (the freshness window would refuse
 * every old entry); one the parsers still cannot read throws ParseError and stays in the log.
 */
export const buildZaloReplay = (deps: StoreDeps) =>
  async (tenant: string, request: ZaloRequest): Promise<'stored' | 'duplicate'> => {
    let fields: SignedFields;
    try {
      fields = readSignedFields(request.raw);
    } catch (error) {
      throw new ParseError('body', error instanceof RequestError ? refusalDetail(error) : 'body is not a signed Zalo event');
    }
    const parsed = parseRequest(fields, request);
    if (!parsed.known) throw new ParseError(parsed.field, parsed.reason);
    return (await storeKnown(deps, tenant, fields.appId, parsed, request)).duplicate ? 'duplicate' : 'stored';
  };

/** The drain's side of a buffered Zalo request: verified when it arrived, stored (or kept as rejected) under its tenant now. */
export const buildZaloBufferedStore = (deps: StoreDeps & Pick<ZaloIngestDeps, 'rejected' | 'telemetry'>) => {
  const ingest = buildZaloVerifiedIngest(deps);
  return async (request: Extract<BufferedRequest, { provider: 'zalo' }>): Promise<'stored' | 'duplicate' | 'unparsed' | 'rejected'> => {
    const { tenant, raw, headers, receivedAt, work } = request;
    if (work.kind === 'rejected') {
      await deps.rejected.add({ tenant, source: 'zalo', route: 'webhook', status: work.error.status, field: work.error.field, reason: work.error.message, raw, headers, receivedAt });
      return 'rejected';
    }
    return ingest(tenant, { raw, headers, receivedAt });
  };
};
