/**
 * The error family is closed and mapped in one place: every error class of lib/ is declared in
 * lib/errors.ts, and `describeError` (lib/http/response.ts) gives each its status and the words a caller
 * may see. A class added elsewhere, or one the mapping forgets (it would fall to a generic 500), fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/local/routes';
import * as errors from '../../lib/errors';
import { describeError } from '../../lib/http/response';

const libFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? libFiles(path) : path.endsWith('.ts') ? [path] : [];
  });

/** One instance of each class, and what the mapping must answer for it. */
const EXPECTED: Record<keyof typeof errors, { error: Error; status: number; shows: string }> = {
  RequestError: { error: new errors.RequestError(409, 'tenant', 'tenant acme has no eSMS account'), status: 409, shows: 'tenant acme has no eSMS account' },
  ParseError: { error: new errors.ParseError('SendStatus', 'unknown SendStatus 9'), status: 400, shows: 'unknown SendStatus 9' },
  InvalidCursorError: { error: new errors.InvalidCursorError(), status: 400, shows: 'next is not a cursor this listing handed out' },
  UpstreamError: { error: new errors.UpstreamError('-1', 'eSMS said: account 1234 locked'), status: 502, shows: 'the provider refused (error -1)' },
  ZaloOAuthError: { error: new errors.ZaloOAuthError('-14014', 'invalid code'), status: 502, shows: 'the provider refused (error -14014)' },
  ZaloUnavailableError: { error: new errors.ZaloUnavailableError('timeout'), status: 502, shows: 'the provider refused (error unavailable)' },
  ZaloApiError: { error: new errors.ZaloApiError('-216', 'token invalid'), status: 502, shows: 'the provider refused (error -216)' },
  EsmsDeniedError: { error: new errors.EsmsDeniedError('101'), status: 502, shows: 'the provider refused (error 101)' },
  JsonSyntaxError: { error: new errors.JsonSyntaxError('unexpected "<" at offset 0'), status: 502, shows: 'the provider\'s answer could not be read' },
  MalformedAnswerError: { error: new errors.MalformedAnswerError('Data is missing'), status: 502, shows: 'the provider\'s answer could not be read' },
  StorageUnavailableError: { error: new errors.StorageUnavailableError(new Error('ECONNREFUSED')), status: 503, shows: 'storage unavailable, retry later' },
  StorageRequestBug: { error: new errors.StorageRequestBug(new Error('ValidationException')), status: 500, shows: 'internal error (kept for replay)' },
  SecretsUnavailableError: { error: new errors.SecretsUnavailableError('SSM parameters not found: /svc/prod/api-keys'), status: 500, shows: 'internal error' },
  NotConfiguredError: { error: new errors.NotConfiguredError('ZALO_OA_CALLBACK_URL is not set'), status: 500, shows: 'ZALO_OA_CALLBACK_URL is not set' },
  UnsafeAddressError: { error: new errors.UnsafeAddressError('hooks.example resolves to a private address'), status: 500, shows: 'internal error' },
};

describe('the error family (lib/errors.ts)', () => {
  it('holds every error class declared in lib/', () => {
    const elsewhere = libFiles(join(PROJECT_ROOT, 'lib'))
      .filter((file) => !file.endsWith(join('lib', 'errors.ts')))
      .flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/class\s+(\w+)\s+extends\s+(\w*Error\w*|\w*Bug)\b/g)].map(([, name]) => `${relative(PROJECT_ROOT, file)}: ${name}`));
    expect(elsewhere).toEqual([]);
  });

  it('the check above finds a class declared outside lib/errors.ts (the pattern matches real declarations)', () => {
    const sample = 'export class MalformedAnswer extends Error {}\nclass Denied extends UpstreamError {}';
    expect([...sample.matchAll(/class\s+(\w+)\s+extends\s+(\w*Error\w*|\w*Bug)\b/g)].map(([, name]) => name)).toEqual(['MalformedAnswer', 'Denied']);
  });

  it('every class is an exported Error with its own name, and the table below covers exactly the exports', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(errors).sort());
    for (const [name, { error }] of Object.entries(EXPECTED)) {
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(name);
    }
  });

  it('describeError (lib/http/response.ts) maps each to its status and words: only caller errors and a missing setting show their own message', () => {
    for (const [name, { error, status, shows }] of Object.entries(EXPECTED)) {
      const described = describeError(error);
      expect(described.status, name).toBe(status);
      expect(described.message, name).toBe(shows);
    }
  });

  it('anything outside the family is a generic 500', () => {
    expect(describeError(new TypeError('secret detail'))).toEqual({ status: 500, message: 'internal error' });
  });
});
