/**
 * `npm run zalo:send -- <fixture>`: the fixtures' timestamps are months old, so sent as they are they are
 * refused as stale; the tool re-times and re-signs them and a started stack answers 200.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/local/routes';
import { prepareBody } from '../../infra/tools/zalo-send';
import { zaloFixture } from '../support/fixtures';
import { postJson, useStack } from '../support/stack';

const stack = useStack();
const run = promisify(execFile);
const tsx = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
/** The tool as a newcomer runs it: no ZALO_APPS of its own, so the local default (the fixtures' app) signs. */
const send = (...args: string[]) => {
  const { ZALO_APPS: _apps, ...env } = process.env;
  return run(tsx, ['infra/tools/zalo-send.ts', ...args, '--url', stack().url], { cwd: PROJECT_ROOT, env })
    .catch((error: { code: number; stdout: string; stderr: string }) => error);
};

describe('npm run zalo:send', () => {
  it('the fixture as stored is refused (stale timestamp); sent by the tool it is accepted, and so is another family', async () => {
    const fixture = zaloFixture('follow');
    expect((await postJson(`${stack().url}/zalo/webhook`, fixture.rawBody, fixture.headers)).status).toBe(401);
    const first = await send('follow');
    expect(first.stdout).toMatch(/^200 \{"ok":true,"duplicate":false/);
    const other = await send('user_send_text');
    expect(other.stdout).toMatch(/^200 /);
  }, 60_000);

  it('refuses an app without a configured OA secret key, naming the option to use', async () => {
    const answer = await send('follow', '--app', '999');
    expect(answer).toMatchObject({ code: 1 });
    expect((answer as { stderr: string }).stderr).toContain('--app');
  }, 60_000);

  it('re-times a fixture byte for byte otherwise, keeping a number a number', () => {
    const raw = '{"app_id":"1","timestamp":1767225640000,"x":"timestamp"}';
    expect(prepareBody(raw, 42).rawBody).toBe('{"app_id":"1","timestamp":42,"x":"timestamp"}');
    expect(prepareBody('{"appId":"1","timestamp":"5"}', 42, '7')).toEqual({ rawBody: '{"appId":"7","timestamp":"42"}', appId: '7', timestamp: '42' });
  });
});
