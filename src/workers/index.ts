// The background workers of one process (PAYRAIL_ROLE=worker or all): single-payment submission
// and status polling against the sandbox's API, the batch dispatcher (test and live batches, each
// to its endpoint), one acknowledgement reader per bank endpoint, the bank connections' refresh and
// overdue watch, approval expiry, live single payments collected into pain.001 files, webhooks, and the idempotency-key purge. The sandbox bank's pieces are built by
// the composition root (src/app.ts) and handed in: nothing here knows how the sandbox is made.
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import { createSingleFileCollector } from '../payments/single-file-collector.ts';
import { createSubmitWorker } from '../payments/submit-worker.ts';
import { createAckApplier } from '../acknowledgements/apply.ts';
import { createAckReader } from '../acknowledgements/reader-worker.ts';
import { createEndpointPollers } from '../acknowledgements/endpoint-pollers.ts';
import type { ApiTransport } from '../bank/connector.ts';
import type { BankEndpoint } from '../bank/endpoints.ts';
import type { BankMetrics } from '../bank/connections/metrics.ts';
import { createOverdueWatch } from '../bank/connections/overdue.ts';
import type { BankEndpointRegistry } from '../bank/connections/registry.ts';
import { createBatchDispatcher } from '../batches/dispatcher.ts';
import type { Services } from '../services.ts';
import { canDeliverInChild, createDeliveryProcess } from '../webhooks/delivery-process.ts';
import type { WebhookOptions } from '../webhooks/options.ts';
import { systemResolver } from '../webhooks/resolver.ts';
import { DEFAULT_TIMEOUT_MS, createWebhookSender } from '../webhooks/sender.ts';
import { createWebhookWorker } from '../webhooks/worker.ts';
import type { ApiActivity } from '../http/api-activity.ts';
import type { Database, Db } from '../store/database.ts';
import type { Transact } from '../store/group-commit.ts';
import { createLoop } from './loop.ts';
import { DELIVERY_CHANNEL } from '../store/migrations/0018-webhook-delivery-work.ts';
import { WORK_CHANNEL } from '../store/migrations/0015-work-notifications.ts';
import { anyWakeup, createWakeup, listenForWork, notTestSinglePayments } from './wake.ts';
import type { Hears, Wakeup } from './wake.ts';

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
  /** The sandbox and every live bank connection (src/bank/connections/registry.ts). */
  endpoints: BankEndpointRegistry;
  /** The sandbox bank: its API (test-mode single payments) and, when it runs here, one pass of its file side. */
  sandbox: { api: ApiTransport; filesTick?: () => Promise<number> };
  bankMetrics?: BankMetrics;
  /** How often a live connection's inbox is read when idle (default 10 s). */
  bankPollIntervalMs?: number;
  /** Whether the API is answering requests (http/api-activity.ts): webhook delivery yields to them. */
  apiActivity?: ApiActivity;
  /** Wakes idle loops when work arrives (the API calls wake() after a change); default: one of their own. */
  wakeup?: Wakeup;
  /** The database's group commit (SQLite): the single-payment worker's transactions join the API's. */
  transact?: Transact;
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
/** How long the single-payment worker waits after a pass that was not full. */
const SINGLES_IDLE_MS = 50;
/** Every instance reads the bank connections again at least this often (BANKS.md §1: within a minute). */
const CONNECTIONS_REFRESH_MS = 30_000;
const OVERDUE_CHECK_MS = 60_000;

function useDeliveryProcess(config: Config, options: WebhookOptions): boolean {
  return canDeliverInChild(config) && options.resolve === undefined && options.random === undefined && options.timeoutMs === undefined;
}

export function createWorkers({
  db,
  dialect,
  clock,
  config,
  logger,
  services,
  endpoints,
  sandbox,
  bankMetrics,
  bankPollIntervalMs = 10_000,
  webhooks: webhookOptions = {},
  apiActivity,
  wakeup = createWakeup(),
  transact,
}: WorkersDeps): Workers {
  // Single payments: test mode over the sandbox's API; live single payments wait (PROCESSING) for their files.
  const payments = createSubmitWorker({ db, clock, logger, bank: sandbox.api, transitions: services.transitions, leaseMs: config.workerLeaseMs, transact });
  const dispatcher = createBatchDispatcher({
    db,
    clock,
    logger,
    endpoints,
    outbox: services.outbox,
    batches: services.batches,
    transitions: services.transitions,
    pain001Version: config.pain001Version,
    leaseMs: config.workerLeaseMs,
  });
  const singleFiles = createSingleFileCollector({
    db,
    clock,
    logger,
    transitions: services.transitions,
    intervalMs: config.singleFileIntervalMs,
    pain001Version: config.pain001Version,
    pendingGraceMs: config.workerLeaseMs,
    endpointFor: (senderAccountBank) => endpoints.forBank(senderAccountBank),
    endpointById: (id) => endpoints.byId(id),
  });
  const applier = createAckApplier({ clock, outbox: services.outbox, transitions: services.transitions, batches: services.batches, dialect });
  const readerFor = (endpoint: BankEndpoint) =>
    createAckReader({
      db,
      clock,
      logger: logger.child({ connection: endpoint.id }),
      transport: endpoint.transport,
      endpointId: endpoint.id,
      applier,
      keepCopy: (name, content) => endpoint.keepCopy('received', name, content),
    });
  const acks = createEndpointPollers({
    endpoints,
    readerFor,
    connections: services.bankConnections,
    clock,
    logger,
    intervalMs: bankPollIntervalMs,
    onPollError: (id) => bankMetrics?.pollErrors.inc({ connection: id }),
  });
  const overdue = createOverdueWatch({
    db,
    clock,
    outbox: services.outbox,
    batches: services.batches,
    logger,
    onOverdue: (id) => bankMetrics?.overdue.inc({ connection: id }),
  });
  const sandboxTick = sandbox.filesTick ?? (async () => 0);
  let lastConnectionsRefresh = 0;
  const refreshConnections = async () => {
    if (clock() - lastConnectionsRefresh < CONNECTIONS_REFRESH_MS) return 0;
    lastConnectionsRefresh = clock();
    await endpoints.refresh();
    return 0;
  };
  let lastOverdueCheck = 0;
  const checkOverdue = async () => {
    if (clock() - lastOverdueCheck < OVERDUE_CHECK_MS) return 0;
    lastOverdueCheck = clock();
    await overdue.tick();
    return 0;
  };
  const webhookTimeoutMs = webhookOptions.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const webhookSender = createWebhookSender({ resolve: webhookOptions.resolve ?? systemResolver, timeoutMs: webhookTimeoutMs });
  const webhooks = createWebhookWorker({
    db,
    clock,
    logger,
    sender: webhookSender,
    retryBaseMs: config.webhookRetryBaseMs,
    timeoutMs: webhookTimeoutMs,
    random: webhookOptions.random,
  });
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
  /** Webhook deliveries scheduled on PostgreSQL (NOTIFY payrail_webhooks): heard here only when delivery runs in this thread. */
  const deliveriesScheduled = createWakeup();
  // The loops that look for work in the database or the bank's folders: idle, they back off to
  // PAYRAIL_WORKER_IDLE_POLL_MS and are woken when work arrives (src/workers/wake.ts). One that did
  // work wakes the others: the payment's next step is theirs (file out, bank answer, events).
  // Batches and bank files do not hear of test-mode single payments (the sandbox's API takes
  // those): under a stream of POST /v1/payments they would look for work after every one (issue
  // 21: a quarter of the database time of the default role).
  const working = (name: string, tick: () => Promise<number>, hears?: Hears) =>
    createLoop(
      name,
      async () => {
        const done = await tick();
        if (done > 0) wakeup.wake();
        return done;
      },
      { idleMs: 100, maxIdleMs: Math.max(100, config.workerIdlePollMs), logger, wakeup, hears },
    );
  const loops = [
    // A pass that leased less than a full batch waits for the next turn (also when woken): payments
    // gather into bigger passes (three transactions a pass, whatever its size) instead of one each.
    createLoop(
      'single-payments',
      async () => {
        const done = await payments.tick();
        // What it did is news for webhooks (and itself): it takes only test-mode single payments.
        if (done > 0) wakeup.wake('test-single-payment');
        // Again at once only when the pass was full. Not when it applied many changes: under a
        // stream of payments that was every pass (each applies ~4 per payment), so passes ran back
        // to back, ~37 ms apart, and asked the bank about each payment 2.2 times (issue 21).
        return payments.lastPassFull() ? 1 : 0;
      },
      { idleMs: SINGLES_IDLE_MS, maxIdleMs: Math.max(SINGLES_IDLE_MS, config.workerIdlePollMs), logger, wakeup, gatherMs: SINGLES_IDLE_MS },
    ),
    working('batch-dispatcher', dispatcher.tick, notTestSinglePayments),
    working('single-payment-files', singleFiles.tick, notTestSinglePayments),
    working('acknowledgements', acks.tick, notTestSinglePayments),
    working('sandbox-bank-files', sandboxTick, notTestSinglePayments),
    // In a child process of its own, unless tests replace its DNS, timeout or jitter (functions
    // stay in this process) or the database is in this connection's memory. Either way it backs
    // off when idle and is woken by this process's wake-ups (passed on to the child) and, on
    // PostgreSQL, by deliveries scheduled anywhere (migration 0018; the child listens itself).
    inChild
      ? createDeliveryProcess({ config, logger, timeoutMs: webhookTimeoutMs, apiActivity, wakeup })
      : webhooks.loop({ idleMs: 100, maxIdleMs: Math.max(100, config.workerIdlePollMs), wakeup: anyWakeup(wakeup, deliveriesScheduled) }),
    createLoop('approval-expiry', expireApprovals, { idleMs: 1000, maxIdleMs: Math.max(1000, config.workerIdlePollMs), logger }),
    createLoop('idempotency-purge', purge, { idleMs: 60_000, logger }),
    createLoop('bank-connections', refreshConnections, { idleMs: 5_000, logger }),
    createLoop('bank-files-overdue', checkOverdue, { idleMs: 5_000, logger }),
    createLoop('calendar-closures', refreshClosures, { idleMs: 60_000, logger }),
  ];
  // PostgreSQL: committed work is announced (migrations 0015 and 0018); every instance listens.
  let listening: { stop(): Promise<void> } | undefined;
  return {
    webhookDelivery: inChild ? 'process' : 'event-loop',
    async tick() {
      // In the order a payment travels: out to the bank, the bank answers, the answers are read.
      await refreshConnections();
      return (
        (await expireApprovals()) +
        (await payments.tick()) +
        (await dispatcher.tick()) +
        (await singleFiles.tick()) +
        (await sandboxTick()) +
        (await acks.tick()) +
        (await overdue.tick()) +
        (await webhooks.tick()) +
        (await purge())
      );
    },
    start() {
      if (dialect === 'postgres' && !listening) {
        const channels = { [WORK_CHANNEL]: wakeup, ...(!inChild && { [DELIVERY_CHANNEL]: deliveriesScheduled }) };
        listening = listenForWork(config.databaseUrl, channels, logger);
      }
      for (const loop of loops) loop.start();
    },
    async stop() {
      await listening?.stop();
      listening = undefined;
      await Promise.all(loops.map((loop) => loop.stop()));
      webhookSender.close();
    },
  };
}
