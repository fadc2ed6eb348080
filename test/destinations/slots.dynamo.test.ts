/**
 * A destination's in-flight slots (lib/store/destination-slots.ts) on DynamoDB Local: at most `cap` held at once
 * even when taken all at the same moment, a release frees one, a lease past its end is taken over, and one
 * destination's slots are not another's.
 */
import { describe, expect, it } from 'vitest';
import { buildInFlightSlots } from '../../lib/store/destination-slots';
import { useTables } from '../support/tables';

const { names, doc } = useTables();

describe('in-flight slots', () => {
  it('ten deliveries taking at once get at most the cap; a release frees one; an expired lease is taken over; destinations are apart', async () => {
    const slots = buildInFlightSlots(doc, names.Messages);
    const now = Date.now();
    const taken = await Promise.all(Array.from({ length: 10 }, () => slots.take('acme', 'dst_a', 3, now, now + 30_000)));
    const held = taken.filter((token): token is string => token !== undefined);
    expect(held.length).toBeGreaterThanOrEqual(1);
    expect(held.length).toBeLessThanOrEqual(3);
    // Sequentially the cap is exact.
    while ((await slots.take('acme', 'dst_a', 3, now, now + 30_000)) !== undefined) held.push('more');
    expect(held).toHaveLength(3);
    expect(await slots.take('acme', 'dst_b', 3, now, now + 30_000)).toBeDefined();
    await slots.release('acme', 'dst_a', taken.find((token) => token !== undefined)!);
    expect(await slots.take('acme', 'dst_a', 3, now, now + 30_000)).toBeDefined();
    expect(await slots.take('acme', 'dst_a', 3, now, now + 30_000)).toBeUndefined();
    // Half a minute later every lease has ended (a crashed delivery never released its slot).
    expect(await slots.take('acme', 'dst_a', 3, now + 31_000, now + 60_000)).toBeDefined();
  });
});
