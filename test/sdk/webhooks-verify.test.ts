// Payrail.webhooks.verify against the standardwebhooks package's own signer (the reference
// implementation, not payrail's code): what it signs verifies, and a changed byte, an old or
// future timestamp, another secret, a missing header or a non-v1 signature is refused by code.
// Real deliveries from payrail are verified in sdk.test.ts.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { Payrail, WebhookVerificationError } from '../../sdk/src/index.ts';

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const body = JSON.stringify({ id: 'evt_01JC9Z6Q8W4M2X1A7B3C5D9E0F', type: 'payments.succeeded', createdAt: '2026-12-07T00:00:00.000Z', data: { amount: 100 } });
const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);

function signed(options: { at?: number; payload?: string; key?: string } = {}) {
  const at = options.at ?? NOW;
  const signature = new Webhook(options.key ?? secret).sign('msg_1', new Date(at), options.payload ?? body);
  return { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(at / 1000)), 'webhook-signature': signature };
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof WebhookVerificationError, `a WebhookVerificationError, got ${String(err)}`);
    return err.code;
  }
  return assert.fail('verification must fail');
}

describe('Payrail.webhooks.verify', () => {
  it("accepts what standardwebhooks signs, from a plain object, node's headers or fetch Headers, string or bytes", () => {
    const headers = signed();
    assert.equal(Payrail.webhooks.verify(headers, body, secret, { now: NOW }).type, 'payments.succeeded');
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    assert.equal(Payrail.webhooks.verify(upper, Buffer.from(body), secret, { now: NOW }).id, 'evt_01JC9Z6Q8W4M2X1A7B3C5D9E0F');
    assert.equal(Payrail.webhooks.verify(new Headers(headers), new TextEncoder().encode(body), secret, { now: NOW + 299_000 }).type, 'payments.succeeded');
  });

  it('accepts a delivery signed by two secrets (rotation) with either one', () => {
    const other = `whsec_${randomBytes(32).toString('base64')}`;
    const headers = { ...signed(), 'webhook-signature': `${signed({ key: other })['webhook-signature']} ${signed()['webhook-signature']}` };
    assert.equal(Payrail.webhooks.verify(headers, body, secret, { now: NOW }).type, 'payments.succeeded');
    assert.equal(Payrail.webhooks.verify(headers, body, other, { now: NOW }).type, 'payments.succeeded');
  });

  it('refuses a changed body, another secret, a non-v1 signature, stale or future timestamps and missing headers', () => {
    const headers = signed();
    assert.equal(
      refusal(() => Payrail.webhooks.verify(headers, body.replace('100', '101'), secret, { now: NOW })),
      'WEBHOOK_SIGNATURE_INVALID',
    );
    assert.equal(
      refusal(() => Payrail.webhooks.verify(headers, body, `whsec_${randomBytes(32).toString('base64')}`, { now: NOW })),
      'WEBHOOK_SIGNATURE_INVALID',
    );
    const v2 = { ...headers, 'webhook-signature': headers['webhook-signature'].replace(/^v1,/, 'v2,') };
    assert.equal(
      refusal(() => Payrail.webhooks.verify(v2, body, secret, { now: NOW })),
      'WEBHOOK_SIGNATURE_INVALID',
    );
    assert.equal(
      refusal(() => Payrail.webhooks.verify(headers, body, secret, { now: NOW + 301_000 })),
      'WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE',
    );
    assert.equal(
      refusal(() => Payrail.webhooks.verify(headers, body, secret, { now: NOW - 301_000 })),
      'WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE',
    );
    assert.equal(Payrail.webhooks.verify(headers, body, secret, { now: NOW + 3_600_000, toleranceSeconds: 3_600 }).type, 'payments.succeeded');
    const { 'webhook-id': _id, ...noId } = headers;
    assert.equal(
      refusal(() => Payrail.webhooks.verify(noId, body, secret, { now: NOW })),
      'WEBHOOK_HEADERS_MISSING',
    );
    assert.equal(
      refusal(() => Payrail.webhooks.verify({ ...headers, 'webhook-timestamp': 'soon' }, body, secret, { now: NOW })),
      'WEBHOOK_TIMESTAMP_INVALID',
    );
    // A secret that decodes to almost nothing is a configuration error, not a key.
    assert.throws(() => Payrail.webhooks.verify(headers, body, 'whsec_xyz!', { now: NOW }), TypeError);
  });
});
