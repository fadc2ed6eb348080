/**
 * The secret loader of this function instance: SSM on AWS (`SECRETS_PATH`), the environment locally.
 * Kept apart from shared.ts so functions that need no secret (the aggregator) carry none of it.
 */
import { buildSecretLoader } from '../config/secrets';
import { applySecret } from '../config/settings';
import { buildSsmFetch } from '../config/ssm';
import { logger } from '../observability/telemetry';
import { config } from './shared';

export const loadSecrets = buildSecretLoader({ path: config.secretsPath, fetch: buildSsmFetch(), apply: applySecret, now: () => Date.now(), log: logger });
