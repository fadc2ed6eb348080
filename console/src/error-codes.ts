/**
 * Human descriptions of provider codes, in the UI's language: the one catalogue the API and the CSV use
 * (lib/error-catalogue.ts, docs/protocols.md §4), bundled into the console. Unknown codes show the
 * provider's own message.
 */
import { describeErrorCode } from '../../lib/error-catalogue';

export const describeCode = (code: number | undefined, fallback: string | undefined, vi: boolean): string | undefined => {
  const known = describeErrorCode(code);
  return known ? known[vi ? 'vi' : 'en'] : fallback;
};
