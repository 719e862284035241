// The background workers of one process (PAYRAIL_ROLE=worker or all): single-payment submission
// and status polling against the bank, and the idempotency-key purge.
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import { createSubmitWorker } from '../payments/submit-worker.ts';
import { createSandboxApiTransport } from '../sandbox-bank/api-transport.ts';
import type { Services } from '../services.ts';
import type { Db } from '../store/database.ts';
import { createLoop } from './loop.ts';

export interface WorkersDeps {
  db: Db;
  clock: Clock;
  config: Config;
  logger: Logger;
  services: Services;
}

export interface Workers {
  /** Runs one pass of every worker (tests drive the workers this way); returns the work done. */
  tick(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

const PURGE_EVERY_MS = 3600_000;

export function createWorkers({ db, clock, config, logger, services }: WorkersDeps): Workers {
  const sandboxApi = createSandboxApiTransport({ db, clock, ackDelayMs: config.sandboxAckDelayMs, calendar: services.calendar });
  const payments = createSubmitWorker({ db, clock, logger, bank: sandboxApi, transitions: services.transitions });
  let lastPurge = 0;
  const purge = async () => {
    if (clock() - lastPurge < PURGE_EVERY_MS) return 0;
    lastPurge = clock();
    await services.idempotency.purgeExpired();
    return 0;
  };
  const loops = [
    createLoop('single-payments', payments.tick, { idleMs: 100, logger }),
    createLoop('idempotency-purge', purge, { idleMs: 60_000, logger }),
  ];
  return {
    async tick() {
      return (await payments.tick()) + (await purge());
    },
    start() {
      for (const loop of loops) loop.start();
    },
    async stop() {
      await Promise.all(loops.map((loop) => loop.stop()));
    },
  };
}
