import { buildReadApi } from '../api/read-api';
import { getEsmsMessage, listRejected } from '../api/esms';
import { dailyReport } from '../api/reports';
import { replayRejected } from '../api/replay';
import { esmsReplayer } from '../replay/esms';
import { buildCountersStore } from '../store/counters';
import { buildEsmsStore } from '../store/esms-messages';
import { buildZaloEventStore } from '../store/zalo-events';
import { config, doc, rejectedStore } from './shared';

const readApi = buildReadApi(() => config.apiKeys);
const esmsStore = buildEsmsStore(doc, config.messagesTable);

export const esmsMessageHandler = readApi(getEsmsMessage(esmsStore, buildZaloEventStore(doc, config.messagesTable)));
export const rejectedHandler = readApi(listRejected(rejectedStore, Date.now));
export const dailyReportHandler = readApi(dailyReport(buildCountersStore(doc, config.countersTable), Date.now));
export const replayHandler = readApi(replayRejected({ rejected: rejectedStore, replayers: { esms: esmsReplayer(esmsStore) }, now: Date.now }));
