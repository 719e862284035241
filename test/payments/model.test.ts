import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateCustomerReference } from '../../src/payments/model.ts';
import { RAIL_TYPES } from '../../src/rails/rails.ts';
import { assertValid, validPayment } from '../rails/builders.ts';

describe('generateCustomerReference', () => {
  it('is 16 upper-case letters and digits', () => {
    for (let i = 0; i < 200; i++) assert.match(generateCustomerReference(), /^[A-Z0-9]{16}$/);
  });
  it('is valid on every rail, including CBFT and TT (at most 16)', () => {
    for (const rail of RAIL_TYPES) assertValid({ ...validPayment(rail), customerReference: generateCustomerReference() });
  });
  it('draws each character from the random source', () => {
    let n = 0;
    assert.equal(
      generateCustomerReference(() => n++ % 36),
      'ABCDEFGHIJKLMNOP',
    );
    assert.equal(
      generateCustomerReference(() => 35),
      '9'.repeat(16),
    );
  });
  it('does not repeat', () => assert.equal(new Set(Array.from({ length: 1000 }, () => generateCustomerReference())).size, 1000));
});
