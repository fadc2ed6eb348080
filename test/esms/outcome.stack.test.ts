/**
 * Outcome beside processing status, and errors explained (issue 23), through the local stack: a ZNS callback
 * with SendStatus 5, SendSuccess 0, SendFailed 1 and error -118 keeps status 5 (`sent`, eSMS processed it)
 * and shows outcome `failed` with -118's description on the message, its recipient row and its timeline;
 * search results carry the decoded error and filter by `outcome=`; the CSV's `errorInfo` holds the words.
 */
import { describe, expect, it } from 'vitest';
import { vietnamDay } from '../../lib/time';
import { callbackQuery } from '../support/callback-query';
import { API_KEY, readApi, useStack } from '../support/stack';
import { searchSteps } from './search-support';

const stack = useStack({ aggregator: { batchWindowMs: 50 } });
const { send, indexed } = searchSteps(stack);

const OA = '1397492183140006179';
const ACCOUNT_GONE = { vi: 'Tài khoản Zalo không tồn tại hoặc đã bị vô hiệu hóa', en: 'Zalo account does not exist or is deactivated' };
const errorInfo = (value: object) => `&error_info=${encodeURIComponent(JSON.stringify(value))}`;

interface Described { code: number; message: string | null; description: { vi: string; en: string } }
interface Reason { code: number | null; vi: string; en: string }
interface Row { status: number | string | null; statusName: string | null; outcome: string | null; outcomeReason: Reason | null; error: Described | null }
interface View { message: Row & { smsId: string; recipients: Array<Row & { history: Row[] }> } }
interface Search { messages: Array<Row & { smsId: string }>; next?: string }

describe('outcome and errors explained', () => {
  const stamp = Date.now();
  const phone = `0907${String(stamp).slice(-6)}`;
  const template = `tpl-${stamp}`;
  const failed = `out-failed-${stamp}`;
  const delivered = `out-ok-${stamp}`;
  const pending = `out-wait-${stamp}`;

  it('SendStatus 5 with SendFailed 1 and -118 is status sent, outcome failed, on the message, its recipient and its timeline', async () => {
    const base = { typeId: 24, receivers: 1, phone, oa: OA, template, telco: 1 };
    await send('zns', callbackQuery({ ...base, smsId: failed, status: 5, sent: 0, failed: 1 }) + errorInfo({ error: -118, message: 'Zalo account not existed' }));
    await send('zns', callbackQuery({ ...base, smsId: delivered, status: 5, sent: 1, success: 1, price: '300.0000' })
      + errorInfo({ error: 0, message: 'Success', data: { msg_id: `z${stamp}` } }));
    await send('zns', callbackQuery({ ...base, smsId: pending, status: 7, sent: 1 }));

    const view = await readApi<View>(stack(), `/api/esms/messages/${failed}`);
    expect(view.status).toBe(200);
    const described = { code: -118, message: 'Zalo account not existed', description: ACCOUNT_GONE };
    const reason = { code: -118, ...ACCOUNT_GONE };
    expect(view.body.message).toMatchObject({ status: 5, statusName: 'sent', outcome: 'failed', outcomeReason: reason, error: described });
    const [recipient] = view.body.message.recipients;
    expect(recipient).toMatchObject({ status: 5, statusName: 'sent', outcome: 'failed', outcomeReason: reason, error: described });
    expect(recipient!.history).toHaveLength(1);
    expect(recipient!.history[0]).toMatchObject({ statusName: 'sent', outcome: 'failed', outcomeReason: reason, error: described });

    expect((await readApi<View>(stack(), `/api/esms/messages/${delivered}`)).body.message).toMatchObject({ outcome: 'delivered', outcomeReason: null, error: { code: 0 } });
    expect((await readApi<View>(stack(), `/api/esms/messages/${pending}`)).body.message).toMatchObject({ outcome: 'pending', error: null });
  });

  it('search results carry the decoded error and the outcome, and outcome= filters a day', async () => {
    await indexed();
    const byPhone = await readApi<Search>(stack(), `/api/esms/messages?phone=${phone}`);
    expect(byPhone.status).toBe(200);
    const outcomes = Object.fromEntries(byPhone.body.messages.map((m) => [m.smsId, [m.outcome, m.error?.description.en ?? null]]));
    expect(outcomes).toEqual({ [failed]: ['failed', ACCOUNT_GONE.en], [delivered]: ['delivered', 'Success'], [pending]: ['pending', null] });

    const day = vietnamDay(Date.now());
    for (const [outcome, smsId] of [['failed', failed], ['delivered', delivered], ['pending', pending]] as const) {
      const found = await readApi<Search>(stack(), `/api/esms/messages?day=${day}&template=${template}&outcome=${outcome}`);
      expect(found.body.messages.map((m) => m.smsId), outcome).toEqual([smsId]);
    }
    expect((await readApi<Search>(stack(), `/api/esms/messages?day=${day}&outcome=arrived`)).status).toBe(400);
    expect((await readApi<Search>(stack(), `/api/esms/messages?phone=${phone}&outcome=failed`)).status).toBe(400);
  });

  it('the CSV\'s errorInfo column holds the description, beside the code, the outcome and its reason', async () => {
    const day = vietnamDay(Date.now());
    const response = await fetch(`${stack().url}/api/esms/messages?day=${day}&template=${template}&outcome=failed&format=csv`, { headers: { authorization: `Bearer ${API_KEY}` } });
    expect(response.status).toBe(200);
    const [header, row] = (await response.text()).replace(/^\uFEFF/, '').split('\r\n').map((line) => line.split(','));
    const cell = (name: string) => row![header!.indexOf(name)];
    expect(cell('smsId')).toBe(failed);
    expect(cell('errorInfo')).toBe(ACCOUNT_GONE.en);
    expect(cell('errorInfoVi')).toBe(ACCOUNT_GONE.vi);
    expect(cell('errorCode')).toBe('-118');
    expect(cell('outcome')).toBe('failed');
    expect(cell('outcomeReason')).toBe(ACCOUNT_GONE.en);
    expect(header!.filter((name) => name.startsWith('errorInfo.'))).toEqual([]);
  });
});
