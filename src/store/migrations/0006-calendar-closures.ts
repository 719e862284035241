// Days an operator declares closed for clearing in a market (typhoon signal 8, black rainstorm),
// on top of the public holidays. Every instance reads them, so one CLI call reaches them all.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('calendar_closures')
    .addColumn('market', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('calendar_closures_pk', ['market', 'date'])
    .execute();
}
