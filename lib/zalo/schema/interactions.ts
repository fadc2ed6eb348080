import * as v from 'valibot';
import { base, EpochMs, group, Id, Numeric, Party, soft } from './common';
import { inferredEvent } from './inferred';

const Text = v.optional(v.string());

/** Two shapes seen: the current form (full_address) and an older flat address. */
const SubmittedInfo = v.union([
  v.looseObject({
    name: Text,
    phone: Text,
    user_dob: Text,
    gender: Text,
    full_address: v.looseObject({ user_city: Text, user_ward: Text, user_address: Text }),
  }),
  v.looseObject({ name: Text, phone: Text, address: Text, city: Text, district: Text, ward: Text }),
]);

const UserSubmitInfo = v.object({
  event_name: v.literal('user_submit_info'),
  ...base,
  sender: Party,
  recipient: Party,
  user_id_by_app: v.optional(Id),
  info: SubmittedInfo,
});

/** Rating of a ZNS service-evaluation template; carries no user id, only msg_id/tracking_id. */
const UserFeedback = v.object({
  event_name: v.literal('user_feedback'),
  ...base,
  oa_id: Id,
  message: v.looseObject({
    msg_id: Id,
    submit_time: EpochMs,
    rating_type: Text,
    option: Text,
    note: Text,
    rate: v.optional(Numeric),
    feedbacks: v.optional(v.array(v.string())),
    tracking_id: Text,
  }),
});

const UserClickResponseButton = v.object({
  event_name: v.literal('user_click_response_button'),
  ...base,
  oa_id: Id,
  msg_id: Id,
  message: v.looseObject({ submit_time: EpochMs, button_type: Text, data: Text, tracking_id: Text }),
});

const UserClickChatnow = inferredEvent('user_click_chatnow', {
  oa_id: soft(Id),
  user_id: soft(Id),
  user_id_by_app: soft(Id),
});

export const interactions = group(
  [UserClickChatnow, UserSubmitInfo, UserFeedback, UserClickResponseButton],
  (event) => {
    const family = 'interaction';
    switch (event.event_name) {
      case 'user_click_chatnow':
        return { family, oaId: event.oa_id, userId: event.user_id, msgIds: [], key: [event.event_name, event.user_id, event.timestamp] };
      case 'user_submit_info':
        return { family, oaId: event.recipient.id, userId: event.sender.id, msgIds: [], key: [event.event_name, event.sender.id, event.timestamp] };
      case 'user_feedback':
        return { family, oaId: event.oa_id, msgIds: [event.message.msg_id], key: [event.event_name, event.message.msg_id, event.message.submit_time] };
      case 'user_click_response_button':
        return { family, oaId: event.oa_id, msgIds: [event.msg_id], key: [event.event_name, event.msg_id, event.message.submit_time] };
    }
  },
);
