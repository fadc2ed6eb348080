/**
 * Zalo webhook ingestion: the inbound pipeline bound to Zalo's signed POSTs. The signature is checked on
 * the raw bytes before anything is parsed; the event is stored with one conditional Put, and its copies
 * and state changes (all idempotent) are written in the same round trip so the answer stays well inside
 * Zalo's 2-second budget. A redelivery re-applies them, which repairs a half-finished earlier attempt.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ParseError, RequestError } from '../errors';
import { headerValue, type Headers } from '../http/headers';
import type { InboundDeps } from '../http/inbound-deps';
import { handleInbound, type InboundSteps } from '../http/pipeline';
import { rawBody } from '../http/request';
import { maskDigits, maskPhone } from '../observability/mask';
import { DIMENSIONS, METRICS } from '../observability/metric-names';
import { copyItems, eventItem } from './items';
import { parseZaloEvent, ZALO_SERVER_HEADER, type ParsedZaloEvent } from './parse';
import type { ZaloEventStore, ZaloStateStore } from './ports';
import { ZALO_SIGNATURE_HEADER, verifyZaloRequest } from './signature';
import { stateChanges } from './state';

export interface ZaloIngestDeps extends InboundDeps {
  /** app_id → OA secret key. */
  apps: () => Record<string, string>;
  events: Pick<ZaloEventStore, 'putEvent' | 'putCopies'>;
  state: Pick<ZaloStateStore, 'apply'>;
}

interface ZaloRequest {
  raw: string;
  headers: Headers;
  receivedAt: number;
}

interface Parsed {
  parsed: ParsedZaloEvent;
  appId: string;
  envelope: Record<string, unknown>;
}

/** Not 'zalo': that is the eSMS /esms/{token}/zalo route, which also counts StorageFailure. */
const ROUTE = { [DIMENSIONS.route]: 'zalo-webhook' };

/** The app_id an unauthenticated body claims (digits only, so nothing else of it reaches the log). */
const claimedAppId = (raw: string): string | undefined => /"app_id"\s*:\s*"(\d{1,30})"/.exec(raw.slice(0, 4096))?.[1];

/** The headers worth keeping beside a rejected body: enough to verify and replay it later. */
const KEPT_HEADERS = [ZALO_SIGNATURE_HEADER, ZALO_SERVER_HEADER, 'num_retry', 'content-type'];
const keptHeaders = (headers: Headers): Record<string, string> =>
  Object.fromEntries(KEPT_HEADERS.flatMap((name) => {
    const value = headerValue(headers, name);
    return value === undefined ? [] : [[name.toLowerCase(), value]];
  }));

const steps = (deps: ZaloIngestDeps): InboundSteps<ZaloRequest, Parsed> => ({
  authenticate({ raw, headers, receivedAt }) {
    try {
      verifyZaloRequest({ rawBody: raw, headers, secrets: deps.apps(), now: receivedAt });
    } catch (error) {
      // A body that is not JSON cannot be authenticated: refuse it like a forgery, keep nothing.
      if (error instanceof ParseError) throw new RequestError(400, error.field, error.message);
      throw error;
    }
  },
  parse({ raw, headers }) {
    const envelope = JSON.parse(raw) as Record<string, unknown>; // verified above: a JSON object
    return { parsed: parseZaloEvent(envelope, headers, raw), appId: String(envelope.app_id), envelope };
  },
  async store({ parsed, appId, envelope }, { raw, headers, receivedAt }) {
    const item = eventItem({ parsed, appId, envelope, raw, headers, receivedAt });
    const [stored, copyWcu, ...changes] = await Promise.all([
      deps.events.putEvent(item),
      deps.events.putCopies(copyItems(item, parsed)),
      ...stateChanges(parsed).map((change) => deps.state.apply(change)),
    ]);
    if (!parsed.known) deps.telemetry.count(METRICS.zaloEventUnknown, ROUTE);
    deps.log.info('zalo event', {
      eventName: item.eventName, family: item.family, oaId: item.oaId, userId: maskPhone(item.userId),
      msgId: item.msgIds?.[0], duplicate: stored.duplicate,
      wcu: (stored.consumedWcu ?? 0) + copyWcu + changes.reduce((sum, change) => sum + (change.consumedWcu ?? 0), 0),
    });
    return { duplicate: stored.duplicate };
  },
  async keepRejected({ raw, headers, receivedAt }, error) {
    await deps.rejected.add({
      source: 'zalo', route: 'webhook', status: error.status, field: error.field, reason: error.message,
      raw, headers: keptHeaders(headers), receivedAt,
    });
  },
  observe(outcome, { raw }) {
    switch (outcome.kind) {
      case 'accepted': return deps.telemetry.count(METRICS.zaloEventAccepted, ROUTE);
      case 'duplicate': return deps.telemetry.count(METRICS.zaloEventDuplicate, ROUTE);
      case 'refused':
        deps.telemetry.count(METRICS.signatureFailure, ROUTE);
        return deps.log.warn('zalo webhook refused', { status: outcome.error.status, field: outcome.error.field, reason: outcome.error.message, appId: claimedAppId(raw) });
      case 'rejected':
        deps.telemetry.count(METRICS.zaloEventRejected, ROUTE);
        return deps.log.warn('zalo event rejected', { field: outcome.error.field, reason: outcome.error.message, body: maskDigits(raw.slice(0, 2048)) });
      case 'storage-failure':
        deps.telemetry.count(METRICS.storageFailure, ROUTE);
        return deps.log.error('storage unavailable', { route: 'zalo', error: String((outcome.error as Error).cause ?? outcome.error) });
      case 'error':
        return deps.log.error('unexpected error', { route: 'zalo', error: outcome.error instanceof Error ? outcome.error.stack : String(outcome.error) });
    }
  },
});

export const buildZaloIngest = (deps: ZaloIngestDeps) => {
  const pipeline = steps(deps);
  return (event: APIGatewayProxyEventV2) =>
    handleInbound(pipeline, { raw: rawBody(event), headers: event.headers ?? {}, receivedAt: deps.now() });
};

/**
 * Replays a kept body through today's parser and store. Only bodies that passed the signature check were
 * kept, so it is not checked again (the freshness window would refuse every old entry).
 */
export const buildZaloReplay = (deps: ZaloIngestDeps) => {
  const pipeline = steps(deps);
  return async (raw: string, headers: Headers, receivedAt: number): Promise<'stored' | 'duplicate'> => {
    const request = { raw, headers, receivedAt };
    const { duplicate } = await pipeline.store(pipeline.parse(request), request);
    return duplicate ? 'duplicate' : 'stored';
  };
};
