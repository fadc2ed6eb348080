import * as v from 'valibot';
import { anonymousMessages } from './schema/anonymous';
import { follows, tags } from './schema/audience';
import { calls, consents } from './schema/calls';
import type { EventGroup } from './schema/common';
import { interactions } from './schema/interactions';
import { oaMessages, userMessages } from './schema/messages';
import { permissions } from './schema/permissions';
import { reactions, received, seen } from './schema/receipts';
import { journeys, quotas, templates } from './schema/zns';

export { ZALO_FAMILIES, type ZaloFamily, type EventFacts } from './schema/common';

/** Every event family of docs/protocols.md §5.5 that the receiver understands, each with its facts reader. */
const GROUPS = [
  userMessages, oaMessages, anonymousMessages, received, seen, reactions, follows, tags, interactions,
  templates, quotas, journeys, consents, calls, permissions,
] as const;

type SchemaOf<G> = G extends EventGroup<infer S> ? S[number] : never;
type ZaloEventOption = SchemaOf<(typeof GROUPS)[number]>;

/** One object schema per event_name; confirmed shapes are strict, inferred ones tolerant. */
export const ZaloEventSchema = v.variant(
  'event_name',
  GROUPS.flatMap((group): ZaloEventOption[] => [...group.schemas]),
);

export type ZaloEvent = v.InferOutput<typeof ZaloEventSchema>;
export type ZaloEventName = ZaloEvent['event_name'];

export const ZALO_EVENT_GROUPS: readonly EventGroup[] = GROUPS;

/** The group that reads each known event_name. */
export const ZALO_GROUP_BY_NAME: ReadonlyMap<string, EventGroup> = new Map(
  ZALO_EVENT_GROUPS.flatMap((group) =>
    group.schemas.map((schema) => [schema.entries.event_name.literal, group] as const),
  ),
);
