import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decimalToMinorUnits, formatMinorUnits } from '../../src/bank-files/decimal-amount.ts';

describe('decimal amounts ↔ minor units', () => {
  it('formats with the exponent: 2, 0, 3, and small amounts keep the leading zero', () => {
    assert.deepEqual(
      [formatMinorUnits(150000, 2), formatMinorUnits(1500, 0), formatMinorUnits(1234567, 3), formatMinorUnits(5, 2), formatMinorUnits(0, 3)],
      ['1500.00', '1500', '1234.567', '0.05', '0.000'],
    );
    assert.equal(formatMinorUnits(2n ** 64n, 2), '184467440737095516.16');
  });

  it('reads decimals exactly', () => {
    const ok = (text: string, exponent: number) => decimalToMinorUnits(text, exponent);
    assert.deepEqual(ok('10.50', 2), { ok: true, minorUnits: 1050 });
    assert.deepEqual(ok('10.5', 2), { ok: true, minorUnits: 1050 });
    assert.deepEqual(ok(' 0007 ', 0), { ok: true, minorUnits: 7 });
    assert.deepEqual(ok('.5', 2), { ok: true, minorUnits: 50 });
    assert.deepEqual(ok('+3.', 2), { ok: true, minorUnits: 300 });
    assert.deepEqual(ok('1.250', 3), { ok: true, minorUnits: 1250 });
    assert.deepEqual(ok('7.500', 2), { ok: true, minorUnits: 750 }, 'extra zeros lose nothing');
    assert.deepEqual(ok('0.1', 2), { ok: true, minorUnits: 10 }, 'not 10.000000000000002');
  });

  it('refuses what would need rounding, negatives, junk and amounts past 2^53', () => {
    for (const [text, exponent] of [
      ['10.505', 2],
      ['1.5', 0],
      ['-1.00', 2],
      ['1e3', 2],
      ['', 2],
      ['.', 2],
      ['1,000.00', 2],
      ['90071992547409.92', 2],
    ] as const) {
      assert.equal(decimalToMinorUnits(text, exponent).ok, false, `${text} with exponent ${exponent}`);
    }
  });

  it('property: format then read gives the amount back, for every exponent', () => {
    fc.assert(
      fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(0, 2, 3, 4), (amount, exponent) => {
        assert.deepEqual(decimalToMinorUnits(formatMinorUnits(amount, exponent), exponent), { ok: true, minorUnits: amount });
      }),
    );
  });
});
