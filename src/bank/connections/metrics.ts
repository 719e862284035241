// The bank connections in /metrics, labelled by connection: the state every instance can read
// from the database (last successful poll, files awaiting ACK1, files overdue, up or not), read
// when Prometheus scrapes, and the counters of this process (failed polls, files that became overdue).
import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type { ConnectionView } from './store.ts';

export interface BankMetrics {
  pollErrors: Counter<'connection'>;
  overdue: Counter<'connection'>;
}

export function registerBankMetrics(registry: Registry, list: () => Promise<ConnectionView[]>): BankMetrics {
  // One read of the connections per scrape, shared by the gauges below.
  let snapshot: { at: number; views: Promise<ConnectionView[]> } | undefined;
  const views = () => {
    if (!snapshot || Date.now() - snapshot.at > 1000) snapshot = { at: Date.now(), views: list().catch(() => []) };
    return snapshot.views;
  };
  const gauge = (name: string, help: string, value: (v: ConnectionView) => number | undefined) =>
    new Gauge({
      name,
      help,
      labelNames: ['connection'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const v of await views()) {
          const x = value(v);
          if (x !== undefined) this.set({ connection: v.id }, x);
        }
      },
    });
  gauge('payrail_bank_last_successful_poll_timestamp_seconds', "When the connection's inbox was last read without error (Unix time)", (v) =>
    v.state.lastPollAt === null ? undefined : Date.parse(v.state.lastPollAt) / 1000,
  );
  gauge('payrail_bank_connection_up', '1 when the last poll of the connection worked, 0 when it failed or never ran', (v) => (v.state.status === 'ok' ? 1 : 0));
  gauge('payrail_bank_files_awaiting_ack1', 'Files sent over the connection with no ACK1 yet', (v) => v.state.filesAwaitingAck1);
  gauge('payrail_bank_files_overdue', "Files awaiting ACK1 past the connection's ack timeout", (v) => v.state.filesOverdue);
  return {
    pollErrors: new Counter({
      name: 'payrail_bank_poll_errors_total',
      help: 'Failed polls of the connection inbox (this process)',
      labelNames: ['connection'],
      registers: [registry],
    }),
    overdue: new Counter({
      name: 'payrail_bank_files_overdue_total',
      help: 'Files that became overdue (no ACK1 in time), raised by this process',
      labelNames: ['connection'],
      registers: [registry],
    }),
  };
}
