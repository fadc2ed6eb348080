/**
 * Names that more than one file needs: the code, `serverless.yml`, `infra/` and the local stack.
 * `test/infra/names.test.ts` ties them to the packaged CloudFormation template.
 */
import tables from '../../infra/tables.json';

export const TABLES = {
  messages: 'Messages',
  counters: 'Counters',
  registry: 'Registry',
} as const satisfies Record<string, keyof typeof tables>;

export const TABLE_DEFINITIONS = tables;

/** Key attributes shared by every table. */
export const KEY = { pk: 'pk', sk: 'sk' } as const;

/** Epoch-seconds attribute DynamoDB TTL reads on the messages table (raw/rejected data). */
export const TTL_ATTRIBUTE = 'expiresAt';

/** Sparse GSI linking a Zalo msg_id (eSMS `partnerids`) back to its SMSID. */
export const ZALO_MSG_INDEX = { name: 'byZaloMsgId', attribute: 'zmsg' } as const;

/** Item kinds stored in the messages table; the aggregator dispatches on them. */
export const KIND = {
  esms: 'esms',
  esmsCallback: 'esms-cb',
  rejected: 'rejected',
  zalo: 'zalo',
  follower: 'follower',
  oauth: 'oauth',
  oauthFlow: 'oauth-flow',
  oauthLink: 'oauth-link',
  followerBackfill: 'follower-backfill',
  state: 'state',
} as const;
export type Kind = (typeof KIND)[keyof typeof KIND];

/** Env var names each function reads its table names from. */
export const TABLE_ENV = {
  messages: 'MESSAGES_TABLE',
  counters: 'COUNTERS_TABLE',
  registry: 'REGISTRY_TABLE',
} as const;

/** The tenant the environment settings (`ESMS_CALLBACK_TOKENS`, `ZALO_APPS`, `API_KEYS`) configure. */
export const DEFAULT_TENANT = 'default';
