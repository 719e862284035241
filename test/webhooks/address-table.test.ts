// The table of refused address ranges (src/webhooks/address-policy.ts) against the IANA IPv4 and
// IPv6 Special-Purpose Address Registries: the first and last address of every block is refused,
// the addresses just outside are public (unless another block takes them), and the registries'
// own examples land where they should. Issue #18, point 6.
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { describe, it } from 'node:test';
import { REFUSED_RANGES, classifyAddress, refusedAddress } from '../../src/webhooks/address-policy.ts';

/** An address as a number (IPv4: 32 bits, IPv6: 128 bits). */
function toBig(address: string): bigint {
  if (isIP(address) === 4) return address.split('.').reduce((n, part) => (n << 8n) | BigInt(part), 0n);
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const words = (part: string | undefined) => (part ? part.split(':').map((w) => BigInt(parseInt(w, 16))) : []);
  const left = words(head);
  const right = words(tail);
  const all = [...left, ...new Array<bigint>(8 - left.length - right.length).fill(0n), ...right];
  return all.reduce((n, w) => (n << 16n) | w, 0n);
}

function fromBig(n: bigint, family: 4 | 6): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join('.');
  return Array.from({ length: 8 }, (_, i) => ((n >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(':');
}

/** The first and last address of a CIDR block, and the addresses just before and after it. */
function bounds(cidr: string): { first: string; last: string; before?: string; after?: string } {
  const [network, prefix] = cidr.split('/') as [string, string];
  const family = isIP(network) as 4 | 6;
  const bits = family === 4 ? 32n : 128n;
  const size = 1n << (bits - BigInt(prefix));
  const first = toBig(network);
  const last = first + size - 1n;
  return {
    first: fromBig(first, family),
    last: fromBig(last, family),
    ...(first > 0n && { before: fromBig(first - 1n, family) }),
    ...(last < (1n << bits) - 1n && { after: fromBig(last + 1n, family) }),
  };
}

describe('the refused-address table', () => {
  it('the first and last address of every block is refused in live mode, and in test mode bar loopback and private networks', () => {
    const allowedInTestMode = new Set(['loopback', 'private', 'cgnat']);
    for (const { cidr, category } of REFUSED_RANGES) {
      const { first, last } = bounds(cidr);
      for (const address of [first, last]) {
        assert.ok(refusedAddress(address, 'live'), `${address} (${cidr}) is refused`);
        if (allowedInTestMode.has(category)) assert.equal(refusedAddress(address, 'test'), undefined, `${address} (${cidr}) is allowed in test mode`);
        else assert.ok(refusedAddress(address, 'test'), `${address} (${cidr}) is refused in test mode`);
      }
    }
  });

  it('an address inside a block that no narrower block takes has the block’s category', () => {
    for (const { cidr, category } of REFUSED_RANGES) {
      const { first, last } = bounds(cidr);
      // The middle of the block is the least likely to sit in a narrower block listed before it.
      const middle = fromBig((toBig(first) + toBig(last)) / 2n, isIP(first) as 4 | 6);
      const owner = REFUSED_RANGES.find((r) => {
        const b = bounds(r.cidr);
        return isIP(b.first) === isIP(middle) && toBig(b.first) <= toBig(middle) && toBig(middle) <= toBig(b.last);
      });
      if (owner?.cidr === cidr) assert.equal(classifyAddress(middle), category, `${middle} in ${cidr}`);
    }
  });

  // Just outside each IPv4 block: public. (0.0.0.0/8 has no "before"; 240.0.0.0/4 no "after".)
  const publicIpv4 = [
    '1.0.0.0',
    '9.255.255.255',
    '11.0.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '126.255.255.255',
    '128.0.0.0',
    '169.253.255.255',
    '169.255.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '191.255.255.255',
    '192.0.1.0',
    '192.0.1.255',
    '192.0.3.0',
    '192.31.195.255',
    '192.31.197.0',
    '192.52.192.255',
    '192.52.194.0',
    '192.88.98.255',
    '192.88.100.0',
    '192.167.255.255',
    '192.169.0.0',
    '192.175.47.255',
    '192.175.49.0',
    '198.17.255.255',
    '198.20.0.0',
    '198.51.99.255',
    '198.51.101.0',
    '203.0.112.255',
    '203.0.114.0',
    '223.255.255.255',
  ];
  // Just outside each IPv6 block of global unicast space: public.
  const publicIpv6 = [
    '2000::',
    '2000::1',
    '2001:200::',
    '2001:db7:ffff:ffff:ffff:ffff:ffff:ffff',
    '2001:db9::',
    '2003::',
    '2620:4f:7fff:ffff:ffff:ffff:ffff:ffff',
    '2620:4f:8001::',
    '3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    '3fff:1000::',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
  ];
  for (const address of [...publicIpv4, ...publicIpv6]) {
    it(`${address} (just outside a block) is public`, () => assert.equal(classifyAddress(address), undefined));
  }

  const refused: [string, string][] = [
    // The addresses of issue #18 that live mode accepted.
    ['64:ff9b:1::a9fe:a9fe', 'translation'],
    ['fec0::1', 'site-local'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'translation'], // RFC 4380's Teredo example
    // Registry examples and edges.
    ['64:ff9b:1::', 'translation'],
    ['64:ff9b:1:ffff:ffff:ffff:ffff:ffff', 'translation'],
    ['64:ff9b:2::', 'reserved'], // outside 2000::/3
    ['64:ff9b::c000:221', 'documentation'], // RFC 6052: 64:ff9b::192.0.2.33
    ['64:ff9b::192.0.2.33', 'documentation'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['2002:c000:221::1', 'documentation'], // RFC 3056: 6to4 of 192.0.2.33
    ['2002:7f00:1::', 'loopback'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['::ffff:0:0', 'unspecified'],
    ['::ffff:ffff:ffff', 'reserved'],
    ['::2', 'reserved'],
    ['::808:808', 'reserved'], // IPv4-compatible, deprecated
    ['1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'reserved'],
    ['100::', 'reserved'],
    ['100:0:0:1::1', 'reserved'],
    ['2001::', 'translation'],
    ['2001:0:ffff:ffff:ffff:ffff:ffff:ffff', 'translation'],
    ['2001:1::1', 'reserved'], // PCP anycast: infrastructure, not a receiver
    ['2001:2::', 'benchmarking'],
    ['2001:2:0:ffff:ffff:ffff:ffff:ffff', 'benchmarking'],
    ['2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff', 'reserved'],
    ['2001:db8::', 'documentation'],
    ['2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', 'documentation'],
    ['3fff::', 'documentation'],
    ['3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff', 'documentation'],
    ['4000::', 'reserved'],
    ['5f00::1', 'reserved'],
    ['fc00::', 'private'],
    ['fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'private'],
    ['fe00::', 'reserved'],
    ['fe80::', 'link-local'],
    ['febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'link-local'],
    ['fec0::', 'site-local'],
    ['feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'site-local'],
    ['ff00::', 'multicast'],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['0.255.255.255', 'unspecified'],
    ['100.64.0.0', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['192.0.0.0', 'reserved'],
    ['192.0.0.9', 'reserved'], // PCP anycast
    ['192.0.0.170', 'reserved'], // NAT64 discovery
    ['192.0.0.255', 'reserved'],
    ['192.0.2.0', 'documentation'],
    ['192.88.99.1', 'translation'],
    ['198.18.0.0', 'benchmarking'],
    ['198.19.255.255', 'benchmarking'],
    ['203.0.113.255', 'documentation'],
    ['224.0.0.0', 'multicast'],
    ['239.255.255.255', 'multicast'],
    ['240.0.0.0', 'reserved'],
    ['255.255.255.255', 'reserved'],
  ];
  for (const [address, category] of refused) {
    it(`${address} → ${category}`, () => assert.equal(classifyAddress(address), category));
  }

  it('IPv6 addresses carrying a public IPv4 address are public (NAT64 /96 and 6to4, as DNS64 answers)', () => {
    for (const address of ['64:ff9b::808:808', '64:ff9b::8.8.8.8', '2002:808:808::1', '::ffff:8.8.8.8', '::ffff:808:808'])
      assert.equal(classifyAddress(address), undefined, address);
  });
});
