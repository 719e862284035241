// The error catalogue (docs/ERRORS.md) lists every code payrail can answer with. The codes are
// found in the sources by themselves (every `code: 'X'`, `new AppError('X', …)`, `urlError('X', …)`
// and the schema keyword table), so a code added anywhere fails this test until it is documented.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PROBLEM_STATUS } from '../../src/errors.ts';
import { PAYMENT_ERROR_CODES } from '../../src/rails/error-codes.ts';

const catalogue = readFileSync(new URL('../../docs/ERRORS.md', import.meta.url), 'utf8');
const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** Error codes of the operating system that sit on internal errors, never in an answer. */
const NOT_ANSWERED = new Set(['ETIMEOUT', 'ENOTFOUND']);

/** Where a code is written in the sources: a field error or problem `code: 'X'`, an AppError, a webhook URL error, a keyword table entry. */
const CODE_PATTERNS = [
  /\bcode: '([A-Z][A-Z0-9_]+)'/g,
  /\bAppError\('([A-Z][A-Z0-9_]+)'/g,
  /\burlError\('([A-Z][A-Z0-9_]+)'/g,
  /^\s+\w+: '([A-Z][A-Z0-9_]+)',$/gm,
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** Every code written in the sources, with the first file that writes it. */
function codesInSources(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    // The keyword pattern (`required: 'REQUIRED',`) only in the schema keyword table's file.
    const patterns = file.endsWith(join('http', 'validation.ts')) ? CODE_PATTERNS : CODE_PATTERNS.slice(0, 3);
    for (const pattern of patterns)
      for (const [, code] of text.matchAll(pattern)) if (!codes.has(code!) && !NOT_ANSWERED.has(code!)) codes.set(code!, file.slice(SRC.length + 1));
  }
  return codes;
}

describe('docs/ERRORS.md', () => {
  it('lists every problem code with its status', () => {
    for (const [code, status] of Object.entries(PROBLEM_STATUS)) {
      assert.ok(catalogue.includes(`| \`${code}\` | ${status} |`), `${code} (${status}) is missing`);
    }
  });

  it('lists every payment field error code', () => {
    for (const code of Object.keys(PAYMENT_ERROR_CODES)) assert.ok(catalogue.includes(`\`${code}\``), `${code} is missing`);
  });

  it('lists every code written anywhere in the sources', () => {
    const codes = codesInSources();
    assert.ok(codes.size > 40, `only ${codes.size} codes found: has the way codes are written changed?`);
    const missing = [...codes].filter(([code]) => !catalogue.includes(`\`${code}\``)).map(([code, file]) => `${code} (${file})`);
    assert.deepEqual(missing, []);
  });
});
