// Runs every *.test.ts under test/ with node's test runner (tsx as the TypeScript loader).
// Node 20's `--test` takes no globs, so the files are listed here. `--test-force-exit`: a test file
// whose tests have finished ends even if something it started is still running (a server child
// left behind by a failed assertion is then killed by test/helpers/cli.ts), so a failure is
// reported instead of hanging the run.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return find(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const filters = process.argv.slice(2);
const files = find('test').filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', '--test-force-exit', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
