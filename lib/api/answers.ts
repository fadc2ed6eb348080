/**
 * The JSON answer of every read and admin route, one valibot schema per answer shape (the success body
 * without `ok`; `okAnswer` adds it). The builders type what they return with these schemas (`shaped`,
 * or a return type of `v.InferOutput<typeof …>`), docs/openapi.json is generated from them
 * (infra/tools/openapi-document.ts, its OPERATIONS table names the schema of each status), and
 * test/infra/openapi-answers.stack.test.ts parses real answers of every route through them.
 *
 * Top-level bodies are strict (a field the schema does not name fails the test); the large nested
 * views (a message, a Zalo event, an OA's state) are loose objects whose named fields are checked.
 */
import * as v from 'valibot';
import { OUTCOMES } from '../esms/outcome';

/** The body as written, type-checked against its schema (an identity at run time). */
export const shaped = <S extends v.GenericSchema>(_schema: S, body: v.InferOutput<S>): v.InferOutput<S> => body;

/** A success answer: `{"ok":true, …the route's fields}`. */
export const okAnswer = <E extends v.ObjectEntries>(body: { entries: E }) =>
  v.strictObject({ ok: v.literal(true), ...body.entries });

const Iso = v.pipe(v.string(), v.description('ISO 8601 with the +07:00 offset'));
const NullableIso = v.nullable(Iso);
/** A credential's last use (a request it authenticated), accurate to the hour; null: not used since recording began. */
const LastUsed = v.pipe(v.nullable(Iso), v.description('when a request last authenticated with it (ISO 8601 +07:00, accurate to the hour); null when not used since recording began'));
const Next = v.optional(v.pipe(v.string(), v.description('cursor of the next page: pass it back as `next` (absent on the last page)')));
const Bilingual = v.object({ vi: v.string(), en: v.string() });
const Status = v.union([v.number(), v.literal('expired')]);
const Totals = v.object({ receivers: v.number(), sent: v.number(), success: v.number(), failed: v.number() });
const Channel = v.object({ typeId: v.number(), name: v.string(), route: v.nullable(v.string()) });
const Telco = v.nullable(v.object({ id: v.number(), name: v.string() }));
const DescribedError = v.nullable(v.object({ code: v.number(), message: v.nullable(v.string()), description: Bilingual }));
const Outcome = { outcome: v.nullable(v.picklist(OUTCOMES)), outcomeReason: v.nullable(v.object({ code: v.nullable(v.number()), ...Bilingual.entries })) };
const ErrorInfo = v.pipe(v.unknown(), v.description('eSMS\'s error_info, decoded (null when absent)'));

/** One stored callback of a message's history. */
const HistoryEntry = v.looseObject({
  id: v.string(), status: v.number(), statusName: v.string(), final: v.boolean(), receivedAt: Iso, source: v.string(),
  totals: Totals, price: v.number(), route: v.string(), typeId: v.number(), winning: v.boolean(), errorInfo: ErrorInfo, error: DescribedError, ...Outcome,
});

const Recipient = v.looseObject({
  phone: v.nullable(v.string()), status: v.nullable(Status), statusName: v.nullable(v.string()), final: v.boolean(), totals: v.nullable(Totals),
  price: v.nullable(v.number()), channel: v.nullable(Channel), telco: Telco, error: DescribedError, ...Outcome, zaloMsgId: v.nullable(v.string()),
  firstSeen: NullableIso, lastSeen: NullableIso, history: v.array(HistoryEntry), continued: v.optional(v.boolean()),
});

/** A message's header (its current state), as in a search result. */
export const MessageSummarySchema = v.looseObject({
  smsId: v.string(), status: v.nullable(Status), statusName: v.nullable(v.string()), final: v.boolean(), expiredAt: NullableIso,
  totals: v.nullable(Totals), price: v.nullable(v.number()), channel: Channel, telco: Telco, phone: v.nullable(v.string()),
  oaId: v.nullable(v.string()), templateId: v.nullable(v.string()), requestId: v.nullable(v.string()), error: DescribedError, ...Outcome,
  zaloMsgId: v.nullable(v.string()), firstSeen: Iso, lastSeen: Iso,
});

const ZaloEvent = v.looseObject({
  eventName: v.string(), family: v.string(), oaId: v.nullable(v.string()), userId: v.nullable(v.string()), msgIds: v.array(v.string()),
  eventTime: NullableIso, receivedAt: NullableIso, storedUnder: v.nullable(v.string()), body: v.pipe(v.unknown(), v.description('the event as Zalo sent it')),
});

const TenantView = v.strictObject({ id: v.string(), name: v.string(), createdAt: Iso, retentionDays: v.optional(v.number()), suspended: v.optional(v.boolean()) });
const DrainView = v.strictObject({ ingested: v.number(), discarded: v.number(), incomplete: v.boolean() });

const Suppression = v.strictObject({
  phone: v.string(), type: v.string(), reason: v.nullable(v.string()), reasonVi: v.nullable(v.string()), code: v.nullable(v.union([v.number(), v.string()])),
  since: Iso, source: v.string(), smsId: v.nullable(v.string()), msgId: v.nullable(v.string()), oaId: v.nullable(v.string()), event: v.nullable(v.string()),
});
const UsageFigures = v.strictObject({ callbacks: v.number(), duplicates: v.number(), rejected: v.number(), zaloEvents: v.number(), messages: v.number(), deliveries: v.number() });

/** How an eSMS message and a Zalo msg_id are linked: the callback's `partnerids`, or the RequestId echoed as `tracking_id`. */
const LinkVia = v.picklist(['partnerids', 'tracking_id']);

const DestinationView = v.strictObject({
  id: v.string(), url: v.string(), events: v.nullable(v.array(v.string())), description: v.optional(v.string()), enabled: v.boolean(),
  disabledReason: v.optional(v.string()), failingSince: v.optional(Iso), previousSecretUntil: v.optional(Iso), createdAt: Iso, updatedAt: Iso,
});

/** Every success body, by name: the OpenAPI components are these names with `Answer` appended. */
export const ANSWERS = {
  EsmsMessage: v.strictObject({
    message: v.looseObject({
      smsId: v.string(), recipients: v.array(Recipient),
      zaloMessages: v.array(v.strictObject({ msgId: v.string(), via: LinkVia, requestId: v.nullable(v.string()) })),
    }),
    next: Next,
  }),
  EsmsSearch: v.strictObject({ messages: v.array(MessageSummarySchema), next: Next }),
  Rejected: v.strictObject({
    day: v.string(),
    rejected: v.array(v.looseObject({ id: v.string(), source: v.string(), reason: v.string(), receivedAt: Iso })),
    next: Next,
  }),
  Replay: v.strictObject({
    summary: v.record(v.string(), v.number()),
    results: v.array(v.strictObject({ id: v.string(), source: v.string(), outcome: v.string(), field: v.optional(v.string()), message: v.optional(v.string()) })),
    next: Next,
  }),
  Erasure: v.strictObject({ changed: v.number(), incomplete: v.optional(v.literal(true)) }),
  DailyReport: v.strictObject({
    from: v.string(), to: v.string(), by: v.string(),
    rows: v.array(v.strictObject({
      day: v.string(), group: v.string(), label: v.optional(v.string()),
      requests: v.number(), receivers: v.number(), sent: v.number(), success: v.number(), failed: v.number(), price: v.pipe(v.number(), v.description('VND')),
      zalo: v.optional(v.pipe(v.record(v.string(), v.number()), v.description('by=oa: the OA\'s Zalo events per family that day'))),
    })),
    zalo: v.array(v.strictObject({ day: v.string(), oa: v.string(), counts: v.record(v.string(), v.number()) })),
    next: Next,
  }),
  ZaloMessage: v.strictObject({
    message: v.strictObject({
      msgId: v.string(), smsId: v.nullable(v.string()), smsIds: v.optional(v.array(v.string())), requestIds: v.array(v.string()),
      linked: v.array(v.strictObject({ smsId: v.string(), via: LinkVia, requestId: v.nullable(v.string()) })), events: v.array(ZaloEvent),
    }),
    next: Next,
  }),
  Followers: v.strictObject({
    oaId: v.string(),
    followers: v.array(v.strictObject({ userId: v.string(), followedAt: NullableIso, source: v.nullable(v.string()), userIdByApp: v.nullable(v.unknown()) })),
    next: Next,
  }),
  Conversation: v.strictObject({ oaId: v.string(), userId: v.string(), events: v.array(ZaloEvent), next: Next }),
  OaState: v.strictObject({ state: v.looseObject({ oaId: v.string(), connection: v.looseObject({ connected: v.boolean() }), templates: v.array(v.looseObject({ templateId: v.string() })) }), next: Next }),
  Journey: v.strictObject({
    journey: v.strictObject({ journeyId: v.string(), oaId: v.nullable(v.string()), msgId: v.nullable(v.string()), charged: v.boolean(), chargedAt: NullableIso, expiredAt: NullableIso }),
  }),
  ConnectLink: v.strictObject({ tenant: v.string(), appId: v.string(), url: v.string(), expiresAt: Iso }),
  Onboarding: v.strictObject({
    onboarding: v.strictObject({
      tenant: v.string(),
      siteVerification: v.strictObject({ codes: v.array(v.string()) }),
      zaloApps: v.array(v.strictObject({ appId: v.string(), secretSet: v.boolean(), pendingKept: v.optional(v.number()) })),
      oas: v.array(v.strictObject({ oaId: v.string(), appId: v.string(), connectedAt: Iso, accessExpiresAt: Iso, accessValid: v.boolean() })),
      esmsTokens: v.strictObject({ issued: v.pipe(v.nullable(v.number()), v.description('null when the count is not known (the settings\' tokens)')) }),
    }),
  }),
  DestinationCreated: v.strictObject({ id: v.string(), secret: v.pipe(v.string(), v.description('whsec_…, shown once')), destination: DestinationView }),
  Destinations: v.strictObject({ destinations: v.array(DestinationView) }),
  Destination: v.strictObject({ destination: DestinationView }),
  Empty: v.strictObject({}),
  Suppressions: v.strictObject({ suppressions: v.array(Suppression), next: Next }),
  Suppression: v.strictObject({ suppression: Suppression }),
  SuppressionCleared: v.strictObject({ cleared: v.literal(true) }),
  // A tenant's month (tenant, usage), or for the admin key without tenant= every tenant's (tenants).
  Usage: v.strictObject({
    month: v.string(), tenant: v.optional(v.string()), usage: v.optional(UsageFigures),
    tenants: v.optional(v.array(v.strictObject({ tenant: v.string(), ...UsageFigures.entries }))),
  }),
  SecretRotated: v.strictObject({ secret: v.string(), previousSecretUntil: Iso }),
  TestQueued: v.strictObject({ eventId: v.string() }),
  Attempts: v.strictObject({
    attempts: v.array(v.strictObject({
      eventId: v.string(), type: v.string(), at: Iso, attempt: v.number(), ok: v.boolean(), status: v.optional(v.number()), error: v.optional(v.string()),
      durationMs: v.number(), answer: v.optional(v.string()), failed: v.optional(v.literal(true)),
    })),
    next: Next,
  }),
  ReplayQueued: v.strictObject({ queued: v.number(), next: v.optional(Iso) }),
  Reconcile: v.strictObject({
    tenant: v.string(), from: Iso, to: Iso, checked: v.number(), updated: v.number(), discovered: v.number(), failed: v.number(), denied: v.boolean(), incomplete: v.boolean(),
  }),
  LateSweep: v.strictObject({ tenant: v.string(), checked: v.number(), expired: v.number() }),
  Tenant: v.strictObject({ tenant: TenantView }),
  Tenants: v.strictObject({ tenants: v.array(TenantView), next: Next }),
  TenantInventory: v.strictObject({
    tenant: v.strictObject({ id: v.string(), name: v.string(), createdAt: Iso, suspended: v.boolean(), retentionDays: v.optional(v.number()) }),
    credentials: v.strictObject({
      apiKeys: v.array(v.strictObject({ keyId: v.string(), createdAt: Iso, lastUsedAt: LastUsed })),
      esmsTokens: v.array(v.strictObject({ tokenId: v.string(), createdAt: Iso, lastUsedAt: LastUsed })),
      zaloApps: v.array(v.strictObject({ appId: v.string(), createdAt: Iso, lastUsedAt: LastUsed, hasKey: v.boolean(), hasAppSecret: v.boolean(), pendingKept: v.number() })),
      destinations: v.array(v.strictObject({ id: v.string(), enabled: v.boolean(), createdAt: Iso })),
    }),
  }),
  TenantPatched: v.strictObject({
    tenant: v.strictObject({ id: v.string(), name: v.string(), createdAt: Iso, suspended: v.boolean(), retentionDays: v.optional(v.number()) }),
    apiKeysChanged: v.optional(v.number()),
  }),
  Offboard: v.strictObject({ tenant: v.string(), changed: v.number(), incomplete: v.boolean() }),
  ApiKeyCreated: v.strictObject({ tenant: v.string(), keyId: v.string(), key: v.pipe(v.string(), v.description('shown once, stored as sha256')) }),
  EsmsTokenCreated: v.strictObject({
    tenant: v.string(), tokenId: v.string(), token: v.string(),
    callbackUrls: v.strictObject({ sms: v.string(), viber: v.string(), zns: v.string(), zalo: v.string(), journey: v.string() }),
  }),
  Revoked: v.strictObject({ revoked: v.string() }),
  ZaloApp: v.strictObject({ tenant: v.string(), appId: v.string(), pending: v.boolean(), pendingKept: v.number(), drain: v.optional(DrainView) }),
  ZaloAppDrain: v.strictObject({ tenant: v.string(), appId: v.string(), drain: DrainView }),
  ZaloAppDeleted: v.strictObject({ tenant: v.string(), appId: v.string(), changed: v.number(), incomplete: v.optional(v.literal(true)) }),
  TenantOnly: v.strictObject({ tenant: v.string() }),
  SiteCode: v.strictObject({ tenant: v.string(), code: v.string() }),
  SiteCodeDeleted: v.strictObject({ tenant: v.string(), code: v.string(), deleted: v.literal(true) }),
  Backfill: v.strictObject({
    backfill: v.strictObject({
      tenant: v.string(), oaId: v.string(), asOf: Iso, offset: v.number(), total: v.nullable(v.number()), merged: v.number(), done: v.boolean(), lastError: v.nullable(v.string()),
    }),
  }),
} as const;

export type AnswerName = keyof typeof ANSWERS;
/** A route's success body (without `ok`). */
export type AnswerBody<N extends AnswerName> = v.InferOutput<(typeof ANSWERS)[N]>;
