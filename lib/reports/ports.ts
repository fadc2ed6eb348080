/** What reports read; implemented by lib/store/counters.ts. */
export interface CounterReader {
  /** Every counter item of one tenant's report day (all buckets). */
  readDay(tenant: string, day: string): Promise<Array<Record<string, unknown>>>;
}
