/**
 * Local defaults for every setting in the contract, so `npm start` needs no set-up. Anything already in
 * the environment wins. The dev Zalo app is the fixtures' app, so the fixture payloads verify locally.
 */
import { FAKE_ESMS_DEFAULT_KEYS } from '../fakes/esms-api';
import { LOCAL_DEV_TOKEN_KEY } from '../../lib/seal';

export const LOCAL_DEFAULTS = {
  PORT: '3000',
  DATA_DIR: '.local/dynamodb',
  DYNAMODB_PORT: '8000',
  ESMS_FAKE_PORT: '3001',
  ZALO_FAKE_PORT: '3002',
  SQS_FAKE_PORT: '3003',
  ESMS_CALLBACK_TOKENS: 'local-dev-token',
  ZALO_APPS: JSON.stringify({ '3482178216594085616': 'fixture-oa-secret-key' }),
  ZALO_SITE_VERIFICATION: '',
  API_KEYS: 'local-dev-key',
  ADMIN_API_KEYS: 'local-admin-key',
  LATE_REPORT_HOURS: '72',
  AWS_REGION: 'ddblocal',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  // OA onboarding: a dev app secret, the public dev token key (the onboarding functions warn when they use it).
  ZALO_APP_SECRETS: JSON.stringify({ '3482178216594085616': 'local-dev-app-secret' }),
  ZALO_TOKEN_KEY: LOCAL_DEV_TOKEN_KEY,
  ZALO_STATE_SECRET: 'local-dev-state-secret',
  // Destinations may be http://127.0.0.1 or localhost (npm run sink); every AWS stage requires https and public addresses.
  DESTINATION_ALLOW_LOCAL: 'true',
} as const;

export const applyLocalDefaults = (env: NodeJS.ProcessEnv = process.env): void => {
  for (const [name, value] of Object.entries(LOCAL_DEFAULTS)) if (env[name] === undefined) env[name] = value;
};

/** Lets `npm run audit` (and other tools) reach the tables of a running `npm start` with no set-up. */
export const applyToolDefaults = (env: NodeJS.ProcessEnv = process.env): void => {
  if (env.MESSAGES_TABLE) return;
  applyLocalDefaults(env);
  env.MESSAGES_TABLE = 'local-messages';
  env.COUNTERS_TABLE = 'local-counters';
  env.REGISTRY_TABLE = 'local-registry';
  env.DYNAMODB_ENDPOINT ??= `http://127.0.0.1:${env.DYNAMODB_PORT}`;
  // The fake eSMS `npm start` runs, with its keys (npm run reconcile).
  env.ESMS_API_BASE_URL ??= `http://127.0.0.1:${env.ESMS_FAKE_PORT}`;
  env.ESMS_API_KEY ??= FAKE_ESMS_DEFAULT_KEYS.apiKey;
  env.ESMS_SECRET_KEY ??= FAKE_ESMS_DEFAULT_KEYS.secretKey;
};
