// Reading events back: GET /v1/events (pollable, newest first, tenant-scoped).
import { notFound } from '../errors.ts';
import type { Db } from '../store/database.ts';
import type { Page } from '../store/page.ts';
import { toPage } from '../store/page.ts';
import type { EventRow } from '../store/schema.ts';

/** An event as clients see it (SPEC §6 envelope, plus the per-object sequence). */
export interface Event {
  id: string;
  type: string;
  createdAt: string;
  /** 1, 2, 3… per object: the order of events about the same payment or batch. */
  sequence: number;
  data: unknown;
}

export function toEvent(row: EventRow): Event {
  return { id: row.id, type: row.type, createdAt: row.created_at, sequence: row.object_sequence, data: JSON.parse(row.data) };
}

/**
 * `JSON.stringify(toEvent(row))`, without parsing and re-serialising the stored data: it is JSON
 * text already (written by JSON.stringify), so it is spliced in as it is. Webhook delivery writes
 * one body per attempt; this is most of the cost of building it.
 */
export function eventJson(row: EventRow): string {
  return `{"id":${JSON.stringify(row.id)},"type":${JSON.stringify(row.type)},"createdAt":${JSON.stringify(row.created_at)},"sequence":${row.object_sequence},"data":${row.data}}`;
}

export interface EventListFilter {
  limit?: number;
  startingAfter?: string;
  type?: string;
  objectId?: string;
}

export function createEventsService({ db }: { db: Db }) {
  return {
    async list(clientId: string, { limit = 20, startingAfter, type, objectId }: EventListFilter): Promise<Page<Event>> {
      let q = db.selectFrom('events').selectAll().where('client_id', '=', clientId);
      if (startingAfter) q = q.where('id', '<', startingAfter);
      if (type) q = q.where('type', '=', type);
      if (objectId) q = q.where('object_id', '=', objectId);
      const rows = await q
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      return toPage(rows.map(toEvent), limit);
    },

    async get(clientId: string, id: string): Promise<Event> {
      const row = await db.selectFrom('events').selectAll().where('client_id', '=', clientId).where('id', '=', id).executeTakeFirst();
      if (!row) throw notFound('event', id);
      return toEvent(row);
    },
  };
}

export type EventsService = ReturnType<typeof createEventsService>;
