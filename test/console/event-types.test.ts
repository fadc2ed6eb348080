/** The console offers exactly the event types the server accepts, in its order. */
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES as CONSOLE_TYPES } from '../../console/src/event-types';
import { EVENT_TYPES } from '../../lib/destinations/events';

describe('console event types', () => {
  it('are the server\'s event types, each described in Vietnamese and English', () => {
    expect(CONSOLE_TYPES.map((e) => e.type)).toEqual([...EVENT_TYPES]);
    for (const e of CONSOLE_TYPES) {
      expect(e.vi.length).toBeGreaterThan(5);
      expect(e.en.length).toBeGreaterThan(5);
    }
  });
});
