/**
 * A destination's URL, checked at registration and again at each delivery on the addresses its host
 * resolves to (DNS may change between the two: the delivery connects to the very address it checked).
 */
import { RequestError, UnsafeAddressError } from '../errors';
import { ipFamily, isBlockedAddress } from './addresses';

export interface UrlPolicy {
  /** The local stack only: `http://` and loopback (127.0.0.1, ::1, localhost) are allowed. */
  allowLocal: boolean;
}

export const MAX_URL_LENGTH = 2048;

const hostOf = (url: URL): string => url.hostname.replace(/^\[|\]$/g, '');

/** The URL parsed and checked without DNS: scheme, credentials, and a literal address's range. */
export const checkUrlShape = (text: string, policy: UrlPolicy): URL => {
  if (text.length > MAX_URL_LENGTH) throw new RequestError(400, 'url', `url is longer than ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RequestError(400, 'url', 'url is not a valid absolute URL');
  }
  const schemes = policy.allowLocal ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) throw new RequestError(400, 'url', policy.allowLocal ? 'url must be http(s)://' : 'url must be https://');
  if (url.username || url.password) throw new RequestError(400, 'url', 'url must not carry credentials');
  const host = hostOf(url);
  const local = policy.allowLocal && (host === 'localhost' || host === '127.0.0.1' || host === '::1');
  if (url.protocol === 'http:' && !local) throw new RequestError(400, 'url', 'http:// is allowed for 127.0.0.1 and localhost only; use https://');
  if (host === 'localhost' && !local) throw new RequestError(400, 'url', 'url must not point to a loopback address');
  if (ipFamily(host) !== 0 && isBlockedAddress(host, policy.allowLocal)) {
    throw new RequestError(400, 'url', 'url must not point to a private, loopback or link-local address');
  }
  return url;
};

/** Resolves a host name to every address it has (IP literals resolve to themselves). */
export type Resolve = (host: string) => Promise<string[]>;

/**
 * The address to connect to: the host's resolved addresses, refused if any of them is blocked (a name
 * that resolves to one private address among public ones is still a way in). Throws `UnsafeAddressError`.
 */
export const safeAddress = async (url: URL, policy: UrlPolicy, resolve: Resolve): Promise<string> => {
  const host = hostOf(url);
  if (host === 'localhost' && policy.allowLocal) return '127.0.0.1';
  const addresses = ipFamily(host) !== 0 ? [host] : await resolve(host);
  if (addresses.length === 0) throw new UnsafeAddressError(`${host} has no address`);
  const blocked = addresses.find((address) => isBlockedAddress(address, policy.allowLocal));
  if (blocked !== undefined) throw new UnsafeAddressError(`${host} resolves to a private, loopback or link-local address`);
  return addresses[0]!;
};


/** Registration: the shape, then the resolved addresses (a name that does not resolve is refused too). */
export const checkDestinationUrl = async (text: string, policy: UrlPolicy, resolve: Resolve): Promise<URL> => {
  const url = checkUrlShape(text, policy);
  try {
    await safeAddress(url, policy, resolve);
  } catch (error) {
    if (error instanceof UnsafeAddressError) throw new RequestError(400, 'url', error.message);
    throw new RequestError(400, 'url', `url's host ${hostOf(url)} does not resolve`);
  }
  return url;
};
