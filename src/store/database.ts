// One storage layer over two databases: better-sqlite3 (embedded default) and PostgreSQL (`pg`).
// Every query is written once in Kysely; the dialect differences live here.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { DatabaseConnection, Driver, SqliteDatabase, Transaction } from 'kysely';
import pg from 'pg';
import { ConfigError } from '../config.ts';
import { startCheckpointer } from './checkpoint.ts';
import { createGroupCommit, plainTransactions } from './group-commit.ts';
import type { Transact } from './group-commit.ts';
import type { Tables } from './schema.ts';

export type Db = Kysely<Tables>;
export type Tx = Transaction<Tables>;
export type DbOrTx = Db | Tx;

/** An open database and which kind it is. */
export interface Database {
  readonly db: Db;
  readonly dialect: 'sqlite' | 'postgres';
  /** Transactions of concurrent requests, committed together on SQLite (group-commit.ts). */
  readonly transact: Transact;
  close(): Promise<void>;
}

/**
 * SQLite transactions start with BEGIN IMMEDIATE: the write lock is taken up front, so a
 * transaction that reads and then writes waits (busy_timeout) for another process (the CLI, a
 * second server) instead of failing with SQLITE_BUSY when it tries to upgrade its lock.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}

// Statements kept prepared per connection, least recently used dropped first. The bound keeps
// memory flat when SQL texts vary (IN lists of many lengths).
const STATEMENT_CACHE_SIZE = 200;

/**
 * The connection as Kysely sees it, with prepared statements reused by SQL text: Kysely prepares
 * every query it runs, and preparing costs as much as running a small one (a 500-row INSERT:
 * milliseconds). Safe with one connection used by one query at a time, as Kysely's SQLite driver
 * does (a mutex around the single connection).
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let statement = statements.get(text);
      if (statement) {
        statements.delete(text); // re-inserted below: most recently used last
      } else {
        statement = sqlite.prepare(text);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
      }
      statements.set(text, statement);
      return statement;
    },
  };
}

function openSqlite(path: string): Database {
  const file = path === ':memory:' ? path : resolve(path);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a committed transaction survives power loss, not only a process crash.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Checkpoints are the checkpointer thread's (checkpoint.ts), never a COMMIT's: a request does not pay for one.
  const checkpointer =
    file === ':memory:' ? undefined : (sqlite.pragma('wal_autocheckpoint = 0'), startCheckpointer(file, {}, () => sqlite.pragma('wal_autocheckpoint = 1000')));
  const db = new Kysely<Tables>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    db,
    dialect: 'sqlite',
    transact: createGroupCommit(db),
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

// int8 (bigint) columns hold minor units and counts, always safe integers: read them as numbers.
const INT8_OID = 20;
const pgTypes = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

function openPostgres(url: string): Database {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000, types: pgTypes });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', transact: plainTransactions(db), close: () => db.destroy() };
}

function describe(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'the configured server';
  }
}

/**
 * Opens the database named by a DATABASE_URL and checks that it answers. Unreachable or unusable:
 * ConfigError naming DATABASE_URL (the CLI prints it as one line).
 */
export async function openDatabase(url: string): Promise<Database> {
  let database: Database;
  if (url.startsWith('sqlite:')) {
    try {
      database = openSqlite(url.slice('sqlite:'.length));
    } catch (err) {
      throw new ConfigError('DATABASE_URL', `cannot open SQLite database: ${(err as Error).message}`);
    }
  } else if (/^postgres(ql)?:\/\//.test(url)) {
    database = openPostgres(url);
  } else {
    throw new ConfigError('DATABASE_URL', `unknown scheme in '${url.split(':')[0]}:' (use sqlite:PATH or postgres://…)`);
  }
  try {
    await sql`select 1`.execute(database.db);
  } catch (err) {
    await database.close().catch(() => {});
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    const kind = database.dialect === 'postgres' ? `PostgreSQL at ${describe(url)}` : 'SQLite database';
    throw new ConfigError('DATABASE_URL', `cannot connect to ${kind}: ${reason}`);
  }
  return database;
}

/** True when the database answers a trivial query (for /readyz). */
export async function isReachable(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
