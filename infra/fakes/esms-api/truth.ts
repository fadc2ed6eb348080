/**
 * What the fake eSMS knows: one record per SMSID, holding the same totals a callback carries. Tests
 * change it between calls (a message moves from 7 to 5) and read the pull APIs' view of it.
 */
export interface FakeMessage {
  smsId: string;
  typeId: number;
  /** Recipients; for Zalo-by-UID types these are Zalo user ids. */
  phones: string[];
  sendStatus: number;
  totalReceiver: number;
  totalSent: number;
  sendSuccess: number;
  sendFailed: number;
  /** As eSMS writes it, 4 decimals: `470.0000`. */
  totalPrice: string;
  /** Creation/send time, epoch ms; `SentTime` of the sent-data list and the age `notYetMs` looks at. */
  sentTimeMs: number;
  requestId?: string;
  oaId?: string;
  templateId?: string;
  /** Zalo msg id. */
  partnerIds?: string;
  /** The callback's `error_info` text as eSMS stores it. */
  errorInfo?: string;
  telcoId?: number;
  campaign?: string;
}

/** `smsId`, `typeId` and `phones` are required; totals default to "sent to telco, waiting for report". */
export type FakeMessageInput = Pick<FakeMessage, 'smsId' | 'typeId' | 'phones'> & Partial<FakeMessage>;

export interface Truth {
  add(input: FakeMessageInput): FakeMessage;
  get(smsId: string): FakeMessage | undefined;
  /** Changes a stored message; throws for an unknown SMSID. */
  update(smsId: string, patch: Partial<Omit<FakeMessage, 'smsId'>>): FakeMessage;
  all(): FakeMessage[];
  clear(): void;
}

export const buildTruth = (now: () => number): Truth => {
  const messages = new Map<string, FakeMessage>();
  return {
    add(input) {
      const message: FakeMessage = {
        sendStatus: 7,
        totalReceiver: input.phones.length,
        totalSent: input.phones.length,
        sendSuccess: 0,
        sendFailed: 0,
        totalPrice: '0.0000',
        sentTimeMs: now(),
        ...input,
        phones: [...input.phones],
      };
      messages.set(message.smsId, message);
      return message;
    },
    get: (smsId) => messages.get(smsId),
    update(smsId, patch) {
      const message = messages.get(smsId);
      if (message === undefined) throw new Error(`fake eSMS: unknown SMSID ${smsId}`);
      Object.assign(message, patch);
      return message;
    },
    all: () => [...messages.values()],
    clear: () => messages.clear(),
  };
};
