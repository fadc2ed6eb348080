/**
 * Issue 22 finding 7 at the route: `DELETE /api/recipients/1` rewrote every "1" in the tenant's rejected
 * log. The route now refuses anything that is not a phone number with a 400 naming `phone`, before any
 * eraser runs, and hands the erasers the normalised number for every spelling it accepts. The erasers here
 * are in-memory ports that record what they are asked (their storage is tested on DynamoDB Local).
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { eraseRecipientRoute } from '../../lib/api/erasure';
import type { ErasedPhone, Eraser, ErasureProgress, ErasureProgressStore } from '../../lib/esms/ports';

const setUp = () => {
  const asked: string[] = [];
  const eraser: Eraser = {
    erase: (_tenant, phone) => {
      asked.push(phone.normalised);
      return Promise.resolve({ changed: 1, complete: true });
    },
  };
  const saved = new Map<string, ErasureProgress>();
  const progress: ErasureProgressStore = {
    load: (tenant, phone: ErasedPhone) => Promise.resolve(saved.get(`${tenant}|${phone.normalised}`)),
    save: (tenant, phone, value) => Promise.resolve(void saved.set(`${tenant}|${phone.normalised}`, value)),
    clear: (tenant, phone) => Promise.resolve(void saved.delete(`${tenant}|${phone.normalised}`)),
  };
  const route = eraseRecipientRoute([eraser], progress, () => 0);
  const erase = (phone: string) => route({ pathParameters: { phone: encodeURIComponent(phone) } } as unknown as APIGatewayProxyEventV2, { tenant: 'acme' });
  return { asked, erase };
};

describe('DELETE /api/recipients/{phone}: what it accepts', () => {
  it.each(['1', '0', '123', 'erased', 'abc', '5308693166941955879', '%', '84', '090188'])('%j is a 400 naming phone, and no eraser runs', async (value) => {
    const { asked, erase } = setUp();
    await expect(erase(value)).rejects.toMatchObject({ status: 400, field: 'phone' });
    expect(asked).toEqual([]);
  });

  it.each(['+84 901 888 484', '0901.888.484', '+84+901+888+484', '%2B84%20901%20888%20484', '84901888484', '0901888484', '0901-888-484'])('%j erases 84901888484', async (spelling) => {
    const { asked, erase } = setUp();
    expect(await erase(decodeURIComponent(spelling))).toEqual({ changed: 1 });
    expect(asked).toEqual(['84901888484']);
  });
});
