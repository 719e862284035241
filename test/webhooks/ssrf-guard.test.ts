// The SSRF guard as plain functions: which addresses are refused, the registration check of a URL
// (with a resolver standing in for DNS), and the `lookup` the HTTP agents connect through.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyAddress, refusedAddress } from '../../src/webhooks/address-policy.ts';
import { ForbiddenAddressError, guardedLookup } from '../../src/webhooks/resolver.ts';
import type { Resolver } from '../../src/webhooks/resolver.ts';
import { checkEndpointUrl } from '../../src/webhooks/url-policy.ts';
import { fakeResolver } from './fake-resolver.ts';

const resolve = fakeResolver({
  'hooks.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  localhost: ['127.0.0.1', '::1'],
  'internal.example.com': ['192.168.1.10'],
  'mixed.example.com': ['93.184.216.34', '10.1.2.3'],
  'metadata.example.com': ['169.254.169.254'],
});

const codes = async (url: string, policy: 'live' | 'test') => (await checkEndpointUrl(url, policy, resolve)).map((e) => `${e.path} ${e.code}`);

describe('address classification', () => {
  const cases: [string, string | undefined][] = [
    ['93.184.216.34', undefined],
    ['2606:4700:4700::1111', undefined],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['169.254.10.10', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.254', 'cgnat'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    // IPv4 reached through IPv6: mapped (both spellings), NAT64, 6to4.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:93.184.216.34', undefined],
    ['64:ff9b::a00:1', 'private'],
    ['2002:a9fe:a9fe::1', 'metadata'],
  ];
  for (const [address, expected] of cases) {
    it(`${address} → ${expected ?? 'public'}`, () => assert.equal(classifyAddress(address), expected));
  }
  it('the test policy allows loopback and private networks; link-local, metadata and the rest stay refused', () => {
    for (const a of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '10.0.0.1', '172.17.0.2', '192.168.1.1', 'fd12:3456::1', '100.64.1.1'])
      assert.equal(refusedAddress(a, 'test'), undefined, a);
    assert.equal(refusedAddress('127.0.0.1', 'live'), 'loopback');
    assert.equal(refusedAddress('172.17.0.2', 'live'), 'private');
    for (const a of ['169.254.169.254', 'fd00:ec2::254', '169.254.10.1', 'fe80::1', '0.0.0.0', '224.0.0.1', '192.0.2.1'])
      assert.ok(refusedAddress(a, 'test'), a);
  });
});

describe('endpoint URL at registration', () => {
  it('live mode: https to a public address is accepted', async () => {
    assert.deepEqual(await codes('https://hooks.example.com/payrail', 'live'), []);
    assert.deepEqual(await codes('https://93.184.216.34:8443/x?y=1', 'live'), []);
  });
  it('live mode: http is refused', async () => {
    assert.deepEqual(await codes('http://hooks.example.com/payrail', 'live'), ['url HTTPS_REQUIRED']);
  });
  it('live mode: loopback, private, link-local, metadata, CGNAT and IPv6 internal addresses are refused', async () => {
    for (const url of [
      'https://127.0.0.1/',
      'https://10.0.0.1/',
      'https://169.254.169.254/latest/meta-data/',
      'https://[::1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://[fd00:ec2::254]/',
      'https://[fe80::1]/',
      'https://100.64.0.1/',
      'https://0.0.0.0/',
      'https://localhost/',
      'https://internal.example.com/',
      'https://metadata.example.com/',
    ]) {
      assert.deepEqual(await codes(url, 'live'), ['url FORBIDDEN_ADDRESS'], url);
    }
  });
  it('a name with one internal address among public ones is refused', async () => {
    assert.deepEqual(await codes('https://mixed.example.com/', 'live'), ['url FORBIDDEN_ADDRESS']);
  });
  it('URLs in unusual spellings of 127.0.0.1 are normalised before the check', async () => {
    for (const url of ['https://2130706433/', 'https://0x7f.1/', 'https://127.1/']) assert.deepEqual(await codes(url, 'live'), ['url FORBIDDEN_ADDRESS'], url);
  });
  it('a name that does not resolve (yet) is accepted: each delivery checks the address it connects to', async () => {
    assert.deepEqual(await codes('https://nowhere.example.com/', 'live'), []);
  });
  it('test mode: http, loopback and private networks are allowed (local development, containers), metadata is not', async () => {
    assert.deepEqual(await codes('http://127.0.0.1:3000/hooks', 'test'), []);
    assert.deepEqual(await codes('http://localhost:3000/hooks', 'test'), []);
    assert.deepEqual(await codes('http://[::1]:3000/hooks', 'test'), []);
    assert.deepEqual(await codes('http://10.0.0.1/', 'test'), []);
    assert.deepEqual(await codes('https://10.0.0.1/', 'live'), ['url FORBIDDEN_ADDRESS']);
    assert.deepEqual(await codes('http://169.254.169.254/', 'test'), ['url FORBIDDEN_ADDRESS']);
  });
  it('live mode: the special-purpose IPv6 addresses of issue #18 are refused, as literals and as resolved names', async () => {
    for (const address of [
      '64:ff9b:1::a9fe:a9fe',
      'fec0::1',
      '2001:0:4136:e378:8000:63bf:3fff:fdd2',
      '2001:db8::1',
      '100::1',
      '64:ff9b::a9fe:a9fe',
      '2002:a9fe:a9fe::1',
      '3fff::1',
    ]) {
      assert.deepEqual(await codes(`https://[${address}]/`, 'live'), ['url FORBIDDEN_ADDRESS'], address);
      const named = await checkEndpointUrl('https://special.example.com/', 'live', fakeResolver({ 'special.example.com': [address] }));
      assert.deepEqual(
        named.map((e) => e.code),
        ['FORBIDDEN_ADDRESS'],
        `a name resolving to ${address}`,
      );
    }
    assert.deepEqual(await codes('https://[64:ff9b::808:808]/', 'live'), [], 'NAT64 of a public IPv4 address is public');
  });
  it('control characters, lone surrogates and noncharacters anywhere in the URL: INVALID_CHARACTERS', async () => {
    for (const url of [
      'https://hooks.example.com/a\u0000b',
      'https://hooks.example.com/\u0001',
      'https://hooks.exa\nmple.com/',
      'https://hooks.example.com/\r\nX-Injected: 1',
      'https://hooks.example.com/\t',
      'https://hooks.example.com/\u007f',
      'https://hooks.example.com/\u0085',
      'https://hooks.example.com/\ud800',
      'https://hooks.example.com/\udc00x',
      'https://hooks.example.com/\ufffe',
      'https://hooks.example.com/\uffff',
      'https://hooks.example.com/\ufdd0',
    ]) {
      assert.deepEqual(await codes(url, 'test'), ['url INVALID_CHARACTERS'], JSON.stringify(url));
    }
  });
  it('spaces (surrounding too), other whitespace, invisible characters and backslashes: INVALID_URL', async () => {
    for (const url of [
      ' https://hooks.example.com/',
      'https://hooks.example.com/ ',
      'https://hooks.example.com/a b',
      'https://hooks.example.com/\u00a0',
      'https://hooks.example.com/\u2028',
      'https://hooks.example.com/\u3000',
      'https://hooks.example.com/\u200b',
      'https://hooks.example.com/\ufeff',
      'https://hooks.example.com/\u202e',
      'https://hooks.example.com\\@10.0.0.1/',
      'https:\\\\hooks.example.com/',
    ]) {
      assert.deepEqual(await codes(url, 'test'), ['url INVALID_URL'], JSON.stringify(url));
    }
  });
  it('a URL of at most 2048 characters, as given and as parsed', async () => {
    const base = 'https://hooks.example.com/';
    assert.deepEqual(await codes(base + 'a'.repeat(2048 - base.length), 'live'), []);
    assert.deepEqual(await codes(base + 'a'.repeat(2049 - base.length), 'live'), ['url INVALID_URL']);
    // 700 characters given, 2,100 once each é is percent-encoded (%C3%A9).
    assert.deepEqual(await codes(base + 'é'.repeat(700), 'live'), ['url INVALID_URL']);
  });
  it('a pair of surrogates (an emoji) and an internationalised host are fine', async () => {
    assert.deepEqual(await codes('https://hooks.example.com/😀', 'live'), []);
    assert.deepEqual(await codes('https://bücher.example/hooks', 'live'), []);
  });
  it('other schemes, credentials and fragments are refused', async () => {
    assert.deepEqual(await codes('ftp://hooks.example.com/', 'test'), ['url INVALID_URL']);
    assert.deepEqual(await codes('file:///etc/passwd', 'test'), ['url INVALID_URL']);
    assert.deepEqual(await codes('https://user:pw@hooks.example.com/', 'live'), ['url INVALID_URL']);
    assert.deepEqual(await codes('https://user@hooks.example.com/', 'live'), ['url INVALID_URL']);
    assert.deepEqual(await codes('https://:pw@hooks.example.com/', 'live'), ['url INVALID_URL']);
    assert.deepEqual(await codes('https://', 'live'), ['url INVALID_URL']);
    assert.deepEqual(await codes('//hooks.example.com/', 'live'), ['url INVALID_URL']);
    assert.deepEqual(await codes('javascript:alert(1)', 'test'), ['url INVALID_URL']);
    assert.deepEqual(await codes('data:text/plain,x', 'test'), ['url INVALID_URL']);
    assert.deepEqual(await codes('https://hooks.example.com/#x', 'live'), ['url INVALID_URL']);
    assert.deepEqual(await codes('not a url', 'live'), ['url INVALID_URL']);
  });
});

describe('guarded lookup (what the HTTP agents connect through)', () => {
  const lookup = (resolver: Resolver, policy: 'live' | 'test', all: boolean) =>
    new Promise<{ err: NodeJS.ErrnoException | null; address: unknown; family?: number }>((done) =>
      guardedLookup(resolver, policy)('name.example.com', { all }, (err, address, family) => done({ err, address, family })),
    );

  it('answers with the resolved public addresses, in both callback forms', async () => {
    const r = fakeResolver({ 'name.example.com': ['93.184.216.34', '2606:4700::1'] });
    const one = await lookup(r, 'live', false);
    assert.equal(one.err, null);
    assert.equal(one.address, '93.184.216.34');
    assert.equal(one.family, 4);
    const all = await lookup(r, 'live', true);
    assert.deepEqual(all.address, [
      { address: '93.184.216.34', family: 4 },
      { address: '2606:4700::1', family: 6 },
    ]);
  });
  it('refuses when any resolved address is internal (DNS rebinding at send time)', async () => {
    for (const answer of [
      ['10.0.0.1'],
      ['93.184.216.34', '169.254.169.254'],
      ['::ffff:192.168.0.1'],
      ['64:ff9b:1::a9fe:a9fe'],
      ['fec0::1'],
      ['2001:0:4136:e378:8000:63bf:3fff:fdd2'],
    ]) {
      const { err } = await lookup(fakeResolver({ 'name.example.com': answer }), 'live', true);
      assert.ok(err instanceof ForbiddenAddressError, String(answer));
    }
  });
  it('loopback passes under the test policy only', async () => {
    const r = fakeResolver({ 'name.example.com': ['127.0.0.1'] });
    assert.equal((await lookup(r, 'test', false)).err, null);
    assert.ok((await lookup(r, 'live', false)).err instanceof ForbiddenAddressError);
  });
});
