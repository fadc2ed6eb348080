// The CloudWatch dashboard, the alarms and their SNS topic, built from infra/metrics.json (the list the
// code emits, through lib/observability/metric-names.ts) and the function names of the manifests in functions/*.json.
// Plain CommonJS because infra/resources.js (loaded by osls) requires it; test/infra checks the output.
const metrics = require('./metrics.json');

const NS = metrics.namespace;
const SERVICE = ['service', metrics.serviceDimension];
const M = metrics.metrics;
const PERIOD = 300;

/** Alarm thresholds; docs/operations.md says what to do when each fires. */
const THRESHOLDS = {
  http5xxPercent: 5,
  http5xxMinRequests: 20,
  signatureFailuresPer5Min: 20,
  iteratorAgeMs: 5 * 60_000,
};

/** One dashboard line of an app metric: namespace, name, service, then its own dimension. */
const appMetric = (key, dims = {}, options) => {
  const metric = M[key];
  if (!metric) throw new Error(`infra/observability.js: ${key} is not in infra/metrics.json`);
  const line = [NS, metric.name, ...SERVICE, ...Object.entries(dims).flat()];
  return options ? [...line, options] : line;
};

/** One line per declared value of the metric's dimension (or one line when it has none). */
const perValue = (key) => {
  const [dimension, values] = Object.entries(M[key].dimensions)[0] ?? [];
  return dimension ? values.map((value) => appMetric(key, { [dimension]: value }, { label: value })) : [appMetric(key)];
};

const timeSeries = (title, lines, extra = {}) => ({
  type: 'metric',
  width: extra.width ?? 8,
  height: 6,
  properties: { title, view: 'timeSeries', stacked: false, region: '${AWS::Region}', period: PERIOD, stat: extra.stat ?? 'Sum', metrics: lines, ...(extra.yAxis ? { yAxis: extra.yAxis } : {}) },
});

const text = (markdown) => ({ type: 'text', width: 24, height: 2, properties: { markdown } });

const dashboardBody = ({ functionNames, aggregatorName, tables, alarmLogicalIds }) => {
  const esms = ['callbackAccepted', 'callbackDuplicate', 'callbackRejected', 'unknownToken', 'routeMismatch'];
  const zalo = ['zaloEventAccepted', 'zaloEventDuplicate', 'zaloEventUnparsed', 'zaloPendingKept', 'zaloPendingDropped', 'signatureFailure'];
  const onboarding = ['zaloOaConnected', 'zaloOaConnectFailed', 'zaloTokenRefreshed', 'zaloTokenRefreshFailed', 'zaloOaDisconnected', 'zaloFollowersBackfilled'];
  const lambda = (name, stat) => functionNames.map((fn) => ['AWS/Lambda', name, 'FunctionName', fn, { stat, label: fn.split('-').pop() }]);
  const widgets = [
    { type: 'alarm', width: 24, height: 4, properties: { title: 'Alarms', alarms: alarmLogicalIds.map((id) => `\${${id}.Arn}`) } },
    text('## Inbound callbacks\neSMS per route (`/esms/{token}/<route>`), the Zalo webhook, and storage failures (answered 503 so the provider retries).'),
    ...esms.map((key) => timeSeries(`${M[key].name} per route`, perValue(key))),
    timeSeries('Zalo webhook', zalo.map((key) => appMetric(key, { route: 'zalo-webhook' }, { label: M[key].name }))),
    timeSeries(`${M.storageFailure.name} per route`, perValue('storageFailure')),
    timeSeries('HTTP API requests and errors', [
      ['AWS/ApiGateway', 'Count', 'ApiId', '${HttpApi}', { label: 'requests' }],
      ['AWS/ApiGateway', '4xx', 'ApiId', '${HttpApi}', { label: '4xx' }],
      ['AWS/ApiGateway', '5xx', 'ApiId', '${HttpApi}', { label: '5xx' }],
    ]),
    timeSeries('HTTP API latency (ms)', [
      ['AWS/ApiGateway', 'Latency', 'ApiId', '${HttpApi}', { stat: 'p50', label: 'p50' }],
      ['AWS/ApiGateway', 'Latency', 'ApiId', '${HttpApi}', { stat: 'p99', label: 'p99' }],
      ['AWS/ApiGateway', 'IntegrationLatency', 'ApiId', '${HttpApi}', { stat: 'p99', label: 'integration p99' }],
    ], { stat: 'p99' }),
    text('## Aggregation\nStream → counters: lag, throughput, poison records, dead-lettered batches.'),
    timeSeries('Aggregation lag (ms)', [
      appMetric('aggregationLagMs', {}, { stat: 'Maximum', label: `${M.aggregationLagMs.name} max` }),
      ['AWS/Lambda', 'IteratorAge', 'FunctionName', aggregatorName, { stat: 'Maximum', label: 'IteratorAge max' }],
    ], { stat: 'Maximum' }),
    timeSeries('Aggregator throughput', ['aggregatedRecords', 'counterWrites', 'deadLetteredRecords'].map((key) => appMetric(key, {}, { label: M[key].name }))),
    timeSeries('Projector and inbound buffer', ['headAdvances', 'bufferDrained'].map((key) => appMetric(key, {}, { label: M[key].name }))),
    timeSeries(`${M.callbackBuffered.name} per route`, perValue('callbackBuffered')),
    timeSeries('Queue depths', [
      ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', '${AggregatorDeadLetterQueue.QueueName}', { stat: 'Maximum', label: 'aggregator' }],
      ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', '${InboundBufferQueue.QueueName}', { stat: 'Maximum', label: 'inbound buffer' }],
      ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', '${InboundBufferDeadLetterQueue.QueueName}', { stat: 'Maximum', label: 'inbound buffer dead letters' }],
      ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', '${DestinationDeliveriesQueue.QueueName}', { stat: 'Maximum', label: 'destination deliveries' }],
    ], { stat: 'Maximum' }),
    timeSeries('Event destinations disabled', [appMetric('destinationsDisabled', {}, { label: M.destinationsDisabled.name })]),
    text('## Business (eSMS messages whose status became final, per channel)'),
    ...['messagesSent', 'messagesSucceeded', 'messagesFailed'].map((key) => timeSeries(`${M[key].name} per channel`, perValue(key))),
    text('## Truth checks\nReconciliation with eSMS (a discovered SMSID is a callback eSMS never delivered) and the late-report sweep.'),
    timeSeries('Reconciliation', ['reconcileChecked', 'reconcileUpdated', 'reconcileDiscovered', 'reconcileFailed', 'reconcileDenied'].map((key) => appMetric(key, {}, { label: M[key].name }))),
    timeSeries('Expired (no final status in time)', [appMetric('messagesExpired', {}, { label: M.messagesExpired.name })]),
    text('## Zalo OA onboarding, Lambda and DynamoDB'),
    timeSeries('OA connections and token refresh', onboarding.map((key) => appMetric(key, {}, { label: M[key].name }))),
    timeSeries('Lambda errors', lambda('Errors', 'Sum')),
    timeSeries('Lambda duration p99 (ms)', lambda('Duration', 'p99'), { stat: 'p99' }),
    timeSeries('Lambda throttles', lambda('Throttles', 'Sum')),
    timeSeries('DynamoDB consumed capacity', tables.flatMap((table) => [
      ['AWS/DynamoDB', 'ConsumedWriteCapacityUnits', 'TableName', `\${${table}}`, { label: `${table} WCU` }],
      ['AWS/DynamoDB', 'ConsumedReadCapacityUnits', 'TableName', `\${${table}}`, { label: `${table} RCU` }],
    ])),
    timeSeries('DynamoDB throttle events', tables.flatMap((table) => [
      ['AWS/DynamoDB', 'WriteThrottleEvents', 'TableName', `\${${table}}`, { label: `${table} write` }],
      ['AWS/DynamoDB', 'ReadThrottleEvents', 'TableName', `\${${table}}`, { label: `${table} read` }],
    ])),
  ];
  return { start: '-PT6H', periodOverride: 'inherit', widgets };
};

/** A CloudFormation alarm on one metric or a metric-math expression, notifying the topic both ways. */
const alarm = (name, description, spec) => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: {
    AlarmName: name,
    AlarmDescription: description,
    ActionsEnabled: true,
    AlarmActions: [{ Ref: 'AlarmTopic' }],
    OKActions: [{ Ref: 'AlarmTopic' }],
    TreatMissingData: 'notBreaching',
    EvaluationPeriods: spec.evaluationPeriods ?? 1,
    DatapointsToAlarm: spec.datapointsToAlarm ?? spec.evaluationPeriods ?? 1,
    ComparisonOperator: spec.comparison ?? 'GreaterThanThreshold',
    Threshold: spec.threshold,
    ...(spec.metrics
      ? { Metrics: spec.metrics }
      : { Namespace: spec.namespace, MetricName: spec.metricName, Dimensions: spec.dimensions, Statistic: spec.statistic ?? 'Sum', Period: spec.period ?? PERIOD }),
  },
});

const stat = (id, namespace, name, dimensions, statName = 'Sum') => ({
  Id: id,
  ReturnData: false,
  MetricStat: { Metric: { Namespace: namespace, MetricName: name, Dimensions: dimensions }, Period: PERIOD, Stat: statName },
});

const appDims = (dims = {}) => [{ Name: SERVICE[0], Value: SERVICE[1] }, ...Object.entries(dims).map(([Name, Value]) => ({ Name, Value }))];

/** Logical id → alarm resource. `functionNames` maps serverless function keys to deployed names. */
const alarms = ({ prefix, functionNames, aggregatorName, tables }) => {
  const Resources = {
    AlarmHttp5xxRate: alarm(`${prefix}-http-5xx-rate`,
      `More than ${THRESHOLDS.http5xxPercent}% of HTTP API requests answered 5xx (storage down, secrets unreadable, crashes). Providers retry 5xx; see docs/operations.md#alarms.`, {
        evaluationPeriods: 3, datapointsToAlarm: 2, threshold: THRESHOLDS.http5xxPercent,
        metrics: [
          stat('errors', 'AWS/ApiGateway', '5xx', [{ Name: 'ApiId', Value: { Ref: 'HttpApi' } }]),
          stat('requests', 'AWS/ApiGateway', 'Count', [{ Name: 'ApiId', Value: { Ref: 'HttpApi' } }]),
          { Id: 'rate', Label: '5xx %', ReturnData: true, Expression: `IF(requests >= ${THRESHOLDS.http5xxMinRequests}, 100 * errors / requests, 0)` },
        ],
      }),
    AlarmSignatureFailures: alarm(`${prefix}-zalo-signature-failures`,
      `More than ${THRESHOLDS.signatureFailuresPer5Min} Zalo webhook requests refused in 5 minutes (forgeries, or an OA secret key that changed).`, {
        threshold: THRESHOLDS.signatureFailuresPer5Min,
        namespace: NS, metricName: M.signatureFailure.name, dimensions: appDims({ route: 'zalo-webhook' }),
      }),
    AlarmZaloUnparsed: alarm(`${prefix}-zalo-unparsed-events`,
      'Signed Zalo events the parsers cannot read were kept raw (GET /api/rejected, reason unparsed): Zalo sent a new event or changed a field. Teach the parser, then POST /api/replay.', {
        threshold: 0, namespace: NS, metricName: M.zaloEventUnparsed.name, dimensions: appDims({ route: 'zalo-webhook' }),
      }),
    AlarmZaloPendingDropped: alarm(`${prefix}-zalo-pending-dropped`,
      'A Zalo app registered without its OA Secret Key reached its cap of kept requests: events are being dropped. Configure the key (PUT /api/admin/tenants/{id}/zalo-apps/{appId}).', {
        threshold: 0, namespace: NS, metricName: M.zaloPendingDropped.name, dimensions: appDims({ route: 'zalo-webhook' }),
      }),
    AlarmStorageFailures: alarm(`${prefix}-storage-failures`,
      'Inbound requests answered 503 because DynamoDB failed: providers retry, but check throttling and the table status.', {
        threshold: 0,
        metrics: [
          ...M.storageFailure.dimensions.route.map((route, index) => stat(`r${index}`, NS, M.storageFailure.name, appDims({ route }))),
          { Id: 'total', Label: 'storage failures', ReturnData: true, Expression: `SUM([${M.storageFailure.dimensions.route.map((_, index) => `r${index}`).join(',')}])` },
        ],
      }),
    AlarmAggregatorIteratorAge: alarm(`${prefix}-aggregator-iterator-age`,
      'The aggregator is more than 5 minutes behind the messages stream: reports lag; records older than 6 h are dead-lettered.', {
        evaluationPeriods: 3, datapointsToAlarm: 2, threshold: THRESHOLDS.iteratorAgeMs,
        namespace: 'AWS/Lambda', metricName: 'IteratorAge', statistic: 'Maximum', period: 60,
        dimensions: [{ Name: 'FunctionName', Value: aggregatorName }],
      }),
    AlarmAggregatorDlq: alarm(`${prefix}-aggregator-dlq`,
      'Stream batches the aggregator gave up on are in the dead-letter queue: re-drive them (docs/operations.md#replay).', {
        threshold: 0, namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', statistic: 'Maximum',
        dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['AggregatorDeadLetterQueue', 'QueueName'] } }],
      }),
    AlarmInboundBufferDlq: alarm(`${prefix}-inbound-buffer-dlq`,
      'Buffered provider requests failed to store 200 times and moved to the dead-letter queue: fix storage, then move them back with SQS redrive (docs/operations.md).', {
        threshold: 0, namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', statistic: 'Maximum',
        dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['InboundBufferDeadLetterQueue', 'QueueName'] } }],
      }),
    AlarmInboundBufferAge: alarm(`${prefix}-inbound-buffer-age`,
      'Provider requests have waited more than 15 minutes in the inbound buffer: storage is throttled or down; they are stored when it recovers.', {
        threshold: 900, namespace: 'AWS/SQS', metricName: 'ApproximateAgeOfOldestMessage', statistic: 'Maximum',
        dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['InboundBufferQueue', 'QueueName'] } }],
      }),
    AlarmDestinationDeliveriesDlq: alarm(`${prefix}-destination-deliveries-dlq`,
      'Event deliveries the delivery function could not process 5 times (storage or the queue failing, not a partner answering badly) moved to the dead-letter queue: fix, then move them back with SQS redrive (docs/operations.md).', {
        threshold: 0, namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', statistic: 'Maximum',
        dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['DestinationDeliveriesDeadLetterQueue', 'QueueName'] } }],
      }),
    AlarmDestinationDisabled: alarm(`${prefix}-destination-disabled`,
      'A partner\'s event destination failed every attempt for 5 days and was disabled (the partner also gets alert.destination_disabled): tell the partner; re-enable and replay once it answers (docs/operations.md).', {
        threshold: 0, namespace: NS, metricName: M.destinationsDisabled.name, dimensions: appDims(),
      }),
    AlarmPoisonRecords: alarm(`${prefix}-aggregator-poison-records`,
      'The aggregator set aside stream records it cannot read (kept in the counters table): inspect them with npm run audit.', {
        threshold: 0, namespace: NS, metricName: M.deadLetteredRecords.name, dimensions: appDims(),
      }),
    AlarmReconcileDiscovered: alarm(`${prefix}-esms-callbacks-lost`,
      'Reconciliation found SMSIDs eSMS sent but never called back: callbacks are being lost (check the eSMS CallbackUrl and 5xx answers). They are now counted.', {
        threshold: 0, namespace: NS, metricName: M.reconcileDiscovered.name, dimensions: appDims(),
      }),
    AlarmReconcileDenied: alarm(`${prefix}-esms-reconcile-denied`,
      'eSMS refused reconciliation (101 wrong ApiKey/SecretKey or 140 IP not allow-listed): fix the account in SSM or eSMS\'s allow-list.', {
        threshold: 0, namespace: NS, metricName: M.reconcileDenied.name, dimensions: appDims(),
      }),
    AlarmTokenRefreshFailures: alarm(`${prefix}-zalo-token-refresh-failures`,
      'OA access tokens could not be refreshed: an OA may have to reconnect through /zalo/oa-connect.', {
        threshold: 0, namespace: NS, metricName: M.zaloTokenRefreshFailed.name, dimensions: appDims(),
      }),
  };
  for (const table of tables) {
    Resources[`Alarm${table}Throttles`] = alarm(`${prefix}-${table.toLowerCase()}-throttles`,
      `DynamoDB throttled requests on the ${table} table (on-demand: a burst above twice the previous peak).`, {
        threshold: 0,
        metrics: [
          stat('writes', 'AWS/DynamoDB', 'WriteThrottleEvents', [{ Name: 'TableName', Value: { Ref: table } }]),
          stat('reads', 'AWS/DynamoDB', 'ReadThrottleEvents', [{ Name: 'TableName', Value: { Ref: table } }]),
          { Id: 'throttles', Label: 'throttle events', ReturnData: true, Expression: 'writes + reads' },
        ],
      });
  }
  for (const [fn, name] of Object.entries(functionNames)) {
    Resources[`Alarm${fn[0].toUpperCase()}${fn.slice(1)}Errors`] = alarm(`${prefix}-${fn}-errors`,
      `Lambda ${name} failed (crash, timeout or thrown error) at least once in 5 minutes.`, {
        threshold: 0, namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: [{ Name: 'FunctionName', Value: name }],
      });
  }
  return Resources;
};

/** The topic every alarm notifies, an optional e-mail subscription, the alarms and the dashboard. */
const observabilityResources = ({ service, stage, functions, tables, alarmEmail }) => {
  const prefix = `${service}-${stage}`;
  const functionNames = Object.fromEntries(functions.map((fn) => [fn, `${prefix}-${fn}`]));
  const aggregatorName = functionNames.aggregator;
  const tableIds = tables.map((name) => `${name}Table`);
  const alarmResources = alarms({ prefix, functionNames, aggregatorName, tables: tableIds });
  const body = dashboardBody({ functionNames: Object.values(functionNames), aggregatorName, tables: tableIds, alarmLogicalIds: Object.keys(alarmResources) });
  return {
    AlarmTopic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: `${prefix}-alarms`, DisplayName: `${prefix} alarms` } },
    ...(alarmEmail ? { AlarmEmailSubscription: { Type: 'AWS::SNS::Subscription', Properties: { TopicArn: { Ref: 'AlarmTopic' }, Protocol: 'email', Endpoint: alarmEmail } } } : {}),
    ...alarmResources,
    Dashboard: {
      Type: 'AWS::CloudWatch::Dashboard',
      Properties: { DashboardName: prefix, DashboardBody: { 'Fn::Sub': JSON.stringify(body) } },
    },
  };
};

module.exports = { observabilityResources, THRESHOLDS };
