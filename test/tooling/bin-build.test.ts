// bin/payrail.js runs the build in dist/ only when it is current, and the sources through tsx
// otherwise (issue 17, point 13): a developer's edit is never hidden by an old build. Checked on a
// copy of the bin in a scratch folder whose src/ and dist/ say which of them ran.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('bin/payrail.js: dist/ or src/', () => {
  const dir = mkdtempSync(join(tmpdir(), 'payrail-bin-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'bin'));
  cpSync(join(ROOT, 'bin/payrail.js'), join(dir, 'bin/payrail.js'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  mkdirSync(join(dir, 'src/cli'), { recursive: true });
  writeFileSync(join(dir, 'src/cli/main.ts'), "const from: string = 'src';\nconsole.log(from);\n");
  const ran = (env: Record<string, string> = {}) =>
    execFileSync(process.execPath, [join(dir, 'bin/payrail.js')], { env: { ...process.env, PAYRAIL_FROM_SOURCE: '', ...env }, encoding: 'utf8' }).trim();
  const at = (path: string, seconds: number) => utimesSync(join(dir, path), seconds, seconds);

  it('runs src/ through tsx when there is no build', () => {
    assert.equal(ran(), 'src');
  });

  it('runs dist/ when its BUILT stamp is newer than every source, src/ again once a source changes', () => {
    mkdirSync(join(dir, 'dist/src/cli'), { recursive: true });
    writeFileSync(join(dir, 'dist/src/cli/main.js'), "console.log('dist');\n");
    writeFileSync(join(dir, 'dist/BUILT'), 'now\n');
    at('src/cli/main.ts', 1_000_000);
    at('dist/BUILT', 2_000_000);
    assert.equal(ran(), 'dist', 'a current build runs');
    assert.equal(ran({ PAYRAIL_FROM_SOURCE: '1' }), 'src', 'PAYRAIL_FROM_SOURCE=1 runs the sources');
    at('src/cli/main.ts', 3_000_000);
    assert.equal(ran(), 'src', 'a source newer than the build runs from source');
  });

  it('runs src/ when the build has no BUILT stamp (a failed or partial build)', () => {
    rmSync(join(dir, 'dist/BUILT'));
    assert.equal(ran(), 'src');
  });

  // npm install / npm ci build dist/ (the `prepare` script): in CI that build must exist and be
  // current, so the CLI tests ran the compiled JavaScript users run.
  const built = join(ROOT, 'dist/BUILT');
  const current = existsSync(built) && statSync(built).mtimeMs >= statSync(join(ROOT, 'src/cli/main.ts')).mtimeMs;
  it(
    'npm ci built dist/, and the compiled CLI runs',
    { skip: !current && process.env.CI !== 'true' ? 'no current build in dist/ (npm run build makes one; CI checks it)' : false },
    () => {
      assert.ok(current, 'dist/BUILT is missing or older than src/: the prepare script did not build');
      const version = execFileSync(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), '--version'], { encoding: 'utf8' }).trim();
      assert.match(version, /^\d+\.\d+\.\d+$/, 'the compiled CLI prints its version');
    },
  );
});
