// One pass of the single-file collector in a process of its own, for the crash tests: with
// PAYRAIL_CRASH_AT set, it kills itself (SIGKILL) at that point, the way a power cut would.
// Argument: the database URL, the bank's folder, and a file listing every upload that really
// wrote a file (one name a line), so a second upload would show across processes.
import { appendFileSync } from 'node:fs';
import pino from 'pino';
import { createLocalTransport } from '../../../src/bank/transports/local-transport.ts';
import type { BankEndpoint } from '../../../src/bank/endpoints.ts';
import { systemClock } from '../../../src/clock.ts';
import { parseConfig } from '../../../src/config.ts';
import { createSingleFileCollector } from '../../../src/payments/single-file-collector.ts';
import { createServices } from '../../../src/services.ts';
import { openDatabase } from '../../../src/store/database.ts';

const [url, bankRoot, uploadsLog] = process.argv.slice(2) as [string, string, string];
const database = await openDatabase(url);
const config = parseConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' });
const services = createServices({ db: database.db, clock: systemClock, config });
const local = createLocalTransport(bankRoot);
const transport = {
  ...local,
  async upload(name: string, content: string) {
    const had = await local.has(name);
    await local.upload(name, content);
    if (!had) appendFileSync(uploadsLog, `${name}\n`);
  },
};
const endpoint: BankEndpoint = { id: 'dbs', profile: 'generic', transport, keepCopy: async () => {} };
const collector = createSingleFileCollector({
  db: database.db,
  clock: systemClock,
  logger: pino({ level: 'silent' }),
  transitions: services.transitions,
  endpointFor: () => endpoint,
  endpointById: (id) => (id === endpoint.id ? endpoint : undefined),
  intervalMs: 0,
  pendingGraceMs: 0,
});
const done = await collector.tick();
await database.close();
console.log(JSON.stringify({ done }));
