/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles (serverless.yml esbuild
 * `alias`). On Lambda the role's credentials are always in the environment, so the default chain (ini
 * files, SSO, process, web identity, IMDS and the nested STS/SSO clients they bring) is dead weight at
 * init: measured by `npm run bench`, dropping it (with the SDK's ES build) takes module init from
 * +0.385 G to +0.168 G instructions above an empty Node start.
 *
 * The SDK does not memoize a default provider (the real chain memoizes itself), so this one keeps what
 * it read: the environment's credentials do not change during an instance's life, and the SDK's own
 * environment provider treats them as never expiring too. Reading them per request showed as ≈ 1 % of
 * the callback handler's busy time in a CPU profile. A failed read is not kept.
 */
interface EnvCredentials { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

const fromEnvironment = (): EnvCredentials => {
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) throw new Error('AWS credentials missing from the environment');
  return { accessKeyId, secretAccessKey, ...(process.env.AWS_SESSION_TOKEN ? { sessionToken: process.env.AWS_SESSION_TOKEN } : {}) };
};

export const defaultProvider = (_init?: unknown) => {
  let read: EnvCredentials | undefined;
  return async (): Promise<EnvCredentials> => (read ??= fromEnvironment());
};
