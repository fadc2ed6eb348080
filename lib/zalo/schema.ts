import * as v from 'valibot';
import { anonymousMessages } from './schema/anonymous';
import { follows, tags } from './schema/audience';
import { calls, consents } from './schema/calls';
import type { EventGroup } from './schema/common';
import { interactions } from './schema/interactions';
import { oaMessages, userMessages } from './schema/messages';
import { reactions, received, seen } from './schema/receipts';
import { journeys, quotas, templates } from './schema/zns';

export { ZALO_FAMILIES, type ZaloFamily, type EventFacts } from './schema/common';

/** Every event family of protocols.md §1.5 that the receiver understands, each with its facts reader. */
export const ZALO_EVENT_GROUPS: readonly EventGroup[] = [
  userMessages, oaMessages, anonymousMessages, received, seen, reactions, follows, tags, interactions,
  templates, quotas, journeys, consents, calls,
];

/** One object schema per event_name; confirmed shapes are strict, inferred ones tolerant. */
export const ZaloEventSchema = v.variant('event_name', [
  ...userMessages.schemas,
  ...oaMessages.schemas,
  ...anonymousMessages.schemas,
  ...received.schemas,
  ...seen.schemas,
  ...reactions.schemas,
  ...follows.schemas,
  ...tags.schemas,
  ...interactions.schemas,
  ...templates.schemas,
  ...quotas.schemas,
  ...journeys.schemas,
  ...consents.schemas,
  ...calls.schemas,
]);

export type ZaloEvent = v.InferOutput<typeof ZaloEventSchema>;
export type ZaloEventName = ZaloEvent['event_name'];

/** The group that reads each known event_name. */
export const ZALO_GROUP_BY_NAME: ReadonlyMap<string, EventGroup> = new Map(
  ZALO_EVENT_GROUPS.flatMap((group) => group.schemas.map((schema) => [schema.entries.event_name.literal, group] as const)),
);
