// Queries compiled once, for the few that every request runs. Kysely builds a query's tree and
// compiles it to SQL on every call: a tenth of the work of a POST /v1/payments (issue 21's
// profile) went to building and compiling queries whose text never changes. A prepared query is
// built once with placeholders where its arguments go, compiled by the database's own dialect,
// and then run with new arguments through the executor given (the database or a transaction).
// Its SQL text is then one string object, so the SQLite statement cache (database.ts) finds it
// without hashing a new string each time.
//
// Only for queries whose shape does not depend on their arguments (no IN lists, no optional
// filters): the template is compiled from the first call's shape.
import type { Compilable, CompiledQuery, QueryResult } from 'kysely';
import type { DbOrTx } from './database.ts';

const PLACEHOLDER = '\u0000payrail-argument:';

type Slot = { name: string } | { value: unknown };

interface Template {
  compiled: CompiledQuery;
  slots: Slot[];
}

export interface PreparedQuery<A extends Record<string, unknown>, R> {
  /** Runs the query with `args` through `executor`. */
  execute(executor: DbOrTx, args: A): Promise<R[]>;
  /** The first row, or undefined. */
  first(executor: DbOrTx, args: A): Promise<R | undefined>;
}

/**
 * A query compiled once per database. `build` gets the executor and `arg(name)`, a placeholder to
 * put wherever the value of `args[name]` goes; it must use every value only as a bound parameter.
 */
export function prepared<A extends Record<string, unknown>, R>(
  build: (db: DbOrTx, arg: (name: keyof A & string) => never) => Compilable<R>,
): PreparedQuery<A, R> {
  // One template per dialect instance: tests open SQLite and PostgreSQL side by side.
  const templates = new WeakMap<object, Template>();

  function templateFor(executor: DbOrTx): Template {
    const adapter = executor.getExecutor().adapter;
    let template = templates.get(adapter);
    if (!template) {
      const compiled = build(executor, (name) => `${PLACEHOLDER}${name}` as never).compile();
      const slots = compiled.parameters.map((value): Slot =>
        typeof value === 'string' && value.startsWith(PLACEHOLDER) ? { name: value.slice(PLACEHOLDER.length) } : { value },
      );
      template = { compiled, slots };
      templates.set(adapter, template);
    }
    return template;
  }

  async function execute(executor: DbOrTx, args: A): Promise<R[]> {
    const { compiled, slots } = templateFor(executor);
    const parameters = slots.map((slot) => ('name' in slot ? args[slot.name] : slot.value));
    const result: QueryResult<R> = await executor.executeQuery<R>({ ...compiled, parameters } as CompiledQuery<R>);
    return result.rows;
  }

  return {
    execute,
    async first(executor, args) {
      return (await execute(executor, args))[0];
    },
  };
}
