// The error catalogue (docs/ERRORS.md) lists every code payrail can answer with.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { PROBLEM_STATUS } from '../../src/errors.ts';
import { PAYMENT_ERROR_CODES } from '../../src/rails/error-codes.ts';

const catalogue = readFileSync(new URL('../../docs/ERRORS.md', import.meta.url), 'utf8');

describe('docs/ERRORS.md', () => {
  it('lists every problem code with its status', () => {
    for (const [code, status] of Object.entries(PROBLEM_STATUS)) {
      assert.ok(catalogue.includes(`| \`${code}\` | ${status} |`), `${code} (${status}) is missing`);
    }
  });
  it('lists every payment field error code', () => {
    for (const code of [...Object.keys(PAYMENT_ERROR_CODES), 'SENDER_ACCOUNT_NOT_FOUND', 'DUPLICATE_CUSTOMER_REFERENCE']) {
      assert.ok(catalogue.includes(`\`${code}\``), `${code} is missing`);
    }
  });
});
