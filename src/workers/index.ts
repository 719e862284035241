// The background workers of one process (PAYRAIL_ROLE=worker or all): single-payment submission
// and status polling against the bank, approval expiry, and the idempotency-key purge.
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import { createSubmitWorker } from '../payments/submit-worker.ts';
import { createSandboxApiTransport } from '../sandbox-bank/api-transport.ts';
import { createAckApplier } from '../acknowledgements/apply.ts';
import { createAckReader } from '../acknowledgements/reader-worker.ts';
import type { BankConnection } from '../bank/setup.ts';
import { createBatchDispatcher } from '../batches/dispatcher.ts';
import { createSandboxFileBank } from '../sandbox-bank/file-bank.ts';
import type { Services } from '../services.ts';
import { canDeliverInChild, createDeliveryProcess } from '../webhooks/delivery-process.ts';
import type { WebhookOptions } from '../webhooks/options.ts';
import { systemResolver } from '../webhooks/resolver.ts';
import { DEFAULT_TIMEOUT_MS, createWebhookSender } from '../webhooks/sender.ts';
import { createWebhookWorker } from '../webhooks/worker.ts';
import type { ApiActivity } from '../http/api-activity.ts';
import type { Database, Db } from '../store/database.ts';
import { createLoop } from './loop.ts';

export interface WorkersDeps {
  db: Db;
  /** Which database `db` is (row locks are taken only on PostgreSQL). */
  dialect: Database['dialect'];
  clock: Clock;
  config: Config;
  logger: Logger;
  services: Services;
  /** Test seams of webhook delivery (timeout, DNS, jitter). */
  webhooks?: WebhookOptions;
  bank: BankConnection;
  /** Whether the API is answering requests (http/api-activity.ts): webhook delivery yields to them. */
  apiActivity?: ApiActivity;
}

export interface Workers {
  /** Where the background loop delivers webhooks: a child process of its own, or this event loop. */
  readonly webhookDelivery: 'process' | 'event-loop';
  /** Runs one pass of every worker (tests drive the workers this way); returns the work done. */
  tick(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

const PURGE_EVERY_MS = 3600_000;

function useDeliveryProcess(config: Config, options: WebhookOptions): boolean {
  return canDeliverInChild(config) && options.resolve === undefined && options.random === undefined && options.timeoutMs === undefined;
}

export function createWorkers({ db, dialect, clock, config, logger, services, bank, webhooks: webhookOptions = {}, apiActivity }: WorkersDeps): Workers {
  const sandboxApi = createSandboxApiTransport({ db, clock, ackDelayMs: config.sandboxAckDelayMs, calendar: services.calendar });
  const payments = createSubmitWorker({ db, clock, logger, bank: sandboxApi, transitions: services.transitions, leaseMs: config.workerLeaseMs });
  const dispatcher = createBatchDispatcher({
    db, clock, logger, transport: bank.transport, outbox: services.outbox, batches: services.batches,
    keepCopy: (name, content) => bank.keepCopy('sent', name, content), pain001Version: config.pain001Version, leaseMs: config.workerLeaseMs,
  });
  const applier = createAckApplier({ clock, outbox: services.outbox, transitions: services.transitions, batches: services.batches, dialect });
  const acks = createAckReader({ db, clock, logger, transport: bank.transport, applier, keepCopy: (name, content) => bank.keepCopy('received', name, content) });
  const sandboxFiles = createSandboxFileBank({ folders: bank.sandboxFolders, clock, ackDelayMs: config.sandboxAckDelayMs, calendar: services.calendar, logger, style: config.sandboxStyle });
  const sandboxTick = config.sandboxBank ? sandboxFiles.tick : async () => 0;
  const webhookTimeoutMs = webhookOptions.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const webhookSender = createWebhookSender({ resolve: webhookOptions.resolve ?? systemResolver, timeoutMs: webhookTimeoutMs });
  const webhooks = createWebhookWorker({ db, clock, logger, sender: webhookSender, retryBaseMs: config.webhookRetryBaseMs, timeoutMs: webhookTimeoutMs, random: webhookOptions.random });
  // Closures declared by the operator (possibly on another instance) reach this calendar.
  let lastClosureRefresh = 0;
  const refreshClosures = async () => {
    if (clock() - lastClosureRefresh < 60_000) return 0;
    lastClosureRefresh = clock();
    await services.closures.refresh();
    return 0;
  };
  let lastPurge = 0;
  const purge = async () => {
    if (clock() - lastPurge < PURGE_EVERY_MS) return 0;
    lastPurge = clock();
    await services.idempotency.purgeExpired();
    return 0;
  };
  // Held items nobody approved in time (PAYRAIL_APPROVAL_EXPIRY_HOURS) fail at stage APPROVAL.
  const expireApprovals = () => services.approvals.expireDue();
  const inChild = useDeliveryProcess(config, webhookOptions);
  const loops = [
    createLoop('single-payments', payments.tick, { idleMs: 100, logger }),
    createLoop('batch-dispatcher', dispatcher.tick, { idleMs: 100, logger }),
    createLoop('acknowledgements', acks.tick, { idleMs: 100, logger }),
    createLoop('sandbox-bank-files', sandboxTick, { idleMs: 100, logger }),
    // In a child process of its own, unless tests replace its DNS, timeout or jitter (functions
    // stay in this process) or the database is in this connection's memory.
    inChild ? createDeliveryProcess({ config, logger, timeoutMs: webhookTimeoutMs, apiActivity }) : webhooks.loop({ idleMs: 100 }),
    createLoop('approval-expiry', expireApprovals, { idleMs: 1000, logger }),
    createLoop('idempotency-purge', purge, { idleMs: 60_000, logger }),
    createLoop('calendar-closures', refreshClosures, { idleMs: 60_000, logger }),
  ];
  return {
    webhookDelivery: inChild ? 'process' : 'event-loop',
    async tick() {
      // In the order a payment travels: out to the bank, the bank answers, the answers are read.
      return (await expireApprovals()) + (await payments.tick()) + (await dispatcher.tick()) + (await sandboxTick()) + (await acks.tick()) + (await webhooks.tick()) + (await purge());
    },
    start() {
      for (const loop of loops) loop.start();
    },
    async stop() {
      await Promise.all(loops.map((loop) => loop.stop()));
      webhookSender.close();
    },
  };
}
