import { describe, it } from 'node:test';
import { railsFor } from '../../../src/rails/rule-table.ts';
import { RAILS } from '../../../src/rails/rails.ts';
import { assertProblems, assertValid, contextFor, paymentWith, TODAY } from '../builders.ts';

describe('rule payment-date', () => {
  for (const rail of railsFor('payment-date')) {
    describe(rail, () => {
      it('accepts no date (the service defaults it to today)', () => assertValid(paymentWith(rail, { paymentDate: undefined })));
      it('accepts today', () => assertValid(paymentWith(rail, { paymentDate: TODAY })));
      it('accepts a Sunday (the bank rolls it)', () => assertValid(paymentWith(rail, { paymentDate: '2026-03-15' })));
      it('accepts today + 90 days', () => assertValid(paymentWith(rail, { paymentDate: '2026-06-08' })));
      it('refuses today + 91 days as PAYMENT_DATE_TOO_FAR', () =>
        assertProblems(paymentWith(rail, { paymentDate: '2026-06-09' }), ['paymentDate PAYMENT_DATE_TOO_FAR']));
      it('refuses yesterday as PAYMENT_DATE_IN_PAST', () =>
        assertProblems(paymentWith(rail, { paymentDate: '2026-03-09' }), ['paymentDate PAYMENT_DATE_IN_PAST']));
      for (const paymentDate of ['2026-02-30', '2026-13-01', '2026-3-11', '11/03/2026', '2026-03-11T00:00:00Z', '', '2026-02-29']) {
        it(`refuses '${paymentDate}' as INVALID_PAYMENT_DATE`, () => assertProblems(paymentWith(rail, { paymentDate }), ['paymentDate INVALID_PAYMENT_DATE']));
      }
      it(`counts "today" in ${RAILS[rail].timeZone}: at 00:30 local (16:30 UTC the day before) yesterday-in-UTC is past`, () => {
        const ctx = contextFor(rail, { now: Date.parse('2026-03-09T16:30:00Z') });
        assertProblems(paymentWith(rail, { paymentDate: '2026-03-09' }), ['paymentDate PAYMENT_DATE_IN_PAST'], ctx);
        assertValid(paymentWith(rail, { paymentDate: '2026-03-10' }), ctx);
      });
      it('at 23:59 local, today is still accepted', () => {
        const ctx = contextFor(rail, { now: Date.parse('2026-03-10T15:59:00Z') });
        assertValid(paymentWith(rail, { paymentDate: '2026-03-10' }), ctx);
      });
    });
  }
  it('accepts 29 February in a leap year', () =>
    assertValid(paymentWith('FAST', { paymentDate: '2028-02-29' }), contextFor('FAST', { now: Date.parse('2028-02-01T00:00:00Z') })));
});
