/**
 * The JSON bodies the inbound routes answer with, and the error body of every JSON route, as schemas:
 * `docs/openapi.json` is generated from them (infra/tools/openapi.ts) and tests parse real answers through
 * them. The read and admin routes' answers are lib/api/answers.ts.
 */
import * as v from 'valibot';

/** Any refused or failed request: 4xx name the field at fault; 5xx stay generic (the provider retries). */
export const ErrorBodySchema = v.object({
  ok: v.literal(false),
  error: v.object({ field: v.optional(v.string()), message: v.string() }),
});
export type ErrorBody = v.InferOutput<typeof ErrorBodySchema>;

/** A stored (or already stored) eSMS callback or Zalo event. */
export const InboundAnswerSchema = v.object({
  ok: v.literal(true),
  duplicate: v.boolean(),
  /** Set when an eSMS TypeId belongs to another route: stored under its own TypeId all the same. */
  flagged: v.optional(v.string()),
});

/**
 * POST /zalo/webhook: a stored or already stored event (`unparsed` when kept raw for the parsers to learn),
 * or a request of a pending app kept raw (`kept: false` when the app's cap of kept requests is reached).
 */
export const ZaloWebhookAnswerSchema = v.union([
  v.object({ ok: v.literal(true), duplicate: v.boolean(), unparsed: v.optional(v.literal(true)) }),
  v.object({ ok: v.literal(true), pending: v.literal(true), kept: v.optional(v.literal(false)) }),
]);
