/** Which tenants the schedules cover, and whose eSMS account reconciliation pulls with (lib/tenants/list.ts, esms-accounts.ts). */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { open, seal } from '../../lib/seal';
import { SEAL_CONTEXT } from '../../lib/table/registry';
import { buildEsmsAccountLookup } from '../../lib/tenants/esms-accounts';
import { tenantsToCover } from '../../lib/tenants/list';

const tenant = (id: string) => ({ id, name: id, createdAt: 0 });

describe('tenantsToCover', () => {
  it('is only `default` without a registry table', async () => {
    expect(await tenantsToCover(undefined)).toEqual(['default']);
  });

  it('is `default` first, then every registry tenant once', async () => {
    expect(await tenantsToCover({ listTenants: async () => [tenant('acme'), tenant('default'), tenant('beta')] })).toEqual(['default', 'acme', 'beta']);
  });
});

describe('buildEsmsAccountLookup', () => {
  const key = randomBytes(32);
  const account = { apiKey: 'ACME-API', secretKey: 'ACME-SECRET' };
  const sealedFor = (id: string) => seal(key, JSON.stringify(account), SEAL_CONTEXT.esmsAccount(id));
  const lookup = (stored: Record<string, string>, defaultAccount = { apiKey: 'ENV-API', secretKey: 'ENV-SECRET' }) => buildEsmsAccountLookup({
    defaultAccount,
    registry: { getEsmsAccount: async (id) => stored[id] },
    open: (sealed, context) => open(key, sealed, context),
  });

  it('`default` has the settings\' account, never the registry\'s', async () => {
    expect(await lookup({ default: sealedFor('default') })('default')).toEqual({ apiKey: 'ENV-API', secretKey: 'ENV-SECRET' });
  });

  it('another tenant has the account sealed for it in the registry, or none', async () => {
    expect(await lookup({ acme: sealedFor('acme') })('acme')).toEqual(account);
    expect(await lookup({})('acme')).toBeUndefined();
    expect(await buildEsmsAccountLookup({ defaultAccount: undefined, registry: undefined, open: () => '' })('acme')).toBeUndefined();
  });

  it('an account sealed for another tenant does not open', async () => {
    await expect(lookup({ acme: sealedFor('beta') })('acme')).rejects.toThrow();
  });
});
