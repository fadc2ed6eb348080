/**
 * Zalo's OA OpenAPI calls the followers backfill makes, with the OA's access token (header `access_token`):
 * the adapter of the `ZaloOpenApi` port. `/v3.0/oa/user/getlist` pages by offset, at most 50 per page.
 */
import * as v from 'valibot';
import { ZaloApiError } from '../errors';
import type { ZaloOpenApi } from '../zalo-oa/ports';
import { callZalo, type CallPolicy } from './http';

export const OPENAPI_POLICY: CallPolicy = { timeoutMs: 15_000, attempts: 3, backoffMs: 1000 };

const Count = v.pipe(v.union([v.number(), v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number))]), v.integer(), v.minValue(0));
const ListSchema = v.looseObject({
  error: v.literal(0),
  data: v.looseObject({
    total: Count,
    users: v.array(v.looseObject({ user_id: v.pipe(v.string(), v.regex(/^\d{1,30}$/)) })),
  }),
});
const ErrorSchema = v.looseObject({ error: v.union([v.number(), v.string()]), message: v.optional(v.string()) });

export const buildZaloOpenApi = (options: { openApiBaseUrl: string; fetch?: typeof fetch; policy?: CallPolicy }): ZaloOpenApi => {
  const policy = { ...(options.policy ?? OPENAPI_POLICY), ...(options.fetch ? { fetch: options.fetch } : {}) };
  return {
    async followers(accessToken, page) {
      const data = JSON.stringify({ offset: page.offset, count: page.count, is_follower: true });
      const url = `${options.openApiBaseUrl.replace(/\/$/, '')}/v3.0/oa/user/getlist?data=${encodeURIComponent(data)}`;
      const answer = await callZalo('getlist', url, { headers: { access_token: accessToken } }, policy);
      const list = v.safeParse(ListSchema, answer.body);
      if (list.success) return { userIds: list.output.data.users.map((user) => user.user_id), total: list.output.data.total };
      const error = v.safeParse(ErrorSchema, answer.body);
      if (error.success) throw new ZaloApiError(String(error.output.error), (error.output.message ?? 'refused').slice(0, 100));
      throw new ZaloApiError(`http-${answer.status}`, 'answer is not a follower list');
    },
  };
};
