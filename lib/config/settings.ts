/**
 * Every setting the functions read, parsed once from the environment. On AWS the values come from
 * `serverless.yml` (tables) and SSM Parameter Store (secrets); locally `infra/local/defaults.ts` fills them.
 * A missing required setting fails the cold start loudly instead of failing a request later.
 */
import { TABLE_ENV } from '../table/names';

/** Zalo's public endpoints; the settings below override them (the local stack and tests point at a fake Zalo). */
const ZALO_OAUTH_DEFAULT_BASE_URL = 'https://oauth.zaloapp.com';
const ZALO_OPENAPI_DEFAULT_BASE_URL = 'https://openapi.zalo.me';

const required = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`missing required setting ${name}`);
  return value;
};

/** A setting only some functions need, checked when one of them first uses it. */
export const requireSetting = (value: string | undefined, name: string): string => {
  if (!value) throw new Error(`missing required setting ${name}`);
  return value;
};

const list = (value: string | undefined): string[] =>
  (value ?? '').split(',').map((item) => item.trim()).filter((item) => item.length > 0);

export interface Settings {
  messagesTable: string;
  countersTable: string;
  esmsTokens: string[];
  apiKeys: string[];
  zaloApps: Record<string, string>;
  zaloSiteVerification: string[];
  rejectedRetentionDays: number;
  /** Days eSMS messages (heads, callbacks with their raw queries, phone index) are kept before TTL deletes them; undefined: kept. */
  messageRetentionDays: number | undefined;
  dynamodbEndpoint: string | undefined;
  /** The inbound buffer's queue (infra/queues.json InboundBuffer); undefined: no buffer, a request storage cannot take is a 503. */
  inboundBufferQueueUrl: string | undefined;
  /** Locally, the SQS emulation (infra/fakes/sqs); on AWS unset. */
  sqsEndpoint: string | undefined;
  /** app_id → app secret key, for the OA OAuth flow (not the webhook's OA secret key). */
  zaloAppSecrets: Record<string, string>;
  zaloOauthBaseUrl: string;
  zaloOpenApiBaseUrl: string;
  /** base64 of 32 bytes: AES-256-GCM key sealing OA tokens at rest. Required by the onboarding functions only. */
  zaloTokenKey: string | undefined;
  /** HMAC key of the OAuth `state`. Required by the onboarding functions only. */
  zaloStateSecret: string | undefined;
  /** The registered "Official Account Callback Url"; defaults to this API's own `/zalo/oa-callback`. */
  zaloOaCallbackUrl: string | undefined;
  /** `/<service>/<stage>` on AWS: the secrets below are then SSM parameters under it (lib/config/secrets.ts). */
  secretsPath: string | undefined;
  /** Bearer keys of the admin API (reconcile, late sweep, tenants). */
  adminApiKeys: string[];
  /** Hours after which a message with no final status is `expired` (fractions allowed). */
  lateReportHours: number;
  /** eSMS's REST base URL (rest.esms.vn) and its GetCallback host (status-sms.esms.vn), for reconciliation. */
  esmsApiBaseUrl: string;
  esmsStatusApiBaseUrl: string;
  /** The tenant `default`'s eSMS account, or undefined when reconciliation has no account to pull with. */
  esmsAccount: { apiKey: string; secretKey: string } | undefined;
  /** The tenant registry table (lib/table/registry.ts); undefined: only the environment's tenant `default`. */
  registryTable: string | undefined;
  /** Base URL the admin API builds callback URLs with (e.g. https://api.etelecom.vn); else the request's own host. */
  publicBaseUrl: string | undefined;
  /** How long a function instance trusts what it read from the registry (tokens, apps, codes), in ms. */
  registryCacheTtlMs: number;
  /** How long offboarding waits after the messages table's sweep before the counters' (the aggregator's window and retries). */
  offboardSettleMs: number;
  /** Requests kept per pending Zalo app (registered without its OA Secret Key) before more are dropped. */
  /** Recipients of a batch per storage partition (lib/table/esms.ts); lowered only by the local throttle emulation. */
  batchRecipientsPerShard: number;
  zaloPendingCap: number;
  /** The event delivery queue (infra/queues.json DestinationDeliveries). */
  destinationQueueUrl: string | undefined;
  /** Waits between delivery attempts (lib/destinations/schedule.ts); undefined: the default schedule. */
  destinationRetrySchedule: string | undefined;
  /** The local stack only: destinations may be http:// on 127.0.0.1/localhost. */
  destinationAllowLocal: boolean;
  /** Deliveries to one destination in flight at once, at most (lib/destinations/deliver.ts). */
  destinationMaxInFlight: number;
}

const ESMS_API_DEFAULT_BASE_URL = 'https://rest.esms.vn';
const ESMS_STATUS_API_DEFAULT_BASE_URL = 'https://status-sms.esms.vn';

const positiveNumber = (name: string, raw: string | undefined, fallback: number): number => {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number of hours`);
  return value;
};

const esmsAccount = (apiKey: string | undefined, secretKey: string | undefined) =>
  apiKey && secretKey ? { apiKey: apiKey.trim(), secretKey: secretKey.trim() } : undefined;

/** JSON.parse, but its error never quotes the input: these values are secrets. */
const parseSecretJson = (name: string, raw: string): unknown => {
  try {
    return JSON.parse(raw);
  } catch {
    throw new Error(`${name} is not valid JSON`);
  }
};

const parseZaloApps = (raw: string | undefined): Record<string, string> => {
  if (!raw) return {};
  const parsed: unknown = parseSecretJson('ZALO_APPS', raw);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('ZALO_APPS must be a JSON object {"<app_id>": "<OA secret key>"}');
  }
  return Object.fromEntries(Object.entries(parsed).map(([app, secret]) => [app, String(secret)]));
};

const jsonMap = (name: string, raw: string | undefined, meaning: string): Record<string, string> => {
  if (!raw) return {};
  const parsed: unknown = parseSecretJson(name, raw);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${name} must be a JSON object ${meaning}`);
  return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]));
};

/** Whole days, or undefined when unset or 0 (keep until erased). */
const retentionDays = (raw: string | undefined): number | undefined => {
  if (raw === undefined || raw === '' || raw === '0') return undefined;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 1) throw new Error('MESSAGE_RETENTION_DAYS must be a whole number of days');
  return days;
};

let cached: Settings | undefined;

export const settings = (): Settings => {
  cached ??= {
    messagesTable: required(TABLE_ENV.messages),
    countersTable: required(TABLE_ENV.counters),
    esmsTokens: list(process.env.ESMS_CALLBACK_TOKENS),
    apiKeys: list(process.env.API_KEYS),
    zaloApps: parseZaloApps(process.env.ZALO_APPS),
    zaloSiteVerification: list(process.env.ZALO_SITE_VERIFICATION),
    rejectedRetentionDays: Number(process.env.REJECTED_RETENTION_DAYS ?? '30'),
    messageRetentionDays: retentionDays(process.env.MESSAGE_RETENTION_DAYS),
    dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT || undefined,
    inboundBufferQueueUrl: process.env.INBOUND_BUFFER_QUEUE_URL || undefined,
    sqsEndpoint: process.env.SQS_ENDPOINT || undefined,
    zaloAppSecrets: jsonMap('ZALO_APP_SECRETS', process.env.ZALO_APP_SECRETS, '{"<app_id>": "<app secret key>"}'),
    zaloOauthBaseUrl: process.env.ZALO_OAUTH_BASE_URL || ZALO_OAUTH_DEFAULT_BASE_URL,
    zaloOpenApiBaseUrl: process.env.ZALO_OPENAPI_BASE_URL || ZALO_OPENAPI_DEFAULT_BASE_URL,
    zaloTokenKey: process.env.ZALO_TOKEN_KEY || undefined,
    zaloStateSecret: process.env.ZALO_STATE_SECRET || undefined,
    zaloOaCallbackUrl: process.env.ZALO_OA_CALLBACK_URL || undefined,
    secretsPath: process.env.SECRETS_PATH || undefined,
    adminApiKeys: list(process.env.ADMIN_API_KEYS),
    lateReportHours: positiveNumber('LATE_REPORT_HOURS', process.env.LATE_REPORT_HOURS, 72),
    esmsApiBaseUrl: process.env.ESMS_API_BASE_URL || ESMS_API_DEFAULT_BASE_URL,
    esmsStatusApiBaseUrl: process.env.ESMS_STATUS_API_BASE_URL || process.env.ESMS_API_BASE_URL || ESMS_STATUS_API_DEFAULT_BASE_URL,
    esmsAccount: esmsAccount(process.env.ESMS_API_KEY, process.env.ESMS_SECRET_KEY),
    registryTable: process.env[TABLE_ENV.registry] || undefined,
    publicBaseUrl: process.env.PUBLIC_BASE_URL?.replace(/\/+$/, '') || undefined,
    registryCacheTtlMs: positiveNumber('REGISTRY_CACHE_SECONDS', process.env.REGISTRY_CACHE_SECONDS, 60) * 1000,
    offboardSettleMs: positiveNumber('OFFBOARD_SETTLE_SECONDS', process.env.OFFBOARD_SETTLE_SECONDS, 60) * 1000,
    batchRecipientsPerShard: Math.floor(positiveNumber('BATCH_RECIPIENTS_PER_SHARD', process.env.BATCH_RECIPIENTS_PER_SHARD, 256)),
    zaloPendingCap: Math.floor(positiveNumber('ZALO_PENDING_CAP', process.env.ZALO_PENDING_CAP, 10_000)),
    destinationQueueUrl: process.env.DESTINATION_QUEUE_URL || undefined,
    destinationRetrySchedule: process.env.DESTINATION_RETRY_SCHEDULE || undefined,
    destinationAllowLocal: process.env.DESTINATION_ALLOW_LOCAL === 'true',
    destinationMaxInFlight: Math.floor(positiveNumber('DESTINATION_MAX_IN_FLIGHT', process.env.DESTINATION_MAX_IN_FLIGHT, 5)),
  };
  return cached;
};

/**
 * The settings that are secrets, by the name of their environment variable. Locally they are read from
 * the environment above; on AWS the environment has none of them and `lib/config/secrets.ts` applies the
 * SSM parameter values here, parsed by the same rules, into the one settings object every closure reads.
 */
const SECRET_SETTERS = {
  ESMS_CALLBACK_TOKENS: (s: Settings, raw: string) => { s.esmsTokens = list(raw); },
  API_KEYS: (s: Settings, raw: string) => { s.apiKeys = list(raw); },
  ZALO_APPS: (s: Settings, raw: string) => { s.zaloApps = parseZaloApps(raw); },
  ZALO_APP_SECRETS: (s: Settings, raw: string) => { s.zaloAppSecrets = jsonMap('ZALO_APP_SECRETS', raw, '{"<app_id>": "<app secret key>"}'); },
  ZALO_TOKEN_KEY: (s: Settings, raw: string) => { s.zaloTokenKey = raw.trim() || undefined; },
  ZALO_STATE_SECRET: (s: Settings, raw: string) => { s.zaloStateSecret = raw.trim() || undefined; },
  ADMIN_API_KEYS: (s: Settings, raw: string) => { s.adminApiKeys = list(raw); },
  ESMS_API_KEY: (s: Settings, raw: string) => { s.esmsAccount = esmsAccount(raw, s.esmsAccount?.secretKey ?? process.env.ESMS_SECRET_KEY); pendingApiKey = raw; },
  ESMS_SECRET_KEY: (s: Settings, raw: string) => { s.esmsAccount = esmsAccount(s.esmsAccount?.apiKey ?? pendingApiKey, raw); },
} as const;
// SSM hands the two halves of the eSMS account over one at a time.
let pendingApiKey: string | undefined;
export type SecretSetting = keyof typeof SECRET_SETTERS;
export const SECRET_SETTINGS = Object.keys(SECRET_SETTERS) as SecretSetting[];

/** Replaces one secret setting with a freshly read value (throws, without quoting it, when malformed). */
export const applySecret = (name: SecretSetting, raw: string): void => SECRET_SETTERS[name](settings(), raw);
