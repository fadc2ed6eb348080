/**
 * Secrets at run time. On AWS (`SECRETS_PATH` set) each function reads the SSM SecureString parameters it
 * needs, `${SECRETS_PATH}/<name>`, before its first request and again once they are a minute old, so a
 * rotated eSMS token or API key is picked up without a redeploy (and a removed one stops working). Values land in the synchronous
 * `settings()` object (via `applySecret`), which every closure reads at request time. Locally (no
 * `SECRETS_PATH`) the environment already holds them and loading is a no-op. Values are never logged.
 */
import parameters from '../../infra/ssm-parameters.json';
import { SecretsUnavailableError } from '../errors';
import type { Log } from '../observability/ports';
import type { SecretSetting } from './settings';

export type SecretName = Exclude<keyof typeof parameters, '$comment'>;

/** Parameter name → the setting it fills; the one list infra/ and docs/ check against. */
export const SECRET_PARAMETERS = Object.fromEntries(
  Object.entries(parameters).filter(([name]) => name !== '$comment').map(([name, spec]) => [name, (spec as { setting: SecretSetting }).setting]),
) as Record<SecretName, SecretSetting>;

/**
 * The rotation window (docs/security.md). A value is read again by the first invocation after it is
 * `SECRETS_REFRESH_MS` old, so a secret removed from SSM stops working within a minute on every warm
 * instance; a value that cannot be read again is used at most `SECRETS_MAX_AGE_MS` after it was read, then
 * the function fails closed (500, "secrets unavailable") until SSM answers.
 */
export const SECRETS_REFRESH_MS = 60_000;
export const SECRETS_MAX_AGE_MS = 5 * 60_000;
/** After a failed read, SSM is asked again this much later (not on every request: a cold-start wave must not feed itself). */
export const SECRETS_RETRY_MS = 5_000;

/** Full parameter names → decrypted values; names SSM does not know are simply absent. */
export type FetchParameters = (names: readonly string[]) => Promise<Record<string, string>>;

export interface SecretLoaderDeps {
  /** `/<service>/<stage>`, or undefined when the environment holds the secrets (local stack, tests). */
  path: string | undefined;
  fetch: FetchParameters;
  apply: (setting: SecretSetting, raw: string) => void;
  now: () => number;
  log: Pick<Log, 'warn'>;
}

export const parameterName = (path: string, name: SecretName): string => `${path.replace(/\/+$/, '')}/${name}`;

/**
 * Returns `load(names)`: resolves once every named secret is fresh enough to use. A failed refresh keeps
 * the values read earlier while they are younger than `SECRETS_MAX_AGE_MS` (an SSM hiccup never refuses a
 * provider) and tries again after `SECRETS_RETRY_MS`; past that age, or on a failed first read, it throws
 * `SecretsUnavailableError` (without asking SSM again before the retry delay).
 */
export const buildSecretLoader = (deps: SecretLoaderDeps) => {
  const readAt = new Map<SecretName, number>();
  let retryAfter = Number.NEGATIVE_INFINITY;
  let lastFailure = '';
  return async (names: readonly SecretName[]): Promise<void> => {
    const path = deps.path;
    if (path === undefined) return;
    const now = deps.now();
    const age = (name: SecretName) => now - (readAt.get(name) ?? Number.NEGATIVE_INFINITY);
    const due = names.filter((name) => age(name) >= SECRETS_REFRESH_MS);
    if (due.length === 0) return;
    const usable = () => {
      const expired = names.filter((name) => age(name) >= SECRETS_MAX_AGE_MS);
      if (expired.length > 0) throw new SecretsUnavailableError(`cannot read secrets ${expired.join(', ')} (older than ${SECRETS_MAX_AGE_MS / 60_000} minutes are not used): ${lastFailure}`);
    };
    if (now < retryAfter) return usable();
    try {
      const values = await deps.fetch(due.map((name) => parameterName(path, name)));
      const missing = due.filter((name) => values[parameterName(path, name)] === undefined);
      if (missing.length > 0) throw new SecretsUnavailableError(`SSM parameters not found: ${missing.map((name) => parameterName(path, name)).join(', ')}`);
      for (const name of due) deps.apply(SECRET_PARAMETERS[name], values[parameterName(path, name)]!);
      for (const name of due) readAt.set(name, now);
      retryAfter = Number.NEGATIVE_INFINITY;
    } catch (error) {
      lastFailure = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
      retryAfter = now + SECRETS_RETRY_MS;
      if (names.some((name) => !readAt.has(name))) throw new SecretsUnavailableError(`cannot read secrets ${due.join(', ')}: ${lastFailure}`, error);
      usable();
      deps.log.warn('secrets refresh failed; keeping the values read earlier until they are 5 minutes old', { parameters: due, reason: lastFailure });
    }
  };
};
