/**
 * Every setting the functions read, parsed once from the environment. On AWS the values come from
 * `serverless.yml` (tables) and SSM Parameter Store (secrets); locally `infra/local/defaults.ts` fills them.
 * A missing required setting fails the cold start loudly instead of failing a request later.
 */
import { TABLE_ENV } from '../names';

const required = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`missing required setting ${name}`);
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
  dynamodbEndpoint: string | undefined;
}

const parseZaloApps = (raw: string | undefined): Record<string, string> => {
  if (!raw) return {};
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('ZALO_APPS must be a JSON object {"<app_id>": "<OA secret key>"}');
  }
  return Object.fromEntries(Object.entries(parsed).map(([app, secret]) => [app, String(secret)]));
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
    dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT || undefined,
  };
  return cached;
};
