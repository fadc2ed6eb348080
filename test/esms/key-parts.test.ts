/**
 * eSMS values that become key parts cannot hold `#`, which separates them: an SMSID or a phonenumber with
 * one could alias another message's or another recipient's items within the tenant (overflow sort keys are
 * `C#<phone>#<id>`). Such a callback is malformed: a 400 naming the field, raw kept.
 */
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../lib/errors';
import { parseCallback } from '../../lib/esms/parse';
import { esmsFixture } from '../support/fixtures';

const withParam = (name: string, value: string): string =>
  esmsFixture('cskh-batch-failed').split('&').map((segment) => (segment.startsWith(`${name}=`) ? `${name}=${value}` : segment)).join('&');

const refusal = (raw: string): unknown => {
  try {
    parseCallback(raw);
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('eSMS key parts', () => {
  it.each([
    ['SMSID', 'dc712784%23C%230901888484'],
    ['phonenumber', '0901888484%235%23abc'],
  ])('%s holding "#" is a 400 naming it', (name, value) => {
    const error = refusal(withParam(name, value));
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ status: 400, field: name });
  });

  it('the same callback without "#" parses', () => {
    expect(parseCallback(withParam('phonenumber', '0901888484')).phone).toBe('0901888484');
  });
});
