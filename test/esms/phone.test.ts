/** One spelling per phone (lib/esms/phone.ts): what search indexes and looks up, and what erasure scrubs. */
import { describe, expect, it } from 'vitest';
import { erasablePhone, normalisePhone, phonePattern, phonesIn, phoneSpellings } from '../../lib/esms/phone';
import { PHONE_SPELLINGS } from '../support/phone-spellings';

describe('normalisePhone', () => {
  it.each([
    '0901888484', '84901888484', '+84901888484', '+84 901 888 484', '(+84) 901-888-484', '0901.888.484', '0084901888484', '901888484', ' 090 188 8484 ',
  ])('%j is 84901888484', (spelling) => {
    expect(normalisePhone(spelling)).toBe('84901888484');
  });

  it('keeps a landline\'s 10-digit national number (024 area code) and a number starting 084', () => {
    expect(normalisePhone('02438251234')).toBe('842438251234');
    expect(normalisePhone('+84 24 3825 1234')).toBe('842438251234');
    expect(normalisePhone('0842345678')).toBe('84842345678');
    expect(normalisePhone('84842345678')).toBe('84842345678');
  });

  it('keeps what is not a Vietnamese number as sent: a Zalo user id, a SHA-256 of a phone (lower-cased), a foreign number', () => {
    expect(normalisePhone('312158068343230')).toBe('312158068343230');
    expect(normalisePhone('A3F1'.repeat(16))).toBe('a3f1'.repeat(16));
    expect(normalisePhone('+1 415 555 0100')).toBe('14155550100');
  });

  it.each(['+84+901+888+484', '%2B84%20901%20888%20484', '%252B84%2520901%2520888%2520484', '0901+888+484'])('%j (a value encoded twice, or + for its spaces) is 84901888484: erasure finds it under its number (issue 22 finding 8)', (spelling) => {
    expect(normalisePhone(spelling)).toBe('84901888484');
  });

  it('a value that is no number once decoded is kept as sent', () => {
    expect(normalisePhone('a+b')).toBe('a+b');
    expect(normalisePhone('%zz')).toBe('%zz');
    expect(normalisePhone('+1+415+555+0100')).toBe('14155550100');
  });

  it('answers undefined for an empty or blank value', () => {
    expect(normalisePhone('')).toBeUndefined();
    expect(normalisePhone(' - ')).toBeUndefined();
  });
});

describe('phoneSpellings and phonePattern', () => {
  it('lists the whole-value spellings a stored key may use', () => {
    expect(phoneSpellings('84901888484')).toEqual(['84901888484', '0901888484', '+84901888484', '901888484']);
    expect(phoneSpellings('312158068343230')).toEqual(['312158068343230']);
  });

  it('finds the number in a raw query in every spelling, percent-encoded plus included, and not another number that contains its digits', () => {
    const raw = 'phonenumber=0901888484&a=84901888484&b=%2B84901888484&c=+84901888484&d=0901888485&e=1901888484';
    expect(raw.replace(phonePattern('84901888484'), 'X')).toBe('phonenumber=X&a=X&b=X&c=X&d=0901888485&e=1901888484');
  });
});

describe('issue 22 findings 7 and 8: what erasure accepts and finds', () => {
  it('accepts a phone number in any spelling and refuses anything else (DELETE /api/recipients/1 rewrote every "1")', () => {
    for (const spelling of ['0901888484', '84901888484', '+84 901 888 484', '0901.888.484', '(+84) 901-888-484']) expect(erasablePhone(spelling)).toBe('84901888484');
    expect(erasablePhone('+1 415 555 0100')).toBe('14155550100');
    for (const other of ['1', '12345', 'abc', '312158068343230', '14155550100', '']) expect(erasablePhone(other)).toBeUndefined();
  });

  it('finds the number in raw text in every spelling (spaces, dots, dashes, plus signs, %2B84%20…), never inside a longer number', () => {
    for (const spelling of PHONE_SPELLINGS) expect(`q=${spelling}&n=1`.replace(phonePattern('84901888484'), 'X')).toBe('q=X&n=1');
    expect('a=19018884840&b=0901888485'.replace(phonePattern('84901888484'), 'X')).toBe('a=19018884840&b=0901888485');
  });
});

describe('phonesIn: the numbers a Zalo body names', () => {
  it('finds a number in JSON, in text and with +84, normalised once each', () => {
    const body = JSON.stringify({ info: { phone: '0901888484' }, text: 'gọi +84912000002 hoặc 84901888484.' });
    expect(phonesIn(body).sort()).toEqual(['84901888484', '84912000002']);
  });

  it('sees no number inside a hex message id (Zalo\'s ids are hex)', () => {
    expect(phonesIn(JSON.stringify({ msg_ids: ['ab0901888484cd', 'f0912000002e', '90901888484'] }))).toEqual([]);
  });
});
