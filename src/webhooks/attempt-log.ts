// Records attempts after the fact, in a new transaction (never while a request is in flight):
// the attempt rows, each delivery's new state, and the endpoints' failing streaks. One recorder
// serves every endpoint the worker delivers to and writes what they have buffered together, at
// most every `everyMs`: a busy worker costs a few statements and one commit (one fsync on SQLite)
// per interval, not per event or per endpoint; the deliveries delivered meanwhile move in one
// UPDATE. A crash before a write only means those events are sent again (delivery is at least
// once; receivers de-duplicate on `webhook-id`).
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import { newId } from '../ids.ts';
import type { Db, Tx } from '../store/database.ts';
import { ROWS_PER_STATEMENT, insertRows } from '../store/insert-rows.ts';
import type { DeliveryChanges } from './outcome.ts';
import type { SendResult } from './sender.ts';

/** One attempt's record: the delivery it belongs to, when it was made, what came back. */
export interface AttemptRecord {
  deliveryId: string;
  attemptedAt: number;
  result: SendResult;
  changes: DeliveryChanges;
}

/** Changes to an endpoint after its recorded attempts. */
export interface EndpointChange {
  failingSince?: string | null;
  disabledReason?: string;
}

export interface AttemptRecorderDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Buffered attempts are written within this many milliseconds. */
  everyMs?: number;
  /** …or as soon as this many are buffered. */
  maxBuffered?: number;
}

async function insertAttempts(tx: Tx, records: readonly AttemptRecord[]): Promise<void> {
  await insertRows(
    tx,
    'webhook_attempts',
    records.map((r) => ({
      id: newId('webhookAttempt', r.attemptedAt),
      delivery_id: r.deliveryId,
      attempted_at: isoAt(r.attemptedAt),
      status_code: r.result.statusCode ?? null,
      error: r.result.error ?? null,
      duration_ms: r.result.durationMs,
    })),
  );
}

/** Applies the deliveries' new states; only a pending delivery moves (one canceled meanwhile stays so). */
async function updateDeliveries(tx: Tx, records: readonly AttemptRecord[], now: string): Promise<void> {
  const delivered = records.filter((r) => r.changes.status === 'delivered').map((r) => r.deliveryId);
  for (let i = 0; i < delivered.length; i += ROWS_PER_STATEMENT) {
    await tx
      .updateTable('webhook_deliveries')
      .set({ status: 'delivered', next_attempt_at: null, attempt_count: sql<number>`attempt_count + 1`, updated_at: now })
      .where('id', 'in', delivered.slice(i, i + ROWS_PER_STATEMENT))
      .where('status', '=', 'pending')
      .execute();
  }
  for (const r of records) {
    if (r.changes.status !== 'delivered')
      await tx.updateTable('webhook_deliveries').set(r.changes).where('id', '=', r.deliveryId).where('status', '=', 'pending').execute();
  }
}

async function updateEndpoint(tx: Tx, endpointId: string, change: EndpointChange, now: string): Promise<void> {
  if (change.failingSince !== undefined) {
    await tx.updateTable('webhook_endpoints').set({ failing_since: change.failingSince }).where('id', '=', endpointId).execute();
  }
  if (change.disabledReason !== undefined) {
    await tx
      .updateTable('webhook_endpoints')
      .set({ status: 'disabled', disabled_reason: change.disabledReason, disabled_at: now, updated_at: now, lease_owner: null, lease_until: now })
      .where('id', '=', endpointId)
      .execute();
    // Nothing more is sent to a disabled endpoint: what was still pending has failed.
    await tx
      .updateTable('webhook_deliveries')
      .set({ status: 'failed', next_attempt_at: null, updated_at: now })
      .where('endpoint_id', '=', endpointId)
      .where('status', '=', 'pending')
      .execute();
  }
}

// A write of 250 attempts takes a few milliseconds; the event loop (and the API on it) waits
// that long, so writes stay small rather than few.
export function createAttemptRecorder({ db, clock, logger, everyMs = 100, maxBuffered = 250 }: AttemptRecorderDeps) {
  let records: AttemptRecord[] = [];
  let endpoints = new Map<string, EndpointChange>();
  let timer: NodeJS.Timeout | undefined;
  // Writes run one after another, in the order they were buffered.
  let writing: Promise<void> = Promise.resolve();

  async function write(batch: AttemptRecord[], changes: Map<string, EndpointChange>): Promise<void> {
    const now = isoAt(clock());
    await db.transaction().execute(async (tx) => {
      await insertAttempts(tx, batch);
      await updateDeliveries(tx, batch, now);
      for (const [endpointId, change] of changes) await updateEndpoint(tx, endpointId, change, now);
    });
  }

  /** Writes everything buffered so far; resolves once it is committed. */
  function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    if (records.length === 0 && endpoints.size === 0) return writing;
    const batch = records;
    const changes = endpoints;
    records = [];
    endpoints = new Map();
    const done = writing.catch(() => undefined).then(() => write(batch, changes));
    writing = done;
    return done;
  }

  function flushInBackground(): void {
    flush().catch((err: unknown) => logger.error({ err, worker: 'webhooks' }, 'recording webhook attempts failed; those events will be sent again'));
  }

  return {
    /** Buffers an attempt and what it changed on its endpoint. */
    add(endpointId: string, record: AttemptRecord, change: EndpointChange): void {
      records.push(record);
      if (change.failingSince !== undefined || change.disabledReason !== undefined) endpoints.set(endpointId, { ...endpoints.get(endpointId), ...change });
      if (records.length >= maxBuffered) flushInBackground();
      else if (!timer) {
        timer = setTimeout(flushInBackground, everyMs);
        timer.unref();
      }
    },
    flush,
  };
}

export type AttemptRecorder = ReturnType<typeof createAttemptRecorder>;
