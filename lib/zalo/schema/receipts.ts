import * as v from 'valibot';
import { base, EpochMs, group, Id, Party, present, soft, opt } from './common';
import { inferredMessage } from './inferred';

/**
 * One name, two shapes: the OA-chat receipt carries only `msg_id`; the ZNS receipt (header
 * `X-ZEvent-Server: ZNS`) adds `delivery_time`, `tracking_id`, and its recipient is a phone or its hash.
 * Either way the sender is the OA.
 */
const UserReceivedMessage = v.object({
  event_name: v.literal('user_received_message'),
  ...base,
  sender: Party,
  recipient: Party,
  user_id_by_app: opt(Id),
  message: v.looseObject({ msg_id: Id, delivery_time: opt(EpochMs), tracking_id: opt(v.string()) }),
});

export const received = group([UserReceivedMessage], (event, { znsHeader }) => {
  const { msg_id, delivery_time, tracking_id } = event.message;
  const zns = znsHeader || delivery_time !== undefined || tracking_id !== undefined;
  return {
    family: zns ? 'zns_delivery' : 'oa_receipt',
    zns,
    oaId: event.sender.id,
    userId: zns ? undefined : event.recipient.id,
    msgIds: [msg_id],
    key: zns ? [event.event_name, 'zns', msg_id, ...present(tracking_id)] : [event.event_name, msg_id],
    deliveredAt: zns && delivery_time !== undefined ? Number(delivery_time) : undefined,
  };
});

const UserSeenMessage = v.object({
  event_name: v.literal('user_seen_message'),
  ...base,
  sender: Party,
  recipient: Party,
  user_id_by_app: opt(Id),
  message: v.looseObject({ msg_ids: v.pipe(v.array(Id), v.minLength(1)) }),
});

export const seen = group([UserSeenMessage], (event) => ({
  family: 'oa_receipt',
  oaId: event.sender.id,
  userId: event.recipient.id,
  msgIds: [...event.message.msg_ids],
  key: [event.event_name, ...[...event.message.msg_ids].sort()],
}));

const reaction = <const N extends string>(event_name: N) =>
  inferredMessage(event_name, { react_icon: soft(v.string()) });

/**
 * A user may react several times to one message, so the key adds icon and timestamp to the msg_id
 * (a retry keeps both).
 */
export const reactions = group([reaction('user_reacted_message'), reaction('oa_reacted_message')], (event) => {
  const fromUser = event.event_name === 'user_reacted_message';
  const [oa, user] = fromUser ? [event.recipient, event.sender] : [event.sender, event.recipient];
  const msgId = event.message?.msg_id;
  return {
    family: 'reaction',
    oaId: oa?.id,
    userId: user?.id,
    msgIds: present(msgId),
    key: [event.event_name, msgId, event.message?.react_icon ?? '', event.timestamp],
  };
});
