/**
 * Signed means 200: every fixture family, re-shaped the ways a provider's payload drifts (ids and times
 * as numbers instead of digit strings, a field missing, an extra field, a null), signed and sent through
 * POST /zalo/webhook, is answered 200 and ends either stored as its typed event or listed as unparsed by
 * GET /api/rejected. Never a 4xx.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zaloFixtures } from '../support/fixtures';
import { documentClient, readApi, useStack } from '../support/stack';
import { postZalo, scanAll, signed, unsignedHeaders } from './client';

const stack = useStack();

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = Array<string | number>;

/** The signature inputs stay present: without them a request cannot be authenticated (a 401 is right). */
const SIGNATURE_INPUTS = new Set(['app_id', 'timestamp']);

const leaves = (value: Json, path: Path = []): Path[] =>
  typeof value === 'object' && value !== null
    ? Object.entries(value).flatMap(([key, child]) => [
      ...(path.length > 0 || !SIGNATURE_INPUTS.has(key) || typeof child !== 'object' ? [[...path, Array.isArray(value) ? Number(key) : key]] : []),
      ...leaves(child, [...path, Array.isArray(value) ? Number(key) : key]),
    ])
    : [];

const objects = (value: Json, path: Path = []): Path[] =>
  typeof value === 'object' && value !== null
    ? [...(Array.isArray(value) ? [] : [path]), ...Object.entries(value).flatMap(([key, child]) => objects(child, [...path, Array.isArray(value) ? Number(key) : key]))]
    : [];

const at = (root: Json, path: Path): Json => path.reduce<Json>((node, key) => (node as Record<string, Json>)[key as string]!, root);

/** One drift applied to a copy of the envelope at `path`. */
type Drift = { kind: 'number' | 'drop' | 'null' | 'extra'; path: Path };

const apply = (envelope: Json, { kind, path }: Drift): Json => {
  const copy = structuredClone(envelope);
  const parent = path.length === 0 ? undefined : (at(copy, path.slice(0, -1)) as Record<string | number, Json>);
  const key = path.at(-1)!;
  switch (kind) {
    case 'number': {
      const value = parent![key];
      // A digit string sent as a JSON number (what Zalo does with "0 = unlimited" in places), while it stays exact.
      if (typeof value === 'string' && /^\d{1,15}$/.test(value)) parent![key] = Number(value);
      return copy;
    }
    case 'drop':
      if (!(path.length === 1 && SIGNATURE_INPUTS.has(String(key)))) {
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete parent![key];
      }
      return copy;
    case 'null':
      if (!(path.length === 1 && SIGNATURE_INPUTS.has(String(key)))) parent![key] = null;
      return copy;
    case 'extra':
      (at(copy, path) as Record<string, Json>).zz_added_by_test = { nested: [1, 'two', null] };
      return copy;
  }
};

const fixtures = zaloFixtures().filter((fixture) => fixture.name !== 'user_send_text--bad-signature' && !fixture.name.includes('--retry'));

/** Per fixture a few drifts picked from its own shape, seeded so a failure replays exactly. */
const driftsOf = (envelope: Json, seed: number): Drift[] => {
  const leafPaths = leaves(envelope);
  const objectPaths = objects(envelope);
  const drift = fc.oneof(
    fc.record({ kind: fc.constantFrom('number' as const, 'drop' as const, 'null' as const), path: fc.constantFrom(...leafPaths) }),
    fc.record({ kind: fc.constant('extra' as const), path: fc.constantFrom(...objectPaths) }),
  );
  // Every digit string as a number at once, then three random drifts.
  const allNumbers: Drift[] = leafPaths.map((path) => ({ kind: 'number', path }));
  return [...allNumbers, ...fc.sample(drift, { seed, numRuns: 3 })];
};

describe('every fixture family, re-shaped and signed: 200, parsed or listed unparsed, never 4xx', () => {
  it('holds for all fixtures × (all digit strings as numbers, and 3 seeded random drifts each)', async () => {
    const sent: Array<{ name: string; rawBody: string; body: Record<string, unknown> }> = [];
    let seed = 20261130;
    for (const fixture of fixtures) {
      const original = JSON.parse(fixture.rawBody) as Json;
      const drifts = driftsOf(original, seed++);
      const allNumbers = drifts.filter((drift) => drift.kind === 'number' && drifts.indexOf(drift) < drifts.length - 3);
      const variants = [
        allNumbers.reduce(apply, original),
        ...drifts.slice(-3).map((drift) => apply(original, drift)),
      ];
      for (const [index, variant] of variants.entries()) {
        // Fresh time (as a string or as the number a drift made of it) and a marker so every variant is a new event.
        const envelope: Record<string, Json> = { ...(variant as Record<string, Json>), zz_variant: `${fixture.name}#${index}#${Date.now()}` };
        const fresh = Date.now() - 1000;
        envelope.timestamp = typeof envelope.timestamp === 'number' ? fresh : String(fresh);
        const request = signed(JSON.stringify(envelope), unsignedHeaders(fixture));
        const answer = await postZalo(stack(), request);
        expect(answer.status, `${fixture.name} variant ${index}: ${request.rawBody.slice(0, 300)}`).toBe(200);
        sent.push({ name: `${fixture.name}#${index}`, rawBody: request.rawBody, body: answer.body });
      }
    }

    const items = await scanAll(documentClient(stack().endpoint), stack().tables.Messages);
    const storedRaw = new Set(items.filter((item) => item.kind === 'zalo').map((item) => item.raw));
    const listed = await readApi<{ rejected: Array<{ raw: string; reason: string; status: number }> }>(stack(), '/api/rejected?limit=1000');
    const unparsedRaw = new Set(listed.body.rejected.filter((entry) => entry.reason === 'unparsed' && entry.status === 200).map((entry) => entry.raw));
    for (const { name, rawBody, body } of sent) {
      if (body.unparsed === true) expect(unparsedRaw.has(rawBody), `${name} listed as unparsed`).toBe(true);
      else if (body.duplicate === false) expect(storedRaw.has(rawBody), `${name} stored as its event`).toBe(true);
      else expect(body, name).toEqual({ ok: true, duplicate: true });
    }
    // The all-numbers variant of every fixture still parses: ids and times as numbers are read as their digits.
    const allNumbersUnparsed = sent.filter(({ name, body }) => name.endsWith('#0') && body.unparsed === true).map(({ name }) => name);
    expect(allNumbersUnparsed).toEqual([]);
    expect(sent.length).toBe(fixtures.length * 4);
    // Both outcomes occur: the drifts are not all harmless, nor all fatal.
    expect(sent.some(({ body }) => body.unparsed === true) && sent.some(({ body }) => body.duplicate === false && body.unparsed === undefined)).toBe(true);
  }, 120_000);
});
