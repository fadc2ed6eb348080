/**
 * eSMS callback ingestion: the inbound pipeline bound to eSMS's GET callbacks. The secret path token
 * authenticates (eSMS signs nothing); the raw query string is parsed, stored once per distinct callback
 * and answered per the contract.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { RequestError } from '../errors';
import type { InboundDeps } from './deps';
import { handleInbound, type InboundSteps } from './pipeline';
import { bodyFacts, maskPhone } from '../mask';
import { DIMENSIONS, METRICS } from '../observability/metric-names';
import { routeOfType, type EsmsRoute } from '../esms/channels';
import { parseCallbackWithIdentity, type EsmsCallback } from '../esms/parse';
import type { EsmsMessageStore } from '../esms/ports';

export interface EsmsIngestDeps extends InboundDeps {
  /** The tenant a callback path token belongs to (compared in constant time), or undefined. */
  tenantOfToken: (token: string | undefined) => string | undefined | Promise<string | undefined>;
  store: Pick<EsmsMessageStore, 'storeCallback'>;
}

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
    return { duplicate: result.duplicate, ...(extra ? { extra } : {}) };
  },
  async keepRejected({ route, event, receivedAt, tenant }, error) {
    await deps.rejected.add({
      tenant, source: 'esms', route, status: error.status, field: error.field, reason: error.message,
      raw: event.rawQueryString ?? '', receivedAt,
    });
  },
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
