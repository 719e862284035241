#!/usr/bin/env node
// The payrail command. `npm install` compiles src/ to dist/ (scripts/build.mjs): that JavaScript
// starts a third faster and takes ~80 MB less than the TypeScript through tsx (measured in
// docs/PERFORMANCE.md). When there is no build, or a file under src/ is newer than it (a developer
// edited the sources, or the build failed), the sources run through tsx's loader instead, so
// what runs is always what src/ says. PAYRAIL_FROM_SOURCE=1 always runs the sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** True when dist/ was built after the last change to any file under src/ or sdk/src/. */
function buildIsCurrent() {
  let built;
  try {
    built = statSync(`${root}dist/BUILT`).mtimeMs;
  } catch {
    return false;
  }
  const pending = [`${root}src`, `${root}sdk/src`];
  while (pending.length > 0) {
    const dir = pending.pop();
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) pending.push(path);
      else if (statSync(path).mtimeMs > built) return false;
    }
  }
  return true;
}

// `payrail import` is an API client: it loads only its own modules (src/import/main.ts says why).
const entry = process.argv[2] === 'import' ? 'import/main' : 'cli/main';
if (process.env.PAYRAIL_FROM_SOURCE !== '1' && existsSync(`${root}dist/src/cli/main.js`) && buildIsCurrent()) {
  await import(`../dist/src/${entry}.js`);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(`../src/${entry}.ts`);
}
