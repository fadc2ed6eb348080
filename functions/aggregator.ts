import { aggregatorHandler } from '../lib/wiring/aggregator';

/** DynamoDB stream of the messages table → report counters. */
export const handler = aggregatorHandler;
