/** The fake eSMS itself: the documented paths, methods and answer shapes, raw over HTTP, and its standalone start. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_ESMS_DEFAULT_KEYS, startFakeEsms, type FakeEsms } from '../../infra/fakes/esms-api';
import { ACCOUNT, T0 } from './support';

let fake: FakeEsms;
beforeAll(async () => {
  fake = await startFakeEsms({ ...ACCOUNT, now: () => T0 });
  fake.addMessage({ smsId: 'raw-1', typeId: 25, phones: ['0901888484'], sendStatus: 5, sendSuccess: 1, totalPrice: '850.0000', sentTimeMs: T0 - 60_000, oaId: 'oa1', partnerIds: 'zm1' });
});
afterAll(() => fake.stop());

const keys = `ApiKey=${ACCOUNT.apiKey}&SecretKey=${ACCOUNT.secretKey}`;
const post = (path: string, body: object) =>
  fetch(`${fake.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ApiKey: ACCOUNT.apiKey, SecretKey: ACCOUNT.secretKey, ...body }) });

describe('fake eSMS answer shapes', () => {
  it('GetSendStatus: CodeResponse and TotalPrice as a .NET decimal literal', async () => {
    const text = await (await fetch(`${fake.url}/MainService.svc/json/GetSendStatus?RefId=raw-1&${keys}`)).text();
    expect(text).toContain('"TotalPrice": 850.0000');
    expect(JSON.parse(text)).toEqual({ CodeResponse: '100', SMSID: 'raw-1', SendFailed: 0, SendStatus: 5, SendSuccess: 1, TotalPrice: 850, TotalReceiver: 1, TotalSent: 1 });
  });

  it('GetSmsReceiverStatus_get: CodeResult and ReceiverList with boolean IsSent/SentResult', async () => {
    const body: unknown = await (await fetch(`${fake.url}/MainService.svc/json/GetSmsReceiverStatus_get?${keys}&RefId=raw-1`)).json();
    expect(body).toEqual({ CodeResult: '100', ReceiverList: [{ IsSent: true, NetworkName: 'Viettel', Phone: '0901888484', Retry: 0, SentResult: true }] });
  });

  it('QueryZnsStatus (trailing slash as documented): Data with FinalStatus and ZaloMsgId', async () => {
    const body: unknown = await (await post('/MainService.svc/json/QueryZnsStatus/', { SmsId: 'raw-1', SmsType: '25' })).json();
    expect(body).toMatchObject({ CodeResult: '100', Data: { ErrorInfo: '0', FinalStatus: '1', SMSID: 'raw-1', ZaloMsgId: 'zm1' } });
  });

  it('GetCallback: numeric Code and Data_callback in the stored callback casing', async () => {
    const body: unknown = await (await post('/ZaloCallback/GetCallback', { ListRefid: ['raw-1'], OAId: 'oa1' })).json();
    expect(body).toMatchObject({ Code: 100, Message: 'Success', Data_callback: [{ SMSID: 'raw-1', TypeId: 25, PhoneNumber: '0901888484', Partnerids: 'zm1', OAId: 'oa1' }] });
  });

  it("GetSmsSentData_V2 in 'doc-sample' mode is not valid JSON, in the doc's way", async () => {
    fake.setSwitches({ malformed: 'doc-sample' });
    const text = await (await post('/MainService.svc/json/GetSmsSentData_V2/', { SmsType: '25', From: '2025-01-02 00:00:00', To: '2025-01-02 23:59:59', Page: 1, PageSize: 500 })).text();
    fake.setSwitches({ malformed: undefined });
    expect(() => JSON.parse(text)).toThrow();
    expect(text).toMatch(/"CountTotal": 1\n/);
    expect(text).toContain('"SendStatus:5,');
    expect(text).toContain('"SentTime": "/Date(');
  });

  it('wrong keys answer 101 in each endpoint spelling; a wrong method is 405; calls are counted', async () => {
    const before = fake.calls();
    expect(await (await fetch(`${fake.url}/MainService.svc/json/GetSendStatus?RefId=raw-1&ApiKey=x&SecretKey=y`)).json()).toMatchObject({ CodeResponse: '101' });
    expect(await (await fetch(`${fake.url}/ZaloCallback/GetCallback`, { method: 'POST', body: '{"ApiKey":"x","SecretKey":"y","ListRefid":[]}' })).json()).toMatchObject({ Code: 101 });
    expect((await fetch(`${fake.url}/MainService.svc/json/QueryZnsStatus/`)).status).toBe(405);
    expect(fake.calls().GetSendStatus).toBe(before.GetSendStatus + 1);
    expect(fake.calls().GetCallback).toBe(before.GetCallback + 1);
  });
});

describe('standalone', () => {
  it('`tsx infra/fakes/esms-api.ts` prints its URL and answers there', async () => {
    const root = join(import.meta.dirname, '..', '..');
    const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'infra/fakes/esms-api.ts')], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
      const url = chunk.toString().trim().split('\n')[0]!;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const { apiKey, secretKey } = FAKE_ESMS_DEFAULT_KEYS;
      const body: unknown = await (await fetch(`${url}/MainService.svc/json/GetSendStatus?RefId=nope&ApiKey=${apiKey}&SecretKey=${secretKey}`)).json();
      expect(body).toEqual({ CodeResponse: '105', SMSID: 'nope' });
    } finally {
      child.kill('SIGTERM');
    }
  });
});
