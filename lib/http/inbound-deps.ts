import type { Log, Telemetry } from '../observability/telemetry';
import type { RejectedStore } from '../store/rejected';

/** What every inbound pipeline needs besides its own stores: the rejected log, a clock and telemetry. */
export interface InboundDeps {
  rejected: Pick<RejectedStore, 'add'>;
  now: () => number;
  telemetry: Pick<Telemetry, 'count'>;
  log: Log;
}
