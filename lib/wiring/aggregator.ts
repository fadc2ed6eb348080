import { buildAggregator } from '../aggregate/aggregator';
import { toChange } from '../aws/stream-records';
import { logger, telemetry } from '../observability/telemetry';
import { buildCountersStore } from '../store/counters';
import { buildDeadLetterStore } from '../store/dead-letters';
import { config, doc } from './shared';

const aggregate = buildAggregator({
  counters: buildCountersStore(doc, config.countersTable),
  deadLetters: buildDeadLetterStore(doc, config.countersTable),
  telemetry,
  log: logger,
  now: Date.now,
  toChange,
});

export const aggregatorHandler: typeof aggregate = async (event) => {
  try {
    return await aggregate(event);
  } finally {
    telemetry.flush({ force: true });
  }
};
