/**
 * The domain-verification page: the environment's codes and every tenant's codes of the registry (one
 * Query of the SITE partition, remembered for a few seconds: a code added through the admin API shows
 * at once for Zalo's check, and a burst of GET / costs one read).
 */
import { errorResponse, html } from '../http/response';
import { buildRegistryCache } from '../tenants/cache';
import { sitePage } from '../zalo-oa/pages';
import { registryStore } from './registry';
import { config } from './shared';

const SITE_CODES_TTL_MS = 5_000;
const codes = buildRegistryCache<string[]>({ ttlMs: SITE_CODES_TTL_MS });

export const sitePageHandler = async () => {
  try {
    const store = registryStore;
    const registered = store ? await codes.get('site', async () => (await store.listSiteCodes()).map((entry) => entry.code)) ?? [] : [];
    return html(200, sitePage([...new Set([...config.zaloSiteVerification, ...registered])]));
  } catch (error) {
    return errorResponse(error);
  }
};
