// The same tests run on SQLite and on PostgreSQL. PostgreSQL comes from TEST_DATABASE_URL (each
// test file gets its own fresh database, dropped after); unset on a laptop, those runs are
// skipped with a printed notice; unset in CI (CI=true), the run fails.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export interface DatabaseKind {
  name: 'sqlite' | 'postgres';
  /** Set when this kind cannot run here: the reason, printed by the test runner. */
  skip: string | false;
  create(): Promise<TestDatabase>;
}

const pgUrl = process.env.TEST_DATABASE_URL;
if (!pgUrl && process.env.CI) throw new Error('TEST_DATABASE_URL must be set in CI (.ci/run sets it)');
let noticePrinted = false;

function sqliteKind(): DatabaseKind {
  return {
    name: 'sqlite',
    skip: false,
    async create() {
      const dir = mkdtempSync(join(tmpdir(), 'payrail-test-'));
      return { url: `sqlite:${join(dir, 'payrail.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  };
}

function postgresKind(): DatabaseKind {
  if (!pgUrl && !noticePrinted) {
    noticePrinted = true;
    console.log('# notice: TEST_DATABASE_URL is unset: PostgreSQL tests are skipped (CI runs them)');
  }
  return {
    name: 'postgres',
    skip: pgUrl ? false : 'TEST_DATABASE_URL is unset (PostgreSQL tests run in CI)',
    async create() {
      const name = `payrail_test_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: pgUrl });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      const url = new URL(pgUrl!);
      url.pathname = `/${name}`;
      return {
        url: url.toString(),
        async drop() {
          const c = new pg.Client({ connectionString: pgUrl });
          await c.connect();
          await c.query(`drop database if exists ${name} with (force)`);
          await c.end();
        },
      };
    },
  };
}

/** Both kinds, to loop over: `for (const kind of databaseKinds()) describe(kind.name, { skip: kind.skip }, …)`. */
export function databaseKinds(): DatabaseKind[] {
  return [sqliteKind(), postgresKind()];
}
