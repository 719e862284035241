// One acknowledgement reader per bank endpoint (the sandbox and each live connection), each on its
// own schedule: the sandbox on every pass, a live connection every `intervalMs` (at once again when
// a pass found work), and after an error later and later (doubling, at most 5 minutes). A live
// connection's polls are recorded in its state (last successful poll, last error) and counted in
// /metrics; a server that is down, refuses payrail's key or shows another host key is an error line
// in the log and in the state, and is tried again: never a crash, never a lost file (a file is
// only archived after it was applied).
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { BankEndpoint, BankEndpoints } from '../bank/endpoints.ts';
import type { BankConnectionsStore } from '../bank/connections/store.ts';

export const MAX_BACKOFF_MS = 300_000;

export interface PollerDeps {
  endpoints: BankEndpoints;
  /** A reader for one endpoint (src/acknowledgements/reader-worker.ts over its transport). */
  readerFor(endpoint: BankEndpoint): { tick(): Promise<number> };
  connections: Pick<BankConnectionsStore, 'recordPoll' | 'recordError'>;
  clock: Clock;
  logger: Logger;
  /** How often a live connection's inbox is read when nothing is happening. */
  intervalMs: number;
  /** Told of every failed poll of a live connection (the poll-errors counter). */
  onPollError?(connectionId: string): void;
}

interface Schedule {
  reader: { tick(): Promise<number> };
  nextAt: number;
  failures: number;
}

/** The wait after `failures` failed polls in a row: doubling from the interval (at least 1 s), capped. */
export function backoffMs(intervalMs: number, failures: number): number {
  return Math.min(Math.max(intervalMs, 1000) * 2 ** Math.min(failures - 1, 20), MAX_BACKOFF_MS);
}

export function createEndpointPollers({ endpoints, readerFor, connections, clock, logger, intervalMs, onPollError }: PollerDeps) {
  // Keyed by the endpoint object: a connection rebuilt after a change gets a fresh reader.
  const schedules = new Map<BankEndpoint, Schedule>();

  async function poll(endpoint: BankEndpoint, schedule: Schedule): Promise<number> {
    const live = endpoint.id !== endpoints.sandbox.id;
    try {
      const done = await schedule.reader.tick();
      if (schedule.failures > 0) logger.info({ connection: endpoint.id, failures: schedule.failures }, 'bank inbox readable again');
      schedule.failures = 0;
      schedule.nextAt = live && done === 0 ? clock() + intervalMs : clock();
      if (live) await connections.recordPoll(endpoint.id);
      return done;
    } catch (err) {
      schedule.failures++;
      const wait = backoffMs(intervalMs, schedule.failures);
      schedule.nextAt = clock() + wait;
      const reason = oneLine(err);
      // The first failure at error level; the repeats (every backoff) at warn, with their count.
      (schedule.failures === 1 ? logger.error : logger.warn).call(
        logger,
        { connection: endpoint.id, reason, failures: schedule.failures, retryInMs: wait },
        'reading the bank inbox failed; will retry',
      );
      if (live) {
        onPollError?.(endpoint.id);
        await connections
          .recordError(endpoint.id, reason)
          .catch((e: unknown) => logger.warn({ err: e, connection: endpoint.id }, 'recording a bank poll error failed'));
      }
      return 0;
    }
  }

  return {
    /** Polls every endpoint that is due; returns the files handled. */
    async tick(): Promise<number> {
      const current = endpoints.all();
      for (const endpoint of schedules.keys()) if (!current.includes(endpoint)) schedules.delete(endpoint);
      let done = 0;
      for (const endpoint of current) {
        let schedule = schedules.get(endpoint);
        if (!schedule) schedules.set(endpoint, (schedule = { reader: readerFor(endpoint), nextAt: 0, failures: 0 }));
        if (clock() < schedule.nextAt) continue;
        done += await poll(endpoint, schedule);
      }
      return done;
    },
  };
}

/** An error as one line for the state and the log: its message, without a stack or line breaks. */
export function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/\s+/g, ' ').trim().slice(0, 500) || (err instanceof Error ? err.name : 'unknown error');
}
