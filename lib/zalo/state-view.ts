/** What the read API shows of the derived Zalo state (items already parsed through lib/table's schemas). */
import type { TokenRecord } from '../table/oauth';
import type { ConsentItem, JourneyItem, OaStateItems } from '../table/zalo';
import { vietnamIso } from '../time';

/** Every timestamp shown is ISO 8601 with `+07:00`, as on every other route. */
const iso = (ms: number | undefined): string | null => (ms === undefined ? null : vietnamIso(ms));

/** Inferred payloads are stored as JSON text; show them as JSON. */
const json = (text: string | undefined): unknown => (text === undefined ? null : JSON.parse(text));

/** Templates, daily quota, content tags and the connection (never its tokens) of one OA. */
export const oaStateView = (oaId: string, { templates, quota, tags }: OaStateItems, connection: TokenRecord | undefined) => ({
  oaId,
  connection: connection
    ? {
      // Revoked (permission_revoked, or Zalo refused the refresh token): no longer refreshed until the OA reconnects.
      connected: connection.revokedAt === undefined, appId: connection.appId, connectedAt: iso(connection.connectedAt),
      accessExpiresAt: iso(connection.accessExpiresAt), refreshedAt: iso(connection.refreshedAt),
      revokedAt: iso(connection.revokedAt), revokedReason: connection.revokedReason ?? null,
    }
    : { connected: false },
  templates: templates.map((t) => ({
    templateId: t.templateId, status: t.status ?? null, prevStatus: t.prevStatus ?? null, reason: t.reason ?? null, statusAt: iso(t.statusAt),
    quality: t.quality ?? null, qualityAt: iso(t.qualityAt), quota: json(t.quotaDetail), quotaAt: iso(t.quotaAt),
  })),
  dailyQuota: quota ? { value: quota.dailyQuota, previous: quota.prevQuota, changedAt: iso(quota.changedAt) } : null,
  templateTags: tags ? { detail: json(tags.detail), changedAt: iso(tags.changedAt) } : null,
});

export const consentView = (c: ConsentItem) => ({
  phone: c.phone, state: c.state, lastEvent: c.lastEvent, changedAt: iso(c.changedAt),
  requestedAt: iso(c.createTime), confirmedAt: iso(c.confirmedTime),
  // Zalo sends expired_time "0" for "no limit".
  expiresAt: c.expiredTime ? iso(c.expiredTime) : null,
});

export const journeyView = (j: JourneyItem) => ({
  journeyId: j.journeyId, oaId: j.oaId ?? null, msgId: j.msgId ?? null, charged: j.chargedAt !== undefined, chargedAt: iso(j.chargedAt), expiredAt: iso(j.expiredAt),
});
