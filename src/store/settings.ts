// Installation-wide values kept in the database, created once on first use.
import type { DbOrTx } from './database.ts';

/**
 * The value of `key`, creating it with `make()` if absent. Safe when several processes start at
 * once: the first insert wins and everyone reads that one.
 */
export async function getOrCreateSetting(db: DbOrTx, key: string, make: () => string): Promise<string> {
  const found = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  if (found) return found.value;
  await db
    .insertInto('settings')
    .values({ key, value: make() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}
