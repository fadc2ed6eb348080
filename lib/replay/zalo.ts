import { DEFAULT_TENANT } from '../table/names';
import type { Replayer } from './replay';

type ZaloReplay = (tenant: string, request: { raw: string; headers: Record<string, string>; receivedAt: number }) => Promise<'stored' | 'duplicate'>;

/** Zalo entries keep their signed body, the headers that matter (X-ZEvent-Server, num_retry) and their tenant. */
export const zaloReplayer = (replay: ZaloReplay): Replayer =>
  (item) => replay(item.tenant ?? DEFAULT_TENANT, { raw: item.raw, headers: item.headers ?? {}, receivedAt: item.receivedAt });
