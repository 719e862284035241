// Which network addresses a webhook may be sent to (the SSRF guard). An endpoint URL is checked at
// registration and again at send time against every address its host resolves to, so a name that
// points at the gateway's own network (or is re-pointed there later) is never connected to.
import { BlockList, isIP } from 'node:net';

/** Why an address is refused; `undefined` from classifyAddress means a public unicast address. */
export type AddressCategory = 'unspecified' | 'loopback' | 'private' | 'link-local' | 'cgnat' | 'metadata' | 'multicast' | 'reserved';

/** live: public addresses only. test: loopback is allowed too (local development, SPEC §6). */
export type AddressPolicy = 'live' | 'test';

// Most specific first: 169.254.169.254 is link-local too, but "metadata" says more.
const RANGES: ReadonlyArray<readonly [AddressCategory, string, number, 'ipv4' | 'ipv6']> = [
  ['metadata', '169.254.169.254', 32, 'ipv4'],
  ['metadata', 'fd00:ec2::254', 128, 'ipv6'],
  ['unspecified', '0.0.0.0', 8, 'ipv4'],
  ['unspecified', '::', 128, 'ipv6'],
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['loopback', '::1', 128, 'ipv6'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['private', 'fc00::', 7, 'ipv6'],
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['cgnat', '100.64.0.0', 10, 'ipv4'],
  ['multicast', '224.0.0.0', 4, 'ipv4'],
  ['multicast', 'ff00::', 8, 'ipv6'],
  // IETF protocol assignments, benchmarking, documentation, "future use" and broadcast: nothing a
  // receiver legitimately listens on, and some routers treat them as internal.
  ['reserved', '192.0.0.0', 24, 'ipv4'],
  ['reserved', '192.0.2.0', 24, 'ipv4'],
  ['reserved', '198.18.0.0', 15, 'ipv4'],
  ['reserved', '198.51.100.0', 24, 'ipv4'],
  ['reserved', '203.0.113.0', 24, 'ipv4'],
  ['reserved', '240.0.0.0', 4, 'ipv4'],
  ['reserved', '100::', 64, 'ipv6'],
  ['reserved', '2001:db8::', 32, 'ipv6'],
  // IPv4-compatible IPv6 (deprecated ::a.b.c.d): no legitimate use.
  ['reserved', '::', 96, 'ipv6'],
];

const LISTS = new Map<AddressCategory, BlockList>();
for (const [category, network, prefix, family] of RANGES) {
  let list = LISTS.get(category);
  if (!list) LISTS.set(category, (list = new BlockList()));
  list.addSubnet(network, prefix, family);
}

/**
 * The IPv4 address an IPv6 address carries, for the forms that reach IPv4 hosts: IPv4-mapped
 * (::ffff:a.b.c.d, also written ::ffff:7f00:1), NAT64 (64:ff9b::/96) and 6to4 (2002:AABB:CCDD::/48).
 */
export function embeddedIpv4(address: string): string | undefined {
  const words = ipv6Words(address);
  if (!words) return undefined;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const zero = (from: number, to: number) => words.slice(from, to).every((w) => w === 0);
  if (zero(0, 5) && words[5] === 0xffff) return v4(words[6]!, words[7]!);
  if (words[0] === 0x64 && words[1] === 0xff9b && zero(2, 6)) return v4(words[6]!, words[7]!);
  if (words[0] === 0x2002) return v4(words[1]!, words[2]!);
  return undefined;
}

/** The eight 16-bit words of an IPv6 address (zone id dropped), or undefined when it is not one. */
function ipv6Words(address: string): number[] | undefined {
  const plain = address.split('%')[0]!;
  if (isIP(plain) !== 6) return undefined;
  let text = plain;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').map((h) => parseInt(h, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  const fill = tail === undefined ? [] : new Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...fill, ...right];
}

/** The category of a refused address, or undefined for a public unicast address. */
export function classifyAddress(address: string): AddressCategory | undefined {
  const plain = address.replace(/^\[|\]$/g, '').split('%')[0]!;
  const family = isIP(plain);
  if (family === 0) return 'reserved'; // not an address at all: never connect to it
  if (family === 6) {
    const v4 = embeddedIpv4(plain);
    if (v4 !== undefined) return classifyAddress(v4);
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [category, list] of LISTS) if (list.check(plain, type)) return category;
  return undefined;
}

/** Why `address` may not be sent to under `policy`, or undefined when it may. */
export function refusedAddress(address: string, policy: AddressPolicy): AddressCategory | undefined {
  const category = classifyAddress(address);
  if (category === 'loopback' && policy === 'test') return undefined;
  return category;
}
