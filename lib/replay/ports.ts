/** The rejected log as the replay domain and the inbound pipelines use it; implemented by lib/store/rejected.ts. */
import type { RejectedItem } from '../table/rejected';

export type NewRejected = Pick<RejectedItem, 'source' | 'route' | 'status' | 'field' | 'reason' | 'raw' | 'headers' | 'receivedAt'> & { tenant?: string };

export interface RejectedPage {
  items: RejectedItem[];
  next: string | undefined;
}

export interface RejectedLog {
  /** Keeps a refused request (raw cut to 8 KiB with its original size) for replay. */
  add(rejected: NewRejected): Promise<void>;
  get(tenant: string, id: string): Promise<RejectedItem | undefined>;
  markReplayed(tenant: string, id: string, outcome: string, at: number): Promise<void>;
  /** One Vietnam day's entries, newest first, `limit` per page. */
  listDay(tenant: string, day: string, limit: number, cursor?: string): Promise<RejectedPage>;
}
