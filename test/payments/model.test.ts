import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
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
  it('is the time in milliseconds (base 36), then 8 characters from the random source', () => {
    const at = Date.parse('2030-01-01T00:00:00Z');
    let n = 0;
    assert.equal(
      generateCustomerReference(() => n++ % 36, at),
      `${at.toString(36).toUpperCase().padStart(8, '0')}ABCDEFGH`,
    );
    assert.equal(
      generateCustomerReference(() => 35, at + 1),
      `${(at + 1).toString(36).toUpperCase()}99999999`,
    );
  });
  it('in one millisecond, each takes the previous one plus one (carrying)', () => {
    const at = Date.parse('2031-01-01T00:00:00Z');
    const time = at.toString(36).toUpperCase();
    assert.equal(
      generateCustomerReference(() => 35, at),
      `${time}99999999`,
    );
    assert.equal(
      generateCustomerReference(() => 0, at),
      `${time}AAAAAAAA`,
      'all carried over',
    );
    assert.equal(
      generateCustomerReference(() => 0, at),
      `${time}AAAAAAAB`,
    );
    assert.equal(
      generateCustomerReference(() => 0, at - 5),
      `${time}AAAAAAAC`,
      'a clock that went back keeps the last time',
    );
  });
  it('sorts by time', () => {
    const earlier = generateCustomerReference(randomInt, Date.parse('2032-01-01T00:00:00Z'));
    const later = generateCustomerReference(randomInt, Date.parse('2032-01-01T00:00:00.001Z'));
    assert.ok(earlier < later, `${earlier} < ${later}`);
  });
  it('does not repeat, however many in one millisecond', () => {
    assert.equal(new Set(Array.from({ length: 10_000 }, () => generateCustomerReference())).size, 10_000);
    assert.equal(new Set(Array.from({ length: 1000 }, () => generateCustomerReference(() => 7, Date.parse('2033-01-01T00:00:00Z')))).size, 1000);
  });
});
