import * as v from 'valibot';
import { base, group, Id, Party, soft, opt } from './common';
import { inferredEvent } from './inferred';

/** follow/unfollow carry `follower` instead of sender/recipient, and a flat `oa_id`. */
const followEvent = <const N extends 'follow' | 'unfollow'>(event_name: N) =>
  v.object({
    event_name: v.literal(event_name),
    ...base,
    oa_id: Id,
    follower: Party,
    user_id_by_app: opt(Id),
    source: opt(v.string()),
  });

export const follows = group([followEvent('follow'), followEvent('unfollow')], (event) => ({
  family: event.event_name,
  oaId: event.oa_id,
  userId: event.follower.id,
  msgIds: [],
  key: [event.event_name, event.follower.id, event.timestamp],
}));

const AddUserToTag = v.object({
  event_name: v.literal('add_user_to_tag'),
  ...base,
  oa_id: Id,
  user_id_by_app: opt(Id),
  tag: v.looseObject({ user_ids: v.array(Id), name: v.string() }),
});

const SoftTag = soft(v.looseObject({ user_ids: soft(v.array(Id)), name: soft(v.string()) }));

/** Tag events are batch-shaped: `userId` only when exactly one user is concerned. */
export const tags = group(
  [
    AddUserToTag,
    inferredEvent('remove_user_from_tag', { oa_id: soft(Id), tag: SoftTag }),
    inferredEvent('remove_tag', { oa_id: soft(Id), tag: SoftTag }),
  ],
  (event) => {
    const userIds = event.tag?.user_ids ?? [];
    return {
      family: 'tag',
      oaId: event.oa_id,
      userId: userIds.length === 1 ? userIds[0] : undefined,
      msgIds: [],
      key: [event.event_name, event.tag?.name, event.timestamp],
    };
  },
);
