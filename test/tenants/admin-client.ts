/** Calling the admin API of a test stack (the tests' own HTTP client, not lib/'s). */
import type { LocalStack } from '../../infra/local/stack';
import type { Answer } from '../support/stack';

export const ADMIN_KEY = 'test-admin-key';
export const TENANT_ENV = { ADMIN_API_KEYS: ADMIN_KEY };

export const call = async <T = Record<string, unknown>>(stack: LocalStack, method: string, path: string, options: { key?: string; body?: unknown } = {}): Promise<Answer<T>> => {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${options.key ?? ADMIN_KEY}`, ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: (text.startsWith('{') ? JSON.parse(text) : text) as T };
};

export interface Onboarded {
  key: string;
  keyId: string;
  token: string;
  tokenId: string;
  callbackUrls: Record<string, string>;
}

/** Creates a tenant with one API key and one eSMS token through the admin API. */
export const onboard = async (stack: LocalStack, id: string): Promise<Onboarded> => {
  const created = await call(stack, 'POST', '/api/admin/tenants', { body: { id, name: id.toUpperCase() } });
  if (created.status !== 201) throw new Error(`create tenant ${id}: ${created.status} ${JSON.stringify(created.body)}`);
  const key = await call<{ keyId: string; key: string }>(stack, 'POST', `/api/admin/tenants/${id}/api-keys`);
  const token = await call<{ tokenId: string; token: string; callbackUrls: Record<string, string> }>(stack, 'POST', `/api/admin/tenants/${id}/esms-tokens`);
  if (key.status !== 201 || token.status !== 201) throw new Error(`onboard ${id}: ${key.status} ${token.status}`);
  return { key: key.body.key, keyId: key.body.keyId, token: token.body.token, tokenId: token.body.tokenId, callbackUrls: token.body.callbackUrls };
};
