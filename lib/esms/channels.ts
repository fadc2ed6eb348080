/**
 * The closed sets an eSMS callback refers to (docs/protocols.md §2.3, §2.4): send statuses, message types and the
 * route each type belongs to, and telcos. Codes are the schemas; names are checked against them.
 */
import * as v from 'valibot';

export const SendStatusSchema = v.picklist([1, 2, 4, 5, 7]);
export type SendStatus = v.InferOutput<typeof SendStatusSchema>;

export const SEND_STATUS_NAME = {
  1: 'pending_approval',
  2: 'waiting',
  4: 'rejected',
  5: 'sent',
  7: 'sent_to_telco',
} as const satisfies Record<SendStatus, string>;

/** The callback routes (`/esms/{token}/<route>`); each TypeId belongs to exactly one. */
export const EsmsRouteSchema = v.picklist(['sms', 'viber', 'zns', 'zalo', 'journey']);
export type EsmsRoute = v.InferOutput<typeof EsmsRouteSchema>;

export const TypeIdSchema = v.picklist([1, 2, 8, 23, 24, 25, 26, 27]);
export type TypeId = v.InferOutput<typeof TypeIdSchema>;

export const TYPE_ID_INFO = {
  1: { name: 'sms_promo', route: 'sms' },
  2: { name: 'sms_cskh', route: 'sms' },
  8: { name: 'sms_fixed_number', route: 'sms' },
  23: { name: 'viber', route: 'viber' },
  24: { name: 'zns_otp', route: 'zns' },
  25: { name: 'zns_cskh', route: 'zns' },
  26: { name: 'zalo_uid', route: 'zalo' },
  27: { name: 'zns_journey', route: 'journey' },
} as const satisfies Record<TypeId, { name: string; route: EsmsRoute }>;

export const TelcoIdSchema = v.picklist([1, 2, 3, 4, 5, 6, 7]);
export type TelcoId = v.InferOutput<typeof TelcoIdSchema>;

export const TELCO_NAME = {
  1: 'viettel',
  2: 'mobifone',
  3: 'vinaphone',
  4: 'vietnamobile',
  5: 'gtel',
  6: 'itel',
  7: 'reddi',
} as const satisfies Record<TelcoId, string>;

export type TelcoName = (typeof TELCO_NAME)[TelcoId] | 'unknown';

/** Any numeric telcoid is accepted on input; ids outside the documented table (the official sample has 9) are 'unknown'. */
export const telcoName = (telcoId: number): TelcoName =>
  v.is(TelcoIdSchema, telcoId) ? TELCO_NAME[telcoId] : 'unknown';

export const routeOfType = (typeId: TypeId): EsmsRoute => TYPE_ID_INFO[typeId].route;

export { isFinal, statusRank } from '../table/esms';
