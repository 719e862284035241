// A background loop: calls `tick` again at once while it finds work, otherwise every `idleMs`.
// stop() waits for the tick in progress, so shutdown never cuts a unit of work in half.
import type { Logger } from 'pino';

export interface WorkerLoop {
  name: string;
  start(): void;
  stop(): Promise<void>;
}

export function createLoop(name: string, tick: () => Promise<number>, { idleMs, logger }: { idleMs: number; logger: Logger }): WorkerLoop {
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;

  const schedule = (ms: number) => {
    if (running) timer = setTimeout(run, ms);
  };

  function run(): void {
    current = tick().then(
      (done) => schedule(done > 0 ? 0 : idleMs),
      (err: unknown) => {
        logger.error({ err, worker: name }, 'worker tick failed');
        schedule(idleMs * 5);
      },
    );
  }

  return {
    name,
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
