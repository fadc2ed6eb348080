/**
 * Outcome beside processing status (issue 23): eSMS's SendStatus 5 says the request was processed; the
 * outcome says whether it arrived, read from the status, the winning callback's error code and its counts.
 */
import { describe, expect, it } from 'vitest';
import { decodeErrorInfo } from '../../lib/esms/error-info';
import { outcomeOf } from '../../lib/esms/outcome';
import { readQuery } from '../../lib/esms/query';
import { esmsFixture } from '../support/fixtures';

const N = (success: number, failed: number, receivers = 1) => [receivers, success + failed, success, failed] as const;
const fromFixture = (name: string) => {
  const query = readQuery(esmsFixture(name));
  const get = (key: string) => Number(query.get(key.toLowerCase())?.value);
  const status = get('SendStatus') as 1 | 2 | 4 | 5 | 7;
  return outcomeOf({
    status, final: status === 4 || status === 5, counts: [get('TotalReceiver'), get('TotalSent'), get('SendSuccess'), get('SendFailed')],
    errorInfo: decodeErrorInfo(query.get('error_info')?.value ?? ''),
  });
};

describe('outcomeOf', () => {
  it('SendStatus 5, SendSuccess 0, SendFailed 1 with -118 is failed, with -118\'s words as the reason', () => {
    expect(outcomeOf({ status: 5, final: true, counts: N(0, 1), errorInfo: { code: -118, message: 'Zalo account not existed' } })).toEqual({
      outcome: 'failed',
      outcomeReason: { code: -118, vi: 'Tài khoản Zalo không tồn tại hoặc đã bị vô hiệu hóa', en: 'Zalo account does not exist or is deactivated' },
    });
  });

  it('the fixtures: -114, -230, -149, -144 and a bare 1001 are failures with their code; a ZNS success is delivered', () => {
    for (const [name, code] of [['zns-114-json-string', -114], ['zalo-consulting-230', -230], ['journey-149', -149], ['zns-144-fully-encoded', -144], ['error-info-bare-1001', 1001]] as const) {
      expect(fromFixture(name), name).toMatchObject({ outcome: 'failed', outcomeReason: { code } });
    }
    expect(fromFixture('zns-delivered-with-time')).toEqual({ outcome: 'delivered', outcomeReason: null });
  });

  it('Zalo\'s data.status 0 (sent to Zalo, not delivered to the phone) is accepted, not delivered', () => {
    expect(fromFixture('zns-accepted-not-delivered')).toMatchObject({ outcome: 'accepted', outcomeReason: { code: null } });
  });

  it('a failure without error_info is failed by its counts; a rejected request (4) is failed', () => {
    expect(fromFixture('zns-failure-empty')).toMatchObject({ outcome: 'failed', outcomeReason: { code: null, en: 'eSMS reports the send failed (SendFailed)' } });
    expect(outcomeOf({ status: 4, final: true, counts: N(0, 0) })).toMatchObject({ outcome: 'failed', outcomeReason: { code: null, en: expect.stringContaining('rejected') } });
  });

  it('not final is pending; expired is expired, whatever the counts', () => {
    for (const status of [1, 2, 7] as const) expect(outcomeOf({ status, final: false, counts: N(1, 0) })).toEqual({ outcome: 'pending', outcomeReason: null });
    expect(outcomeOf({ status: 'expired', final: false, counts: N(0, 0) }).outcome).toBe('expired');
  });

  it('a batch: all delivered, all failed, or partial; one recipient of a mixed batch is unknown unless its own code says', () => {
    expect(outcomeOf({ status: 5, final: true, counts: N(169, 0, 169) }).outcome).toBe('delivered');
    expect(outcomeOf({ status: 5, final: true, counts: N(160, 9, 169) }).outcome).toBe('partial');
    expect(outcomeOf({ status: 5, final: true, counts: N(160, 9, 169), batchRecipient: true }).outcome).toBe('unknown');
    expect(outcomeOf({ status: 5, final: true, counts: N(160, 9, 169), batchRecipient: true, errorInfo: { code: 0 } }).outcome).toBe('delivered');
    expect(outcomeOf({ status: 5, final: true, counts: N(160, 9, 169), batchRecipient: true, errorInfo: { code: -141 } }).outcome).toBe('failed');
  });

  it('final with no counts: code 0 is delivered, nothing at all is unknown; an uncatalogued code keeps the provider\'s words', () => {
    expect(outcomeOf({ status: 5, final: true, counts: N(0, 0), errorInfo: { code: 0 } }).outcome).toBe('delivered');
    expect(outcomeOf({ status: 5, final: true, counts: N(0, 0) }).outcome).toBe('unknown');
    expect(outcomeOf({ status: 5, final: true, counts: N(0, 1), errorInfo: { code: -155, message: 'Something new' } }).outcomeReason)
      .toEqual({ code: -155, vi: 'Something new', en: 'Something new' });
  });
});
