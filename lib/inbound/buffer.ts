/**
 * The durable buffer of provider requests: what the inbound pipeline keeps when storage cannot take a request
 * within its budget (lib/inbound/pipeline.ts), as one queue message each. A message holds the request as
 * received (raw query or body, the headers a Zalo body is verified and replayed with), its tenant as
 * authenticated and its receive time, so the drain (lib/inbound/drain.ts) stores exactly what the live path
 * would have: the same ids, the same receive time, duplicates recognised as such.
 */
import * as v from 'valibot';
import type { BufferedWork } from './pipeline';

const Work = v.variant('kind', [
  v.object({ kind: v.literal('store') }),
  v.object({ kind: v.literal('rejected'), error: v.object({ status: v.number(), field: v.string(), message: v.string() }) }),
]);

export const BufferedRequestSchema = v.variant('provider', [
  v.object({ v: v.literal(1), provider: v.literal('esms'), tenant: v.string(), route: v.string(), raw: v.string(), receivedAt: v.number(), work: Work }),
  v.object({
    v: v.literal(1), provider: v.literal('zalo'), tenant: v.string(), raw: v.string(), headers: v.record(v.string(), v.string()),
    receivedAt: v.number(), work: Work,
  }),
]);
export type BufferedRequest = v.InferOutput<typeof BufferedRequestSchema>;

/** Where the pipeline keeps a request; resolves once the buffer holds it durably (SQS acknowledged it). */
export interface InboundBuffer {
  keep(request: BufferedRequest): Promise<void>;
}

export const bufferedWork = (work: BufferedWork): BufferedRequest['work'] => work;
