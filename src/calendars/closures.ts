// Operator closures kept in the database: `payrail calendar close` writes one, and every running
// instance loads them into its calendar (at start and then every minute), so a typhoon day
// declared once reaches every value-date decision everywhere.
import type { Market } from '../accounts/model.ts';
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import type { Db } from '../store/database.ts';
import type { BusinessCalendar, Closure } from './business-calendar.ts';
import { isValidLocalDate } from './local-date.ts';

export function createClosuresService({ db, clock, calendar }: { db: Db; clock: Clock; calendar: BusinessCalendar }) {
  return {
    /** Declares a market closed on a date (idempotent); the calendar of this process knows at once. */
    async close(market: Market, date: string, reason?: string): Promise<Closure> {
      if (!isValidLocalDate(date)) throw new RangeError(`not a valid YYYY-MM-DD date: ${date}`);
      await db
        .insertInto('calendar_closures')
        .values({ market, date, reason: reason ?? null, created_at: isoAt(clock()) })
        .onConflict((oc) => oc.columns(['market', 'date']).doNothing())
        .execute();
      calendar.addClosure({ market, date, ...(reason && { reason }) });
      return { market, date, ...(reason && { reason }) };
    },

    async list(): Promise<Closure[]> {
      const rows = await db.selectFrom('calendar_closures').selectAll().orderBy('date').execute();
      return rows.map((r) => ({ market: r.market, date: r.date, ...(r.reason && { reason: r.reason }) }));
    },

    /** Loads every stored closure into this process's calendar; returns how many there are. */
    async refresh(): Promise<number> {
      const all = await this.list();
      for (const c of all) calendar.addClosure(c);
      return all.length;
    },
  };
}

export type ClosuresService = ReturnType<typeof createClosuresService>;
