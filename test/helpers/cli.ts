// Runs the real `payrail` command in a child process.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/payrail.js', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string | undefined> = {}, cwd?: string): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, LOG_LEVEL: 'silent', ...env }, encoding: 'utf8', timeout: 30_000, cwd });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Servers a test started and did not stop (a failed assertion skipped its shutdown): test files
// call stopServers() in `after`, or the file could never end (the run's time limit in
// scripts/run-tests.mjs would turn that into a failure, minutes later); and any left when the
// file's process exits are killed.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Kills every `payrail serve` this file started that is still running, and waits for them. */
export async function stopServers(): Promise<void> {
  await Promise.all(
    [...running].map(async (child) => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }),
  );
}

/** Starts `payrail serve` and resolves once it answers /healthz. */
export async function startServe(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`payrail serve exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('payrail serve did not start in 60 s');
}
