// The pure parts of approvals: the APPROVAL stage in the state machine (the one place transitions
// are decided), the late-approval date roll, and the reason check.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reasonProblems, rolledPaymentDate } from '../../src/approvals/model.ts';
import { createBusinessCalendar } from '../../src/calendars/business-calendar.ts';
import { transition, transitionBatch } from '../../src/payments/state-machine.ts';
import type { ApprovalFailed } from '../../src/payments/state-machine.ts';

const REJECTED: ApprovalFailed = { kind: 'APPROVAL_FAILED', code: 'APPROVAL_REJECTED', message: 'rejected in approval by cli_X: wrong month' };

describe('state machine: the APPROVAL stage', () => {
  it('a PROCESSING payment or batch fails at stage APPROVAL', () => {
    for (const t of [transition('PROCESSING', REJECTED), transitionBatch('PROCESSING', REJECTED)]) {
      assert.ok(t.ok);
      assert.equal(t.to, 'FAILED');
      assert.deepEqual(t.failure, { stage: 'APPROVAL', code: 'APPROVAL_REJECTED', message: REJECTED.message });
      assert.deepEqual(t.cause, { stage: 'APPROVAL', reasonCode: 'APPROVAL_REJECTED', message: REJECTED.message });
    }
  });
  it('nothing that has left for the bank, and nothing final, can fail in approval', () => {
    for (const from of ['SUBMITTED', 'COMPLETED', 'FAILED'] as const) {
      assert.equal(transition(from, { ...REJECTED, code: 'APPROVAL_EXPIRED' }).ok, false, from);
      assert.equal(transitionBatch(from, REJECTED).ok, false, from);
    }
  });
});

describe('rolledPaymentDate: an approval after the cut-off or after paymentDate', () => {
  const calendar = createBusinessCalendar();
  // MEPS closes at 15:00 Singapore time (07:00 UTC). 2026-03-10 is a Tuesday; 2026-03-13 a Friday.
  it('in time: no roll', () => {
    assert.equal(rolledPaymentDate(calendar, 'MEPS', '2026-03-10', Date.parse('2026-03-10T06:59:00Z')), undefined);
    assert.equal(rolledPaymentDate(calendar, 'MEPS', '2026-03-12', Date.parse('2026-03-10T09:00:00Z')), undefined, 'a future date is left alone');
  });
  it('after the cut-off on paymentDate: the next business day (over a weekend)', () => {
    assert.equal(rolledPaymentDate(calendar, 'MEPS', '2026-03-10', Date.parse('2026-03-10T07:00:00Z')), '2026-03-11');
    assert.equal(rolledPaymentDate(calendar, 'MEPS', '2026-03-13', Date.parse('2026-03-13T08:00:00Z')), '2026-03-16');
  });
  it('on a later day: that day if the rail can still settle it, else the next business day', () => {
    assert.equal(rolledPaymentDate(calendar, 'MEPS', '2026-03-10', Date.parse('2026-03-11T02:00:00Z')), '2026-03-11');
    assert.equal(rolledPaymentDate(calendar, 'MEPS', '2026-03-10', Date.parse('2026-03-14T02:00:00Z')), '2026-03-16', 'a Saturday');
  });
  it('a 24x7 rail has no cut-off: paid today once paymentDate has passed', () => {
    assert.equal(rolledPaymentDate(calendar, 'FAST', '2026-03-10', Date.parse('2026-03-10T15:00:00Z')), undefined, '23:00 in Singapore, still the day');
    assert.equal(rolledPaymentDate(calendar, 'FAST', '2026-03-10', Date.parse('2026-03-14T02:00:00Z')), '2026-03-14');
  });
});

describe('reasonProblems', () => {
  it('one line of at most 500 characters; required only for a rejection', () => {
    assert.deepEqual(reasonProblems(undefined, { required: false }), []);
    assert.equal(reasonProblems(undefined, { required: true })[0]!.code, 'REQUIRED');
    assert.deepEqual(reasonProblems('😀'.repeat(500), { required: true }), [], '500 characters, not UTF-16 units');
    assert.equal(reasonProblems('x'.repeat(501), { required: true })[0]!.code, 'INVALID_LENGTH');
    for (const bad of ['a\nb', 'a\tb', 'a\u0000b', 'a\u007fb', '\ud800'])
      assert.equal(reasonProblems(bad, { required: true })[0]!.code, 'INVALID_CHARACTERS', JSON.stringify(bad));
  });
});
