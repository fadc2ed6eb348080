/**
 * The port through which reconciliation asks eSMS's pull APIs (docs/protocols.md §3) about messages. The
 * reconcile domain owns it; `lib/esms-api` implements it over HTTP and tests may fake it. Answers that
 * carry a message's totals come back as eSMS callback query strings, so they go through the same
 * callback parser (and counting rules) as a real callback.
 */

/** An eSMS account's credentials. Never logged, never part of an error message. */
export interface EsmsAccount {
  apiKey: string;
  secretKey: string;
}

/** The outcome of one pull call; only `ok` carries data. */
export type PullResult<T> =
  /** eSMS answered code 100 with a usable body. */
  | { kind: 'ok'; value: T }
  /** Nothing to learn yet: 105 (SMSID not yet queryable), 854 (no data), or a message still being drafted. Ask again later. */
  | { kind: 'not-yet'; code: string }
  /** 101 (wrong ApiKey/SecretKey) or 140 (IP not allow-listed): nothing will work until an operator acts, so alarm. */
  | { kind: 'denied'; code: string; message: string }
  /** Anything else unusable: malformed body, HTTP 5xx/network/time-out after retries, 160 after retries, an unknown code. */
  | { kind: 'failed'; code: string; message: string };

/** One row of GetSmsSentData_V2: one recipient of one SMSID. */
export interface SentDataRow {
  /** `ReferenceId`: the SMSID. */
  smsId: string;
  phone: string;
  /** `SellPrice` of this row, in VND. */
  sellPrice: number;
  /** 1 sent, 0 failed, 2 not yet known. */
  sendResult: number;
  /** 0 drafting, 1, 2, 4, 5, 7 as in a callback. */
  sendStatus: number;
  /** `SentTime` as epoch milliseconds. */
  sentTimeMs: number;
  smsType: number;
  campaign?: string;
}

/** One recipient of GetSmsReceiverStatus_get. */
export interface ReceiverStatusRow {
  phone: string;
  isSent: boolean;
  /** 1 sent successfully, 0 failed (eSMS answers a boolean; 2 would be "not known yet"). */
  sentResult: number;
  network?: string;
}

/** The sent-data list covers these SmsTypes only (not the Zalo types 26, 27). */
export type SentDataSmsType = 1 | 2 | 8 | 23 | 24 | 25;

export interface EsmsPullApi {
  /** GetSendStatus (RefId=SMSID): the request's totals, returned as an eSMS callback query string (names as in a callback: SMSID, SendStatus, SendSuccess, SendFailed, TotalPrice, TotalReceiver, TotalSent, TypeId=<typeId given>) so it can go through the normal callback parser. */
  sendStatus(account: EsmsAccount, smsId: string, typeId: number): Promise<PullResult<string>>;
  /** GetSmsReceiverStatus_get: per-phone view of a batch. */
  receiverStatus(account: EsmsAccount, smsId: string): Promise<PullResult<ReceiverStatusRow[]>>;
  /** GetSmsSentData_V2, one page (Page from 1, PageSize ≤ 500; RangeError otherwise); From/To as Date, sent as 'yyyy-MM-dd HH:mm:ss' in Vietnam time (UTC+7). */
  sentData(account: EsmsAccount, smsType: SentDataSmsType, from: Date, to: Date, page: number, pageSize: number): Promise<PullResult<{ countTotal: number; rows: SentDataRow[] }>>;
  /** GetCallback (≤ 200 SMSIDs per call; rejects with RangeError above): each stored Zalo-type callback mapped to a callback query string (SMSID, SendStatus, SendSuccess, SendFailed, TotalPrice, TotalReceiver, TotalSent, RequestId, TypeId, telcoid, phonenumber, partnerids, error_info, oaid, tempid), URL-encoded with encodeURIComponent as eSMS's GET callbacks are. */
  getCallback(account: EsmsAccount, smsIds: string[], oaId?: string): Promise<PullResult<Array<{ smsId: string; query: string }>>>;
  /** QueryZnsStatus for SmsType 24|25: totals as a callback query string plus whether eSMS says it is final (FinalStatus "1"). */
  queryZnsStatus(account: EsmsAccount, smsId: string, smsType: 24 | 25): Promise<PullResult<{ query: string; final: boolean; zaloMsgId?: string }>>;
}

/** A run's finding of lost callbacks (lib/reconcile/schedule.ts), kept for `alert.callbacks_lost`. */
export interface CallbacksLostFinding {
  at: number;
  from: number;
  to: number;
  checked: number;
  /** Messages whose lost callback the run completed (never-seen ones not included). */
  lost: number;
  /** SMSIDs never called back. */
  neverSeen: number;
  lostSmsIds: string[];
  neverSeenSmsIds: string[];
}

export interface ReconcileFindings {
  /** Keeps one run's finding (its stream record makes the alert). */
  add(tenant: string, finding: CallbacksLostFinding): Promise<void>;
}
