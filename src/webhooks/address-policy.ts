// Which network addresses a webhook may be sent to (the SSRF guard). An endpoint URL is checked at
// registration and again at send time against every address its host resolves to, so a name that
// points at the gateway's own network (or is re-pointed there later) is never connected to. The
// rule is data: one table of refused ranges, read by both checks.
import { BlockList, isIP } from 'node:net';

/** Why an address is refused; `undefined` from classifyAddress means a public unicast address. */
export type AddressCategory =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'site-local'
  | 'cgnat'
  | 'metadata'
  | 'multicast'
  | 'documentation'
  | 'benchmarking'
  | 'translation'
  | 'reserved';

/** live: public addresses only. test: loopback and private networks too (SPEC §6 bans those for live-mode clients only). */
export type AddressPolicy = 'live' | 'test';

/**
 * The refused ranges: every block of the IANA IPv4 and IPv6 Special-Purpose Address Registries
 * (RFC 6890 and its updates, as of 2025), multicast, and on IPv6 everything outside 2000::/3,
 * the only space IANA allocates as global unicast. Blocks the registries mark "globally
 * reachable" (PCP/TURN anycast, AMT, AS112, ORCHIDv2, drone tags) are refused too: they are
 * infrastructure, never a webhook receiver. Three IPv6 forms carry an IPv4 address and are judged
 * by it instead (`embeddedIpv4`): IPv4-mapped ::ffff:0:0/96, the well-known NAT64 prefix
 * 64:ff9b::/96 (what DNS64 answers on an IPv6-only network) and 6to4 2002::/16. The local-use
 * NAT64 prefix 64:ff9b:1::/48 is refused whole: its operator chooses where the IPv4 address sits.
 * First match wins, so narrower blocks come first (169.254.169.254 is link-local, but "metadata"
 * says more). Both the registration check and every connection use this one table.
 */
const RANGES: ReadonlyArray<readonly [AddressCategory, string, string]> = [
  ['metadata', '169.254.169.254/32', 'cloud instance metadata (AWS, GCP, Azure, …)'],
  ['metadata', 'fd00:ec2::254/128', 'AWS instance metadata over IPv6'],
  // IPv4 Special-Purpose Address Registry
  ['unspecified', '0.0.0.0/8', '"this network" (RFC 791)'],
  ['private', '10.0.0.0/8', 'private use (RFC 1918)'],
  ['cgnat', '100.64.0.0/10', 'shared address space (RFC 6598)'],
  ['loopback', '127.0.0.0/8', 'loopback (RFC 1122)'],
  ['link-local', '169.254.0.0/16', 'link local (RFC 3927)'],
  ['private', '172.16.0.0/12', 'private use (RFC 1918)'],
  ['reserved', '192.0.0.0/24', 'IETF protocol assignments incl. DS-Lite, PCP/TURN anycast, NAT64 discovery (RFC 6890)'],
  ['documentation', '192.0.2.0/24', 'TEST-NET-1 (RFC 5737)'],
  ['reserved', '192.31.196.0/24', 'AS112-v4 (RFC 7535)'],
  ['reserved', '192.52.193.0/24', 'AMT (RFC 7450)'],
  ['translation', '192.88.99.0/24', 'deprecated 6to4 relay anycast (RFC 7526)'],
  ['private', '192.168.0.0/16', 'private use (RFC 1918)'],
  ['reserved', '192.175.48.0/24', 'direct delegation AS112 service (RFC 7534)'],
  ['benchmarking', '198.18.0.0/15', 'benchmarking (RFC 2544)'],
  ['documentation', '198.51.100.0/24', 'TEST-NET-2 (RFC 5737)'],
  ['documentation', '203.0.113.0/24', 'TEST-NET-3 (RFC 5737)'],
  ['multicast', '224.0.0.0/4', 'multicast (RFC 5771)'],
  ['reserved', '240.0.0.0/4', 'reserved for future use, and limited broadcast 255.255.255.255 (RFC 1112, RFC 919)'],
  // IPv6 Special-Purpose Address Registry
  ['unspecified', '::/128', 'unspecified address (RFC 4291)'],
  ['loopback', '::1/128', 'loopback address (RFC 4291)'],
  ['reserved', '::/96', 'deprecated IPv4-compatible addresses (RFC 4291)'],
  ['translation', '64:ff9b:1::/48', 'local-use IPv4/IPv6 translation (RFC 8215)'],
  ['reserved', '100::/64', 'discard-only (RFC 6666)'],
  ['reserved', '100:0:0:1::/64', 'dummy IPv6 prefix (RFC 9780)'],
  ['translation', '2001::/32', 'Teredo (RFC 4380)'],
  ['benchmarking', '2001:2::/48', 'benchmarking (RFC 5180)'],
  ['reserved', '2001::/23', 'IETF protocol assignments: anycast services, AMT, AS112, ORCHID, drone tags (RFC 2928)'],
  ['documentation', '2001:db8::/32', 'documentation (RFC 3849)'],
  ['reserved', '2620:4f:8000::/48', 'direct delegation AS112 service (RFC 7534)'],
  ['documentation', '3fff::/20', 'documentation (RFC 9637)'],
  ['reserved', '5f00::/16', 'segment routing SIDs (RFC 9602)'],
  ['private', 'fc00::/7', 'unique local (RFC 4193)'],
  ['link-local', 'fe80::/10', 'link-local unicast (RFC 4291)'],
  ['site-local', 'fec0::/10', 'deprecated site-local (RFC 3879)'],
  ['multicast', 'ff00::/8', 'multicast (RFC 4291)'],
  // IPv6 Address Space registry: outside 2000::/3 nothing is allocated as global unicast.
  ['reserved', '::/3', 'not global unicast'],
  ['reserved', '4000::/2', 'not global unicast'],
  ['reserved', '8000::/1', 'not global unicast'],
];

type Family = 'ipv4' | 'ipv6';

/**
 * The table compiled, one BlockList per row in the table's order, split by family: BlockList
 * matches an IPv4 address against IPv6 rules as ::ffff:a.b.c.d, which ::/3 would swallow.
 */
const LISTS: Readonly<Record<Family, ReadonlyArray<readonly [AddressCategory, BlockList]>>> = { ipv4: compile('ipv4'), ipv6: compile('ipv6') };

function compile(family: Family): Array<readonly [AddressCategory, BlockList]> {
  return RANGES.flatMap(([category, cidr]) => {
    const [network, prefix] = cidr.split('/') as [string, string];
    if ((isIP(network) === 4 ? 'ipv4' : 'ipv6') !== family) return [];
    const list = new BlockList();
    list.addSubnet(network, Number(prefix), family);
    return [[category, list] as const];
  });
}

/** The blocks of the table, as CIDR strings with their category (for tests and documentation). */
export const REFUSED_RANGES: ReadonlyArray<{ category: AddressCategory; cidr: string; name: string }> = RANGES.map(([category, cidr, name]) => ({
  category,
  cidr,
  name,
}));

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
  return LISTS[type].find(([, list]) => list.check(plain, type))?.[0];
}

/**
 * What a test-mode client may send to besides public addresses: SPEC §6 bans loopback and private
 * networks for live-mode clients, and lets test-mode ones use loopback (local development). A
 * receiver in a container network or on the office LAN (10/8, 172.16/12, 192.168/16, fc00::/7,
 * 100.64/10) is a test set-up as common as localhost. Link-local addresses, and with them the
 * cloud metadata service, stay refused in test mode too: nothing a test needs, and the first
 * target of a request forged through webhooks.
 */
const TEST_MODE_ALLOWS: ReadonlySet<AddressCategory> = new Set(['loopback', 'private', 'cgnat']);

/** Why `address` may not be sent to under `policy`, or undefined when it may. */
export function refusedAddress(address: string, policy: AddressPolicy): AddressCategory | undefined {
  const category = classifyAddress(address);
  if (category !== undefined && policy === 'test' && TEST_MODE_ALLOWS.has(category)) return undefined;
  return category;
}
