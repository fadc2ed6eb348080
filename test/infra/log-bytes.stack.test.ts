/**
 * What an accepted eSMS callback costs in function logs at the production level (Lambda's ApplicationLogLevel
 * INFO, infra/resources.js; metrics summed per instance and printed once a minute): nothing per callback.
 * The callback itself is in DynamoDB; the HTTP API access line (≤ 150 bytes, test/infra/package.test.ts) is
 * the one log line a callback adds. Refusals still log.
 */
import { describe, expect, it } from 'vitest';
import { captureOutput } from '../support/capture-output';
import { esmsFixture } from '../support/fixtures';
import { esmsUrl, getJson, useStack } from '../support/stack';

// Installed before the stack loads any handler (useStack below).
const printed = captureOutput();

// One process hosts every function locally: the aggregator (a function of its own on Lambda, printing its
// metrics once per batch) would flush the callback functions' sums too, so it is left out here.
const stack = useStack({ aggregator: false, env: { POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_METRICS_DISABLED: 'false', METRICS_FLUSH_INTERVAL_MS: '60000' } });
const bytes = () => printed.reduce((sum, chunk) => sum + Buffer.byteLength(chunk), 0);

describe('function log bytes per callback at the production level', () => {
  it('100 accepted callbacks and their 100 duplicates print nothing; a malformed one prints its rejection', async () => {
    const s = stack();
    const line = esmsFixture('cskh-batch-failed');
    const before = bytes();
    for (let i = 0; i < 100; i += 1) {
      const own = line.replace(/(^|&)SMSID=([^&]*)/, (_m, p: string, id: string) => `${p}SMSID=${id}-logbytes-${i}`);
      expect((await getJson(esmsUrl(s, 'sms', own))).status).toBe(200);
      expect((await getJson(esmsUrl(s, 'sms', own))).body).toMatchObject({ duplicate: true });
    }
    expect(bytes() - before).toBe(0);
    const malformed = 'SMSID=logbytes-bad&SendStatus=9&TotalReceiver=1&TotalSent=1&SendSuccess=1&SendFailed=0&TotalPrice=1&TypeId=2&phonenumber=0912345678';
    expect((await getJson(esmsUrl(s, 'sms', malformed))).status).toBe(400);
    expect(printed.join('')).toContain('esms callback rejected');
  });
});
