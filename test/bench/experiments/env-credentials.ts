/**
 * EXPERIMENT (bench only): stands in for `@aws-sdk/credential-provider-node`. On Lambda the credentials
 * are always in the environment, so the default chain (ini files, SSO, process, web identity, IMDS and
 * the nested STS/SSO clients they bring) is dead weight at init; this is the env step alone.
 */
export const defaultProvider = (_init?: unknown) => async () => {
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) throw new Error('AWS credentials missing from the environment');
  return { accessKeyId, secretAccessKey, ...(process.env.AWS_SESSION_TOKEN ? { sessionToken: process.env.AWS_SESSION_TOKEN } : {}) };
};
