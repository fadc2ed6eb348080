/**
 * The last step of a zalo-token-key rotation on DynamoDB Local (infra/tools/reseal-run.ts): with the ring
 * `<new>,<old>`, every stored secret sealed with the old key (OA Secret Keys, app secrets, eSMS accounts,
 * OA token pairs) is sealed again with the new one, so the old key can be dropped; a rerun finds nothing
 * left; a value no key opens is listed, not lost.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { resealAll } from '../../infra/tools/reseal-run';
import { open, seal } from '../../lib/seal';
import { oauthTokenKey } from '../../lib/table/oauth';
import { esmsAccountKey, SEAL_CONTEXT, zaloAppKey } from '../../lib/table/registry';
import { openAccessToken, openRefreshToken, sealGrant } from '../../lib/zalo-oa/tokens';
import { useTables } from '../support/tables';

const { names: tables, doc } = useTables();
const OLD = Buffer.alloc(32, 5);
const NEW = Buffer.alloc(32, 6);
const STRANGER = Buffer.alloc(32, 7);

const get = async (table: string, key: { pk: string; sk: string }) => (await doc.send(new GetCommand({ TableName: table, Key: key }))).Item!;

describe('reseal after a token key rotation', () => {
  it('seals every stored secret again with the new key; a rerun changes nothing; an unreadable value is listed', async () => {
    await doc.send(new PutCommand({ TableName: tables.Registry, Item: {
      ...zaloAppKey('9600000000000000001'), appId: '9600000000000000001', tenant: 'acme', createdAt: 0, updatedAt: 0,
      oaSecretKey: seal(OLD, 'oa-key', SEAL_CONTEXT.oaSecretKey('9600000000000000001')), appSecret: seal(OLD, 'app-secret', SEAL_CONTEXT.appSecret('9600000000000000001')),
    } }));
    await doc.send(new PutCommand({ TableName: tables.Registry, Item: { ...zaloAppKey('9600000000000000002'), appId: '9600000000000000002', tenant: 'acme', createdAt: 0, updatedAt: 0 } }));
    await doc.send(new PutCommand({ TableName: tables.Registry, Item: {
      ...esmsAccountKey('acme'), tenant: 'acme', updatedAt: 0, sealed: seal(OLD, '{"apiKey":"a","secretKey":"b"}', SEAL_CONTEXT.esmsAccount('acme')),
    } }));
    await doc.send(new PutCommand({ TableName: tables.Registry, Item: {
      ...esmsAccountKey('lost'), tenant: 'lost', updatedAt: 0, sealed: seal(STRANGER, 'x', SEAL_CONTEXT.esmsAccount('lost')),
    } }));
    const grant = sealGrant(OLD, { accessToken: 'access-1', refreshToken: 'refresh-1', expiresInSeconds: 90_000 }, { tenant: 'acme', oaId: '1397492183140006179', appId: '9600000000000000001', now: 0, connectedAt: 0 });
    await doc.send(new PutCommand({ TableName: tables.Messages, Item: { ...oauthTokenKey('acme', '1397492183140006179'), kind: 'oauth', ...grant, ver: 1 } }));

    const report = await resealAll({ doc, registryTable: tables.Registry, messagesTable: tables.Messages, keys: [NEW, OLD] });
    expect(report).toEqual({ resealed: 4, alreadyCurrent: 0, failed: [`${tables.Registry}:ESMSACCT#lost/#.sealed`] });

    const app = await get(tables.Registry, zaloAppKey('9600000000000000001'));
    expect(open(NEW, String(app.oaSecretKey), SEAL_CONTEXT.oaSecretKey('9600000000000000001'))).toBe('oa-key');
    expect(open(NEW, String(app.appSecret), SEAL_CONTEXT.appSecret('9600000000000000001'))).toBe('app-secret');
    expect(open(NEW, String((await get(tables.Registry, esmsAccountKey('acme'))).sealed), SEAL_CONTEXT.esmsAccount('acme'))).toContain('"apiKey":"a"');
    const tokens = await get(tables.Messages, oauthTokenKey('acme', '1397492183140006179'));
    const record = { ...grant, access: String(tokens.access), refresh: String(tokens.refresh) };
    expect([openAccessToken(NEW, record), openRefreshToken(NEW, record)]).toEqual(['access-1', 'refresh-1']);
    expect(() => openAccessToken(OLD, record)).toThrow();

    expect(await resealAll({ doc, registryTable: tables.Registry, messagesTable: tables.Messages, keys: [NEW, OLD] }))
      .toEqual({ resealed: 0, alreadyCurrent: 4, failed: [`${tables.Registry}:ESMSACCT#lost/#.sealed`] });
  });
});
