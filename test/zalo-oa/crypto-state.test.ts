/** Tokens sealed at rest and the OAuth state, as pure functions: what opens, what is refused, and why. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RequestError } from '../../lib/errors';
import { LOCAL_DEV_TOKEN_KEY, open, seal, tokenKey } from '../../lib/seal';
import { browserHash, FLOW_COOKIE, flowCookieHeader, flowCookieOf, issueState, newBrowserBinding, pkce, STATE_TTL_MS, verifyState } from '../../lib/zalo-oa/oauth-state';
import { escapeHtml, sitePage } from '../../lib/zalo-oa/pages';

const key = tokenKey(LOCAL_DEV_TOKEN_KEY);
const NOW = Date.parse('2026-06-01T00:00:00Z');

describe('token sealing (AES-256-GCM)', () => {
  it('round-trips, with a fresh IV each time and no plaintext in the sealed value', () => {
    const a = seal(key, 'secret-token', 'oa1:access');
    const b = seal(key, 'secret-token', 'oa1:access');
    expect(a).not.toBe(b);
    expect(a).not.toContain('secret-token');
    expect(open(key, a, 'oa1:access')).toBe('secret-token');
  });

  it('refuses another context (OA or field), another key, and any tampering', () => {
    const sealed = seal(key, 'secret-token', 'oa1:access');
    expect(() => open(key, sealed, 'oa2:access')).toThrow();
    expect(() => open(key, sealed, 'oa1:refresh')).toThrow();
    expect(() => open(tokenKey(Buffer.alloc(32, 1).toString('base64')), sealed, 'oa1:access')).toThrow();
    const [version, iv, body, tag] = sealed.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => open(key, [version, iv, flipped.toString('base64url'), tag].join('.'), 'oa1:access')).toThrow();
    expect(() => open(key, 'plaintext', 'oa1:access')).toThrow('not a sealed token');
  });

  it('refuses a truncated or padded GCM tag (Node would otherwise check only the bytes given)', () => {
    const sealed = seal(key, 'secret-token', 'oa1:access');
    const [version, iv, body, tag] = sealed.split('.') as [string, string, string, string];
    const full = Buffer.from(tag, 'base64url');
    expect(full).toHaveLength(16);
    for (const bytes of [4, 8, 12, 15]) {
      expect(() => open(key, [version, iv, body, full.subarray(0, bytes).toString('base64url')].join('.'), 'oa1:access'), `${bytes}-byte tag`).toThrow('not a sealed token');
    }
    expect(() => open(key, [version, iv, body, Buffer.concat([full, Buffer.alloc(1)]).toString('base64url')].join('.'), 'oa1:access')).toThrow('not a sealed token');
  });

  it('accepts only a 32-byte key', () => {
    expect(() => tokenKey(Buffer.alloc(16).toString('base64'))).toThrow('32 random bytes');
    expect(() => tokenKey(undefined)).toThrow();
  });
});


describe('OAuth state (HMAC-SHA256, time-limited)', () => {
  const status = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return error instanceof RequestError ? [error.status, error.field] : ['other', String(error)];
    }
    return ['accepted'];
  };

  it('verifies what it issued, until it expires', () => {
    const state = issueState('s3cret', 'app-1', NOW);
    expect(verifyState('s3cret', state, NOW + STATE_TTL_MS - 1)).toMatchObject({ a: 'app-1', e: NOW + STATE_TTL_MS });
    expect(status(() => verifyState('s3cret', state, NOW + STATE_TTL_MS + 1))).toEqual([401, 'state']);
  });

  it('refuses missing (400), other-secret, altered payload, altered mac and garbage (401)', () => {
    const state = issueState('s3cret', 'app-1', NOW);
    const [payload, mac] = state.split('.') as [string, string];
    const otherApp = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), a: 'app-2' })).toString('base64url');
    expect(status(() => verifyState('s3cret', undefined, NOW))).toEqual([400, 'state']);
    expect(status(() => verifyState('other', state, NOW))).toEqual([401, 'state']);
    expect(status(() => verifyState('s3cret', `${otherApp}.${mac}`, NOW))).toEqual([401, 'state']);
    const last = mac.at(-1)!;
    expect(status(() => verifyState('s3cret', `${payload}.${mac.slice(0, -1)}${last === 'A' ? 'B' : 'A'}`, NOW))).toEqual([401, 'state']);
    // Same decoded bytes, other spelling: the last base64url character carries 2 spare bits.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) ^ 1]!;
    expect(status(() => verifyState('s3cret', `${payload}.${mac.slice(0, -1)}${sibling}`, NOW))).toEqual([401, 'state']);
    expect(status(() => verifyState('s3cret', `${payload}.${mac}.x`, NOW))).toEqual([401, 'state']);
    expect(status(() => verifyState('s3cret', '%%%', NOW))).toEqual([401, 'state']);
  });

  it('derives an RFC 7636 S256 PKCE pair from the nonce, the same on both legs', () => {
    const { verifier, challenge } = pkce('s3cret', 'nonce-1');
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
    expect(pkce('s3cret', 'nonce-1')).toEqual({ verifier, challenge });
    expect(pkce('s3cret', 'nonce-2').verifier).not.toBe(verifier);
  });
});

describe('the flow cookie (binds a state to the browser that started it)', () => {
  it('is HttpOnly, SameSite=Lax and Secure, except for a plain-http localhost callback', () => {
    const { cookie } = newBrowserBinding();
    expect(flowCookieHeader(cookie, 'https://api.example.vn/zalo/oa-callback')).toBe(`${FLOW_COOKIE}=${cookie}; Path=/; Max-Age=900; HttpOnly; SameSite=Lax; Secure`);
    expect(flowCookieHeader(cookie, 'http://localhost:3000/zalo/oa-callback')).not.toContain('Secure');
    expect(flowCookieHeader(cookie, 'http://127.0.0.1:3000/zalo/oa-callback')).not.toContain('Secure');
    expect(flowCookieHeader(cookie, 'http://api.example.vn/zalo/oa-callback')).toContain('; Secure');
    expect(flowCookieHeader('', 'https://api.example.vn/zalo/oa-callback')).toContain('Max-Age=0');
  });

  it('is found among other cookies; a malformed value is no cookie; the stored hash is not the cookie', () => {
    const { cookie, hash } = newBrowserBinding();
    expect(flowCookieOf(['a=1', `${FLOW_COOKIE}=${cookie}`, 'b=2'])).toBe(cookie);
    expect(flowCookieOf([`${FLOW_COOKIE}=short`, 'x=y'])).toBeUndefined();
    expect(flowCookieOf([])).toBeUndefined();
    expect(hash).toBe(browserHash(cookie));
    expect(hash).not.toContain(cookie);
    expect(newBrowserBinding().cookie).not.toBe(cookie);
  });
});

describe('site verification page', () => {
  it('has one meta per code, none when none is configured, and escapes every character that matters', () => {
    expect(sitePage([]).match(/zalo-platform-site-verification/g)).toBeNull();
    expect(sitePage(['a', 'b']).match(/zalo-platform-site-verification/g)).toHaveLength(2);
    expect(escapeHtml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&#39;');
  });
});
