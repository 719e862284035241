// The outbox: an event is written in the same transaction as the state change it describes, so a
// crash can delay an event but never lose it or invent it. Delivery (webhooks) reads this table.
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import { newId } from '../ids.ts';
import type { DbOrTx } from '../store/database.ts';
import { ROWS_PER_STATEMENT, insertRows } from '../store/insert-rows.ts';

/** The event types a client can receive (SPEC §6, seed), `clients.keys_changed` (issue #18), `bank-files.overdue` (SPEC §9) and the approvals' (SPEC §10). */
export const EVENT_TYPES = [
  'payment-batches.submitted',
  'payment-batches.rejected',
  'payments.succeeded',
  'payments.failed',
  'clients.keys_changed',
  'bank-files.overdue',
  'payment-batches.approval_required',
  'payment-batches.approved',
  'payments.approval_required',
  'payments.approved',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface NewEvent {
  clientId: string;
  type: EventType;
  objectType: 'payment' | 'payment-batch' | 'client';
  objectId: string;
  data: unknown;
}

/** An event just written, as the hooks see it. */
export interface AppendedEvent {
  id: string;
  clientId: string;
  type: EventType;
}

/** Hooks run inside the events' transaction, once per append with every event of it (webhook deliveries are added this way). */
export type EventAppendedHook = (tx: DbOrTx, events: readonly AppendedEvent[]) => Promise<void>;

/** The highest sequence number so far of each object (absent: none yet). */
async function lastSequences(tx: DbOrTx, objectIds: string[]): Promise<Map<string, number>> {
  const last = new Map<string, number>();
  for (let i = 0; i < objectIds.length; i += ROWS_PER_STATEMENT) {
    const rows = await tx
      .selectFrom('events')
      .select((eb) => ['object_id', eb.fn.max('object_sequence').as('seq')])
      .where('object_id', 'in', objectIds.slice(i, i + ROWS_PER_STATEMENT))
      .groupBy('object_id')
      .execute();
    for (const r of rows) last.set(r.object_id, Number(r.seq));
  }
  return last;
}

export function createOutbox({ clock, onAppended = [] }: { clock: Clock; onAppended?: EventAppendedHook[] }) {
  /**
   * Appends events inside `tx`, in the order given (ids and per-object sequence numbers follow
   * it); returns their ids. One query for the sequences and one INSERT per 500 events, however
   * many there are: an ACK3 of 1,000 payments appends 1,000 events.
   */
  async function appendMany(tx: DbOrTx, events: readonly NewEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    const sequences = await lastSequences(tx, [...new Set(events.map((e) => e.objectId))]);
    const createdAt = isoAt(clock());
    const rows = events.map((event) => {
      const sequence = (sequences.get(event.objectId) ?? 0) + 1;
      sequences.set(event.objectId, sequence);
      return {
        id: newId('event', clock()),
        client_id: event.clientId,
        type: event.type,
        object_type: event.objectType,
        object_id: event.objectId,
        object_sequence: sequence,
        data: JSON.stringify(event.data),
        created_at: createdAt,
      };
    });
    await insertRows(tx, 'events', rows);
    const appended = rows.map((r, i) => ({ id: r.id, clientId: r.client_id, type: events[i]!.type }));
    for (const hook of onAppended) await hook(tx, appended);
    return appended.map((e) => e.id);
  }

  return {
    appendMany,

    /** Appends an event inside `tx`; returns its id. */
    async append(tx: DbOrTx, event: NewEvent): Promise<string> {
      const [id] = await appendMany(tx, [event]);
      return id!;
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
