// scripts/run-tests.mjs counts and names what did not run (node's own "skipped" counted tests, not
// suites: 25 suites skipped for want of PostgreSQL and Redis showed as "skipped 0"), says how to
// enable it, and fails a CI run that skipped anything.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('scripts/run-tests.mjs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'payrail-runner-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, 'fixture.test.ts'),
    [
      "import { describe, it } from 'node:test';",
      "describe('on PostgreSQL', { skip: 'TEST_DATABASE_URL is unset' }, () => { it('a', () => {}); it('b', () => {}); });",
      "describe('always', () => { it('runs', () => {}); it('needs Redis', { skip: 'TEST_REDIS_URL is unset' }, () => {}); });",
    ].join('\n'),
  );
  // NODE_TEST_CONTEXT (set for this file by the outer run) would make the inner run report to it.
  const run = (env: Record<string, string | undefined>) =>
    spawnSync(process.execPath, ['scripts/run-tests.mjs'], {
      cwd: ROOT,
      env: { ...process.env, NODE_TEST_CONTEXT: undefined, CI: undefined, ...env, PAYRAIL_TEST_ROOT: dir },
      encoding: 'utf8',
      timeout: 120_000,
    });

  it('names every skipped suite and test with its reason and what enables it', () => {
    const r = run({});
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /# skipped: 2 did not run \(1 suites, 1 tests\)/);
    assert.match(
      r.stdout,
      /# {3}TEST_DATABASE_URL is unset: 1\n# {5}\S*fixture\.test\.ts › on PostgreSQL \(suite\)\n# {5}to run them: export TEST_DATABASE_URL=postgres:/,
    );
    assert.match(r.stdout, /# {3}TEST_REDIS_URL is unset: 1\n# {5}\S*fixture\.test\.ts › needs Redis\n# {5}to run them: export TEST_REDIS_URL=redis:/);
  });

  it('in CI anything skipped fails the run', () => {
    const r = run({ CI: 'true' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /# CI: 2 suites or tests were skipped; in CI everything must run/);
  });
});
