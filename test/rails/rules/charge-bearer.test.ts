import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChargeBearer } from '../../../src/payments/model.ts';
import { railsFor } from '../../../src/rails/rule-table.ts';
import { chargeBearerOf, RAILS } from '../../../src/rails/rails.ts';
import { assertProblems, assertValid, paymentWith, validPayment } from '../builders.ts';

describe('rule charge-bearer', () => {
  for (const rail of railsFor('charge-bearer')) {
    describe(rail, () => {
      it('accepts no charge bearer', () => assertValid(paymentWith(rail, { bankChargeBearer: undefined })));
      if (RAILS[rail].chargeBearer.allowed) {
        for (const bearer of ['SENDER', 'RECEIVER', 'SHARED'] as const) {
          it(`accepts ${bearer}`, () => assertValid(paymentWith(rail, { bankChargeBearer: bearer })));
        }
        it("refuses 'OUR' (an MT code) as INVALID_CHARGE_BEARER", () =>
          assertProblems(paymentWith(rail, { bankChargeBearer: 'OUR' as ChargeBearer }), ['bankChargeBearer INVALID_CHARGE_BEARER']));
      } else {
        it('refuses SENDER as CHARGE_BEARER_NOT_ALLOWED', () =>
          assertProblems(paymentWith(rail, { bankChargeBearer: 'SENDER' }), ['bankChargeBearer CHARGE_BEARER_NOT_ALLOWED']));
      }
    });
  }
  it('only CBFT, MEPS and TT take a charge bearer', () =>
    assert.deepEqual(
      railsFor('charge-bearer').filter((r) => RAILS[r].chargeBearer.allowed),
      ['CBFT', 'MEPS', 'TT'],
    ));
  it('CBFT and TT default to SHARED; MEPS has no default; an explicit one wins', () => {
    assert.equal(chargeBearerOf({ ...validPayment('CBFT'), bankChargeBearer: undefined }), 'SHARED');
    assert.equal(chargeBearerOf({ ...validPayment('TT'), bankChargeBearer: undefined }), 'SHARED');
    assert.equal(chargeBearerOf({ ...validPayment('MEPS'), bankChargeBearer: undefined }), undefined);
    assert.equal(chargeBearerOf({ ...validPayment('TT'), bankChargeBearer: 'SENDER' }), 'SENDER');
    assert.equal(chargeBearerOf(validPayment('FAST')), undefined);
  });
});
