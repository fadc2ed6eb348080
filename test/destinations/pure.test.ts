/** The pure parts of destinations: address ranges, URL checks, the retry schedule and Standard Webhooks signing. */
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { isBlockedAddress } from '../../lib/destinations/addresses';
import { makeEvent } from '../../lib/destinations/events';
import { MAX_QUEUE_DELAY_SECONDS, nextHop, parseRetrySchedule } from '../../lib/destinations/schedule';
import { newSecret, webhookHeaders } from '../../lib/destinations/sign';
import { checkDestinationUrl, safeAddress } from '../../lib/destinations/url';
import { RequestError, UnsafeAddressError } from '../../lib/errors';

const AWS = { allowLocal: false };
const LOCAL = { allowLocal: true };

describe('blocked addresses', () => {
  it.each([
    '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '127.0.0.1', '127.8.8.8', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255',
    '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:169.254.169.254',
    '64:ff9b::a00:1', '2002:c0a8:101::1', '::127.0.0.1', '2001:0:4136:e378::1', 'not-an-ip',
  ])('%s is blocked', (address) => expect(isBlockedAddress(address)).toBe(true));

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '203.113.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])('%s is public', (address) =>
    expect(isBlockedAddress(address)).toBe(false));

  it('the local stack lets loopback through, and nothing else private', () => {
    expect([isBlockedAddress('127.0.0.1', true), isBlockedAddress('::1', true), isBlockedAddress('::ffff:127.0.0.1', true)]).toEqual([false, false, false]);
    expect([isBlockedAddress('10.0.0.1', true), isBlockedAddress('169.254.169.254', true)]).toEqual([true, true]);
  });
});

describe('destination URLs', () => {
  const resolveTo = (...addresses: string[]) => async () => addresses;

  it('on AWS: https only, no credentials, no private address literal or resolved', async () => {
    await expect(checkDestinationUrl('https://hooks.example.vn/x', AWS, resolveTo('203.113.1.1'))).resolves.toBeInstanceOf(URL);
    for (const url of ['http://hooks.example.vn/', 'https://u:p@hooks.example.vn/', 'https://127.0.0.1/', 'https://[::ffff:10.0.0.1]/', 'https://0x7f.1/', 'https://localhost/', 'ftp://x/']) {
      await expect(checkDestinationUrl(url, AWS, resolveTo('203.113.1.1')), url).rejects.toBeInstanceOf(RequestError);
    }
    await expect(checkDestinationUrl('https://rebind.example/', AWS, resolveTo('203.113.1.1', '10.0.0.5'))).rejects.toThrow(/private/);
    await expect(checkDestinationUrl('https://nowhere.example/', AWS, async () => { throw new Error('ENOTFOUND'); })).rejects.toThrow(/does not resolve/);
  });

  it('locally: http://127.0.0.1 and localhost are allowed, other http is not', async () => {
    await expect(checkDestinationUrl('http://127.0.0.1:3009/', LOCAL, resolveTo())).resolves.toBeInstanceOf(URL);
    await expect(checkDestinationUrl('http://localhost:3009/', LOCAL, resolveTo())).resolves.toBeInstanceOf(URL);
    await expect(checkDestinationUrl('http://hooks.example.vn/', LOCAL, resolveTo('203.113.1.1'))).rejects.toBeInstanceOf(RequestError);
    await expect(checkDestinationUrl('http://10.0.0.1/', LOCAL, resolveTo())).rejects.toBeInstanceOf(RequestError);
  });

  it('at delivery, the resolved address is checked again and is the one to connect to (DNS rebinding)', async () => {
    const url = new URL('https://hooks.example.vn/');
    await expect(safeAddress(url, AWS, resolveTo('203.113.1.1'))).resolves.toBe('203.113.1.1');
    await expect(safeAddress(url, AWS, resolveTo('169.254.169.254'))).rejects.toBeInstanceOf(UnsafeAddressError);
  });
});

describe('the retry schedule', () => {
  it('parses waits, defaults to 7 retries over 27.6 h, refuses nonsense', () => {
    expect(parseRetrySchedule('1s,2s,3m,1h,1d')).toEqual([1, 2, 180, 3600, 86_400]);
    const defaults = parseRetrySchedule(undefined);
    expect([defaults.length, defaults.reduce((a, b) => a + b, 0)]).toEqual([7, 5 + 300 + 1800 + 7200 + 18_000 + 36_000 + 36_000]);
    expect(() => parseRetrySchedule('5 minutes')).toThrow(/not a wait/);
  });

  it('a wait longer than SQS holds a message is a chain of hops of at most 900 s', () => {
    expect(nextHop(300)).toEqual({ delaySeconds: 300, remaining: 0 });
    expect(nextHop(7200)).toEqual({ delaySeconds: MAX_QUEUE_DELAY_SECONDS, remaining: 6300 });
  });
});

describe('Standard Webhooks signing, verified by the standardwebhooks package', () => {
  const event = makeEvent('evt_1', 'esms.message.updated', Date.parse('2026-12-01T01:00:00Z'), { smsId: 'a', version: 3 });

  it('the body is the envelope with a +07:00 timestamp; its signature verifies', () => {
    expect(JSON.parse(event.body)).toEqual({ type: 'esms.message.updated', timestamp: '2026-12-01T08:00:00.000+07:00', data: { smsId: 'a', version: 3 } });
    const secret = newSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const headers = webhookHeaders([secret], event.id, Date.now(), event.body);
    expect(new Webhook(secret).verify(event.body, headers)).toEqual(JSON.parse(event.body));
    expect(() => new Webhook(newSecret()).verify(event.body, headers)).toThrow();
    expect(() => new Webhook(secret).verify(`${event.body} `, headers)).toThrow();
  });

  it('during a rotation two signatures, each verifying with its own secret', () => {
    const [current, previous] = [newSecret(), newSecret()];
    const headers = webhookHeaders([current, previous], event.id, Date.now(), event.body);
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(new Webhook(current).verify(event.body, headers)).toBeTruthy();
    expect(new Webhook(previous).verify(event.body, headers)).toBeTruthy();
  });
});
