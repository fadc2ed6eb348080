/** What the read API shows of the derived Zalo state; stored items are parsed back through these schemas. */
import * as v from 'valibot';
import type { TokenRecord } from '../store/oauth-tokens';

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());
const Text = v.optional(v.string());
const Time = v.optional(v.number());

const TemplateSchema = v.object({
  templateId: v.string(), status: Text, prevStatus: Text, reason: Text, statusAt: Time,
  quality: Text, qualityAt: Time, quotaDetail: Text, quotaAt: Time,
});
const QuotaSchema = v.object({ dailyQuota: v.number(), prevQuota: v.number(), changedAt: v.number() });
const TagsSchema = v.object({ detail: Text, changedAt: v.number() });
const ConsentSchema = v.object({
  phone: v.string(), state: v.string(), lastEvent: v.string(), changedAt: v.number(),
  createTime: Time, confirmedTime: Time, expiredTime: Time,
});
const JourneySchema = v.object({ journeyId: v.string(), oaId: Text, msgId: Text, chargedAt: Time, expiredAt: Time });

/** Inferred payloads are stored as JSON text; show them as JSON. */
const json = (text: string | undefined): unknown => (text === undefined ? null : JSON.parse(text));

/** Templates, daily quota, content tags and the connection (never its tokens) of one OA. */
export const oaStateView = (oaId: string, items: Array<Record<string, unknown>>, connection: TokenRecord | undefined) => {
  const bySk = (sk: string) => items.find((item) => item.sk === sk);
  const quota = bySk('QUOTA');
  const tags = bySk('TAGS');
  return {
    oaId,
    connection: connection
      ? { connected: true, appId: connection.appId, verified: connection.verified, connectedAt: iso(connection.connectedAt), accessExpiresAt: iso(connection.accessExpiresAt), refreshedAt: iso(connection.refreshedAt) }
      : { connected: false },
    templates: items.filter((item) => String(item.sk).startsWith('TPL#')).map((item) => {
      const t = v.parse(TemplateSchema, item);
      return {
        templateId: t.templateId, status: t.status ?? null, prevStatus: t.prevStatus ?? null, reason: t.reason ?? null, statusAt: iso(t.statusAt),
        quality: t.quality ?? null, qualityAt: iso(t.qualityAt), quota: json(t.quotaDetail), quotaAt: iso(t.quotaAt),
      };
    }),
    dailyQuota: quota ? (({ dailyQuota, prevQuota, changedAt }) => ({ value: dailyQuota, previous: prevQuota, changedAt: iso(changedAt) }))(v.parse(QuotaSchema, quota)) : null,
    templateTags: tags ? (({ detail, changedAt }) => ({ detail: json(detail), changedAt: iso(changedAt) }))(v.parse(TagsSchema, tags)) : null,
  };
};

export const consentView = (item: Record<string, unknown>) => {
  const c = v.parse(ConsentSchema, item);
  return {
    phone: c.phone, state: c.state, lastEvent: c.lastEvent, changedAt: iso(c.changedAt),
    requestedAt: iso(c.createTime), confirmedAt: iso(c.confirmedTime),
    // Zalo sends expired_time "0" for "no limit".
    expiresAt: c.expiredTime ? iso(c.expiredTime) : null,
  };
};

export const journeyView = (item: Record<string, unknown>) => {
  const j = v.parse(JourneySchema, item);
  return { journeyId: j.journeyId, oaId: j.oaId ?? null, msgId: j.msgId ?? null, charged: j.chargedAt !== undefined, chargedAt: iso(j.chargedAt), expiredAt: iso(j.expiredAt) };
};
