/**
 * The (phone, SMSID) pairs a stream record makes known, for the phone index (lib/table/esms.ts). The
 * callback path writes only the message's own items; the index follows from the stream, so a callback is
 * one DynamoDB request and an index write that fails is retried with the stream record, not lost.
 *
 * A pair appears when a head first holds a phone (a single-recipient message; INSERT, or a MODIFY that
 * sets it) or a callback item with a phone is inserted (a batch recipient, or a callback too large for
 * the head). An erased number (`erased`) is no pair.
 */
import { normalisePhone } from '../esms/phone';
import { ERASED_PHONE } from '../table/esms';
import { KIND, TTL_ATTRIBUTE } from '../table/names';
import type { ChangeRecord } from '../aggregate/ports';
import type { PhonePair } from './ports';

export type { PhonePair } from './ports';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

const pairOf = (sequenceNumber: string, item: Record<string, unknown>, spelling: string | undefined, ds: unknown, storedAt: unknown): PhonePair[] => {
  const tenant = text(item.tenant);
  const smsId = text(item.smsId);
  const phone = spelling === undefined || spelling === ERASED_PHONE ? undefined : normalisePhone(spelling);
  const first = count(ds);
  const stored = count(storedAt);
  if (!tenant || !smsId || !phone || spelling === undefined || first === undefined || stored === undefined) return [];
  const expiresAt = count(item[TTL_ATTRIBUTE]);
  return [{ sequenceNumber, tenant, smsId, phone, spelling, ds: first, storedAt: stored, ...(expiresAt !== undefined && { expiresAt }) }];
};

export const phonePairsOf = ({ sequenceNumber, oldImage, newImage }: ChangeRecord): PhonePair[] => {
  if (!newImage) return [];
  if (newImage.kind === KIND.esms) {
    if (text(oldImage?.phone) !== undefined) return [];
    return pairOf(sequenceNumber, newImage, text(newImage.phone), newImage.firstSeen, newImage.lastSeen);
  }
  if (newImage.kind === KIND.esmsCallback && oldImage === undefined) return pairOf(sequenceNumber, newImage, text(newImage.ph), newImage.at, newImage.at);
  return [];
};
