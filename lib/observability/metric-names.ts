/**
 * Every CloudWatch metric the code emits (EMF, namespace below). `infra/` builds the dashboard and
 * alarms from this list, and a test checks the two agree. OA and template ids are never dimensions:
 * their cardinality is billed per metric.
 */
export const METRIC_NAMESPACE = 'VnMessagingWebhooks';

export const METRICS = {
  callbackAccepted: 'CallbackAccepted',
  callbackDuplicate: 'CallbackDuplicate',
  callbackRejected: 'CallbackRejected',
  unknownToken: 'UnknownToken',
  routeMismatch: 'RouteMismatch',
  signatureFailure: 'SignatureFailure',
  zaloEventAccepted: 'ZaloEventAccepted',
  zaloEventDuplicate: 'ZaloEventDuplicate',
  zaloEventUnknown: 'ZaloEventUnknown',
  zaloEventRejected: 'ZaloEventRejected',
  zaloOaConnected: 'ZaloOaConnected',
  zaloOaConnectFailed: 'ZaloOaConnectFailed',
  zaloTokenRefreshed: 'ZaloTokenRefreshed',
  zaloTokenRefreshFailed: 'ZaloTokenRefreshFailed',
  storageFailure: 'StorageFailure',
  aggregationLagMs: 'AggregationLagMs',
  aggregatedRecords: 'AggregatedRecords',
  counterWrites: 'CounterWrites',
  deadLetteredRecords: 'DeadLetteredRecords',
  messagesSent: 'MessagesSent',
  messagesSucceeded: 'MessagesSucceeded',
  messagesFailed: 'MessagesFailed',
} as const;
export type MetricName = (typeof METRICS)[keyof typeof METRICS];

/** The only dimension names used; each has a small closed set of values. */
export const DIMENSIONS = { route: 'route', channel: 'channel', family: 'family' } as const;
