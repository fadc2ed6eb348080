/**
 * Issue 22 finding 19, the small ones answered by one route each: a registry tenant named `default`, a
 * console asset named after an Object.prototype member, a crafted cursor on an SMSID nobody stored.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { serveConsole } from '../../lib/api/console';
import { getEsmsMessage } from '../../lib/api/esms';
import { createTenantRoute } from '../../lib/api/tenants';
import type { EsmsMessageStore } from '../../lib/esms/ports';
import type { RegistryStore, Tenant } from '../../lib/tenants/ports';

const event = (parts: Partial<APIGatewayProxyEventV2>) => ({ isBase64Encoded: false, ...parts }) as APIGatewayProxyEventV2;
const failure = (run: () => Promise<unknown>) => run().then(() => undefined, (error: unknown) => error);

describe('small findings', () => {
  it('a registry tenant named `default` is refused (409): that id is the settings\' tenant', async () => {
    const created: Tenant[] = [];
    const store = { createTenant: async (tenant: Tenant) => { created.push(tenant); return true; } } as unknown as RegistryStore;
    const route = createTenantRoute({ store, seal: (text) => text, now: () => 0 });
    expect(await failure(() => route(event({ body: JSON.stringify({ id: 'default' }) })))).toMatchObject({ status: 409, field: 'id' });
    expect(created).toEqual([]);
    expect(await route(event({ body: JSON.stringify({ id: 'acme' }) }))).toMatchObject({ status: 201 });
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('?asset=%s is a 404, not a 200 with nothing in it', async (name) => {
    const serve = serveConsole(async () => ({ version: 'v1', html: '<html></html>', files: { 'app.js': { type: 'text/javascript', body: '1' } } }));
    const answer = await serve(event({ queryStringParameters: { asset: name } }));
    expect(answer.statusCode).toBe(404);
    expect((await serve(event({ queryStringParameters: { asset: 'app.js' } }))).statusCode).toBe(200);
  });

  it('GET /api/esms/messages/{unknown}?next=<crafted cursor> is a 404 like the first page', async () => {
    const store: Pick<EsmsMessageStore, 'readMessagePage' | 'readOverflow'> = {
      readMessagePage: async () => ({ head: undefined, overflow: [], next: undefined }),
      readOverflow: async () => undefined,
    };
    const cursor = Buffer.from(JSON.stringify({ pk: 'T#acme#M#nobody', sk: 'C#0901#x' })).toString('base64url');
    const read = getEsmsMessage(store);
    expect(await failure(() => read(event({ pathParameters: { smsid: 'nobody' }, queryStringParameters: { next: cursor } }), { tenant: 'acme' }))).toMatchObject({ status: 404, field: 'smsid' });
    expect(await failure(() => read(event({ pathParameters: { smsid: 'nobody' } }), { tenant: 'acme' }))).toMatchObject({ status: 404 });
  });
});
