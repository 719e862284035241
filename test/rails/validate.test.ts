import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { PaymentInput } from '../../src/payments/model.ts';
import { PAYMENT_ERROR_CODES } from '../../src/rails/error-codes.ts';
import type { RailType } from '../../src/rails/rails.ts';
import { RAIL_TYPES } from '../../src/rails/rails.ts';
import type { ValidationContext } from '../../src/rails/rule.ts';
import { batchValidation, validatePayment, withPathPrefix } from '../../src/rails/validate.ts';
import { assertProblems, assertValid, contextFor, paymentWith, validPayment } from './builders.ts';

describe('validatePayment', () => {
  for (const rail of RAIL_TYPES) it(`accepts the valid ${rail} fixture`, () => assertValid(validPayment(rail)));

  it('refuses an unknown type as INVALID_PAYMENT_TYPE and runs no other rule', () =>
    assertProblems({ ...validPayment('FAST'), type: 'SWIFT' as RailType, amount: -1 }, ['type INVALID_PAYMENT_TYPE'], contextFor('FAST')));

  it('returns every problem, not only the first', () => {
    const payment = paymentWith('MEPS', {
      amount: 0,
      currency: 'USD',
      paymentDate: '2026-02-30',
      customerReference: 'bad ref',
      bankChargeBearer: 'SHARED',
      receiver: { name: 'Café Müller', bank: 'XYZ', bankAccountNumber: '12', address: undefined, country: 'SG' },
    });
    assertProblems(payment, [
      'amount INVALID_AMOUNT',
      'currency CURRENCY_NOT_ALLOWED',
      'paymentDate INVALID_PAYMENT_DATE',
      'customerReference INVALID_CUSTOMER_REFERENCE',
      'receiver.name INVALID_CHARACTERS',
      'receiver.bank INVALID_RECEIVER_BANK',
      'receiver.bankAccountNumber INVALID_ACCOUNT_NUMBER',
      'receiver.address RECEIVER_ADDRESS_REQUIRED',
      'receiver.country RECEIVER_COUNTRY_NOT_ALLOWED',
    ]);
  });

  it('every error has a message', () => {
    for (const e of validatePayment(paymentWith('TT', { amount: 0, receiver: { name: '' } }), contextFor('TT'))) assert.ok(e.message.length > 0);
  });

  it('withPathPrefix places errors under a batch item', () =>
    assert.deepEqual(withPathPrefix([{ path: 'receiver.bank', code: 'INVALID_RECEIVER_BANK', message: 'm' }], 'payments[3]'), [
      { path: 'payments[3].receiver.bank', code: 'INVALID_RECEIVER_BANK', message: 'm' },
    ]));
});

// Strings that reach deep branches (valid-looking values) mixed with arbitrary Unicode, including
// lone surrogates and control characters.
const text = () =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.string({ maxLength: 40 }),
    fc.constantFrom(
      '',
      ' ',
      'SGD',
      'HKD',
      '004',
      'DBSSSGSGXXX',
      '2026-03-11',
      '+6591234567',
      'GB29NWBK60161331926819',
      'toString',
      '__proto__',
      'MOBILE',
      'UEN',
    ),
  );
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const receiverArb = fc.record(
  {
    name: text(),
    bank: text(),
    branchCode: text(),
    bankAccountNumber: text(),
    proxy: fc.record({ type: text(), value: text() }),
    country: text(),
    address: fc.record({ line1: text(), line2: text(), line3: text() }, { requiredKeys: [] }),
  },
  { requiredKeys: ['name'] },
);

const paymentArb: fc.Arbitrary<PaymentInput> = fc.record(
  {
    type: fc.oneof(fc.constantFrom(...RAIL_TYPES), text()) as fc.Arbitrary<RailType>,
    amount: fc.oneof(fc.integer(), fc.double(), fc.maxSafeInteger(), fc.constantFrom(Number.NaN, -0, 2 ** 53, Number.MAX_VALUE)),
    currency: text(),
    senderAccountId: text(),
    senderAccountCurrency: text(),
    paymentDate: text(),
    customerReference: text(),
    paymentDetails: text(),
    bankChargeBearer: fc.oneof(fc.constantFrom('SENDER', 'RECEIVER', 'SHARED'), text()) as fc.Arbitrary<PaymentInput['bankChargeBearer']>,
    receiver: receiverArb,
  },
  { requiredKeys: ['type', 'amount', 'currency', 'senderAccountId', 'receiver'] },
);

const contextArb: fc.Arbitrary<ValidationContext> = fc.record({
  // 1970 to 2100: every instant a real clock can give.
  now: fc.integer({ min: 0, max: Date.parse('2100-01-01T00:00:00Z') }),
  senderAccount: optional(fc.record({ market: fc.constantFrom('HK' as const, 'SG' as const), bank: text(), currencies: fc.array(text(), { maxLength: 4 }) })),
});

describe('validatePayment (property)', () => {
  // Types are the schema's promise (PaymentInputSchema); any values of those types must be handled.
  it('never throws, and returns only known codes with messages, on random inputs', () => {
    fc.assert(
      fc.property(paymentArb, contextArb, (payment, ctx) => {
        const errors = validatePayment(payment, ctx);
        for (const e of errors) {
          assert.ok(Object.hasOwn(PAYMENT_ERROR_CODES, e.code), e.code);
          assert.equal(typeof e.path, 'string');
          assert.ok(e.message.length > 0);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('batchValidation (property)', () => {
  const key = (e: { path: string; code: string; message: string }) => `${e.path}|${e.code}|${e.message}`;

  it("the shared rules once plus each payment's own rules find exactly what validatePayment finds", () => {
    fc.assert(
      fc.property(paymentArb, contextArb, (payment, ctx) => {
        const { type, currency, senderAccountId, senderAccountCurrency, paymentDate } = payment;
        const batch = batchValidation({ type, currency, senderAccountId, senderAccountCurrency, paymentDate }, ctx);
        assert.deepEqual([...batch.shared, ...batch.validateOwn(payment)].map(key).sort(), validatePayment(payment, ctx).map(key).sort());
      }),
      { numRuns: 3000 },
    );
  });
});
