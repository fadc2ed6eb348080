/**
 * The eSMS RequestId ↔ Zalo `tracking_id` join, both ways, through the local stack: a ZNS send whose
 * callbacks carry a RequestId and no `partnerids`, and the Zalo delivery receipt echoing that RequestId as
 * `tracking_id`. The eSMS message view lists the receipt's msg_id, the Zalo message view its SMSID; a
 * message whose RequestId nothing echoed lists no Zalo message.
 */
import { describe, expect, it } from 'vitest';
import { ZALO_FIXTURE_APP_ID } from '../support/fixtures';
import { esmsUrl, getJson, readApi, TOKEN, useStack } from '../support/stack';
import { postZalo } from './client';
import { signed } from './sign';

const stack = useStack({ aggregator: { batchWindowMs: 50 } });

interface Linked { msgId?: string; smsId?: string; via: string; requestId: string | null }
interface EsmsView { message: { smsId: string; requestId: string | null; zaloMessages: Linked[] } }
interface ZaloView { message: { msgId: string; smsId: string | null; requestIds: string[]; linked: Linked[]; events: Array<{ trackingId: string | null }> } }

describe('RequestId ↔ tracking_id', () => {
  const stamp = Date.now();
  const requestId = `req-${stamp}`;
  const smsId = `trk-${stamp}`;
  const msgId = `a${stamp.toString(16)}0cc0bbb13bd4`;
  const query = [
    `SMSID=${smsId}`, 'SendFailed=0', 'SendStatus=5', 'SendSuccess=1', 'TotalPrice=300.0000', 'TotalReceiver=1', 'TotalSent=1',
    `RequestId=${requestId}`, 'TypeId=24', 'telcoid=1', 'phonenumber=0901888484', 'partnerids=', 'oaid=1397492183140006179', 'tempid=2056446',
  ].join('&');
  const receipt = JSON.stringify({
    sender: { id: '1397492183140006179' }, recipient: { id: '84901888484' }, event_name: 'user_received_message',
    message: { delivery_time: String(stamp - 1000), msg_id: msgId, tracking_id: requestId }, app_id: ZALO_FIXTURE_APP_ID, timestamp: String(stamp),
  });

  it('the eSMS message lists the Zalo msg_id whose receipt echoed its RequestId', async () => {
    expect((await getJson(esmsUrl(stack(), 'zns', query, TOKEN))).status).toBe(200);
    expect((await postZalo(stack(), signed(receipt, { 'Content-Type': 'application/json', 'X-ZEvent-Server': 'ZNS' }))).status).toBe(200);
    const view = await readApi<EsmsView>(stack(), `/api/esms/messages/${smsId}`);
    expect(view.status).toBe(200);
    expect(view.body.message.requestId).toBe(requestId);
    expect(view.body.message.zaloMessages).toEqual([{ msgId, via: 'tracking_id', requestId }]);
  });

  it('the Zalo message names the SMSID of that RequestId', async () => {
    await stack().poller!.drain(); // the byRequestId index is the table's own GSI; the drain only settles the stream
    const view = await readApi<ZaloView>(stack(), `/api/zalo/messages/${msgId}`);
    expect(view.status).toBe(200);
    expect(view.body.message).toMatchObject({ msgId, smsId, requestIds: [requestId], linked: [{ smsId, via: 'tracking_id', requestId }] });
    expect(view.body.message.events.map((event) => event.trackingId)).toEqual([requestId]);
  });

  it('a message whose RequestId no Zalo event echoed lists none', async () => {
    const other = `trk-none-${stamp}`;
    expect((await getJson(esmsUrl(stack(), 'zns', query.replace(smsId, other).replace(requestId, `${requestId}-x`), TOKEN))).status).toBe(200);
    expect((await readApi<EsmsView>(stack(), `/api/esms/messages/${other}`)).body.message.zaloMessages).toEqual([]);
  });
});
