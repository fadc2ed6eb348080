/** Hash routes (`#/reports?from=…`): the console is one page at /console, so the server never routes. */
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  page: string;
  arg: string | undefined;
  query: URLSearchParams;
}

export const parseHash = (hash = location.hash): Route => {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?');
  const [page = 'messages', ...rest] = path.split('/');
  return { page: page || 'messages', arg: rest.length ? decodeURIComponent(rest.join('/')) : undefined, query: new URLSearchParams(search) };
};

export const href = (page: string, arg?: string, query: Record<string, string | undefined> = {}): string => {
  const search = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')).toString();
  return `#/${page}${arg === undefined ? '' : `/${encodeURIComponent(arg)}`}${search ? `?${search}` : ''}`;
};

export const go = (page: string, arg?: string, query: Record<string, string | undefined> = {}): void => {
  location.hash = href(page, arg, query);
};

export const useRoute = (): Route => {
  const [route, setRoute] = useState(parseHash());
  useEffect(() => {
    const changed = () => setRoute(parseHash());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
};
