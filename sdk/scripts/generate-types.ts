// Writes sdk/src/openapi.ts: the SDK's types, from the OpenAPI document of a payrail built
// in-process (nothing listens; an empty SQLite database in a temporary folder).
//
//   node --import tsx sdk/scripts/generate-types.ts          writes the file
//   node --import tsx sdk/scripts/generate-types.ts --check  exit 1 when the file is out of date
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPayrail } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { generateTypes } from './openapi-to-ts.ts';

export const OPENAPI_TS = fileURLToPath(new URL('../src/openapi.ts', import.meta.url));

/** payrail's OpenAPI document, as GET /openapi.json serves it. */
export async function openApiDocument(): Promise<Parameters<typeof generateTypes>[0]> {
  const dir = mkdtempSync(join(tmpdir(), 'payrail-openapi-'));
  const config = parseConfig({ PAYRAIL_DATA_DIR: dir, DATABASE_URL: `sqlite:${join(dir, 'payrail.db')}`, LOG_LEVEL: 'silent' });
  const payrail = await createPayrail(config, { startWorkers: false });
  try {
    await payrail.http.ready();
    return payrail.http.swagger() as Parameters<typeof generateTypes>[0];
  } finally {
    await payrail.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text openapi.ts should have now. */
export async function expectedTypes(): Promise<string> {
  return generateTypes(await openApiDocument(), OPENAPI_TS);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = await expectedTypes();
  if (process.argv.includes('--check')) {
    const current = readFileSync(OPENAPI_TS, 'utf8');
    if (current !== text) {
      console.error('sdk/src/openapi.ts is out of date: run node --import tsx sdk/scripts/generate-types.ts');
      process.exitCode = 1;
    }
  } else {
    writeFileSync(OPENAPI_TS, text);
    console.log(`wrote ${OPENAPI_TS}`);
  }
}
