// The floor under payrail's SQLite figures: better-sqlite3 alone on payrail's own schema (same
// tables, indexes and foreign keys), with payrail's pragmas (WAL, synchronous=FULL), inserting the
// rows payrail would insert, through one prepared statement, with no HTTP, validation or Kysely.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { createAccountsService } from '../../src/accounts/service.ts';
import { createClientsService } from '../../src/clients/service.ts';
import type { Client } from '../../src/clients/service.ts';
import { createOutbox } from '../../src/events/outbox.ts';
import type { PaymentInput } from '../../src/payments/model.ts';
import { newPaymentRow } from '../../src/payments/service.ts';
import { openDatabase } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import type { NewPaymentRow as PaymentRow } from '../../src/payments/service.ts';
import { SENDER_ACCOUNT, paymentBody } from './fixtures.ts';

export interface RawSqlite {
  /** A payments row as payrail would build it for a new payment (fresh id and reference). */
  newRow(): PaymentRow;
  /** One INSERT in a transaction of its own, committed. */
  insertOne(row: PaymentRow): void;
  /** Every row in one transaction. */
  insertMany(rows: readonly PaymentRow[]): void;
  close(): void;
}

export async function openRawSqlite(): Promise<RawSqlite> {
  const dir = mkdtempSync(join(tmpdir(), 'payrail-bench-raw-'));
  const file = join(dir, 'raw.db');
  // payrail's migrations, and the client and account the payments rows point at.
  const database = await openDatabase(`sqlite:${file}`);
  await migrateToLatest(database.db);
  const { client } = await createClientsService({ db: database.db, clock: Date.now, outbox: createOutbox({ clock: Date.now }) }).create({ name: 'raw' });
  const account = await createAccountsService({ db: database.db, clock: Date.now }).create(client.id, SENDER_ACCOUNT);
  await database.close();

  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  const payment = paymentBody(account.id) as PaymentInput;
  const sample = newPaymentRow(client as Client, { ...payment, paymentDate: '2030-01-02' }, SENDER_ACCOUNT.currencies, Date.now());
  const columns = Object.keys(sample);
  const insert = db.prepare(`insert into payments (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`);
  const many = db.transaction((rows: readonly PaymentRow[]) => {
    for (const row of rows) insert.run(row);
  });
  return {
    newRow: () => newPaymentRow(client, { ...payment, paymentDate: '2030-01-02' }, SENDER_ACCOUNT.currencies, Date.now()),
    insertOne: (row) => many([row]),
    insertMany: (rows) => many(rows),
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
