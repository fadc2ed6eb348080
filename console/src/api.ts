/** The read API, called with the key the user typed (kept in sessionStorage only: gone with the tab). */
export interface Session {
  key: string;
  admin: boolean;
  /** The tenant an admin key reads (`tenant=`); a tenant key reads its own. */
  tenant?: string;
}

const STORE = 'console.session';

export const loadSession = (): Session | undefined => {
  try {
    const text = sessionStorage.getItem(STORE);
    return text ? (JSON.parse(text) as Session) : undefined;
  } catch {
    return undefined;
  }
};
export const saveSession = (session: Session | undefined): void => {
  if (session) sessionStorage.setItem(STORE, JSON.stringify(session));
  else sessionStorage.removeItem(STORE);
};

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** `api/...` relative to /console, so a stage or custom-domain prefix works. */
export const apiUrl = (path: string, query: Record<string, string | undefined> = {}, session?: Session): string => {
  const url = new URL(path, new URL('.', location.href));
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') url.searchParams.set(name, value);
  if (session?.admin && session.tenant && !path.startsWith('api/admin/')) url.searchParams.set('tenant', session.tenant);
  return url.toString();
};

/** GET without a body, POST with one, unless `method` says otherwise (PATCH, DELETE, a POST with no body). */
export const call = async <T>(session: Session, path: string, query: Record<string, string | undefined> = {}, body?: unknown, method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'): Promise<T> => {
  const response = await fetch(apiUrl(path, query, session), {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${session.key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: { error?: { message?: string } } | undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) throw new ApiError(response.status, parsed?.error?.message ?? `HTTP ${response.status}`);
  return parsed as T;
};

/** Two pages of one answer as one: lists (at any depth) are joined, everything else is the first page's. */
const joinPages = (first: unknown, more: unknown): unknown => {
  if (Array.isArray(first) && Array.isArray(more)) return [...first, ...more];
  if (first === null || more === null || typeof first !== 'object' || typeof more !== 'object' || Array.isArray(first)) return first;
  const joined: Record<string, unknown> = { ...(first as Record<string, unknown>) };
  for (const [name, value] of Object.entries(more as Record<string, unknown>)) joined[name] = name in joined ? joinPages(joined[name], value) : value;
  return joined;
};

const MAX_PAGES = 50;

/** Every page of a list route (following `next`, 1,000 items a page), joined into one answer. */
export const callAll = async <T>(session: Session, path: string, query: Record<string, string | undefined> = {}): Promise<T> => {
  let answer: unknown;
  let next: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const got = await call<{ next?: string }>(session, path, { limit: '1000', ...query, next });
    next = got.next;
    const { next: _next, ...rest } = got;
    answer = page === 0 ? rest : joinPages(answer, rest);
    if (next === undefined) break;
  }
  return answer as T;
};

/**
 * Which kind of key this is. A tenant key reads its own onboarding facts; an admin key is told a read
 * route needs `tenant=` (400) and lists the tenants; anything else is refused (undefined).
 */
export const signIn = async (key: string): Promise<Session | undefined> => {
  const probe = { key, admin: false };
  try {
    await call(probe, 'api/onboarding');
    return probe;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 400) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return undefined;
      throw error;
    }
  }
  await call(probe, 'api/admin/tenants'); // an admin key lists the tenants; anything else is refused here
  return { key, admin: true, tenant: 'default' };
};
