/**
 * The Zalo apps of the environment's settings (`ZALO_APPS`, `ZALO_APP_SECRETS`), all belonging to the
 * tenant `default`. The tenant registry's directory consults it before its own table.
 */
import { DEFAULT_TENANT } from '../table/names';
import type { ZaloApp, ZaloAppDirectory } from '../zalo/ports';

export const envZaloApps = (settings: () => { zaloApps: Record<string, string>; zaloAppSecrets: Record<string, string> }): ZaloAppDirectory => ({
  async find(appId: string): Promise<ZaloApp | undefined> {
    const { zaloApps, zaloAppSecrets } = settings();
    const secret = Object.hasOwn(zaloApps, appId) ? zaloApps[appId] : undefined;
    const appSecret = Object.hasOwn(zaloAppSecrets, appId) ? zaloAppSecrets[appId] : undefined;
    if (secret === undefined && appSecret === undefined) return undefined;
    // An empty key is an app of the settings still waiting for it: pending, like a registry app without one.
    return { appId, tenant: DEFAULT_TENANT, secret: secret || undefined, appSecret: appSecret || undefined, fromSettings: true };
  },
});
