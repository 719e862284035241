// The end-to-end run on PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL; a fresh database per
// round, dropped after), against the SQLite figure of the same `npm run bench` — or, run alone,
// a SQLite round measured here. Skipped with a notice without a PostgreSQL URL.
import { POSTGRES_URL, createScratchDatabase, describeServer } from '../lib/postgres.ts';
import type { Scenario } from '../lib/scenario.ts';
import { times } from '../lib/scenario.ts';
import { perSecond } from '../lib/stats.ts';
import { endToEndSeries, rssRow, seriesNotes } from './end-to-end.ts';

const scenario: Scenario = {
  name: 'end-to-end-postgres',
  title: 'end to end on PostgreSQL',
  async run(ctx) {
    const label = 'end to end on PostgreSQL';
    if (!POSTGRES_URL) {
      const notice = 'skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL to a PostgreSQL server (a database is created and dropped)';
      ctx.log(notice);
      return { rows: [{ scenario: label, payrail: notice, reference: '—', ratio: '—', target: '—' }], notes: [`end-to-end-postgres: ${notice}.`] };
    }
    const rounds = ctx.quick ? 1 : 2;
    const pg = await endToEndSeries(ctx, 'PostgreSQL', () => createScratchDatabase(POSTGRES_URL!), rounds);
    let sqlite = ctx.earlier['end-to-end']?.paymentsPerSecond;
    const notes = seriesNotes('end-to-end-postgres', pg);
    if (sqlite === undefined) {
      sqlite = (await endToEndSeries(ctx, 'SQLite', async () => ({ drop: async () => {} }), 1)).rate;
      notes.push('end-to-end-postgres: run alone, so the SQLite figure is one round measured right after.');
    }
    return {
      rows: [
        {
          scenario: `${label} (${describeServer(POSTGRES_URL)}), same load`,
          payrail: `${perSecond(pg.rate)} payments/s to the last webhook; ${perSecond(pg.completedRate)} payments/s to the last batch COMPLETED`,
          reference: `SQLite end to end: ${perSecond(sqlite)} payments/s`,
          ratio: `${times(pg.rate / sqlite)} SQLite`,
          target: '—',
        },
        rssRow(label, pg.peakRssMb),
      ],
      notes,
    };
  },
};

export default scenario;
