/**
 * Secrets at run time. On AWS (`SECRETS_PATH` set) each function reads the SSM SecureString parameters it
 * needs, `${SECRETS_PATH}/<name>`, before its first request and again once they are older than the TTL,
 * so a rotated eSMS token or API key is picked up without a redeploy. Values land in the synchronous
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

/** How long a read value is trusted before the next invocation reads it again. */
export const SECRETS_TTL_MS = 5 * 60_000;

/** Full parameter names → decrypted values; names SSM does not know are simply absent. */
export type FetchParameters = (names: readonly string[]) => Promise<Record<string, string>>;

export interface SecretLoaderDeps {
  /** `/<service>/<stage>`, or undefined when the environment holds the secrets (local stack, tests). */
  path: string | undefined;
  fetch: FetchParameters;
  apply: (setting: SecretSetting, raw: string) => void;
  now: () => number;
  log: Pick<Log, 'warn'>;
  ttlMs?: number;
}

export const parameterName = (path: string, name: SecretName): string => `${path.replace(/\/+$/, '')}/${name}`;

/**
 * Returns `load(names)`: resolves once every named secret is fresh. A failed refresh keeps the cached
 * values (and waits a TTL before trying again) so an SSM hiccup never refuses a provider; a failed first
 * read throws `SecretsUnavailableError`.
 */
export const buildSecretLoader = (deps: SecretLoaderDeps) => {
  const ttl = deps.ttlMs ?? SECRETS_TTL_MS;
  const readAt = new Map<SecretName, number>();
  return async (names: readonly SecretName[]): Promise<void> => {
    const path = deps.path;
    if (path === undefined) return;
    const now = deps.now();
    const due = names.filter((name) => now - (readAt.get(name) ?? -Infinity) >= ttl);
    if (due.length === 0) return;
    try {
      const values = await deps.fetch(due.map((name) => parameterName(path, name)));
      const missing = due.filter((name) => values[parameterName(path, name)] === undefined);
      if (missing.length > 0) throw new SecretsUnavailableError(`SSM parameters not found: ${missing.map((name) => parameterName(path, name)).join(', ')}`);
      for (const name of due) deps.apply(SECRET_PARAMETERS[name], values[parameterName(path, name)]!);
      for (const name of due) readAt.set(name, now);
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
      if (due.some((name) => !readAt.has(name))) throw new SecretsUnavailableError(`cannot read secrets ${due.join(', ')}: ${reason}`, error);
      deps.log.warn('secrets refresh failed; keeping the values read earlier', { parameters: due, reason });
      for (const name of due) readAt.set(name, now);
    }
  };
};
