/**
 * How Zalo data lives in the messages table: every key, prefix and stored-item schema (the webhook, the
 * state adapter, the read routes, the aggregator and the tests all use these). Every key starts with the
 * tenant that owns the app the event came through (`T#<tenant>#…`, as eSMS keys do), and every item
 * carries `tenant`, so no read of one tenant can reach another's events, followers or OA state.
 *
 * Events. One item per event (kind `zalo`, the only one the aggregator counts), written with one
 * conditional Put so a redelivery is recognised by its key:
 * - an event about one message: pk `T#<t>#ZMSG#<msg_id>`, sk `E#<dedup key>`;
 * - a receipt naming several messages (`user_seen_message`): pk `T#<t>#ZSEEN#<oa_id>#<user_id>`, sk by
 *   time, its msg_ids only in its raw body: ONE write whatever the number of ids. A message finds it
 *   through its conversation (lib/store/zalo-events.ts `eventsOfMessage`);
 * - any other event: pk `T#<t>#ZEV#<oa_id, or app:<app_id>>#<Vietnam day of its timestamp>`, sk `E#<dedup key>`.
 * Copies (kind `zalo_copy`, never counted): one in the (OA, user) conversation for chat events.
 *
 * State derived from events (newest event wins, see lib/zalo/state.ts):
 * - followers `T#<t>#FOL#<oa_id>` / `U#<user_id>`;
 * - per-OA state `T#<t>#ZOA#<oa_id>`: templates `TPL#<template_id>`, the daily quota `QUOTA`, content tags `TAGS`;
 * - call consent `T#<t>#ZCONSENT#<oa_id>` / `P#<phone>`, and per phone `T#<t>#ZCONSENT#P#<phone>` / `O#<oa_id>#<day>`
 *   pointing at the days of its consent events (for erasure); Journeys `T#<t>#ZJOURNEY#<journey_id>` / `J`.
 * - the partner's tracking id a ZNS event echoes (`message.tracking_id`, the eSMS RequestId):
 *   `T#<t>#ZTRK#<tracking_id>` / `M#<msg_id>`, so an eSMS message finds its Zalo msg_ids by its RequestId.
 */
import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { vietnamDay } from '../time';
import { KIND } from './names';

/** Copies of an event under another key; not in the aggregator's stream filter, never counted. */
export const ZALO_COPY_KIND = 'zalo_copy';

/** Seen receipts naming many msg_ids make long dedup keys; past this the key is hashed (sort keys hold 1 KB). */
const MAX_SK_KEY = 160;

/** The dedup key as it appears in a sort key: itself, or past the bound its hash (still unique). */
export const compactKey = (dedupKey: string): string =>
  dedupKey.length <= MAX_SK_KEY ? dedupKey : `${dedupKey.split('#')[0]}#h#${createHash('sha256').update(dedupKey).digest('hex').slice(0, 40)}`;

const tenantPrefix = (tenant: string): string => `T#${tenant}#`;

export const messagePk = (tenant: string, msgId: string): string => `${tenantPrefix(tenant)}ZMSG#${msgId}`;
export const conversationPk = (tenant: string, oaId: string, userId: string): string => `${tenantPrefix(tenant)}ZCONV#${oaId}#${userId}`;
/** Receipts naming several messages, per (OA, user): sorted by time like the conversation. */
export const receiptsPk = (tenant: string, oaId: string, userId: string): string => `${tenantPrefix(tenant)}ZSEEN#${oaId}#${userId}`;
export const isReceiptsPk = (pk: string): boolean => /^T#[^#]+#ZSEEN#/.test(pk);
/**
 * A receipt item keeps its msg_ids only in its raw body (not again as a list: that doubled the largest
 * receipt to ≈ 250 KB); a lookup matches this text, the id as a JSON string, inside `raw`.
 */
export const namedInRaw = (msgId: string): string => JSON.stringify(msgId);
/** Epoch ms padded so the conversation's sort key orders by time. */
export const conversationSk = (eventTime: number, dedupKey: string): string =>
  `T#${String(eventTime).padStart(15, '0')}#${compactKey(dedupKey)}`;

export interface EventKeyInput {
  tenant: string;
  msgIds: readonly string[];
  userId?: string | undefined;
  oaId?: string | undefined;
  appId: string;
  eventTime: number;
  dedupKey: string;
}

/** Where an event item lives (see the top of this file). */
export const zaloEventKey = ({ tenant, msgIds, oaId, userId, appId, eventTime, dedupKey }: EventKeyInput): { pk: string; sk: string } => {
  if (msgIds.length > 1 && oaId !== undefined && userId !== undefined) {
    return { pk: receiptsPk(tenant, oaId, userId), sk: conversationSk(eventTime, dedupKey) };
  }
  return {
    pk: msgIds[0] !== undefined ? messagePk(tenant, msgIds[0]) : zaloEventsPk(tenant, oaId ?? `app:${appId}`, vietnamDay(eventTime)),
    sk: `E#${compactKey(dedupKey)}`,
  };
};

export const followersPk = (tenant: string, oaId: string): string => `${tenantPrefix(tenant)}FOL#${oaId}`;
export const followerKey = (tenant: string, oaId: string, userId: string) => ({ pk: followersPk(tenant, oaId), sk: `U#${userId}` });

/** A few items per OA: templates, the daily quota and the content tags. */
export const oaStatePk = (tenant: string, oaId: string): string => `${tenantPrefix(tenant)}ZOA#${oaId}`;
const TEMPLATE_SK_PREFIX = 'TPL#';
const QUOTA_SK = 'QUOTA';
const TAGS_SK = 'TAGS';
export const templateKey = (tenant: string, oaId: string, templateId: string) => ({ pk: oaStatePk(tenant, oaId), sk: `${TEMPLATE_SK_PREFIX}${templateId}` });
export const quotaKey = (tenant: string, oaId: string) => ({ pk: oaStatePk(tenant, oaId), sk: QUOTA_SK });
export const tagsKey = (tenant: string, oaId: string) => ({ pk: oaStatePk(tenant, oaId), sk: TAGS_SK });

/** One item per phone the OA asked for call consent: kept apart from the bounded per-OA state. */
export const consentKey = (tenant: string, oaId: string, phone: string) => ({ pk: `${tenantPrefix(tenant)}ZCONSENT#${oaId}`, sk: `P#${phone}` });
/**
 * Where a phone's consent events are: one pointer per (phone, OA, Vietnam day), written with the consent
 * state, so erasure finds the events and consent items by a Query of the phone (no Scan, no OA list).
 * Under the ZCONSENT prefix (no OA id starts with `P#`) so the writers' key conditions already cover it.
 */
export const consentPointersPk = (tenant: string, phone: string): string => `${tenantPrefix(tenant)}ZCONSENT#P#${phone}`;
export const consentPointerKey = (tenant: string, phone: string, oaId: string, day: string) => ({ pk: consentPointersPk(tenant, phone), sk: `O#${oaId}#${day}` });
/**
 * Any other event naming a phone in its body (a ZNS receipt's `recipient.id`, `user_submit_info`,
 * `oa_call_user`, a business card, …) leaves one pointer per partition it was written to (the event's and
 * its conversation copy's): `K#<partition>` under the same phone key, so erasure finds every record kind
 * the same way.
 */
/** Tracking ids longer than this are not indexed (Zalo documents at most 48 characters; a key holds 2 KB). */
export const MAX_TRACKING_ID = 256;
export const trackingPk = (tenant: string, trackingId: string): string => `${tenantPrefix(tenant)}ZTRK#${trackingId}`;
export const TRACKING_SK_PREFIX = 'M#';
export const trackingKey = (tenant: string, trackingId: string, msgId: string) => ({ pk: trackingPk(tenant, trackingId), sk: `${TRACKING_SK_PREFIX}${msgId}` });
export const TrackingItemSchema = v.looseObject({ pk: v.string(), sk: v.string(), msgId: v.string() });

export const phonePointerKey = (tenant: string, phone: string, partition: string) => ({ pk: consentPointersPk(tenant, phone), sk: `K#${partition}` });
/** A consent pointer (`oaId`, `day`: the OA's events of that day) or a partition pointer (`part`). */
export const ConsentPointerSchema = v.looseObject({ pk: v.string(), sk: v.string(), oaId: v.optional(v.string()), day: v.optional(v.string()), part: v.optional(v.string()) });
export const zaloEventsPk = (tenant: string, oaId: string, day: string): string => `${tenantPrefix(tenant)}ZEV#${oaId}#${day}`;
export const journeyKey = (tenant: string, journeyId: string) => ({ pk: `${tenantPrefix(tenant)}ZJOURNEY#${journeyId}`, sk: 'J' });

const Id = v.pipe(v.string(), v.minLength(1));
const Text = v.optional(v.string());
const Time = v.optional(v.number());

/** A stored event or copy, as read back from the table or a stream image. */
export const StoredZaloEventSchema = v.looseObject({
  pk: v.string(),
  sk: v.string(),
  kind: v.picklist([KIND.zalo, ZALO_COPY_KIND]),
  /** Optional only for items written before tenants: those belong to the tenant `default`. */
  tenant: v.optional(v.string()),
  family: v.string(),
  eventName: v.string(),
  appId: v.string(),
  oaId: v.optional(Id),
  userId: v.optional(Id),
  msgIds: v.optional(v.array(Id)),
  /** Receipts naming several messages: how many (their ids are in `raw`). */
  msgCount: v.optional(v.number()),
  eventTime: v.number(),
  receivedAt: v.number(),
  zns: v.optional(v.boolean()),
  trackingId: v.optional(v.string()),
  deliveredAt: v.optional(v.number()),
  /** The `X-ZEvent-Server` header (ZNS events), the `num_retry` header of the stored delivery. */
  server: v.optional(v.string()),
  retry: v.optional(v.string()),
  raw: v.string(),
  /** On copies: the pk of the event item. */
  copyOf: v.optional(v.string()),
});
export type StoredZaloEvent = v.InferOutput<typeof StoredZaloEventSchema>;

export const readZaloItem = (item: Record<string, unknown>): StoredZaloEvent => v.parse(StoredZaloEventSchema, item);

export const FollowerItemSchema = v.looseObject({
  pk: v.string(),
  sk: v.string(),
  kind: v.literal(KIND.follower),
  tenant: v.optional(v.string()),
  oaId: v.string(),
  userId: v.string(),
  following: v.boolean(),
  changedAt: v.number(),
  followedAt: v.optional(v.number()),
  source: v.optional(v.string()),
  userIdByApp: v.optional(v.string()),
});
export type FollowerItem = v.InferOutput<typeof FollowerItemSchema>;

/** Per-OA state items, told apart by their sort key. */
export const TemplateItemSchema = v.object({
  templateId: v.string(), status: Text, prevStatus: Text, reason: Text, statusAt: Time,
  quality: Text, qualityAt: Time, quotaDetail: Text, quotaAt: Time,
});
export const QuotaItemSchema = v.object({ dailyQuota: v.number(), prevQuota: v.number(), changedAt: v.number() });
export const TagsItemSchema = v.object({ detail: Text, changedAt: v.number() });
export const ConsentItemSchema = v.object({
  phone: v.string(), state: v.string(), lastEvent: v.string(), changedAt: v.number(),
  createTime: Time, confirmedTime: Time, expiredTime: Time,
});
export const JourneyItemSchema = v.object({ journeyId: v.string(), oaId: Text, msgId: Text, chargedAt: Time, expiredAt: Time });
export type TemplateItem = v.InferOutput<typeof TemplateItemSchema>;
export type QuotaItem = v.InferOutput<typeof QuotaItemSchema>;
export type TagsItem = v.InferOutput<typeof TagsItemSchema>;
export type ConsentItem = v.InferOutput<typeof ConsentItemSchema>;
export type JourneyItem = v.InferOutput<typeof JourneyItemSchema>;

/** An OA's state items (one Query of `oaStatePk`), each parsed through its schema. */
export const readOaState = (items: ReadonlyArray<Record<string, unknown>>) => {
  const bySk = (sk: string) => items.find((item) => item.sk === sk);
  const quota = bySk(QUOTA_SK);
  const tags = bySk(TAGS_SK);
  return {
    templates: items.filter((item) => typeof item.sk === 'string' && item.sk.startsWith(TEMPLATE_SK_PREFIX))
      .map((item) => v.parse(TemplateItemSchema, item)),
    quota: quota === undefined ? undefined : v.parse(QuotaItemSchema, quota),
    tags: tags === undefined ? undefined : v.parse(TagsItemSchema, tags),
  };
};
export type OaStateItems = ReturnType<typeof readOaState>;
