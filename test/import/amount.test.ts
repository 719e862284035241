import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatAmount, parseAmount } from '../../src/import/amount.ts';

const minor = (text: string, currency = 'SGD') => {
  const r = parseAmount(text, currency);
  return r.ok ? r.minorUnits : r.code;
};

describe('payroll amounts: decimal major units → integer minor units', () => {
  it('reads plain decimals exactly, by the currency exponent', () => {
    assert.deepEqual(
      [
        minor('1234.50'),
        minor('1234.5'),
        minor('1234'),
        minor('0.01'),
        minor('0.29'),
        minor('1.15'),
        minor('1500', 'JPY'),
        minor('1.234', 'BHD'),
        minor('007.10'),
      ],
      [123450, 123450, 123400, 1, 29, 115, 1500, 1234, 710],
      '0.29 must be 29, not 28 (0.29 * 100 is 28.999999999999996 in floating point)',
    );
  });

  it('refuses separators, too many decimals (even zeros), signs, zero and junk, each with its code', () => {
    const cases: [string, string, string?][] = [
      ['1,234.50', 'AMOUNT_THOUSANDS_SEPARATOR'],
      ['1.234,50', 'AMOUNT_THOUSANDS_SEPARATOR'],
      ['1 234.50', 'AMOUNT_THOUSANDS_SEPARATOR'],
      ["1'234.50", 'AMOUNT_THOUSANDS_SEPARATOR'],
      ['1234,50', 'AMOUNT_THOUSANDS_SEPARATOR'],
      ['1,234', 'AMOUNT_THOUSANDS_SEPARATOR'],
      ['10.505', 'AMOUNT_TOO_MANY_DECIMALS'],
      ['10.000', 'AMOUNT_TOO_MANY_DECIMALS'],
      ['1.5', 'AMOUNT_TOO_MANY_DECIMALS', 'JPY'],
      ['-5.00', 'INVALID_AMOUNT'],
      ['+5.00', 'INVALID_AMOUNT'],
      ['0.00', 'INVALID_AMOUNT'],
      ['.50', 'INVALID_AMOUNT'],
      ['5.', 'INVALID_AMOUNT'],
      ['S$5.00', 'INVALID_AMOUNT'],
      ['1e3', 'INVALID_AMOUNT'],
      ['1.2345678901234568e+21', 'INVALID_AMOUNT'],
      ['90071992547409.93', 'INVALID_AMOUNT'],
      ['', 'INVALID_AMOUNT'],
    ];
    for (const [text, code, currency] of cases) assert.equal(minor(text, currency), code, `'${text}' ${currency ?? 'SGD'}`);
  });

  it('property: minor units → decimal string → the same minor units, for every exponent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom('SGD', 'JPY', 'BHD', 'CLF'), (m, currency) => {
        assert.equal(minor(formatAmount(m, currency), currency), m);
      }),
    );
  });

  it('property: any digits with at most the allowed decimals read as the BigInt arithmetic says', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,12}$/), fc.stringMatching(/^[0-9]{0,2}$/), (whole, fraction) => {
        const text = fraction === '' ? whole : `${whole}.${fraction}`;
        const expected = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0') || '0');
        assert.equal(minor(text), expected === 0n ? 'INVALID_AMOUNT' : Number(expected), text);
      }),
    );
  });

  it('property: a third decimal is always refused for SGD, never rounded', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10 ** 9 }), fc.stringMatching(/^[0-9]{3,6}$/), (whole, fraction) => {
        assert.equal(minor(`${whole}.${fraction}`), 'AMOUNT_TOO_MANY_DECIMALS');
      }),
    );
  });
});
