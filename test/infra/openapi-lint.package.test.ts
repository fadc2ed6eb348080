/**
 * docs/openapi.json passes `redocly lint` with the recommended rules (redocly.yaml): no error, no warning.
 * The two operations that honestly lack a 2xx or a 4xx are listed, with why, in .redocly.lint-ignore.yaml.
 * A copy with one operation's `security` removed fails, so the check is not vacuous.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/local/routes';

const run = promisify(execFile);
const cli = join(PROJECT_ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');

interface LintReport { totals: { errors: number; warnings: number; ignored: number }; problems: Array<{ ruleId: string; severity: string; message: string }> }

const lint = async (file: string): Promise<LintReport> => {
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
  const { stdout } = await run(process.execPath, [cli, 'lint', file, '--config', join(PROJECT_ROOT, 'redocly.yaml'), '--format=json'], { cwd: PROJECT_ROOT, env, maxBuffer: 64 * 1024 * 1024 })
    .catch((error: { stdout: string }) => error);
  return JSON.parse(stdout) as LintReport;
};

const scratch = mkdtempSync(join(tmpdir(), 'openapi-lint-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('redocly lint docs/openapi.json', () => {
  it('reports no error and no warning with the recommended rules (only the two listed operations ignored)', async () => {
    const report = await lint('docs/openapi.json');
    expect(report.problems.map((problem) => `${problem.severity} ${problem.ruleId}: ${problem.message}`)).toEqual([]);
    expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 2 });
  });

  it('fails a copy whose read route lost its security requirement (security-defined)', async () => {
    const document = JSON.parse(readFileSync(join(PROJECT_ROOT, 'docs', 'openapi.json'), 'utf8')) as { paths: Record<string, Record<string, { security?: unknown }>> };
    delete document.paths['/api/reports/daily']!.get!.security;
    const copy = join(scratch, 'openapi.json');
    writeFileSync(copy, JSON.stringify(document));
    const report = await lint(copy);
    expect(report.totals.errors).toBe(1);
    expect(report.problems.filter((problem) => problem.severity === 'error').map((problem) => problem.ruleId)).toEqual(['security-defined']);
  });
});
