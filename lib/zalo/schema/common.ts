import * as v from 'valibot';

/**
 * A JSON number that is unambiguously an integer (within 2^53): its digits are the value, so it is read
 * as the digit string Zalo documents. A larger number has already lost digits in JSON.parse: refused.
 */
const WholeNumber = v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.transform(String));

/**
 * The longest id accepted: real Zalo ids are 15–40 characters. An id ends up in keys (a partition key holds
 * 2,048 bytes, a sort key 1,024), so a longer one is not read but kept raw as unparsed (answered 200, like any
 * shape the parsers refuse) instead of failing the write the same way on every retry.
 */
export const MAX_ID_LENGTH = 128;

/**
 * `#` separates the parts of every key (`T#<tenant>#ZCONV#<oa>#<user>`): an id holding one could make two
 * different (OA, user) pairs share a key. No Zalo id contains it.
 */
const KEY_SAFE = /^[^#\p{Cc}]*$/u;

/** A value that lands in a key: bounded and without `#` (issue 22 findings 4 and 19). */
const keyPart = (max: number) => v.pipe(
  v.union([v.string(), WholeNumber]),
  v.maxLength(max, (issue) => `is ${issue.input.length} characters; at most ${max} are accepted`),
  v.regex(KEY_SAFE, 'holds "#" or a control character, which no id does'),
);

/** Every Zalo id is an opaque string (values exceed 2^53); a small integer sent as a number is read as its digits. */
export const Id = v.pipe(keyPart(MAX_ID_LENGTH), v.minLength(1));

/**
 * Epoch milliseconds as Zalo sends them: a string of digits, or the same digits as a JSON number (Zalo
 * documents a numeric 0 for "unlimited" in places).
 */
export const EpochMs = v.pipe(v.union([v.string(), WholeNumber]), v.regex(/^\d{1,16}$/, 'must be epoch milliseconds (digits)'));

/**
 * A phone number: a string, or a JSON integer (JSON writes integers without leading zeros, so its digits
 * are exactly the ones sent).
 */
export const Phone = keyPart(64);

/** An optional field that may also arrive as `null`: both read as absent. */
export const opt = <const S extends v.GenericSchema>(schema: S) =>
  v.pipe(v.nullish(schema), v.transform((value) => value ?? undefined));

/**
 * Fields every event carries. The signature already depends on the app id and `timestamp`; Journey
 * events are reported with `appId` instead of `app_id`, so either may be the one present.
 */
export const base = { app_id: opt(Id), appId: opt(Id), timestamp: EpochMs } as const;

export const Party = v.looseObject({ id: Id });
export const OaParty = v.looseObject({ id: Id, admin_id: opt(Id) });

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
  'anonymous', 'permission_revoked',
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
