import * as v from 'valibot';

/** Every Zalo id is an opaque string: values exceed 2^53, so a number would lose digits. */
export const Id = v.pipe(v.string(), v.minLength(1));

/** Epoch milliseconds as Zalo sends them: a JSON string of digits. */
export const EpochMs = v.pipe(v.string(), v.regex(/^\d{1,16}$/, 'must be epoch milliseconds (a string of digits)'));

/** Fields every event carries; the signature already depends on `app_id` and `timestamp`. */
export const base = { app_id: Id, timestamp: EpochMs } as const;

export const Party = v.looseObject({ id: Id });
export const OaParty = v.looseObject({ id: Id, admin_id: v.optional(Id) });

/**
 * For shapes we only inferred: a field that does not match is dropped instead of rejecting the event,
 * so an unexpected real payload is still stored (the raw body is kept beside it).
 */
export const soft = <const S extends v.GenericSchema>(schema: S) => v.fallback(v.optional(schema), undefined);

/** Quotas, rates and status codes: numbers in every sample, but tolerate a numeric string. */
export const Numeric = v.union([v.number(), v.pipe(v.string(), v.regex(/^-?\d+(\.\d+)?$/))]);

export const ZALO_FAMILIES = [
  'user_message', 'oa_message', 'zns_delivery', 'oa_receipt', 'reaction', 'follow', 'unfollow', 'interaction',
  'tag', 'template', 'quota', 'journey_charged', 'journey_expired', 'consent_request', 'consent_reply', 'call',
  'anonymous',
] as const;
export type ZaloFamily = (typeof ZALO_FAMILIES)[number];

/** What the receiver needs from an event, whatever its shape. */
export interface EventFacts {
  family: ZaloFamily;
  oaId?: string | undefined;
  userId?: string | undefined;
  msgIds: string[];
  /** Parts of the dedup key; absent, or any part missing, means "hash the raw body". */
  key?: readonly (string | undefined)[] | undefined;
  zns?: boolean;
  deliveredAt?: number | undefined;
}

export interface FactsContext {
  /** The request carried `X-ZEvent-Server: ZNS`. */
  znsHeader: boolean;
}

type EventEntries = { event_name: v.LiteralSchema<string, undefined> } & v.ObjectEntries;
type EventSchema = v.ObjectSchema<EventEntries, undefined> | v.LooseObjectSchema<EventEntries, undefined>;

/** A group of event schemas and the one function that reads their facts. */
export interface EventGroup<S extends readonly EventSchema[] = readonly EventSchema[]> {
  schemas: S;
  /** Method syntax on purpose: a group of specific events must be storable as a generic `EventGroup`. */
  facts(event: v.InferOutput<S[number]>, context: FactsContext): EventFacts;
}

export const group = <const S extends readonly EventSchema[]>(
  schemas: S,
  facts: (event: v.InferOutput<S[number]>, context: FactsContext) => EventFacts,
): EventGroup<S> => ({ schemas, facts });

/** Defined values only, for msgIds built from optional fields. */
export const present = (...values: (string | undefined)[]): string[] =>
  values.filter((value): value is string => value !== undefined);
