// Tenancy (SPEC §2): a client reads what its organisation owns. An organisation is the clients
// grouped with `payrail clients create … --organisation ORG` (SPEC §10); by default a client is an
// organisation of its own, and then reads exactly what it created. Another organisation's objects
// are not found (404), never shown.
//
// The reader's organisation comes with its authenticated client (src/auth/bearer.ts loads the
// client row, organisation_id included), so scoping adds no query to reading one object: its
// owner must be one of the organisation's clients, checked in the same statement. A list reads
// the organisation's clients first (a small table), then each client's page through its own
// (client_id, id) index, merged newest first: one statement over `client_id IN (…)` makes
// PostgreSQL walk the whole primary key backwards for a client with few objects among many.
import type { Client } from './service.ts';
import type { Db } from '../store/database.ts';

/**
 * Who reads: any client, by its organisation; or a console user (SPEC §11), by the clients they
 * were given — exactly those, not their organisations (a user sees only the clients they were given).
 */
export type Reader = Pick<Client, 'organisationId'> | ClientsReader;

/** A reader of a fixed set of clients: a console user. */
export interface ClientsReader {
  clientIds: readonly string[];
}

function isClientsReader(reader: Reader): reader is ClientsReader {
  return 'clientIds' in reader;
}

/**
 * The ids of the reader's organisation's clients, as a subquery for `where('client_id', 'in', …)`.
 * A client row without an organisation (none since migration 0013) is its own, as in toClient.
 */
export function organisationClientIds(db: Db, reader: Reader) {
  // No client given: an id no client has (`IN ()` is not SQL).
  if (isClientsReader(reader))
    return db
      .selectFrom('clients')
      .select('clients.id')
      .where('clients.id', 'in', reader.clientIds.length > 0 ? [...reader.clientIds] : ['']);
  const org = reader.organisationId;
  return db
    .selectFrom('clients')
    .select('clients.id')
    .where((eb) => eb.or([eb('clients.organisation_id', '=', org), eb.and([eb('clients.organisation_id', 'is', null), eb('clients.id', '=', org)])]));
}

/** The ids of the reader's organisation's clients. */
export async function organisationMembers(db: Db, reader: Reader): Promise<string[]> {
  if (isClientsReader(reader)) return [...reader.clientIds].sort();
  const rows = await organisationClientIds(db, reader).orderBy('clients.id').execute();
  return rows.map((r) => r.id);
}

/**
 * The newest `count` rows of the reader's organisation, by id descending: `page(clientId)` reads one
 * client's newest `count` rows (same filters, same cursor), and the pages are merged. Ids are
 * time-ordered ULIDs under one prefix, so their text order is their age.
 */
export async function newestOfOrganisation<R extends { id: string }>(
  db: Db,
  reader: Reader,
  count: number,
  page: (clientId: string) => Promise<R[]>,
): Promise<R[]> {
  const members = await organisationMembers(db, reader);
  if (members.length === 1) return page(members[0]!);
  const pages = await Promise.all(members.map(page));
  return pages
    .flat()
    .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .slice(0, count);
}
