import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RequestError } from '../../lib/errors';
import { parseZaloEvent } from '../../lib/zalo/parse';
import { ZALO_GROUP_BY_NAME } from '../../lib/zalo/schema';
import { verifyZaloRequest } from '../../lib/zalo/signature';
import { ZALO_FIXTURE_APP_ID, ZALO_FIXTURE_SECRET } from '../support/fixtures';
import { signedHeaders } from './sign';

const secret = ZALO_FIXTURE_SECRET;
const NOW = 1767225600000;

/** Returns normally or throws a RequestError; anything else escapes and fails the property. */
const onlyRequestErrors = (fn: () => unknown): true => {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof RequestError)) throw error;
  }
  return true;
};

const headers = fc.dictionary(
  fc.constantFrom('X-ZEvent-Signature', 'x-zevent-signature', 'X-ZEvent-Server', 'num_retry', 'other'),
  fc.oneof(fc.string(), fc.constant('ZNS'), fc.stringMatching(/^mac=[0-9a-f]{64}$/)),
);

/** Envelopes near real ones: known or random names, correct app/time, arbitrary JSON in the usual fields. */
const envelope = fc.record(
  {
    event_name: fc.oneof(fc.constantFrom(...ZALO_GROUP_BY_NAME.keys()), fc.string()),
    app_id: fc.constant(ZALO_FIXTURE_APP_ID),
    timestamp: fc.constant(String(NOW)),
    sender: fc.oneof(fc.record({ id: fc.string() }), fc.jsonValue()),
    recipient: fc.oneof(fc.record({ id: fc.string() }), fc.jsonValue()),
    message: fc.oneof(fc.record({ msg_id: fc.string(), msg_ids: fc.array(fc.string()) }, { requiredKeys: [] }), fc.jsonValue()),
    oa_id: fc.jsonValue(),
    follower: fc.jsonValue(),
    tag: fc.jsonValue(),
    info: fc.jsonValue(),
    quota: fc.jsonValue(),
    journey_id: fc.jsonValue(),
  },
  { requiredKeys: ['event_name', 'app_id', 'timestamp'] },
);

describe('verifyZaloRequest and parseZaloEvent only ever throw RequestErrors', () => {
  it('for arbitrary strings as body and arbitrary headers', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), headers, (rawBody, given) =>
        onlyRequestErrors(() => verifyZaloRequest({ rawBody, headers: given, secret, now: NOW })),
      ),
    );
  });

  it('for arbitrary JSON values as envelope', () => {
    fc.assert(fc.property(fc.jsonValue(), headers, (value, given) => onlyRequestErrors(() => parseZaloEvent(value, given))));
  });

  it('for signed bodies of known and unknown events with arbitrary field values', () => {
    fc.assert(
      fc.property(envelope, headers, (value, given) => {
        const rawBody = JSON.stringify(value);
        const verified = verifyZaloRequest({ rawBody, headers: signedHeaders(rawBody), secret, now: NOW });
        expect(verified.appId).toBe(ZALO_FIXTURE_APP_ID);
        return onlyRequestErrors(() => parseZaloEvent(verified.envelope, given, rawBody));
      }),
      { numRuns: 500 },
    );
  });
});
