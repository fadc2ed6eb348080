/**
 * The OA admin's browser in the connect flow, against the local stack and the fake Zalo: the link the
 * tenant issued (POST /api/zalo/oa-connect-links with its key), /zalo/oa-connect?link= (keeping its cookie),
 * Zalo's consent page and its Allow button, then the callback Zalo redirects to.
 */
import { expect } from 'vitest';
import type { FakeZalo } from '../../infra/fakes/zalo-api';
import type { LocalStack } from '../../infra/local/stack';
import { ZALO_FIXTURE_APP_ID } from '../support/fixtures';
import { API_KEY } from '../support/stack';

export const browserGet = async (stack: LocalStack, url: string, cookie?: string) => {
  const response = await fetch(url.startsWith('http') ? url : `${stack.url}${url}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  return {
    status: response.status,
    location: response.headers.get('location'),
    setCookie: response.headers.get('set-cookie'),
    type: response.headers.get('content-type'),
    text: await response.text(),
  };
};

/** Zalo's redirect back targets the registered callback (localhost); the test reaches the same server on 127.0.0.1. */
const onStack = (stack: LocalStack, location: string) => {
  const url = new URL(location);
  return `${stack.url}${url.pathname}${url.search}`;
};

/** The link a tenant's key issues for one of its apps (the fixtures' app is the tenant `default`'s), on the stack's host. */
export const connectLink = async (stack: LocalStack, appId = ZALO_FIXTURE_APP_ID, key = API_KEY): Promise<string> => {
  const response = await fetch(`${stack.url}/api/zalo/oa-connect-links`, {
    method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ appId }),
  });
  const body = (await response.json()) as { url?: string };
  expect(response.status, JSON.stringify(body)).toBe(201);
  const url = new URL(body.url!);
  return `${url.pathname}${url.search}`;
};

/** Up to the consent: answers the callback URL Zalo sends the browser to, and the browser's cookie. */
export const startFlow = async (stack: LocalStack, fake: FakeZalo, oaId: string) => {
  const start = await browserGet(stack, await connectLink(stack));
  expect(start.status).toBe(302);
  const consentUrl = new URL(start.location!);
  const page = await browserGet(stack, consentUrl.toString());
  expect(page.text).toContain('Allow');
  const allow = new URL('/v4/oa/permission/allow', fake.url);
  for (const name of ['app_id', 'redirect_uri', 'code_challenge', 'state']) allow.searchParams.set(name, consentUrl.searchParams.get(name)!);
  allow.searchParams.set('oa_id', oaId);
  const back = await browserGet(stack, allow.toString());
  expect(back.status).toBe(302);
  return { consentUrl, setCookie: start.setCookie!, cookie: start.setCookie!.split(';')[0]!, callbackUrl: onStack(stack, back.location!), state: consentUrl.searchParams.get('state')! };
};

/** The whole flow, callback included. */
export const connectOa = async (stack: LocalStack, fake: FakeZalo, oaId: string) => {
  const flow = await startFlow(stack, fake, oaId);
  return { ...flow, callback: await browserGet(stack, flow.callbackUrl, flow.cookie) };
};
