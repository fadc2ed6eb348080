/**
 * The OA admin's browser in the connect flow, against the local stack and the fake Zalo: /zalo/oa-connect
 * (keeping its cookie), Zalo's consent page and its Allow button, then the callback Zalo redirects to.
 */
import { expect } from 'vitest';
import type { FakeZalo } from '../../infra/fakes/zalo-api';
import type { LocalStack } from '../../infra/local/stack';
import { ZALO_FIXTURE_APP_ID } from '../support/fixtures';

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

/** Up to the consent: answers the callback URL Zalo sends the browser to, and the browser's cookie. */
export const startFlow = async (stack: LocalStack, fake: FakeZalo, oaId: string) => {
  const start = await browserGet(stack, `/zalo/oa-connect?app_id=${ZALO_FIXTURE_APP_ID}`);
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
