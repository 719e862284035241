// Signatures as the standardwebhooks package (the receivers' library) verifies them, and the retry
// schedule: base, ×5 with up to +20 % jitter, capped at 8 hours, given up 3 days after the first attempt.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { GIVE_UP_AFTER_MS, MAX_RETRY_DELAY_MS, nextRetryAt, retryDelayMs, shouldDisable } from '../../src/webhooks/backoff.ts';
import { generateWebhookSecret, signatureHeaders } from '../../src/webhooks/signing.ts';

describe('Standard Webhooks signatures', () => {
  const body = JSON.stringify({ id: 'evt_01', type: 'payments.succeeded', data: { amount: 1, name: 'Café ☕' } });
  const now = Math.floor(Date.now() / 1000);

  it('a secret is whsec_ + base64 of 32 random bytes', () => {
    const secret = generateWebhookSecret();
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(Buffer.from(secret.slice(6), 'base64').length, 32);
    assert.notEqual(secret, generateWebhookSecret());
  });

  it('standardwebhooks verifies our signature (UTF-8 body included)', () => {
    const secret = generateWebhookSecret();
    const headers = signatureHeaders([secret], 'evt_01', now, body);
    assert.deepEqual(new Webhook(secret).verify(body, headers), JSON.parse(body));
  });

  it('a changed body, id or timestamp, or another secret, does not verify', () => {
    const secret = generateWebhookSecret();
    const headers = signatureHeaders([secret], 'evt_01', now, body);
    assert.throws(() => new Webhook(secret).verify(body.replace('1', '2'), headers));
    assert.throws(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'evt_02' }));
    assert.throws(() => new Webhook(secret).verify(body, { ...headers, 'webhook-timestamp': String(now - 1) }));
    assert.throws(() => new Webhook(generateWebhookSecret()).verify(body, headers));
  });

  it('two secrets give two space-separated v1 signatures, each verifying on its own', () => {
    const [next, previous] = [generateWebhookSecret(), generateWebhookSecret()];
    const headers = signatureHeaders([next, previous], 'evt_01', now, body);
    assert.match(headers['webhook-signature']!, /^v1,[A-Za-z0-9+/]{43}= v1,[A-Za-z0-9+/]{43}=$/);
    assert.ok(new Webhook(next).verify(body, headers));
    assert.ok(new Webhook(previous).verify(body, headers));
  });
});

describe('retry schedule', () => {
  const middle = () => 0; // no jitter

  it('base, then ×5 each time, capped at 8 hours', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelayMs(5000, n, middle));
    assert.deepEqual(delays, [5000, 25_000, 125_000, 625_000, 3_125_000, 15_625_000, MAX_RETRY_DELAY_MS, MAX_RETRY_DELAY_MS]);
  });

  it('jitter only adds, up to 20 %: no retry comes before its nominal time', () => {
    assert.equal(
      retryDelayMs(5000, 1, () => 0),
      5000,
    );
    assert.equal(
      retryDelayMs(5000, 2, () => 0.999999),
      30_000,
    );
    for (let i = 0; i < 200; i++) {
      const d = retryDelayMs(5000, 3, Math.random);
      assert.ok(d >= 125_000 && d <= 150_000, String(d));
    }
  });

  it('the last retry is at the 3-day mark; after it the round is over', () => {
    const start = Date.parse('2026-03-10T00:00:00Z');
    const late = start + GIVE_UP_AFTER_MS - 3600_000;
    assert.equal(nextRetryAt({ baseMs: 5000, failures: 12, roundStartedAt: start, now: late, random: middle }), start + GIVE_UP_AFTER_MS);
    assert.equal(nextRetryAt({ baseMs: 5000, failures: 13, roundStartedAt: start, now: start + GIVE_UP_AFTER_MS, random: middle }), undefined);
    assert.equal(nextRetryAt({ baseMs: 5000, failures: 1, roundStartedAt: start, now: start, random: middle }), start + 5000);
  });

  it('an endpoint is disabled after 5 days of failures, not before', () => {
    const since = Date.parse('2026-03-10T00:00:00Z');
    assert.equal(shouldDisable(since, since + 5 * 86_400_000 - 1), false);
    assert.equal(shouldDisable(since, since + 5 * 86_400_000), true);
  });
});
