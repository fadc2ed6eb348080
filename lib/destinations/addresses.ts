/**
 * Which IP addresses a destination may never reach: private, loopback, link-local, shared (CGNAT),
 * multicast, reserved and documentation ranges, in IPv4 and IPv6, including IPv4 hidden in IPv6 (mapped
 * `::ffff:a.b.c.d`, compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) and Teredo. A webhook
 * that reaches one of them would let a tenant probe the platform's own network (SSRF).
 */

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
/** 4, 6 or 0 (not an IP address), as node:net's isIP (the domain does no network I/O, so not imported). */
export const ipFamily = (text: string): 0 | 4 | 6 => {
  const v4 = V4.exec(text);
  if (v4) return v4.slice(1).every((part) => Number(part) <= 255) ? 4 : 0;
  return /^[0-9a-f:.]+(%[\w.-]+)?$/i.test(text) && text.includes(':') ? 6 : 0;
};

type Range = readonly [base: number[], bits: number];

const V4_BLOCKED: Range[] = [
  [[0, 0, 0, 0], 8], [[10, 0, 0, 0], 8], [[100, 64, 0, 0], 10], [[127, 0, 0, 0], 8], [[169, 254, 0, 0], 16],
  [[172, 16, 0, 0], 12], [[192, 0, 0, 0], 24], [[192, 0, 2, 0], 24], [[192, 88, 99, 0], 24], [[192, 168, 0, 0], 16],
  [[198, 18, 0, 0], 15], [[198, 51, 100, 0], 24], [[203, 0, 113, 0], 24], [[224, 0, 0, 0], 4], [[240, 0, 0, 0], 4],
];
const V4_LOOPBACK: Range = [[127, 0, 0, 0], 8];

const V6_BLOCKED: Range[] = [
  [[0, 0, 0, 0, 0, 0, 0, 0], 128], // unspecified
  [[0, 0, 0, 0, 0, 0, 0, 1], 128], // loopback
  [[0x0100, 0, 0, 0], 64], // discard
  [[0x2001, 0], 32], // Teredo (tunnels to any IPv4)
  [[0x2001, 0x0db8], 32], // documentation
  [[0xfc00], 7], // unique local
  [[0xfe80], 10], // link-local
  [[0xfec0], 10], // site-local (deprecated)
  [[0xff00], 8], // multicast
];

const inRange = (parts: number[], [base, bits]: Range, width: number): boolean => {
  let left = bits;
  for (let i = 0; left > 0; i += 1, left -= width) {
    const take = Math.min(width, left);
    const mask = ((1 << take) - 1) << (width - take);
    if (((parts[i] ?? 0) & mask) !== ((base[i] ?? 0) & mask)) return false;
  }
  return true;
};

const v4Parts = (address: string): number[] => address.split('.').map(Number);

/** The 8 groups of an IPv6 address (`::` expanded, a trailing dotted IPv4 turned into two groups). */
export const v6Groups = (address: string): number[] => {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = v4Parts(dotted[1]!);
    text = `${text.slice(0, -dotted[1]!.length)}${((a! << 8) | b!).toString(16)}:${((c! << 8) | d!).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...fill, ...right].map((group) => parseInt(group, 16));
};

/** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), if any. */
const embeddedV4 = (g: number[]): number[] | undefined => {
  const v4 = (hi: number, lo: number) => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) return v4(g[6]!, g[7]!);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4(g[6]!, g[7]!);
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!);
  return undefined;
};

/** True for an address no destination may reach. `allowLoopback` (the local stack only) lets 127/8 and ::1 through. */
export const isBlockedAddress = (address: string, allowLoopback = false): boolean => {
  const family = ipFamily(address);
  if (family === 4) {
    const parts = v4Parts(address);
    if (allowLoopback && inRange(parts, V4_LOOPBACK, 8)) return false;
    return V4_BLOCKED.some((range) => inRange(parts, range, 8));
  }
  if (family === 6) {
    const groups = v6Groups(address);
    if (groups.length !== 8 || groups.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) return true;
    const v4 = embeddedV4(groups);
    if (v4 && !(groups.every((x, i) => i === 7 ? x === 1 : x === 0))) return isBlockedAddress(v4.join('.'), allowLoopback);
    if (allowLoopback && groups.every((x, i) => (i === 7 ? x === 1 : x === 0))) return false;
    return V6_BLOCKED.some((range) => inRange(groups, range, 16));
  }
  return true;
};
