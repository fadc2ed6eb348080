/** POST /api/admin/late-sweep: whatever the body names, one call covers at most 93 days. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { lateSweepRoute } from '../../lib/api/admin';
import type { RequestError } from '../../lib/errors';

const NOW = Date.parse('2026-11-30T00:00:00Z');
const DAY = 86_400_000;
const post = (body: object) => ({ body: JSON.stringify(body), isBase64Encoded: false }) as unknown as APIGatewayProxyEventV2;

const windows: Array<{ fromMs: number; toMs: number } | undefined> = [];
const route = lateSweepRoute(async (_tenant, window) => { windows.push(window); return { checked: 0, expired: 0 }; }, () => NOW);
const refusal = (body: object) => route(post(body)).then(() => undefined, (error: unknown) => error);

describe('late-sweep route', () => {
  it('{"to"} alone sweeps the 26 hours before it (the schedule\'s span), not every day since 1970', async () => {
    windows.length = 0;
    await route(post({ to: '2026-11-29T00:00:00Z' }));
    const [window] = windows;
    expect(window).toEqual({ fromMs: Date.parse('2026-11-29T00:00:00Z') - 26 * 3600_000, toMs: Date.parse('2026-11-29T00:00:00Z') });
  });

  it('{"from"} alone runs to now, and is refused when that is over 93 days', async () => {
    windows.length = 0;
    await route(post({ from: '2026-11-01T00:00:00Z' }));
    expect(windows[0]).toEqual({ fromMs: Date.parse('2026-11-01T00:00:00Z'), toMs: NOW });
    expect(await refusal({ from: new Date(NOW - 94 * DAY).toISOString() })).toMatchObject<Partial<RequestError>>({ status: 400, field: 'from' });
  });

  it('a window over 93 days, or one that ends before it starts, is a 400 naming the field', async () => {
    expect(await refusal({ from: '2026-01-01T00:00:00Z', to: '2026-11-01T00:00:00Z' })).toMatchObject({ status: 400, field: 'to' });
    expect(await refusal({ from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' })).toMatchObject({ status: 400, field: 'to' });
  });

  it('no window: the scheduled default (decided by the sweep itself)', async () => {
    windows.length = 0;
    await route(post({}));
    expect(windows).toEqual([undefined]);
  });
});
