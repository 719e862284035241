// Static files of the console at /console/assets/HASH/NAME: our stylesheet and scripts
// (./assets/), htmx and uPlot from node_modules. The URL carries the first 12 hex digits of the
// file's SHA-256, so a file is cached for a year (immutable) and a changed file is a new URL.
// Every file is read once at start; no build step.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

interface Asset {
  body: Buffer;
  type: string;
  hash: string;
}

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

const require = createRequire(import.meta.url);
const packageFile = (pkg: string, file: string): string => join(dirname(require.resolve(`${pkg}/package.json`)), file);

function load(path: string): Asset {
  const body = readFileSync(path);
  return { body, type: TYPES[extname(path)] ?? 'application/octet-stream', hash: createHash('sha256').update(body).digest('hex').slice(0, 12) };
}

const OWN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'assets');

/** Every asset by name: each file in src/console/assets/, plus htmx and uPlot. */
const ASSETS = new Map<string, Asset>([
  ...readdirSync(OWN_DIR).map((name): [string, Asset] => [name, load(join(OWN_DIR, name))]),
  ['htmx.min.js', load(packageFile('htmx.org', 'dist/htmx.min.js'))],
  ['uPlot.min.js', load(packageFile('uplot', 'dist/uPlot.iife.min.js'))],
  ['uPlot.min.css', load(packageFile('uplot', 'dist/uPlot.min.css'))],
]);

/** The URL of an asset, e.g. assetUrl('console.css') → `/console/assets/1a2b…/console.css`. */
export function assetUrl(name: string): string {
  const asset = ASSETS.get(name);
  if (!asset) throw new Error(`no console asset ${name} (files in src/console/assets/, htmx.min.js, uPlot.min.js, uPlot.min.css)`);
  return `/console/assets/${asset.hash}/${name}`;
}

/** GET /console/assets/HASH/NAME (registered inside the /console scope). */
export function registerAssets(app: FastifyInstance): void {
  app.get<{ Params: { hash: string; name: string } }>('/assets/:hash/:name', async (request, reply) => {
    const asset = ASSETS.get(request.params.name);
    if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    // An old hash still gets today's file, but only briefly cached: the page that asked is stale.
    const current = asset.hash === request.params.hash;
    return reply
      .type(asset.type)
      .header('cache-control', current ? 'public, max-age=31536000, immutable' : 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .send(asset.body);
  });
}
