import * as v from 'valibot';
import { base, EpochMs, type EventFacts, group, Id, Numeric, Party, Phone, soft, opt } from './common';
import { inferredEvent } from './inferred';

const Text = opt(v.string());
const family = 'interaction';

/** Two shapes seen: the current form (full_address) and an older flat address. */
const SubmittedInfo = v.union([
  v.looseObject({
    name: Text,
    phone: opt(Phone),
    user_dob: Text,
    gender: Text,
    full_address: v.looseObject({ user_city: Text, user_ward: Text, user_address: Text }),
  }),
  v.looseObject({ name: Text, phone: opt(Phone), address: Text, city: Text, district: Text, ward: Text }),
]);

const UserSubmitInfo = v.object({
  event_name: v.literal('user_submit_info'),
  ...base,
  sender: Party,
  recipient: Party,
  user_id_by_app: opt(Id),
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
    rate: opt(Numeric),
    feedbacks: opt(v.array(v.string())),
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
  (event): EventFacts => {
    const name = event.event_name;
    switch (name) {
      case 'user_click_chatnow': {
        const { oa_id: oaId, user_id: userId, timestamp } = event;
        return { family, oaId, userId, msgIds: [], key: [name, userId, timestamp] };
      }
      case 'user_submit_info': {
        const { recipient, sender, timestamp } = event;
        return { family, oaId: recipient.id, userId: sender.id, msgIds: [], key: [name, sender.id, timestamp] };
      }
      case 'user_feedback': {
        const { msg_id, submit_time } = event.message;
        return { family, oaId: event.oa_id, msgIds: [msg_id], key: [name, msg_id, submit_time] };
      }
      case 'user_click_response_button': {
        const { oa_id: oaId, msg_id, message } = event;
        return { family, oaId, msgIds: [msg_id], key: [name, msg_id, message.submit_time] };
      }
    }
  },
);
