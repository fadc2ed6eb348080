import type { EsmsRoute } from '../esms/channels';
import { parseCallbackWithIdentity } from '../esms/parse';
import type { EsmsMessageStore } from '../esms/ports';
import { DEFAULT_TENANT } from '../table/names';
import type { Replayer } from './replay';

/** eSMS entries were authenticated by their path token before they were kept; replay parses and stores. */
export const esmsReplayer = (store: Pick<EsmsMessageStore, 'storeCallback'>): Replayer => async (item) => {
  const { event, canonical } = parseCallbackWithIdentity(item.raw);
  const { duplicate } = await store.storeCallback({
    tenant: item.tenant ?? DEFAULT_TENANT, event, canonical, raw: item.raw, route: item.route as EsmsRoute, receivedAt: item.receivedAt,
  });
  return duplicate ? 'duplicate' : 'stored';
};
