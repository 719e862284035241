// @payrail/sdk has no runtime dependency beyond jose (SPEC §12): its sources import only each
// other, jose and node's built-ins (type-only imports aside), and its package.json lists jose alone.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SDK = fileURLToPath(new URL('../../sdk/', import.meta.url));

describe('@payrail/sdk dependencies', () => {
  it('imports only its own files, jose and node: built-ins at run time; package.json depends on jose alone', () => {
    const foreign: string[] = [];
    for (const file of readdirSync(join(SDK, 'src')).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(SDK, 'src', file), 'utf8');
      for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
        const [, typeOnly, specifier] = m;
        if (typeOnly || specifier!.startsWith('./') || specifier!.startsWith('node:') || specifier === 'jose') continue;
        foreign.push(`${file}: ${specifier}`);
      }
    }
    assert.deepEqual(foreign, [], 'runtime imports from outside the SDK');
    const pkg = JSON.parse(readFileSync(join(SDK, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; type?: string };
    assert.deepEqual(Object.keys(pkg.dependencies ?? {}), ['jose']);
    assert.equal(pkg.type, 'module', 'ESM');
  });

  it('plain Node imports it by its name (the build compiles it to sdk/dist/; no TypeScript loader)', () => {
    // A program of the integrator's, outside the SDK's folder, without tsx: what `npm install` gives.
    const program = "import { Payrail, PayrailError } from '@payrail/sdk'; console.log(typeof Payrail, typeof PayrailError);";
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', program], {
      cwd: join(SDK, '..'),
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    assert.equal(r.stderr, '', 'nothing on stderr (run `npm run build` if sdk/dist/ is missing)');
    assert.equal(r.stdout, 'function function\n');
  });
});
