import * as v from 'valibot';
import { base, group, Id, Numeric, soft, opt } from './common';
import { inferredEvent } from './inferred';

const ChangeTemplateStatus = v.object({
  event_name: v.literal('change_template_status'),
  ...base,
  oa_id: Id,
  template_id: Id,
  /** ENABLE | PENDING_REVIEW | REJECT | DISABLE per one source; kept open. */
  status: v.looseObject({ prev_status: v.string(), new_status: v.string() }),
  reason: opt(v.string()),
});

const ChangeTemplateQuality = v.object({
  event_name: v.literal('change_template_quality'),
  ...base,
  oa_id: Id,
  template_id: Id,
  /** HIGH | MEDIUM | LOW | UNDEFINED; kept open so a new grade is not refused. */
  quality: v.string(),
});

export const templates = group(
  [
    ChangeTemplateStatus,
    ChangeTemplateQuality,
    inferredEvent('change_oa_template_tags', { oa_id: soft(Id) }),
  ],
  (event) => ({
    family: 'template',
    oaId: event.oa_id,
    msgIds: [],
    // change_oa_template_tags concerns the whole OA, not one template.
    key: [
      event.event_name,
      event.event_name === 'change_oa_template_tags' ? event.oa_id : event.template_id,
      event.timestamp,
    ],
  }),
);

/** The only event with a camelCase `oaId`. */
const ChangeOaDailyQuota = v.object({
  event_name: v.literal('change_oa_daily_quota'),
  ...base,
  oaId: Id,
  quota: v.looseObject({ prev_value: Numeric, new_value: Numeric }),
});

export const quotas = group(
  [ChangeOaDailyQuota, inferredEvent('change_template_quota', { oa_id: soft(Id), template_id: soft(Id) })],
  (event) =>
    event.event_name === 'change_oa_daily_quota'
      ? { family: 'quota', oaId: event.oaId, msgIds: [], key: [event.event_name, event.oaId, event.timestamp] }
      : { family: 'quota', oaId: event.oa_id, msgIds: [], key: [event.event_name, event.template_id, event.timestamp] },
);

/** Journey field names are unconfirmed: accept snake and camel case. */
const journey = <const N extends string>(event_name: N) =>
  inferredEvent(event_name, {
    oa_id: soft(Id),
    oaId: soft(Id),
    journey_id: soft(Id),
    journeyId: soft(Id),
    msg_id: soft(Id),
  });

export const journeys = group(
  [journey('event_journey_acknowledged'), journey('event_journey_time_out')],
  (event) => ({
    family: event.event_name === 'event_journey_acknowledged' ? 'journey_charged' : 'journey_expired',
    oaId: event.oa_id ?? event.oaId,
    msgIds: event.msg_id === undefined ? [] : [event.msg_id],
    key: [event.event_name, event.journey_id ?? event.journeyId],
  }),
);
