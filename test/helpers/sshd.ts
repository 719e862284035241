// A real OpenSSH server on a loopback port for the SFTP tests, with its own keys and config
// (../shared/reference/sftp-test-server.md). The test starts it, can kill and restart it on the
// same port, and stops it. The server is TEST_SSHD (default /usr/sbin/sshd); without it the tests
// are skipped locally with a notice; in CI (CI set) a missing sshd is a failure, never a skip.
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SftpSettings } from '../../src/bank/transports/sftp-transport.ts';
import { freePort } from './ports.ts';

const SSHD = process.env.TEST_SSHD || '/usr/sbin/sshd';

export interface TestSshServer {
  port: number;
  /** The folder the SFTP root points at, on this machine's disk. */
  root: string;
  /** The server's public host key line (`ssh-ed25519 AAAA… comment`). */
  hostKeyLine: string;
  /** Settings that log in as root with the test's client key and pin this server's key. */
  settings(changes?: Partial<SftpSettings>): SftpSettings;
  /** Kills the server and every session it forked, as a crash would. */
  kill(): Promise<void>;
  /** Stops (SIGSTOP) the open sessions, as a hung server or a dead network would; returns the pids. */
  freezeSessions(): number[];
  /** Starts it again on the same port with the same keys. */
  start(): Promise<void>;
  /** Kills it and removes its folder. */
  stop(): Promise<void>;
}

/** Whether sshd can run here; prints why not, and throws in CI where it must. */
export function sshdAvailable(): boolean {
  if (existsSync(SSHD)) return true;
  if (process.env.CI) throw new Error(`${SSHD} (TEST_SSHD) is missing: CI must install openssh-server (.ci/run does)`);
  console.log(`# notice: ${SSHD} not found, SFTP tests skipped (apt-get install -y openssh-server, or TEST_SSHD=/path/to/sshd)`);
  return false;
}

/** `skip` option for suites that need sshd: false, or the reason (scripts/run-tests.mjs lists it). */
export function sshdSkip(): string | false {
  return sshdAvailable() ? false : `sshd is not installed at ${SSHD} (TEST_SSHD)`;
}

function keygen(path: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'payrail-test', '-f', path]);
}

function writeConfig(dir: string, port: number): string {
  const path = join(dir, 'sshd_config');
  writeFileSync(
    path,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${dir}/host_key`,
      `PidFile ${dir}/sshd.pid`,
      `AuthorizedKeysFile ${dir}/authorized_keys`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      'UsePAM no',
      'StrictModes no',
      'Subsystem sftp internal-sftp',
      '',
    ].join('\n'),
  );
  return path;
}

/** The pids of every process below `pid` (sshd forks one per session), from /proc. */
function descendantsOf(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of parents) {
      if (ppid !== parent) continue;
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts a fresh server on a free port. */
export async function startTestSshd(): Promise<TestSshServer> {
  const dir = mkdtempSync(join(tmpdir(), 'payrail-sshd-'));
  keygen(join(dir, 'host_key'));
  keygen(join(dir, 'client_key'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')));
  chmodSync(join(dir, 'authorized_keys'), 0o600);
  const root = join(dir, 'bank');
  mkdirSync(root);
  mkdirSync('/run/sshd', { recursive: true }); // sshd refuses to start without it
  const port = await freePort();
  const config = writeConfig(dir, port);
  execFileSync(SSHD, ['-t', '-f', config]);
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    const proc = spawn(SSHD, ['-D', '-f', config, '-E', join(dir, 'sshd.log')], { stdio: 'ignore' });
    child = proc;
    for (let i = 0; i < 100; i++) {
      if (proc.exitCode !== null) throw new Error(`sshd exited: ${readFileSync(join(dir, 'sshd.log'), 'utf8')}`);
      if (await listening(port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`sshd did not listen on ${port}`);
  }

  async function kill(): Promise<void> {
    const proc = child;
    if (!proc?.pid || proc.exitCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    for (const pid of [...descendantsOf(proc.pid), proc.pid]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await exited;
  }

  await start();
  const hostKeyLine = readFileSync(join(dir, 'host_key.pub'), 'utf8').trim();
  const privateKey = readFileSync(join(dir, 'client_key'), 'utf8');
  return {
    port,
    root,
    hostKeyLine,
    settings: (changes = {}) => ({
      host: '127.0.0.1',
      port,
      username: 'root',
      privateKey,
      hostKey: hostKeyLine,
      root,
      connectTimeoutMs: 5_000,
      operationTimeoutMs: 10_000,
      ...changes,
    }),
    kill,
    start,
    freezeSessions() {
      const pids = child?.pid ? descendantsOf(child.pid) : [];
      for (const pid of pids) process.kill(pid, 'SIGSTOP');
      return pids;
    },
    async stop() {
      await kill();
      // sshd's session processes can still be writing into the folder for a moment after the
      // server is gone (seen once: ENOTEMPTY): retried, as rimraf does.
      rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    },
  };
}
