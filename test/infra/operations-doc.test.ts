/**
 * docs/operations.md says which functions read each SSM parameter (issue 22 finding 20: the list was wrong
 * in several places, so a rotation runbook missed functions). Checked against the manifests' `secrets`
 * (functions/*.json), the list each role's ssm:GetParameters grant is built from.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manifestModule } from '../../infra/manifests/manifests';
import { PROJECT_ROOT } from '../../infra/local/routes';
import { SECRET_PARAMETERS } from '../../lib/config/secrets';

const doc = readFileSync(join(PROJECT_ROOT, 'docs', 'operations.md'), 'utf8');
const manifests = manifestModule.loadManifests();

/** The functions the comment above a parameter's put-parameter command names (`… — read by: a, b`). */
const documentedReaders = (name: string): string[] | undefined => {
  const lines = doc.split('\n');
  const at = lines.findIndex((line) => line.includes(`--name "/vn-messaging-webhooks/$STAGE/${name}"`));
  for (let i = at - 1; i >= 0 && (lines[i]!.startsWith('#') || lines[i]!.startsWith('aws ssm')); i -= 1) {
    const match = /read by: (.+)$/.exec(lines[i]!);
    if (match) return match[1]!.split(',').map((fn) => fn.trim()).sort();
  }
  return undefined;
};

describe('docs/operations.md: who reads each SSM parameter', () => {
  it.each(Object.keys(SECRET_PARAMETERS))('%s: the functions whose manifest lists it, all of them', (name) => {
    const readers = Object.entries(manifests).filter(([, manifest]) => (manifest.secrets ?? []).includes(name)).map(([fn]) => fn).sort();
    expect(readers.length).toBeGreaterThan(0);
    expect(documentedReaders(name)).toEqual(readers);
  });
});

/** The docs' sentences (a table cell, a clause after `;`, a sentence) that say eSMS retries something. */
const esmsRetryClaims = (text: string): string[] => text.replace(/\n/g, ' ').split(/[.;|](?=\s)/)
  .filter((sentence) => /\beSMS(?: and Zalo)?(?: treat[^.;|]*? and)? retr(?:y|ies)\b/.test(sentence));

describe('the docs on what the providers retry (issue 22 finding 20)', () => {
  it('eSMS retries only time-outs: no page says it retries a 429, a 5xx or any other answer', () => {
    const pages = ['README.md', ...readdirSync(join(PROJECT_ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => join('docs', name))];
    const claims = pages.flatMap((page) => esmsRetryClaims(readFileSync(join(PROJECT_ROOT, page), 'utf8')).map((claim) => ({ page, claim: claim.trim() })));
    expect(claims.length).toBeGreaterThan(0);
    expect(claims.filter(({ claim }) => !/time-?outs?\b|times out/.test(claim))).toEqual([]);
    expect(pages.filter((page) => /\bProviders retry\b/.test(readFileSync(join(PROJECT_ROOT, page), 'utf8')))).toEqual([]);
  });

  it('the check catches the sentences that were wrong', () => {
    const before = 'Above the throttling limits API Gateway answers `429`, which eSMS and Zalo\ntreat like any non-2xx answer and retry. Raise the limits. | Check the console; eSMS and Zalo retry. |';
    expect(esmsRetryClaims(before)).toHaveLength(2);
  });
});
