/** What the Zalo erasure store is handed about a phone (lib/zalo/erasure.ts `erasedPhone`): the domain's spelling rules. */
import { describe, expect, it } from 'vitest';
import { erasedPhone } from '../../lib/zalo/erasure';

describe('erasedPhone', () => {
  const phone = erasedPhone('84901888484');

  it('names the spellings a whole value may hold and a substring every spelling contains', () => {
    expect(phone.spellings).toEqual(['84901888484', '0901888484', '+84901888484', '901888484']);
    expect(phone.needle).toBe('901888484');
  });

  it('finds the number in a text in any spelling, but not inside a longer number, and scrubs every occurrence', () => {
    const raw = '{"phone":"0901888484","note":"+84901888484","other":"19019018884840"}';
    expect(phone.isIn(raw)).toBe(true);
    expect(phone.isIn('{"phone":"19019018884840"}')).toBe(false);
    const scrubbed = phone.scrub(raw);
    expect(phone.isIn(scrubbed)).toBe(false);
    expect(scrubbed).toContain('19019018884840');
  });

  it('keeps a value that is not a Vietnamese number as it is', () => {
    expect(erasedPhone('sha256-abc').spellings).toEqual(['sha256-abc']);
    expect(erasedPhone('sha256-abc').needle).toBe('sha256-abc');
  });
});
