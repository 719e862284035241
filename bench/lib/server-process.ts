// The parent side of serve.ts: starts payrail in a child process and stops it. With
// BENCH_PROFILE_DIR set (run.ts --profile), the child writes a CPU profile there when it stops.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { peakRssMb } from './machine.ts';
import type { ServeOptions, ServeReady } from './serve.ts';

const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url));

export interface PayrailProcess extends ServeReady {
  pid: number;
  /** Peak RSS of the server process so far (VmHWM), in MB. */
  peakRssMb(): Promise<number | undefined>;
  stop(): Promise<void>;
}

export async function startPayrailProcess(options: ServeOptions): Promise<PayrailProcess> {
  const profileDir = process.env.BENCH_PROFILE_DIR;
  const execArgv = ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [])];
  const child = fork(SERVE, [JSON.stringify(options)], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const ready = await Promise.race([
    new Promise<ServeReady>((resolve) => child.once('message', (m) => resolve(m as ServeReady))),
    exited.then((code) => Promise.reject(new Error(`the payrail process exited (${code}) before it was ready`))),
  ]);
  return {
    ...ready,
    pid: child.pid!,
    peakRssMb: () => peakRssMb(child.pid!),
    async stop() {
      if (child.exitCode === null) child.send('stop');
      await exited;
    },
  };
}
