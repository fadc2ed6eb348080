/**
 * OA tokens at rest: AES-256-GCM with a random 96-bit IV per value, and the OA id + field as additional
 * authenticated data, so a sealed token cannot be moved to another OA or field without failing to open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
/** GCM's full tag: Node accepts shorter ones unless told, and a 4-byte tag is forgeable by trial. */
const TAG_BYTES = 16;

/** The local stack's default key (public, in the source): only for `npm start` and tests. */
export const LOCAL_DEV_TOKEN_KEY = 'rBxG/7zGvb1HfSh1UKcvzMNMx68fq2Azc9CCO49XdTk=';

/** The key from its base64 setting; refuses anything but exactly 32 bytes. */
export const tokenKey = (base64: string | undefined): Buffer => {
  const key = Buffer.from(base64 ?? '', 'base64');
  if (key.length !== 32) throw new Error('ZALO_TOKEN_KEY must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)');
  return key;
};

/**
 * The key that seals OA tokens and the registry's secrets, from its setting: the public dev key is refused
 * outside the local stack (`local` false) and only warned about on it; a missing or malformed key throws.
 */
export const sealingKey = (configured: string | undefined, where: { local: boolean; warn: (message: string) => void }): Buffer => {
  if (!configured) throw new Error('missing required setting ZALO_TOKEN_KEY');
  if (configured === LOCAL_DEV_TOKEN_KEY) {
    if (!where.local) throw new Error('ZALO_TOKEN_KEY is the public local dev key: set a real one (openssl rand -base64 32)');
    where.warn(`ZALO_TOKEN_KEY is the local dev default (${LOCAL_DEV_TOKEN_KEY}): OA tokens are sealed with a public key`);
  }
  return tokenKey(configured);
};

export const seal = (key: Buffer, plaintext: string, context: string): string => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, sealed, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
};

/** Throws when the value was not sealed with this key and context (or was tampered with). */
export const open = (key: Buffer, value: string, context: string): string => {
  const [version, iv, sealed, tag] = value.split('.');
  if (version !== VERSION || !iv || sealed === undefined || !tag) throw new Error('not a sealed token');
  const tagBytes = Buffer.from(tag, 'base64url');
  if (tagBytes.length !== TAG_BYTES) throw new Error('not a sealed token');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(tagBytes);
  return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
};
