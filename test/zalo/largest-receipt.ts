/**
 * The largest `user_seen_message` Zalo can send within the webhook's body limit (lib/http/limits.ts): the
 * fixture's envelope with as many distinct 20-hex-digit msg_ids (the length of every real one) as fit.
 * Shared by test/zalo/largest-receipt.test.ts and the bench.
 */
import { createHash } from 'node:crypto';
import { BODY_LIMITS } from '../../lib/http/limits';
import { zaloFixture } from '../support/fixtures';

const idOf = (seed: string, index: number): string => createHash('sha256').update(`${seed}#${index}`).digest('hex').slice(0, 20);

export interface LargestReceipt {
  rawBody: string;
  msgIds: string[];
  oaId: string;
  userId: string;
}

export const largestReceipt = (at: number, seed: string, limit: number = BODY_LIMITS.zaloWebhook): LargestReceipt => {
  const envelope = JSON.parse(zaloFixture('user_seen_message').rawBody) as { sender: { id: string }; recipient: { id: string }; message: { msg_ids: string[] } };
  const render = (msgIds: string[]) => JSON.stringify({ ...envelope, message: { msg_ids: msgIds }, timestamp: String(at) });
  // Each further id adds `,"<20 hex>"` (23 bytes): start from the estimate, then settle on the exact count.
  let count = Math.floor((limit - Buffer.byteLength(render([]))) / 23) + 1;
  const ids = (n: number) => Array.from({ length: n }, (_, index) => idOf(seed, index));
  while (Buffer.byteLength(render(ids(count))) > limit) count -= 1;
  const msgIds = ids(count);
  return { rawBody: render(msgIds), msgIds, oaId: envelope.sender.id, userId: envelope.recipient.id };
};
