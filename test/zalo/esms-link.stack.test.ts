/**
 * A ZNS delivery receipt whose msg_id equals an eSMS `partnerids` is linked both ways, whichever of the
 * two arrives first: GET /api/zalo/messages/{msgId} names the SMSID, GET /api/esms/messages/{smsid}
 * shows the Zalo events. Both orders go through the local HTTP layer.
 */
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { esmsFixture, zaloFixture } from '../support/fixtures';
import { readApi, TOKEN, useStack } from '../support/stack';
import { fresh, postZalo, signedEnvelope } from './client';

const stack = useStack();

/** eSMS fixture line 23: ZNS (TypeId 25) delivered, with partnerids. */
const ZNS_CALLBACK = esmsFixture('zns-delivered-with-time');

const withParams = (raw: string, values: Record<string, string>): string =>
  raw.split('&').map((segment) => {
    const name = segment.slice(0, segment.indexOf('='));
    return name in values ? `${name}=${values[name]}` : segment;
  }).join('&');

/** GET with the query sent byte for byte (fetch would re-encode it). */
const sendEsms = (query: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(stack().url);
    const req = request({ hostname, port, path: `/esms/${TOKEN}/zns?${query}`, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });

const receipt = (msgId: string) => {
  const envelope = JSON.parse(fresh(zaloFixture('user_received_message'), Date.now() - 1000).rawBody) as { message: Record<string, unknown> };
  return signedEnvelope({ ...envelope, message: { ...envelope.message, msg_id: msgId } }, { 'Content-Type': 'application/json', 'X-ZEvent-Server': 'ZNS' });
};
/** The rating of a ZNS evaluation template: the other ZNS event naming a msg_id. */
const feedback = (msgId: string) => {
  const envelope = JSON.parse(fresh(zaloFixture('user_feedback'), Date.now() - 500).rawBody) as { message: Record<string, unknown> };
  return signedEnvelope({ ...envelope, message: { ...envelope.message, msg_id: msgId } });
};

interface ZaloMessage { message: { msgId: string; smsId: string | null; events: Array<{ eventName: string; family: string }> } }
interface EsmsMessage { message: { smsId: string; recipients: Array<{ zaloMsgId: string | null; zaloEvents: Array<{ eventName: string; family: string }> }> } }

const expectLinked = async (smsId: string, msgId: string) => {
  const zalo = await readApi<ZaloMessage>(stack(), `/api/zalo/messages/${msgId}`);
  expect(zalo.status).toBe(200);
  expect(zalo.body.message.smsId).toBe(smsId);
  expect(zalo.body.message.events.map((event) => event.family)).toEqual(['zns_delivery', 'interaction']);
  const esms = await readApi<EsmsMessage>(stack(), `/api/esms/messages/${smsId}`);
  expect(esms.status).toBe(200);
  expect(esms.body.message.recipients).toHaveLength(1);
  expect(esms.body.message.recipients[0]!.zaloMsgId).toBe(msgId);
  expect(esms.body.message.recipients[0]!.zaloEvents.map((event) => event.eventName)).toEqual(['user_received_message', 'user_feedback']);
};

describe('eSMS ↔ ZNS link', () => {
  it('forms when the eSMS callback arrives first', async () => {
    const smsId = randomUUID().replaceAll('-', '');
    const msgId = `zmsg${randomUUID().slice(0, 16)}`;
    expect(await sendEsms(withParams(ZNS_CALLBACK, { SMSID: smsId, partnerids: msgId }))).toBe(200);
    const before = await readApi<ZaloMessage>(stack(), `/api/zalo/messages/${msgId}`);
    expect(before.body.message).toMatchObject({ smsId, events: [] });
    expect((await postZalo(stack(), receipt(msgId))).status).toBe(200);
    expect((await postZalo(stack(), feedback(msgId))).status).toBe(200);
    await expectLinked(smsId, msgId);
  });

  it('forms when the Zalo receipt arrives first', async () => {
    const smsId = randomUUID().replaceAll('-', '');
    const msgId = `zmsg${randomUUID().slice(0, 16)}`;
    expect((await postZalo(stack(), receipt(msgId))).status).toBe(200);
    expect((await postZalo(stack(), feedback(msgId))).status).toBe(200);
    const before = await readApi<ZaloMessage>(stack(), `/api/zalo/messages/${msgId}`);
    expect(before.body.message.smsId).toBeNull();
    expect(await sendEsms(withParams(ZNS_CALLBACK, { SMSID: smsId, partnerids: msgId }))).toBe(200);
    await expectLinked(smsId, msgId);
  });

  it('an unknown msg_id is a 404, and the route needs the bearer key', async () => {
    expect((await readApi(stack(), '/api/zalo/messages/nothing-here')).status).toBe(404);
    const anonymous = await fetch(`${stack().url}/api/zalo/messages/nothing-here`);
    expect(anonymous.status).toBe(401);
  });
});
