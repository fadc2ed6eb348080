/**
 * Pages of a list the route holds in memory (a report's rows, a Zalo message's events gathered from
 * several partitions, an OA's templates): the items are ordered by a unique text key, and the cursor is
 * the key of the page's last item, so `next` continues exactly after it even when items were added
 * meanwhile (nothing skipped or repeated among the items that were there).
 */
import { decodeCursor, encodeCursor } from '../table/cursor';

export interface Keyed<T> {
  items: readonly T[];
  /** Unique within the list. */
  keyOf: (item: T) => string;
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One page of several lists read as one sequence (the first list, then the second…): at most `limit`
 * items in all, each list's items in its slot, and `next` only when more items follow.
 */
const pageSequence = (lists: ReadonlyArray<Keyed<unknown>>, limit: number, next: string | undefined): { pages: unknown[][]; next: string | undefined } => {
  const cursor = decodeCursor(next, (key) => typeof key.l === 'number' && Number.isInteger(key.l) && key.l >= 0 && key.l < lists.length && typeof key.k === 'string');
  const startList = cursor ? Number(cursor.l) : 0;
  let room = limit;
  let last: { l: number; k: string } | undefined;
  let more = false;
  const pages = lists.map(({ items, keyOf }, index) => {
    const sorted = items.map((item) => ({ item, key: keyOf(item) })).sort((a, b) => byCodePoint(a.key, b.key));
    const after = index < startList ? [] : index === startList && cursor ? sorted.filter(({ key }) => key > String(cursor.k)) : sorted;
    const taken = after.slice(0, room);
    room -= taken.length;
    if (taken.length > 0) last = { l: index, k: taken.at(-1)!.key };
    if (after.length > taken.length) more = true;
    return taken.map(({ item }) => item);
  });
  return { pages, next: more && last ? encodeCursor(last) : undefined };
};

/** One page of one list. */
export const pageList = <T>(items: readonly T[], keyOf: (item: T) => string, limit: number, next: string | undefined): { items: T[]; next: string | undefined } => {
  const { pages, next: following } = pageSequence([{ items, keyOf } as Keyed<unknown>], limit, next);
  return { items: pages[0] as T[], next: following };
};

/** One page of two lists read one after the other (a report's eSMS rows, then its Zalo rows). */
export const pageTwoLists = <A, B>(first: Keyed<A>, second: Keyed<B>, limit: number, next: string | undefined): { first: A[]; second: B[]; next: string | undefined } => {
  const { pages, next: following } = pageSequence([first as Keyed<unknown>, second as Keyed<unknown>], limit, next);
  return { first: pages[0] as A[], second: pages[1] as B[], next: following };
};
