// The outbox: an event is written in the same transaction as the state change it describes, so a
// crash can delay an event but never lose it or invent it. Delivery (webhooks) reads this table.
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import { newId } from '../ids.ts';
import type { DbOrTx } from '../store/database.ts';

/** The event types a client can receive (SPEC §6, seed). */
export const EVENT_TYPES = ['payment-batches.submitted', 'payment-batches.rejected', 'payments.succeeded', 'payments.failed'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface NewEvent {
  clientId: string;
  type: EventType;
  objectType: 'payment' | 'payment-batch';
  objectId: string;
  data: unknown;
}

/** Hooks run inside the event's transaction (webhook deliveries are added this way). */
export type EventAppendedHook = (tx: DbOrTx, event: { id: string; clientId: string; type: EventType }) => Promise<void>;

export function createOutbox({ clock, onAppended = [] }: { clock: Clock; onAppended?: EventAppendedHook[] }) {
  return {
    /** Appends an event inside `tx`; returns its id. */
    async append(tx: DbOrTx, event: NewEvent): Promise<string> {
      const last = await tx
        .selectFrom('events')
        .select((eb) => eb.fn.max('object_sequence').as('seq'))
        .where('object_id', '=', event.objectId)
        .executeTakeFirst();
      const id = newId('event', clock());
      await tx
        .insertInto('events')
        .values({
          id,
          client_id: event.clientId,
          type: event.type,
          object_type: event.objectType,
          object_id: event.objectId,
          object_sequence: Number(last?.seq ?? 0) + 1,
          data: JSON.stringify(event.data),
          created_at: isoAt(clock()),
        })
        .execute();
      for (const hook of onAppended) await hook(tx, { id, clientId: event.clientId, type: event.type });
      return id;
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
