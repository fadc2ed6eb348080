/**
 * Registry credentials (API keys, eSMS callback tokens): `<id>.<secret>`, the id (k/t + 16 hex) naming the
 * registry item, the secret 256 random bits of which only sha256 is stored. A lookup is one GetItem by id
 * and a constant-time comparison; a string not of this shape (the environment's own tokens, garbage) never
 * reaches the registry.
 */
import { randomBytes } from 'node:crypto';
import { hashSecret } from '../secret-compare';
import type { CredentialKind } from './ports';

const PREFIX: Record<CredentialKind, string> = { 'api-key': 'k', 'esms-token': 't' };
const SHAPE = /^([kt][0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;

export interface NewCredential {
  id: string;
  /** Shown once, never stored. */
  text: string;
  hash: string;
}

export const newCredential = (kind: CredentialKind): NewCredential => {
  const id = `${PREFIX[kind]}${randomBytes(8).toString('hex')}`;
  const secret = randomBytes(32).toString('base64url');
  return { id, text: `${id}.${secret}`, hash: hashSecret(secret) };
};

/** The id and secret of a credential of `kind`, or undefined when `text` is not one. */
export const splitCredential = (kind: CredentialKind, text: string | undefined): { id: string; secret: string } | undefined => {
  const match = SHAPE.exec(text ?? '');
  if (!match || !match[1]!.startsWith(PREFIX[kind])) return undefined;
  return { id: match[1]!, secret: match[2]! };
};
