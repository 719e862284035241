// Runs every *.test.ts under test/ with node's test runner (tsx as the TypeScript loader).
// Node 20's `--test` takes no globs, so the files are listed here.
//
// The whole run has a time limit (PAYRAIL_TEST_RUN_TIMEOUT_S, default 1500 s; a full run takes
// about 8 minutes alone on 2 cores): something a failed test leaves running, such as a server child, must turn
// into a failure, never into a run that hangs. The runner and everything it started share a
// process group, which is killed at the limit. (Node's --test-force-exit would end such a test
// file early, but on Node 20 it was seen to end one before all of its tests had run, silently.)
import { readdirSync, statSync } from 'node:fs';
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
const files = find('test').filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
const limitS = Number(process.env.PAYRAIL_TEST_RUN_TIMEOUT_S ?? 1500);
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files], { stdio: 'inherit', detached: true });
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
child.on('exit', (code) => {
  clearTimeout(timer);
  process.exit(timedOut ? 1 : (code ?? 1));
});
