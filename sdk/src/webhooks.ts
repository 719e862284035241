// Verifying payrail's webhook deliveries (SPEC §6, the Standard Webhooks spec): the signature is
// `v1,` + base64 HMAC-SHA256 of "webhook-id.webhook-timestamp.body" keyed with the base64 after
// `whsec_`; several space-separated signatures may come (a secret in rotation signs too), one
// matching is enough. The timestamp must be within 5 minutes of now (replays of old deliveries
// are refused); comparisons are constant-time. Uses node:crypto only.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookVerificationError } from './errors.ts';
import type { Event } from './types.ts';

/** Incoming headers: a fetch `Headers`, or node's `IncomingHttpHeaders` (any case). */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyOptions {
  /** Allowed distance between webhook-timestamp and now, in seconds (default 300). */
  toleranceSeconds?: number;
  /** Now, ms since the epoch (default Date.now()). */
  now?: number;
}

const SECRET_PREFIX = 'whsec_';
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const found = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = found === undefined ? undefined : record[found];
  return Array.isArray(value) ? value.join(' ') : value;
}

const refuse = (code: string, message: string) => new WebhookVerificationError({ code, message });

/**
 * Checks a delivery and returns its event. `body` must be the raw request body, exactly as
 * received (a parsed and re-serialised JSON object does not verify). Throws a
 * WebhookVerificationError (`code`: WEBHOOK_HEADERS_MISSING, WEBHOOK_TIMESTAMP_INVALID,
 * WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE, WEBHOOK_SIGNATURE_INVALID) otherwise.
 */
export function verifyWebhook(headers: WebhookHeaders, body: string | Uint8Array, secret: string, options: VerifyOptions = {}): Event {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) throw refuse('WEBHOOK_HEADERS_MISSING', 'webhook-id, webhook-timestamp and webhook-signature are required');
  if (!/^\d{1,15}$/.test(timestamp)) throw refuse('WEBHOOK_TIMESTAMP_INVALID', 'webhook-timestamp is not a number of seconds');
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowS = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(nowS - Number(timestamp)) > tolerance) {
    throw refuse('WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE', `webhook-timestamp is more than ${tolerance} seconds away from now`);
  }

  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  if (key.length === 0) throw new TypeError('the webhook secret is empty');
  const raw = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(raw).digest();
  const matches = signatures.split(' ').some((entry) => {
    const [version, encoded] = entry.split(',', 2);
    if (version !== 'v1' || !encoded) return false;
    const given = Buffer.from(encoded, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) throw refuse('WEBHOOK_SIGNATURE_INVALID', 'no v1 signature of the delivery matches the secret');
  try {
    return JSON.parse(raw.toString('utf8')) as Event;
  } catch (err) {
    throw new WebhookVerificationError({ code: 'WEBHOOK_BODY_INVALID', message: 'the signed body is not JSON', cause: err });
  }
}

/** `Payrail.webhooks`: no client needed, only the endpoint's secret. */
export const webhooks = { verify: verifyWebhook };
