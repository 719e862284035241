// Runs every *.test.ts under test/ with node's test runner (tsx as the TypeScript loader).
// Node 20's `--test` takes no globs, so the files are listed here.
//
// The whole run has a time limit (PAYRAIL_TEST_RUN_TIMEOUT_S, default 1500 s; a full run takes
// about 8 minutes alone on 2 cores): something a failed test leaves running, such as a server child, must turn
// into a failure, never into a run that hangs. The runner and everything it started share a
// process group, which is killed at the limit. (Node's --test-force-exit would end such a test
// file early, but on Node 20 it was seen to end one before all of its tests had run, silently.)
//
// What did not run is counted and named at the end, grouped by reason (scripts/skip-reporter.mjs
// records it: node's own "skipped" counts tests, not suites), with the variables that enable it.
// In CI (CI=true) anything skipped fails the run.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { clearTimeout, setTimeout } from 'node:timers';

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return find(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const filters = process.argv.slice(2);
// PAYRAIL_TEST_ROOT: another folder of tests (test/tooling runs this script on a fixture).
const files = find(process.env.PAYRAIL_TEST_ROOT || 'test')
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
const limitS = Number(process.env.PAYRAIL_TEST_RUN_TIMEOUT_S ?? 1500);
const skipDir = mkdtempSync(join(tmpdir(), 'payrail-skips-'));
const skipFile = join(skipDir, 'skipped.jsonl');
const reporters = [
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=./scripts/skip-reporter.mjs',
  `--test-reporter-destination=${skipFile}`,
];
const child = spawn(process.execPath, ['--import', 'tsx', '--test', ...reporters, '--test-concurrency=2', ...files], { stdio: 'inherit', detached: true });
/** Signals the runner's whole process group: the test files and whatever they started. */
function signalAll(signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
let timedOut = false;
const timer = setTimeout(() => {
  timedOut = true;
  console.error(`\n# the test run did not end within ${limitS} s: killing it and everything it started (a test left something running?)`);
  signalAll('SIGKILL');
}, limitS * 1000);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => signalAll(signal));
/** What enables the tests skipped for a reason, by the variable or program the reason names. */
const ENABLE = [
  [/TEST_DATABASE_URL/, 'export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test (a PostgreSQL where it may create databases)'],
  [/TEST_REDIS_URL/, 'export TEST_REDIS_URL=redis://127.0.0.1:6379'],
  [/sshd|TEST_SSHD/, 'install openssh-server, or export TEST_SSHD=/path/to/sshd'],
  [/redis-server/, 'install redis-server (the fail-over tests start their own)'],
];

/** Prints what did not run, grouped by reason; returns how many suites and tests that is. */
function reportSkips() {
  let skipped = [];
  try {
    skipped = readFileSync(skipFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  } catch {
    // no file: the run ended before the reporter wrote anything
  }
  rmSync(skipDir, { recursive: true, force: true });
  if (skipped.length === 0) {
    console.log('# skipped: nothing');
    return 0;
  }
  const byReason = new Map();
  for (const s of skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s]);
  const suites = skipped.filter((s) => s.suite).length;
  console.log(`\n# skipped: ${skipped.length} did not run (${suites} suites, ${skipped.length - suites} tests)`);
  for (const [reason, these] of byReason) {
    console.log(`#   ${reason}: ${these.length}`);
    for (const s of these) console.log(`#     ${s.file} › ${s.name}${s.suite ? ' (suite)' : ''}`);
    const enable = ENABLE.find(([pattern]) => pattern.test(reason));
    if (enable) console.log(`#     to run them: ${enable[1]}`);
  }
  console.log('#   (README, "Tests": the services the tests use and how to point them at yours)');
  return skipped.length;
}

child.on('exit', (code) => {
  clearTimeout(timer);
  const skipped = reportSkips();
  if (process.env.CI && skipped > 0) {
    console.error(`# CI: ${skipped} suites or tests were skipped; in CI everything must run`);
    process.exit(1);
  }
  process.exit(timedOut ? 1 : (code ?? 1));
});
