/**
 * OA tokens and other parties' secrets at rest: AES-256-GCM with a random 96-bit IV per value, and the item
 * + field as additional authenticated data, so a sealed value cannot be moved to another item or field
 * without failing to open. The key setting (`ZALO_TOKEN_KEY`) may hold several keys, comma-separated: the
 * first seals, any opens, so a key can be rotated while values sealed with the previous one still open
 * (docs/operations.md, "Rotating zalo-token-key").
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
 * The keys of a `ZALO_TOKEN_KEY` setting, `<current>[,<previous>…]`: the first seals, any opens. The
 * public local key is refused unless `allowLocalDevKey` (the local stack only): a stage using it would seal
 * every OA token and OA Secret Key with a key anyone can read in this repository.
 */
export const tokenKeyring = (setting: string | undefined, options: { allowLocalDevKey: boolean }): Buffer[] => {
  const texts = (setting ?? '').split(',').map((text) => text.trim()).filter((text) => text.length > 0);
  if (!options.allowLocalDevKey && texts.includes(LOCAL_DEV_TOKEN_KEY)) {
    throw new Error('ZALO_TOKEN_KEY is the public local dev key: set a real one (openssl rand -base64 32)');
  }
  return texts.length === 0 ? [tokenKey(undefined)] : texts.map(tokenKey);
};

/** One key, a ring (the first seals, any opens), or a ring read at each use (a key rotated in SSM, no restart). */
export type TokenKeys = Buffer | readonly Buffer[] | (() => readonly Buffer[]);

const ringOf = (keys: TokenKeys): readonly Buffer[] => (typeof keys === 'function' ? keys() : Buffer.isBuffer(keys) ? [keys] : keys);

export const seal = (keys: TokenKeys, plaintext: string, context: string): string => {
  const [key] = ringOf(keys);
  if (!key) throw new Error('no sealing key');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, sealed, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
};

/** Throws when the value was not sealed with one of these keys and this context (or was tampered with). */
export const open = (keys: TokenKeys, value: string, context: string): string => {
  const ring = ringOf(keys);
  for (const [index, key] of ring.entries()) {
    try {
      return openWith(key, value, context);
    } catch (error) {
      if (index === ring.length - 1) throw error;
    }
  }
  throw new Error('no sealing key');
};

const openWith = (key: Buffer, value: string, context: string): string => {
  const [version, iv, sealed, tag] = value.split('.');
  if (version !== VERSION || !iv || sealed === undefined || !tag) throw new Error('not a sealed token');
  const tagBytes = Buffer.from(tag, 'base64url');
  if (tagBytes.length !== TAG_BYTES) throw new Error('not a sealed token');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(tagBytes);
  return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
};
