import { useEffect, useState } from 'preact/hooks';
import { call, callAll, type Session } from './api';

export interface Loaded<T> {
  data?: T;
  error?: string;
  loading: boolean;
}

/**
 * Loads `path` whenever the key, tenant or `deps` change; `path` undefined loads nothing. `all` follows
 * the list's `next` cursors and joins the pages (a report, an OA's templates).
 */
export const useApi = <T>(session: Session, path: string | undefined, query: Record<string, string | undefined> = {}, all = false): Loaded<T> => {
  const [state, setState] = useState<Loaded<T>>({ loading: path !== undefined });
  const key = JSON.stringify([session.key, session.tenant, path, query]);
  useEffect(() => {
    if (path === undefined) return setState({ loading: false });
    let live = true;
    setState({ loading: true });
    (all ? callAll<T>(session, path, query) : call<T>(session, path, query)).then(
      (data) => live && setState({ data, loading: false }),
      (error: Error) => live && setState({ error: error.message, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [key]);
  return state;
};
