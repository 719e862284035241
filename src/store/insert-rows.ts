// Many rows into one table: multi-row INSERTs of at most ROWS_PER_STATEMENT rows, well under
// SQLite's (32,766) and PostgreSQL's (65,535) bound-parameter limits for payrail's widest table.
// The same bound applies to the ids of an IN list.
//
// Kysely turns every value of an INSERT into an operation node and compiles the tree to SQL on
// each call: for 500 payments that takes longer than SQLite takes to run the statement. The SQL
// depends only on the dialect, the table, the columns and the number of rows, so each shape is
// compiled once and then run with the new rows' values. The first compile of a shape is checked:
// only when Kysely binds exactly the rows' values in column order is the SQL reused.
import { CompiledQuery } from 'kysely';
import type { InsertObject } from 'kysely';
import type { DbOrTx } from './database.ts';
import type { Tables } from './schema.ts';

export const ROWS_PER_STATEMENT = 500;

/** Shapes remembered, least recently used dropped first. */
const SHAPES_REMEMBERED = 64;

/**
 * SQL by shape: the one-row INSERT of the same columns as Kysely compiles it (which says the
 * table, the columns and the dialect) and the row count. `false`: Kysely binds this shape some
 * other way; always compile it. A cache of compiler output, the same for every database of a
 * dialect, so it is shared.
 */
const compiledShapes = new Map<string, string | false>();

/** The values of `rows` in column order, or undefined when a row has other columns than the first. */
function valuesOf(rows: readonly Record<string, unknown>[], columns: readonly string[]): unknown[] | undefined {
  const values: unknown[] = [];
  for (const row of rows) {
    if (Object.keys(row).length !== columns.length) return undefined;
    for (const column of columns) {
      const value = row[column];
      if (value === undefined) return undefined;
      values.push(value);
    }
  }
  return values;
}

async function insertChunk<T extends keyof Tables & string>(tx: DbOrTx, table: T, rows: readonly InsertObject<Tables, T>[]): Promise<void> {
  const values = valuesOf(rows as readonly Record<string, unknown>[], Object.keys(rows[0]!));
  // Built only when needed: .values() alone turns every value into an operation node.
  const query = () => tx.insertInto(table).values(rows);
  if (!values) {
    await query().execute();
    return;
  }
  const shape = `${tx.insertInto(table).values(rows[0]!).compile().sql} x${rows.length}`;
  let sql = compiledShapes.get(shape);
  if (sql === undefined) {
    const compiled = query().compile();
    const same = compiled.parameters.length === values.length && compiled.parameters.every((p, i) => Object.is(p, values[i]));
    sql = same ? compiled.sql : false;
    if (compiledShapes.size >= SHAPES_REMEMBERED) compiledShapes.delete(compiledShapes.keys().next().value!);
    compiledShapes.set(shape, sql);
    await tx.executeQuery(compiled);
    return;
  }
  compiledShapes.delete(shape); // re-inserted: most recently used last
  compiledShapes.set(shape, sql);
  await (sql === false ? query().execute() : tx.executeQuery(CompiledQuery.raw(sql, values)));
}

/** Inserts `rows` in chunks, in order. */
export async function insertRows<T extends keyof Tables & string>(tx: DbOrTx, table: T, rows: readonly InsertObject<Tables, T>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await insertChunk(tx, table, rows.slice(i, i + ROWS_PER_STATEMENT));
}
