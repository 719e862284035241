// One HTTP attempt against a local receiver: 2xx and non-2xx answers, the timeout, redirects not
// followed, and the SSRF guard at send time — against the address actually connected to.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createWebhookSender } from '../../src/webhooks/sender.ts';
import { systemResolver } from '../../src/webhooks/resolver.ts';
import type { Resolver } from '../../src/webhooks/resolver.ts';
import { startReceiver } from './receiver.ts';
import type { Receiver } from './receiver.ts';
import { fakeResolver } from './fake-resolver.ts';

describe('webhook sender', () => {
  let receiver: Receiver;
  const answers: Record<string, ReturnType<Receiver['answer']>> = {};
  // 'rebind.test' plays a name whose DNS answer changes after registration; the rest is real DNS.
  let rebound: Resolver = fakeResolver({ 'rebind.test': ['127.0.0.1'] });
  const resolve: Resolver = (host) => (host === 'rebind.test' ? rebound(host) : systemResolver(host));
  const sender = createWebhookSender({ resolve, timeoutMs: 300 });
  const post = (url: string, policy: 'live' | 'test' = 'test') => sender.send({ url, headers: { 'webhook-id': 'evt_1' }, body: '{"a":1}', policy });

  before(async () => {
    receiver = await startReceiver((_n, r) => answers[r.path] ?? 200);
    answers['/fail'] = 500;
    answers['/hang'] = 'hang';
    answers['/redirect'] = { status: 302, headers: { location: '/ok' } };
  });
  after(async () => {
    sender.close();
    await receiver.close();
  });

  it('a 2xx is a success, with the body and headers sent as given', async () => {
    const r = await post(`${receiver.url}/ok`);
    assert.equal(r.statusCode, 200);
    assert.equal(r.error, undefined);
    const got = receiver.received.at(-1)!;
    assert.equal(got.raw, '{"a":1}');
    assert.equal(got.headers['webhook-id'], 'evt_1');
    assert.equal(got.headers['content-type'], 'application/json');
  });

  it('a non-2xx answer is reported with its status', async () => {
    assert.equal((await post(`${receiver.url}/fail`)).statusCode, 500);
  });

  it('a receiver that does not answer is cut off at the timeout', async () => {
    const r = await post(`${receiver.url}/hang`);
    assert.equal(r.statusCode, undefined);
    assert.match(r.error!, /^timeout/);
    assert.ok(r.durationMs >= 290 && r.durationMs < 2000, String(r.durationMs));
  });

  it('a redirect is not followed: the 302 is the answer', async () => {
    const before = receiver.received.length;
    const r = await post(`${receiver.url}/redirect`);
    assert.equal(r.statusCode, 302);
    assert.equal(receiver.received.length, before + 1);
  });

  it('connection refused is an error, not a throw', async () => {
    const r = await post('http://127.0.0.1:9/');
    assert.equal(r.statusCode, undefined);
    assert.match(r.error!, /ECONNREFUSED/);
  });

  it('live policy: an IP-literal internal address is refused without connecting', async () => {
    const before = receiver.received.length;
    for (const url of [`${receiver.url}/ok`, `http://[::1]:${receiver.port}/ok`, 'http://169.254.169.254/', 'http://10.0.0.1/']) {
      const r = await post(url, 'live');
      assert.match(r.error!, /refused to connect to .*(loopback|metadata|private)/, url);
    }
    assert.equal(receiver.received.length, before);
  });

  it('the same table at send time: special-purpose IPv6 literals of issue #18 are refused in both modes', async () => {
    for (const [url, category] of [
      ['https://[64:ff9b:1::a9fe:a9fe]/', 'translation'],
      ['https://[fec0::1]/', 'site-local'],
      ['https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/', 'translation'],
    ]) {
      for (const policy of ['live', 'test'] as const)
        assert.match((await post(url!, policy)).error!, new RegExp(`refused to connect to .*, a ${category} address`), `${url} ${policy}`);
    }
  });

  it('live policy: a name resolving to loopback at send time is refused (DNS rebinding)', async () => {
    const before = receiver.received.length;
    const r = await post(`http://rebind.test:${receiver.port}/ok`, 'live');
    assert.match(r.error!, /refused to connect to 127\.0\.0\.1, a loopback address/);
    const local = await post(`http://localhost:${receiver.port}/ok`, 'live');
    assert.match(local.error!, /refused to connect to .* loopback address/);
    assert.equal(receiver.received.length, before);
  });

  it('test policy: the same name reaches the loopback receiver (local development)', async () => {
    rebound = fakeResolver({ 'rebind.test': ['127.0.0.1'] });
    assert.equal((await post(`http://rebind.test:${receiver.port}/ok`, 'test')).statusCode, 200);
  });

  it('an abort (shutdown) ends the attempt at once and marks it aborted', async () => {
    const controller = new AbortController();
    const pending = sender.send({ url: `${receiver.url}/hang`, headers: {}, body: '{}', policy: 'test' }, controller.signal);
    setTimeout(() => controller.abort(), 20);
    const r = await pending;
    assert.equal(r.aborted, true);
    assert.ok(r.durationMs < 250);
  });
});
