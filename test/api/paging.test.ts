/** In-memory pages (lib/api/paging.ts): every item once across the pages, a stale cursor still continues after its key. */
import { describe, expect, it } from 'vitest';
import { InvalidCursorError } from '../../lib/errors';
import { pageList, pageTwoLists } from '../../lib/api/paging';

const walkOne = (items: string[], limit: number) => {
  const seen: string[] = [];
  let next: string | undefined;
  do {
    const page = pageList(items, (item) => item, limit, next);
    seen.push(...page.items);
    next = page.next;
  } while (next !== undefined);
  return seen;
};

describe('pageList', () => {
  it('walks every item once in key order, whatever the limit', () => {
    const items = ['d', 'a', 'c', 'b', 'e'];
    for (const limit of [1, 2, 3, 5, 6]) expect(walkOne(items, limit)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('answers no next on the last page, even when it is exactly full', () => {
    expect(pageList(['a', 'b'], (item) => item, 2, undefined).next).toBeUndefined();
  });

  it('a cursor continues after its key when items were added meanwhile', () => {
    const first = pageList(['a', 'c', 'e'], (item) => item, 2, undefined);
    expect(first.items).toEqual(['a', 'c']);
    expect(pageList(['a', 'b', 'c', 'd', 'e'], (item) => item, 2, first.next).items).toEqual(['d', 'e']);
  });

  it('refuses a cursor that is not one of its own', () => {
    expect(() => pageList(['a'], (item) => item, 1, 'not-a-cursor')).toThrow(InvalidCursorError);
    expect(() => pageList(['a'], (item) => item, 1, Buffer.from(JSON.stringify({ l: 3, k: 'a' })).toString('base64url'))).toThrow(InvalidCursorError);
  });
});

describe('pageTwoLists', () => {
  it('reads the first list, then the second, limit items in all', () => {
    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const page = pageTwoLists({ items: ['r1', 'r2', 'r3'], keyOf: (item) => item }, { items: ['z1', 'z2'], keyOf: (item) => item }, 2, next);
      expect(page.first.length + page.second.length).toBeLessThanOrEqual(2);
      seen.push(...page.first, ...page.second);
      next = page.next;
      pages += 1;
    } while (next !== undefined);
    expect(seen).toEqual(['r1', 'r2', 'r3', 'z1', 'z2']);
    expect(pages).toBe(3);
  });
});
