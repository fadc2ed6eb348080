/** Known events and stored items built by lib/ itself from fixtures, for tests below the HTTP layer. */
import type { Headers } from '../../lib/headers';
import { eventItem, type NewZaloEvent } from '../../lib/zalo/items';
import { parseZaloEvent, type KnownZaloEvent } from '../../lib/zalo/parse';
import { zaloFixture } from '../support/fixtures';
import { retimed } from './client';

/** The parse of a body that must be a known event (throws, failing the test, when it is not). */
export const known = (raw: string, headers: Headers = {}): KnownZaloEvent => {
  const parsed = parseZaloEvent(JSON.parse(raw), headers, raw);
  if (!parsed.known) throw new Error(`expected a known event: ${parsed.reason}`);
  return parsed;
};

/** A stored item exactly as the webhook writes it for `tenant`, for a fixture moved to `at`. */
export const storedFixture = (name: string, at: number, tenant = 'default'): NewZaloEvent => {
  const fixture = zaloFixture(name);
  const raw = retimed(fixture.rawBody, at);
  const appId = String((JSON.parse(raw) as Record<string, unknown>).app_id);
  return eventItem({ parsed: known(raw, fixture.headers), tenant, appId, raw, headers: fixture.headers, receivedAt: at + 50 });
};
