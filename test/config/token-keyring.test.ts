/**
 * ZALO_TOKEN_KEY as a key ring `<current>[,<previous>]` (issue 22 finding 20: rotating it must keep both keys
 * working for a while), and the public local key refused unless on the local stack (finding 15).
 */
import { describe, expect, it } from 'vitest';
import { LOCAL_DEV_TOKEN_KEY, open, seal, tokenKeyring } from '../../lib/seal';

const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');

describe('token key ring', () => {
  it('the first key seals, any key of the ring opens', () => {
    const before = tokenKeyring(key(1), { allowLocalDevKey: false });
    const sealedBefore = seal(before, 'oa-secret', 'ctx');
    const during = tokenKeyring(`${key(2)},${key(1)}`, { allowLocalDevKey: false });
    expect(open(during, sealedBefore, 'ctx')).toBe('oa-secret');
    const sealedDuring = seal(during, 'new-secret', 'ctx');
    expect(open(tokenKeyring(key(2), { allowLocalDevKey: false }), sealedDuring, 'ctx')).toBe('new-secret');
    expect(() => open(before, sealedDuring, 'ctx')).toThrow();
    expect(() => open(during, sealedBefore, 'other-ctx')).toThrow();
  });

  it('a ring read at each use follows a rotated setting', () => {
    let setting = key(1);
    const live = () => tokenKeyring(setting, { allowLocalDevKey: false });
    const sealed = seal(live, 'x', 'ctx');
    setting = `${key(2)},${key(1)}`;
    expect(open(live, sealed, 'ctx')).toBe('x');
    setting = key(2);
    expect(() => open(live, sealed, 'ctx')).toThrow();
  });

  it('the public local key is refused unless allowed (the local stack), alone or in a ring', () => {
    expect(() => tokenKeyring(LOCAL_DEV_TOKEN_KEY, { allowLocalDevKey: false })).toThrow(/public local dev key/);
    expect(() => tokenKeyring(`${key(1)},${LOCAL_DEV_TOKEN_KEY}`, { allowLocalDevKey: false })).toThrow(/public local dev key/);
    expect(tokenKeyring(LOCAL_DEV_TOKEN_KEY, { allowLocalDevKey: true })).toHaveLength(1);
  });

  it('a key that is not 32 bytes is refused', () => {
    expect(() => tokenKeyring(`${key(1)},c2hvcnQ=`, { allowLocalDevKey: false })).toThrow(/32 random bytes/);
    expect(() => tokenKeyring(undefined, { allowLocalDevKey: false })).toThrow(/32 random bytes/);
  });
});
