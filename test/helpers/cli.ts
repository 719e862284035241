// Runs the real `payrail` command in a child process.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** Resolves with the signal that ended `child` (null for a plain exit). */
export const exited = (child: ChildProcess) =>
  new Promise<string | null>((r) => (child.exitCode !== null || child.signalCode !== null ? r(child.signalCode) : child.once('exit', (_c, s) => r(s))));

/**
 * The environment of the kill -9 tests: a fresh data folder, a quick sandbox bank, a short worker
 * lease (a dead worker's claim frees soon) and every bank call written to `bank-calls.log` in the
 * data folder as it is made (src/workers/crash-point.ts).
 */
export function crashTestEnv(databaseUrl: string, port: number, options: { ackDelayMs?: number } = {}): Record<string, string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'payrail-crash-'));
  return {
    PAYRAIL_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    PAYRAIL_SANDBOX_ACK_DELAY_MS: String(options.ackDelayMs ?? 200),
    PAYRAIL_WORKER_LEASE_MS: '1000',
    PAYRAIL_PUBLIC_URL: `http://127.0.0.1:${port}`,
    PAYRAIL_TEST_BANK_CALLS: join(dataDir, 'bank-calls.log'),
  };
}

/** The arguments of `payrail accounts create` for the SGD account at DBS Singapore most tests pay from. */
export const sgAccountArgs = (clientId: string) => [
  'accounts',
  'create',
  '--client',
  clientId,
  '--name',
  'SG',
  '--bank',
  'DBSSSGSGXXX',
  '--number',
  '0123456789',
  '--currencies',
  'SGD',
];

/** An access token from a running `payrail serve` at `base`, for a client as `clients create` printed it. */
export async function accessToken(base: string, client: { client_id: string; client_secret: string }): Promise<string> {
  const res = await fetch(`${base}/v1.0/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: client.client_id, client_secret: client.client_secret }),
  });
  if (!res.ok) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/**
 * `ok(args)`: the command exits 0 and prints JSON (returned); `refused(args, pattern)`: exit 1,
 * nothing on stdout, one line on stderr matching `pattern`. `env` is read at each call (tests set
 * it in before()).
 */
export function cliExpectations(env: () => Record<string, string>) {
  return {
    ok(args: string[]) {
      const r = runCli(args, env());
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout);
    },
    refused(args: string[], pattern: RegExp) {
      const r = runCli(args, env());
      assert.equal(r.status, 1, r.stdout);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, pattern);
    },
  };
}
