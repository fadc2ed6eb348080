/**
 * What happened to a message, beside eSMS's processing status (docs/decisions.md, "Read side, parts 2–3"):
 * eSMS's SendStatus 5 says the request was processed, not that it arrived. The outcome is read from the
 * status (final or not, expired), the error code of the winning callback's `error_info` and its counts.
 */
import { describeErrorCode } from '../error-catalogue';
import type { ErrorInfo } from './error-info';
import type { MessageStatus } from './state';

export const OUTCOMES = ['delivered', 'partial', 'accepted', 'failed', 'pending', 'expired', 'unknown'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface Description {
  vi: string;
  en: string;
}

/** Why a message failed (or what it waits for): the provider code when there is one, and its words. */
export interface OutcomeReason extends Description {
  code: number | null;
}

export interface OutcomeView {
  outcome: Outcome;
  outcomeReason: OutcomeReason | null;
}

export interface OutcomeInput {
  status: MessageStatus;
  final: boolean;
  /** `[receivers, sent, success, failed]` of the winning callback. */
  counts: readonly [number, number, number, number];
  errorInfo?: Pick<ErrorInfo, 'code' | 'message' | 'deliveryStatus'> | undefined;
  /**
   * A recipient row of a batch: its callback carries the batch's counts, so mixed counts say nothing about
   * this one recipient.
   */
  batchRecipient?: boolean;
}

const REJECTED: Description = { vi: 'eSMS từ chối yêu cầu gửi (SendStatus 4)', en: 'eSMS rejected the send request (SendStatus 4)' };
const COUNTED_FAILED: Description = { vi: 'eSMS báo gửi thất bại (SendFailed)', en: 'eSMS reports the send failed (SendFailed)' };
const NOT_DELIVERED: Description = { vi: 'Zalo đã nhận tin nhưng chưa giao tới điện thoại người dùng', en: 'Zalo accepted the message but has not delivered it to the user\'s phone' };
const EXPIRED: Description = { vi: 'Không có trạng thái cuối trong thời hạn báo cáo', en: 'No final status within the late-report window' };

/** The catalogue's words for `code`, or the provider's own message when the code is not catalogued. */
export const reasonOf = (code: number, message: string | undefined): OutcomeReason => {
  const known = describeErrorCode(code);
  if (known) return { code, vi: known.vi, en: known.en };
  return { code, vi: message ?? `Mã ${code} chưa có trong danh mục`, en: message ?? `Code ${code} is not in the catalogue` };
};

const failed = (reason: OutcomeReason): OutcomeView => ({ outcome: 'failed', outcomeReason: reason });
const plain = (outcome: Outcome): OutcomeView => ({ outcome, outcomeReason: null });

/**
 * The outcome, in this order: expired; not final → pending; rejected (4) → failed; a non-zero error code →
 * failed with that code; then the counts (all succeeded → delivered, all failed → failed, both → partial,
 * or unknown for one recipient of a batch); with no counts, code 0 → delivered. Zalo's `data.status` 0
 * ("sent to Zalo, not delivered to the phone") makes a success `accepted`.
 */
export const outcomeOf = ({ status, final, counts, errorInfo, batchRecipient = false }: OutcomeInput): OutcomeView => {
  if (status === 'expired') return { outcome: 'expired', outcomeReason: { code: null, ...EXPIRED } };
  if (!final) return plain('pending');
  const code = errorInfo?.code;
  const codeReason = code === undefined ? undefined : reasonOf(code, errorInfo?.message);
  if (status === 4) return failed(codeReason && code !== 0 ? codeReason : { code: null, ...REJECTED });
  if (codeReason && code !== 0) return failed(codeReason);
  const notDelivered = errorInfo?.deliveryStatus === 0 ? { outcome: 'accepted' as const, outcomeReason: { code: null, ...NOT_DELIVERED } } : undefined;
  // A recipient's own success code says more than the batch's counts its callback repeats.
  if (code === 0 && batchRecipient) return notDelivered ?? plain('delivered');
  const [, , success, failures] = counts;
  if (success > 0 && failures === 0) return notDelivered ?? plain('delivered');
  if (failures > 0 && success === 0) return failed({ code: null, ...COUNTED_FAILED });
  if (success > 0 && failures > 0) return batchRecipient ? plain('unknown') : plain('partial');
  if (code === 0) return notDelivered ?? plain('delivered');
  return plain('unknown');
};
