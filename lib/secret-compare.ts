import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * True when `candidate` equals one of `accepted`, comparing fixed-length digests in constant time so
 * neither the content nor the length of a secret leaks through timing. Every entry is compared.
 */
export const matchesSecret = (candidate: string | undefined, accepted: readonly string[]): boolean => {
  if (candidate === undefined) return false;
  const probe = digest(candidate);
  let found = false;
  for (const secret of accepted) found = timingSafeEqual(probe, digest(secret)) || found;
  return found;
};

/** The bearer token of an `Authorization` header, or undefined. */
export const bearer = (header: string | undefined): string | undefined => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
};

/**
 * The owner of `candidate` among `secrets` (secret → owner), comparing every entry in constant time;
 * undefined when none matches.
 */
export const ownerOfSecret = <T>(candidate: string | undefined, secrets: ReadonlyArray<readonly [string, T]>): T | undefined => {
  if (candidate === undefined) return undefined;
  const probe = digest(candidate);
  let owner: T | undefined;
  for (const [secret, who] of secrets) if (timingSafeEqual(probe, digest(secret)) && owner === undefined) owner = who;
  return owner;
};

/** True when sha256(`candidate`) equals the stored hex digest `hash`, compared in constant time. */
export const matchesHash = (candidate: string, hash: string): boolean => {
  const stored = Buffer.from(hash, 'hex');
  return stored.length === 32 && timingSafeEqual(digest(candidate), stored);
};

/** Hex sha256: how a registry credential's secret part is stored. */
export const hashSecret = (secret: string): string => digest(secret).toString('hex');
