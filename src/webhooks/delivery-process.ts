// Webhook delivery in a child process of its own. Sending thousands of requests a second costs CPU
// (~150–250 µs a delivery: HTTP, signing, the attempt log). A child process, unlike a thread, has
// its own garbage collector helpers and runs entirely in the OS's lowest scheduling class
// (SCHED_IDLE on Linux, nice 19 elsewhere): whenever the API's threads want a core they get it at
// once, and delivery takes only what they leave. And it yields: the parent tells it over a pipe
// when the API goes busy and idle again (one byte each way), and before each send it waits, up to
// YIELD_MS, while the API is busy, so the receivers' answers and the kernel's work for them fall
// between the API's requests too (docs/PERFORMANCE.md, "Webhook delivery").
// Same worker, same leases and attempt log as in the main thread, so instances, processes and
// children share the work the same way; a child that dies is started again, and a child whose
// parent dies stops (its leases are released, or run out).
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

/** What the child is started with: sent over its IPC channel, not in argv or its environment. */
export interface DeliveryProcessData {
  databaseUrl: string;
  logLevel: LogLevel;
  retryBaseMs: number;
  timeoutMs: number;
  /** The longest a send waits for the API to finish what it is answering. */
  yieldMs: number;
}

/** The child's file descriptor on which the parent writes API_BUSY and API_IDLE (http/api-activity.ts). */
export const ACTIVITY_FD = 4;

/** Messages from parent to child. */
export type DeliveryProcessMessage = { start: DeliveryProcessData } | 'stop';

const ENTRY = fileURLToPath(new URL('./delivery-child.mjs', import.meta.url));
/** A child that dies is started again after this long, doubled for each death in a row… */
const RESTART_AFTER_MS = 1000;
/** …up to this (a child that cannot start, say its database is gone, costs a module load each time). */
const RESTART_AFTER_MAX_MS = 60_000;
/** A child that ran this long before dying starts the doubling over. */
const HEALTHY_AFTER_MS = 60_000;
const YIELD_MS = 5;
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

export function createDeliveryProcess({
  config,
  logger,
  timeoutMs,
  apiActivity,
}: {
  config: Config;
  logger: Logger;
  timeoutMs: number;
  apiActivity?: ApiActivity;
}): WorkerLoop {
  let running = false;
  let child: ChildProcess | undefined;
  const activityWriter = apiActivity && apiActivityWriter(apiActivity);
  let restart: NodeJS.Timeout | undefined;
  let restartAfterMs = RESTART_AFTER_MS;

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
        start: { databaseUrl: config.databaseUrl, logLevel: config.logLevel, retryBaseMs: config.webhookRetryBaseMs, timeoutMs, yieldMs: YIELD_MS },
      };
      c.send(start, () => undefined); // a child that died meanwhile: its exit is handled below
    });
    c.on('error', (err) => logger.error({ err, worker: 'webhooks' }, 'webhook delivery process failed'));
    c.on('exit', (code, signal) => {
      if (child === c) child = undefined;
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
      spawn();
    },
    async stop() {
      running = false;
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
