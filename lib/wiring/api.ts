import { buildReadApi } from '../api/read-api';
import { getEsmsMessage, listRejected } from '../api/esms';
import { dailyReport } from '../api/reports';
import { replayRejected } from '../api/replay';
import { BODY_LIMITS } from '../http/limits';
import { zaloEventView, byEventTime } from '../zalo/view';
import { esmsReplayer } from '../replay/esms';
import { zaloReplayer } from '../replay/zalo';
import { buildZaloReplay } from '../inbound/zalo';
import { buildZaloStateStore } from '../store/zalo-state';
import { logger } from '../observability/telemetry';
import { buildCountersStore } from '../store/counters';
import { buildEsmsStore } from '../store/esms-messages';
import { buildZaloLinkStore } from '../store/zalo-links';
import { buildZaloEventStore } from '../store/zalo-events';
import { searchEsmsMessages } from '../api/esms-search';
import { eraseRecipientRoute } from '../api/erasure';
import { buildEsmsEraser, buildRejectedEraser } from '../store/esms-erasure';
import { buildEventLogEraser } from '../store/event-log-erasure';
import { buildZaloErasureStore } from '../store/zalo-erasure';
import { buildZaloEraser } from '../zalo/erasure';
import { erasedPhone } from '../esms/erasure';
import { buildDeadLetterEraser } from '../store/dead-letters';
import { buildErasureProgressStore } from '../store/erasure-progress';
import { buildSuppressionEraser } from '../store/suppressions';
import { withBodyLimit, withSecrets } from './lambda';
import { lazy } from './lazy';
import { readKeyOwner } from './registry';
import { config, doc, messageRetention, rejectedStore } from './shared';

// Env keys (tenant `default`, admin with tenant=) first, then the registry's keys (found keys read on every request: revocation is at once).
const keyed = buildReadApi(readKeyOwner);
const readApi: typeof keyed = (handle) => withSecrets(['api-keys', 'admin-api-keys'], keyed(handle));
const esmsStore = () => buildEsmsStore(doc, config.messagesTable, messageRetention, config.batchRecipientsPerShard);

const zaloReplay = () => buildZaloReplay({
  events: buildZaloEventStore(doc, config.messagesTable), state: buildZaloStateStore(doc, config.messagesTable), log: logger,
});

// Each function builds only the adapters of its own handler, on its first request.
export const esmsMessageHandler = lazy(() => {
  const zaloEvents = buildZaloEventStore(doc, config.messagesTable);
  const links = buildZaloLinkStore(doc, config.messagesTable);
  return readApi(getEsmsMessage(esmsStore(), async (tenant, msgId) => (await zaloEvents.eventsOfMessage(tenant, msgId)).sort(byEventTime).map(zaloEventView),
    (tenant, requestId, limit) => links.msgIdsOfTracking(tenant, requestId, limit)));
});
export const rejectedHandler = lazy(() => readApi(listRejected(rejectedStore, Date.now)));
export const dailyReportHandler = lazy(() => readApi(dailyReport(buildCountersStore(doc, config.countersTable), Date.now)));
export const replayHandler = lazy(() => withBodyLimit(BODY_LIMITS.replay, readApi(replayRejected({
  rejected: rejectedStore, replayers: { esms: esmsReplayer(esmsStore()), zalo: zaloReplayer(zaloReplay()) }, now: Date.now,
}))));
export const esmsSearchHandler = lazy(() => readApi(searchEsmsMessages(esmsStore())));
export const eraseRecipientHandler = lazy(() => readApi(eraseRecipientRoute([
  buildEsmsEraser(doc, config.messagesTable, erasedPhone), buildRejectedEraser(doc, config.messagesTable, config.rejectedRetentionDays + 2),
  buildZaloEraser(buildZaloErasureStore(doc, config.messagesTable)), buildDeadLetterEraser(doc, config.countersTable),
  buildEventLogEraser(doc, config.messagesTable), buildSuppressionEraser(doc, config.messagesTable),
], buildErasureProgressStore(doc, config.messagesTable), Date.now)));
