import type { Replayer } from './replay';

/** Zalo entries keep their signed body and the headers that matter (X-ZEvent-Server, num_retry). */
export const zaloReplayer = (replay: (raw: string, headers: Record<string, string>, receivedAt: number) => Promise<'stored' | 'duplicate'>): Replayer =>
  (item) => replay(item.raw, item.headers ?? {}, item.receivedAt);
