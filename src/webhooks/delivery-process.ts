// Webhook delivery in a child process of its own. Sending thousands of requests a second costs CPU
// (~150–250 µs a delivery: HTTP, signing, the attempt log). A child process, unlike a thread, has
// its own garbage collector helpers and runs entirely in the OS's lowest scheduling class
// (SCHED_IDLE on Linux, nice 19 elsewhere): whenever the API's threads want a core they get it at
// once, and delivery takes only what they leave. And it yields: the parent tells it over a pipe
// when the API goes busy and idle again (one byte each way), and before each send it waits, up to
// YIELD_MS, while the API is busy, so the receivers' answers and the kernel's work for them fall
// between the API's requests too (docs/PERFORMANCE.md, "Webhook delivery"), during at most
// YIELD_SHARE of the time.
// Same worker, same leases and attempt log as in the main thread, so instances, processes and
// children share the work the same way; a child that dies is started again, and a child whose
// parent dies stops (its leases are released, or run out).
// Idle, the child's loop backs off like the parent's (up to PAYRAIL_WORKER_IDLE_POLL_MS) and is
// woken when deliveries are scheduled: the parent passes its wake-ups on over the IPC channel (at
// most one message per WAKE_EVERY_MS), and on PostgreSQL the child LISTENs for migration 0018's notices.
import { fork, spawn as spawnProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Config, LogLevel } from '../config.ts';
import { apiActivityWriter } from '../http/api-activity.ts';
import type { ApiActivity } from '../http/api-activity.ts';
import type { WorkerLoop } from '../workers/loop.ts';
import type { WakeSource } from '../workers/wake.ts';

/** What the child is started with: sent over its IPC channel, not in argv or its environment. */
export interface DeliveryProcessData {
  databaseUrl: string;
  logLevel: LogLevel;
  retryBaseMs: number;
  timeoutMs: number;
  /** The longest a send waits for the API to finish what it is answering. */
  yieldMs: number;
  /** The most of its time delivery spends waiting for the API (apiIdleWaiter). */
  yieldShare: number;
  /** The longest the idle loop waits before it looks for due deliveries again (PAYRAIL_WORKER_IDLE_POLL_MS). */
  idlePollMs: number;
}

/** The child's file descriptor on which the parent writes API_BUSY and API_IDLE (http/api-activity.ts). */
export const ACTIVITY_FD = 4;

/** Messages from parent to child ('wake': something in the parent may have scheduled deliveries). */
export type DeliveryProcessMessage = { start: DeliveryProcessData } | 'stop' | 'wake';

const ENTRY = fileURLToPath(new URL('./delivery-child.mjs', import.meta.url));
/** A child that dies is started again after this long, doubled for each death in a row… */
const RESTART_AFTER_MS = 1000;
/** …up to this (a child that cannot start, say its database is gone, costs a module load each time). */
const RESTART_AFTER_MAX_MS = 60_000;
/** A child that ran this long before dying starts the doubling over. */
const HEALTHY_AFTER_MS = 60_000;
const YIELD_MS = 5;
/**
 * Sends wait during at most this share of the time (issue 21): under a saturating load the API is
 * busy at nearly every send, and 5 ms before each held one endpoint's webhooks to ~200 a second,
 * so they trailed the payments by the whole backlog (singles scenario: 600–830 of 3,000 delivered
 * by the last POST's answer; with the share 1,800–2,000). docs/PERFORMANCE.md has what it costs.
 */
const YIELD_SHARE = 0.25;
/**
 * The parent's wake-ups reach the child at most this often: a busy API wakes its loops after every
 * changing request, thousands of times a second, and one message is enough to end an idle wait.
 */
export const WAKE_EVERY_MS = 20;
/**
 * util-linux's setpriv (Linux): the child is started with a parent-death signal, so the kernel
 * tells it the moment its parent dies, even by SIGKILL, even while it is still loading its sources
 * at idle priority (seconds on a busy machine, its event loop blocked and deaf to 'disconnect').
 * Without it (not Linux) the child relies on 'disconnect' alone.
 */
const SETPRIV = process.platform === 'linux' ? ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path)) : undefined;
/** The parent-death signal: ends the child while it loads; then delivery-process-main.ts stops on it. */
export const PARENT_DEATH_SIGNAL = 'SIGUSR2';

/** The parent's environment without payrail's settings (the database URL, the master key): the child's come over IPC. */
function childEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(PAYRAIL_|(TEST_|BENCH_)?(DATABASE|REDIS)_URL$)/.test(name)));
}

/** True when delivery can run in another process: a database another connection can open. */
export function canDeliverInChild(config: Pick<Config, 'databaseUrl'>): boolean {
  return !/^sqlite:(:memory:)?$/.test(config.databaseUrl);
}

/**
 * Calls `fn` now, or, if it was called less than `everyMs` ago, once when that time is up: calls
 * in between are folded into that one, and none is lost (the last call is always followed by one).
 */
export function throttle(fn: () => void, everyMs: number): { call(): void; cancel(): void } {
  let last = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  const fire = () => {
    timer = undefined;
    last = performance.now(); // monotonic: a wall clock stepped back cannot hold wake-ups for an hour
    fn();
  };
  return {
    call() {
      if (timer) return;
      const wait = last + everyMs - performance.now();
      if (wait <= 0) fire();
      else timer = setTimeout(fire, wait);
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

export function createDeliveryProcess({
  config,
  logger,
  timeoutMs,
  apiActivity,
  wakeup,
}: {
  config: Config;
  logger: Logger;
  timeoutMs: number;
  apiActivity?: ApiActivity;
  /** This process's wake-ups (src/workers/wake.ts), passed on to the child. */
  wakeup?: WakeSource;
}): WorkerLoop {
  let running = false;
  let child: ChildProcess | undefined;
  /** Set once the child has its settings: its loop runs, and a wake-up means something to it. */
  let started: ChildProcess | undefined;
  const activityWriter = apiActivity && apiActivityWriter(apiActivity);
  let restart: NodeJS.Timeout | undefined;
  let restartAfterMs = RESTART_AFTER_MS;
  const wake: DeliveryProcessMessage = 'wake';
  const passWake = throttle(() => {
    const c = started;
    if (c?.connected) c.send(wake, () => undefined); // a child that died meanwhile: its exit is handled below
  }, WAKE_EVERY_MS);
  let unsubscribe: (() => void) | undefined;

  function spawn(): void {
    const startedAt = Date.now();
    // No execArgv: the entry loads the sources through tsx itself, and the parent's flags
    // (--inspect, --profile, heap sizes) are the parent's.
    const options = { env: childEnvironment(), stdio: ['ignore', 'inherit', 'inherit', 'ipc', 'pipe'] as const, serialization: 'json' as const };
    const c = SETPRIV
      ? spawnProcess(SETPRIV, ['--pdeathsig', PARENT_DEATH_SIGNAL, process.execPath, ENTRY], { ...options, stdio: [...options.stdio] })
      : fork(ENTRY, [], { ...options, execArgv: [], stdio: [...options.stdio] });
    child = c;
    activityWriter?.attach(c.stdio[ACTIVITY_FD] as Writable);
    // The child asks for its settings once its modules are loaded (a message sent earlier could
    // reach it before it listens).
    c.once('message', () => {
      if (!running) return void c.send('stop', () => undefined); // stopped while it was loading
      const start: DeliveryProcessMessage = {
        start: {
          databaseUrl: config.databaseUrl,
          logLevel: config.logLevel,
          retryBaseMs: config.webhookRetryBaseMs,
          timeoutMs,
          yieldMs: YIELD_MS,
          yieldShare: YIELD_SHARE,
          idlePollMs: config.workerIdlePollMs,
        },
      };
      c.send(start, () => undefined); // a child that died meanwhile: its exit is handled below
      started = c;
    });
    c.on('error', (err) => logger.error({ err, worker: 'webhooks' }, 'webhook delivery process failed'));
    c.on('exit', (code, signal) => {
      if (child === c) child = undefined;
      if (started === c) started = undefined;
      if (!running) return;
      if (Date.now() - startedAt >= HEALTHY_AFTER_MS) restartAfterMs = RESTART_AFTER_MS;
      logger.error({ code, signal, worker: 'webhooks' }, `webhook delivery process exited; starting it again in ${restartAfterMs} ms`);
      restart = setTimeout(spawn, restartAfterMs);
      restartAfterMs = Math.min(restartAfterMs * 2, RESTART_AFTER_MAX_MS);
    });
  }

  return {
    name: 'webhooks',
    start() {
      if (running) return;
      running = true;
      unsubscribe = wakeup?.onWake(() => passWake.call());
      spawn();
    },
    async stop() {
      running = false;
      unsubscribe?.();
      passWake.cancel();
      clearTimeout(restart);
      const c = child;
      if (!c || c.pid === undefined || c.exitCode !== null || c.signalCode !== null) return;
      // The child stops its loop (requests in flight are cut short) and closes its database; if
      // it cannot within an attempt's timeout, it is killed (and not waited for past that).
      let grace: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        grace = setTimeout(() => {
          c.kill('SIGKILL');
          setTimeout(resolve, 1000).unref();
        }, timeoutMs + 5000);
        const stop: DeliveryProcessMessage = 'stop';
        if (c.connected) c.send(stop, () => undefined);
      });
      clearTimeout(grace);
    },
  };
}
