/**
 * Metrics cost little in logs: counts are summed in memory and printed as one EMF document per dimension
 * set per flush interval, not one per request.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

beforeAll(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  process.env.METRICS_FLUSH_INTERVAL_MS = '60000';
});
afterEach(() => vi.restoreAllMocks());

/** Lines printed to stdout (EMF goes there) while `work` runs. */
const printed = async (work: () => void | Promise<void>): Promise<string[]> => {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter((line) => line.trim() !== ''));
    return true;
  });
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => { lines.push(args.map(String).join(' ')); });
  await work();
  return lines;
};

describe('buffered EMF metrics', () => {
  it('prints nothing per request inside the interval, then one document per dimension set with the sums', async () => {
    const { telemetry } = await import('../../lib/observability/telemetry');
    const during = await printed(() => {
      for (let i = 0; i < 100; i += 1) telemetry.count('CallbackAccepted', { route: 'sms' });
      for (let i = 0; i < 20; i += 1) telemetry.count('CallbackDuplicate', { route: 'sms' });
      for (let i = 0; i < 5; i += 1) telemetry.count('CallbackAccepted', { route: 'zns' });
      telemetry.flush();
    });
    expect(during).toEqual([]);
    const flushed = (await printed(() => telemetry.flush({ force: true }))).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(flushed).toHaveLength(2);
    expect(flushed.find((doc) => doc.route === 'sms')).toMatchObject({ CallbackAccepted: 100, CallbackDuplicate: 20, service: 'webhooks' });
    expect(flushed.find((doc) => doc.route === 'zns')).toMatchObject({ CallbackAccepted: 5 });
    const bytesPerCallback = flushed.reduce((sum, doc) => sum + JSON.stringify(doc).length + 1, 0) / 125;
    expect(bytesPerCallback).toBeLessThan(10);
  });

  it('a forced flush with nothing counted prints nothing', async () => {
    const { telemetry } = await import('../../lib/observability/telemetry');
    expect(await printed(() => telemetry.flush({ force: true }))).toEqual([]);
  });
});
