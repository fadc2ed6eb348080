import type { Log, Telemetry } from '../observability/ports';
import type { RejectedLog } from '../replay/ports';

/** What every inbound pipeline needs besides its own stores: the rejected log, a clock and telemetry. */
export interface InboundDeps {
  rejected: Pick<RejectedLog, 'add'>;
  now: () => number;
  telemetry: Pick<Telemetry, 'count'>;
  log: Log;
}
