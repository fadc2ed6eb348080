/** Every address a host name resolves to (IPv4 and IPv6), for the destination URL checks (lib/destinations/url.ts). */
import { lookup } from 'node:dns/promises';

export const resolveAll = async (host: string): Promise<string[]> =>
  (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
