/**
 * Body limits of the routes that take a body. API Gateway HTTP APIs accept up to 10 MB and Lambda up to
 * 6 MB, but a DynamoDB item holds 400 KB: anything near that could never be stored, so it is refused
 * up front with a 413 (lib/wiring/lambda.ts `withBodyLimit`). eSMS callbacks are GET query strings,
 * refused above MAX_CALLBACK_QUERY_BYTES (3,700 bytes) by their parser (lib/esms/query.ts, 414).
 */
import { MAX_REJECTED_RAW_BYTES } from '../table/rejected';

export const BODY_LIMITS = {
  /**
   * Zalo events are a few KB; the raw body is stored in one item with its facts, and an unparsed one is kept
   * whole in the rejected log: one number for both.
   */
  zaloWebhook: MAX_REJECTED_RAW_BYTES.zalo,
  /** `{"day": …}` or up to 500 ids. */
  replay: 64 * 1024,
  /** A destination's URL (≤ 2 KB), its event filter and description; a replay window. */
  destination: 8 * 1024,
} as const;
