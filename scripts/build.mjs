// Compiles src/ (and the SDK it uses) to dist/, and the SDK to sdk/dist/ (npm's `prepare`, so `npm install` and `npm ci` run it; `npm run build`
// by hand). bin/payrail.js runs dist/ when dist/BUILT is newer than every file under src/, and
// the TypeScript through tsx otherwise, so a build that is missing, stale or broken is never run.
//
// Not fatal: without the TypeScript compiler (`npm install --omit=dev`) or with a type error the
// build is left without its BUILT stamp and payrail runs from the sources through tsx.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');
const next = join(root, 'dist.next');

let tsc;
try {
  tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
} catch {
  console.log('payrail build: no TypeScript compiler installed (npm install --omit=dev?): payrail will run its sources through tsx');
  process.exit(0);
}

const started = Date.now();
rmSync(next, { recursive: true, force: true });
const run = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', next], { cwd: root, stdio: 'inherit' });
if (run.status !== 0) {
  rmSync(next, { recursive: true, force: true });
  console.log('payrail build: the TypeScript did not compile (above): payrail will run its sources through tsx');
  process.exit(0);
}

// Files the code reads next to itself (the delivery child's entry, data, console assets).
function copyOthers(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) copyOthers(path);
    else if (!name.endsWith('.ts')) {
      const target = join(next, relative(root, path));
      mkdirSync(dirname(target), { recursive: true });
      cpSync(path, target);
    }
  }
}
copyOthers(join(root, 'src'));
// src/cli/main.ts reads ../../package.json for its version: from dist/src/cli/ that is this copy.
cpSync(join(root, 'package.json'), join(next, 'package.json'));
writeFileSync(join(next, 'BUILT'), `${new Date().toISOString()}\n`);
rmSync(out, { recursive: true, force: true });
renameSync(next, out);
// The SDK package (@payrail/sdk, the sdk/ workspace) exports its compiled JavaScript from
// sdk/dist/ for plain Node, and its TypeScript sources as its types (sdk/package.json).
const sdkOut = join(root, 'sdk', 'dist');
rmSync(sdkOut, { recursive: true, force: true });
mkdirSync(sdkOut, { recursive: true });
for (const name of readdirSync(join(out, 'sdk', 'src'))) if (name.endsWith('.js')) cpSync(join(out, 'sdk', 'src', name), join(sdkOut, name));
console.log(`payrail build: src/ compiled to dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (!existsSync(join(out, 'src', 'cli', 'main.js'))) process.exit(1);
