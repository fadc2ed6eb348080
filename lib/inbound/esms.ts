/**
 * eSMS callback ingestion: the inbound pipeline bound to eSMS's GET callbacks. The secret path token
 * authenticates (eSMS signs nothing); the raw query string is parsed, stored once per distinct callback
 * and answered per the contract.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { RequestError } from '../errors';
import { storageBudget, type InboundDeps } from './deps';
import type { BufferedRequest } from './buffer';
import { handleInbound, type InboundSteps } from './pipeline';
import { bodyFacts, maskPhone } from '../mask';
import { DIMENSIONS, METRICS } from '../observability/metric-names';
import { routeOfType, type EsmsRoute } from '../esms/channels';
import { parseCallbackWithIdentity, type EsmsCallback } from '../esms/parse';
import type { EsmsMessageStore } from '../esms/ports';
import type { DuplicateCounter } from '../usage/ports';

export interface EsmsIngestDeps extends InboundDeps {
  /** The tenant a callback path token belongs to (compared in constant time), or undefined. */
  tenantOfToken: (token: string | undefined) => string | undefined | Promise<string | undefined>;
  store: Pick<EsmsMessageStore, 'storeCallback'>;
  /** Counts a duplicate in the tenant's usage (the stream never sees one); a failure is logged, never the callback's. */
  duplicates?: DuplicateCounter;
}

/** Counts a duplicate; usage is not worth failing (or retrying) a callback that is already stored. */
const countDuplicate = async (deps: Pick<EsmsIngestDeps, 'duplicates' | 'log'>, tenant: string, at: number): Promise<void> => {
  try {
    await deps.duplicates?.duplicate(tenant, at);
  } catch (error) {
    deps.log.warn('duplicate not counted in usage', { error: String(error) });
  }
};

interface EsmsRequest {
  route: EsmsRoute;
  event: APIGatewayProxyEventV2;
  receivedAt: number;
  /** Set by authenticate. */
  tenant?: string;
}

type Parsed = { callback: EsmsCallback; canonical: string };

const steps = (deps: EsmsIngestDeps): InboundSteps<EsmsRequest, Parsed> => ({
  async authenticate(request) {
    const tenant = await deps.tenantOfToken(request.event.pathParameters?.token);
    if (tenant === undefined) throw new RequestError(404, 'token', 'not found');
    request.tenant = tenant;
  },
  parse({ event }) {
    const { event: callback, canonical } = parseCallbackWithIdentity(event.rawQueryString ?? '');
    return { callback, canonical };
  },
  async store({ callback, canonical }, { route, event, receivedAt, tenant }) {
    const result = await deps.store.storeCallback({ tenant: tenant!, event: callback, canonical, raw: event.rawQueryString ?? '', route, receivedAt });
    const expected = routeOfType(callback.typeId);
    const extra = expected === route ? undefined : { flagged: `TypeId ${callback.typeId} belongs to /${expected}` };
    if (extra) deps.telemetry.count(METRICS.routeMismatch, { [DIMENSIONS.route]: route });
    // Debug only: the callback itself is in DynamoDB; a line per callback is most of the log bill.
    deps.log.debug('esms callback', {
      route, smsId: callback.smsId, status: callback.sendStatus, typeId: callback.typeId,
      phone: maskPhone(callback.phone), duplicate: result.duplicate, wcu: result.consumedWcu,
    });
    if (result.duplicate) await countDuplicate(deps, tenant!, receivedAt);
    return { duplicate: result.duplicate, ...(extra ? { extra } : {}) };
  },
  async keepRejected({ route, event, receivedAt, tenant }, error) {
    await deps.rejected.add({
      tenant, source: 'esms', route, status: error.status, field: error.field, reason: error.message,
      raw: event.rawQueryString ?? '', receivedAt,
    });
  },
  ...(deps.buffer && {
    buffer: async ({ route, event, receivedAt, tenant }, work) => {
      await deps.buffer!.keep({ v: 1, provider: 'esms', tenant: tenant!, route, raw: event.rawQueryString ?? '', receivedAt, work });
    },
  }),
  budget: ({ receivedAt }) => storageBudget(deps, receivedAt),
  observe(outcome, { route, event }) {
    const dims = { [DIMENSIONS.route]: route };
    switch (outcome.kind) {
      case 'accepted': return deps.telemetry.count(METRICS.callbackAccepted, dims);
      case 'duplicate': return deps.telemetry.count(METRICS.callbackDuplicate, dims);
      case 'refused': return deps.telemetry.count(METRICS.unknownToken, dims);
      case 'rejected':
        deps.telemetry.count(METRICS.callbackRejected, dims);
        // Never the query itself: its size and hash find the kept copy in the rejected log.
        return deps.log.warn('esms callback rejected', { route, field: outcome.error.field, reason: outcome.error.message, query: bodyFacts(event.rawQueryString ?? '') });
      case 'buffered':
        deps.telemetry.count(METRICS.callbackBuffered, dims);
        return deps.log.warn('storage unavailable within the budget: callback kept in the buffer', { route, error: String((outcome.error as Error).cause ?? outcome.error) });
      case 'storage-failure':
        deps.telemetry.count(METRICS.storageFailure, dims);
        return deps.log.error('storage unavailable', { route, error: String((outcome.error as Error).cause ?? outcome.error) });
      case 'error':
        return deps.log.error('unexpected error', { route, error: outcome.error instanceof Error ? outcome.error.stack : String(outcome.error) });
    }
  },
});

export const buildEsmsIngest = (deps: EsmsIngestDeps) => {
  const pipeline = steps(deps);
  return (route: EsmsRoute) => (event: APIGatewayProxyEventV2) => handleInbound(pipeline, { route, event, receivedAt: deps.now() });
};

/**
 * The drain's side of a buffered callback (lib/inbound/drain.ts): stored as the live path would have stored it
 * when it arrived (same tenant, route and receive time, so a callback stored meanwhile is a duplicate), or kept
 * as the rejected request it was.
 */
export const buildEsmsBufferedStore = (deps: Pick<EsmsIngestDeps, 'store' | 'rejected' | 'duplicates' | 'log'>) =>
  async (request: Extract<BufferedRequest, { provider: 'esms' }>): Promise<'stored' | 'duplicate' | 'rejected'> => {
    const { tenant, route, raw, receivedAt, work } = request;
    if (work.kind === 'rejected') {
      await deps.rejected.add({ tenant, source: 'esms', route, status: work.error.status, field: work.error.field, reason: work.error.message, raw, receivedAt });
      return 'rejected';
    }
    const { event, canonical } = parseCallbackWithIdentity(raw);
    const result = await deps.store.storeCallback({ tenant, event, canonical, raw, route: route as EsmsRoute, receivedAt });
    if (result.duplicate) await countDuplicate(deps, tenant, receivedAt);
    return result.duplicate ? 'duplicate' : 'stored';
  };
