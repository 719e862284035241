// Webhooks, terms used across this folder:
//   endpoint  — a client's URL that receives events (optionally only some types), with a secret.
//   delivery  — one event to one endpoint: unique per pair, written in the event's transaction.
//   attempt   — one HTTP POST of a delivery; every attempt is recorded (time, status or error, ms).
//   round     — the attempts of a delivery from its first try until delivered or given up (3 days);
//               a redelivery starts a new round of the same delivery (same `webhook-id`).
import type { EventType } from '../events/outbox.ts';
import type { WebhookAttemptRow, WebhookDeliveryRow, WebhookEndpointRow } from '../store/schema.ts';

/** Endpoint statuses. */
export type EndpointStatus =
  /** deliveries are made */
  | 'enabled'
  /** its deliveries failed for 5 days straight; nothing more is sent (see disabledReason) */
  | 'disabled';

/** Delivery statuses. */
export type DeliveryStatus =
  /** waiting for its next attempt (the first, or a retry) */
  | 'pending'
  /** the receiver answered 2xx */
  | 'delivered'
  /** 3 days of attempts without a 2xx, or its endpoint was disabled */
  | 'failed'
  /** its endpoint was deleted before it was delivered */
  | 'canceled';

/** An endpoint as the API shows it (never its secret, except once on create and rotate). */
export interface WebhookEndpoint {
  id: string;
  url: string;
  /** The event types sent to it; absent = every type. */
  events?: EventType[];
  status: EndpointStatus;
  disabledReason?: string;
  disabledAt?: string;
  /** Until then, the secret before the last rotation signs too. */
  previousSecretExpiresAt?: string;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookAttempt {
  attemptedAt: string;
  statusCode?: number;
  error?: string;
  durationMs: number;
}

export interface WebhookDelivery {
  id: string;
  eventId: string;
  eventType: string;
  endpointId: string;
  status: DeliveryStatus;
  attemptCount: number;
  nextAttemptAt?: string;
  lastAttemptAt?: string;
  lastStatusCode?: number;
  lastError?: string;
  attempts: WebhookAttempt[];
  createdAt: string;
  updatedAt: string;
}

/** The event types an endpoint row subscribes to, or undefined for every type. */
export function eventTypesOf(row: Pick<WebhookEndpointRow, 'event_types'>): EventType[] | undefined {
  return row.event_types === null ? undefined : (JSON.parse(row.event_types) as EventType[]);
}

/** True when the endpoint wants events of this type. */
export function subscribes(row: Pick<WebhookEndpointRow, 'event_types'>, type: string): boolean {
  const types = eventTypesOf(row);
  return types === undefined || (types as string[]).includes(type);
}

export function toEndpoint(row: WebhookEndpointRow, now: string): WebhookEndpoint {
  const events = eventTypesOf(row);
  const graceOpen = row.previous_secret_expires_at !== null && row.previous_secret_expires_at > now;
  return {
    id: row.id,
    url: row.url,
    ...(events !== undefined && { events }),
    status: row.status,
    ...(row.disabled_reason !== null && { disabledReason: row.disabled_reason }),
    ...(row.disabled_at !== null && { disabledAt: row.disabled_at }),
    ...(graceOpen && { previousSecretExpiresAt: row.previous_secret_expires_at! }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toAttempt(row: WebhookAttemptRow): WebhookAttempt {
  return {
    attemptedAt: row.attempted_at,
    ...(row.status_code !== null && { statusCode: row.status_code }),
    ...(row.error !== null && { error: row.error }),
    durationMs: row.duration_ms,
  };
}

function isSuccessCode(status: number | null): boolean {
  return status !== null && status >= 200 && status < 300;
}

/** A delivery with its attempts (oldest first); the last one says how it stands. */
export function toDelivery(row: WebhookDeliveryRow, eventType: string, attempts: WebhookAttemptRow[]): WebhookDelivery {
  const last = attempts.at(-1);
  return {
    id: row.id,
    eventId: row.event_id,
    eventType,
    endpointId: row.endpoint_id,
    status: row.status,
    attemptCount: row.attempt_count,
    ...(row.next_attempt_at !== null && { nextAttemptAt: row.next_attempt_at }),
    ...(last !== undefined && { lastAttemptAt: last.attempted_at }),
    ...(last?.status_code != null && { lastStatusCode: last.status_code }),
    ...(last !== undefined && !isSuccessCode(last.status_code) && { lastError: last.error ?? `HTTP ${last.status_code}` }),
    attempts: attempts.map(toAttempt),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The secrets that sign now: the current one, and the previous one while its 24 h last. */
export function signingSecrets(row: Pick<WebhookEndpointRow, 'secret' | 'previous_secret' | 'previous_secret_expires_at'>, now: string): string[] {
  const previousValid = row.previous_secret !== null && row.previous_secret_expires_at !== null && row.previous_secret_expires_at > now;
  return previousValid ? [row.secret, row.previous_secret!] : [row.secret];
}
