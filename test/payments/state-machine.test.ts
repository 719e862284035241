import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BatchEvent, BatchStatus, PaymentEvent, PaymentStatus } from '../../src/payments/state-machine.ts';
import { isFinal, isPending, PAYMENT_STATUSES, transition, transitionBatch } from '../../src/payments/state-machine.ts';
import { BANK_STATUSES, GROUP_STATUSES, TRANSACTION_STATUSES } from '../../src/bank-files/pain002/status-codes.ts';

const ack = (stage: 'ACK1' | 'ACK2' | 'ACK3', status: string, reason?: string): PaymentEvent => ({ kind: 'ACK', stage, status, ...(reason ? { reason } : {}) });
const name = (e: PaymentEvent | BatchEvent) =>
  e.kind === 'ACK'
    ? `${e.stage} ${e.status}${e.reason ? ` ${e.reason}` : ''}`
    : e.kind === 'ACK1'
      ? `ACK1 ${e.status}${e.reason ? ` ${e.reason}` : ''}`
      : e.kind;

const MOVES: [PaymentStatus, PaymentEvent, PaymentStatus][] = [
  ['PROCESSING', { kind: 'SUBMITTED' }, 'SUBMITTED'],
  ['SUBMITTED', ack('ACK1', 'ACTC'), 'SUBMITTED'],
  ['SUBMITTED', ack('ACK1', 'RCVD'), 'SUBMITTED'],
  ['SUBMITTED', ack('ACK1', 'RJCT', 'FF01'), 'FAILED'],
  ['SUBMITTED', ack('ACK2', 'ACCP'), 'SUBMITTED'],
  ['SUBMITTED', ack('ACK2', 'ACSP'), 'SUBMITTED'],
  ['SUBMITTED', ack('ACK2', 'PDNG'), 'SUBMITTED'],
  ['SUBMITTED', ack('ACK2', 'ACWC', 'DT06'), 'SUBMITTED'],
  ['SUBMITTED', ack('ACK2', 'RJCT', 'AC01'), 'FAILED'],
  ['SUBMITTED', ack('ACK3', 'ACSC'), 'COMPLETED'],
  ['SUBMITTED', ack('ACK3', 'ACCC'), 'COMPLETED'],
  ['SUBMITTED', ack('ACK3', 'ACWC'), 'COMPLETED'],
  ['SUBMITTED', ack('ACK3', 'RJCT', 'AC04'), 'FAILED'],
];

describe('payment state machine', () => {
  for (const [from, event, to] of MOVES) {
    it(`${from} -> ${to} on ${name(event)}`, () => {
      const result = transition(from, event);
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.from, from);
      assert.equal(result.to, to);
    });
  }

  it('SUBMITTED -> FAILED on ACK2 RJCT AC01 records the failure and the cause', () => {
    const result = transition('SUBMITTED', { kind: 'ACK', stage: 'ACK2', status: 'RJCT', reason: 'AC01', message: 'Incorrect account number' });
    assert.deepEqual(result, {
      ok: true,
      from: 'SUBMITTED',
      to: 'FAILED',
      cause: { stage: 'ACK2', bankStatus: 'RJCT', reasonCode: 'AC01', message: 'Incorrect account number' },
      failure: { stage: 'ACK2', code: 'AC01', message: 'Incorrect account number' },
    });
  });

  it('SUBMITTED -> FAILED on ACK3 RJCT without a reason uses RJCT as the failure code', () => {
    const result = transition('SUBMITTED', ack('ACK3', 'RJCT'));
    assert.ok(result.ok);
    assert.equal(result.failure?.code, 'RJCT');
    assert.equal(result.failure?.stage, 'ACK3');
  });

  it('SUBMITTED -> COMPLETED on ACK3 ACWC carries the new date and the charges', () => {
    const changes = { actualPaymentDate: '2026-03-12', bankChargeAmount: 500, bankChargeCurrency: 'SGD' };
    const result = transition('SUBMITTED', { kind: 'ACK', stage: 'ACK3', status: 'ACWC', reason: 'DT06', changes });
    assert.ok(result.ok);
    assert.equal(result.to, 'COMPLETED');
    assert.deepEqual(result.changes, changes);
    assert.equal(result.failure, undefined);
  });

  it('SUBMITTED -> COMPLETED on ACK3 ACSC has no failure and no changes', () => {
    const result = transition('SUBMITTED', ack('ACK3', 'ACSC'));
    assert.deepEqual(result, { ok: true, from: 'SUBMITTED', to: 'COMPLETED', cause: { stage: 'ACK3', bankStatus: 'ACSC' } });
  });

  for (const from of ['COMPLETED', 'FAILED'] as const) {
    for (const event of [{ kind: 'SUBMITTED' } as const, ack('ACK2', 'ACCP'), ack('ACK2', 'ACWC'), ack('ACK3', 'ACSC'), ack('ACK3', 'RJCT', 'AC04')]) {
      it(`${from} stays ${from} on ${name(event)} (ALREADY_FINAL)`, () => {
        const result = transition(from, event);
        assert.equal(result.ok, false);
        assert.equal(!result.ok && result.code, 'ALREADY_FINAL');
      });
    }
  }

  it('PROCESSING refuses an ACK before submission (INVALID_TRANSITION)', () => {
    for (const event of [ack('ACK1', 'ACTC'), ack('ACK2', 'RJCT', 'AC01'), ack('ACK3', 'ACSC')]) {
      const result = transition('PROCESSING', event);
      assert.equal(!result.ok && result.code, 'INVALID_TRANSITION', name(event));
    }
  });

  it('SUBMITTED refuses a second SUBMITTED (INVALID_TRANSITION)', () => {
    const result = transition('SUBMITTED', { kind: 'SUBMITTED' });
    assert.equal(!result.ok && result.code, 'INVALID_TRANSITION');
  });

  // One odd code must not set a real file aside: an unknown code is intermediate (status-codes.ts).
  for (const status of ['XXXX', '', 'constructor', 'toString']) {
    it(`SUBMITTED stays SUBMITTED on unknown bank status '${status}' (recorded as intermediate)`, () => {
      const result = transition('SUBMITTED', ack('ACK2', status));
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.to, 'SUBMITTED');
      assert.equal(result.failure, undefined);
    });
  }

  // The codes the reader knew but the state machine refused (issue #14): one table now.
  for (const [status, to] of [
    ['ACFC', 'SUBMITTED'],
    ['ACIS', 'SUBMITTED'],
    ['ACPD', 'SUBMITTED'],
    ['ACWP', 'SUBMITTED'],
    ['PATC', 'SUBMITTED'],
    ['CANC', 'FAILED'],
    ['BLCK', 'FAILED'],
  ] as const) {
    it(`SUBMITTED -> ${to} on ACK2 ${status} (from the one status table)`, () => {
      const result = transition('SUBMITTED', ack('ACK2', status));
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.to, to);
    });
  }

  it('the reader and the state machine share one table: every code it lists moves a payment by its effect', () => {
    const expected = { INTERMEDIATE: 'SUBMITTED', CHANGES: 'SUBMITTED', COMPLETES: 'COMPLETED', FAILS: 'FAILED' } as const;
    for (const [code, entry] of Object.entries(BANK_STATUSES)) {
      const result = transition('SUBMITTED', ack('ACK2', code));
      assert.ok(result.ok, code);
      assert.equal(result.to, expected[entry.effect], code);
      for (const level of ['group', 'transaction'] as const) {
        const known = level === 'group' ? GROUP_STATUSES : TRANSACTION_STATUSES;
        assert.equal(Object.hasOwn(known, code), entry.levels.includes(level), `${code} at ${level}`);
      }
    }
  });

  it('a charge carried by ACSC is kept (not only ACWC)', () => {
    const changes = { bankChargeAmount: 25, bankChargeCurrency: 'SGD' };
    const result = transition('SUBMITTED', { kind: 'ACK', stage: 'ACK3', status: 'ACSC', changes });
    assert.ok(result.ok);
    assert.deepEqual(result.changes, changes);
  });

  it('ACCP that completes an earlier ACWC (settles) moves SUBMITTED -> COMPLETED; RJCT never settles', () => {
    const ok = transition('SUBMITTED', { kind: 'ACK', stage: 'ACK3', status: 'ACCP', settles: true });
    assert.equal(ok.ok && ok.to, 'COMPLETED');
    const rj = transition('SUBMITTED', { kind: 'ACK', stage: 'ACK3', status: 'RJCT', settles: true });
    assert.equal(rj.ok && rj.to, 'FAILED');
  });

  it('no event ever moves a final status', () => {
    const events: PaymentEvent[] = [{ kind: 'SUBMITTED' }, ...['ACTC', 'ACCP', 'ACWC', 'ACSC', 'ACCC', 'RJCT'].map((s) => ack('ACK3', s))];
    for (const from of PAYMENT_STATUSES.filter(isFinal)) for (const e of events) assert.equal(transition(from, e).ok, false);
  });

  it('isFinal and isPending split the statuses', () => {
    assert.deepEqual(PAYMENT_STATUSES.filter(isFinal), ['COMPLETED', 'FAILED']);
    assert.deepEqual(PAYMENT_STATUSES.filter(isPending), ['PROCESSING', 'SUBMITTED']);
  });
});

const BATCH_MOVES: [BatchStatus, BatchEvent, BatchStatus][] = [
  ['PROCESSING', { kind: 'SUBMITTED' }, 'SUBMITTED'],
  ['SUBMITTED', { kind: 'ACK1', status: 'ACTC' }, 'SUBMITTED'],
  ['SUBMITTED', { kind: 'ACK1', status: 'PART' }, 'SUBMITTED'],
  ['SUBMITTED', { kind: 'ACK1', status: 'RJCT', reason: 'FF01' }, 'FAILED'],
  ['SUBMITTED', { kind: 'ALL_PAYMENTS_FINAL' }, 'COMPLETED'],
];

describe('batch state machine', () => {
  for (const [from, event, to] of BATCH_MOVES) {
    it(`${from} -> ${to} on ${name(event)}`, () => {
      const result = transitionBatch(from, event);
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.to, to);
    });
  }
  it('SUBMITTED -> FAILED on ACK1 RJCT DUPL records the failure', () => {
    const result = transitionBatch('SUBMITTED', { kind: 'ACK1', status: 'RJCT', reason: 'DUPL' });
    assert.ok(result.ok);
    assert.deepEqual(result.failure, { stage: 'ACK1', code: 'DUPL', message: 'file rejected by the bank at ACK1 (DUPL)' });
    assert.deepEqual(result.cause, { stage: 'ACK1', bankStatus: 'RJCT', reasonCode: 'DUPL' });
  });
  it('PROCESSING cannot complete before it is submitted', () => {
    const result = transitionBatch('PROCESSING', { kind: 'ALL_PAYMENTS_FINAL' });
    assert.equal(!result.ok && result.code, 'INVALID_TRANSITION');
  });
  for (const from of ['COMPLETED', 'FAILED'] as const) {
    it(`${from} is final (ALREADY_FINAL)`, () => {
      for (const e of [{ kind: 'SUBMITTED' }, { kind: 'ACK1', status: 'RJCT' }, { kind: 'ALL_PAYMENTS_FINAL' }] as BatchEvent[]) {
        const result = transitionBatch(from, e);
        assert.equal(!result.ok && result.code, 'ALREADY_FINAL');
      }
    });
  }
  it('an unknown ACK1 status is no verdict: the batch stays SUBMITTED', () => {
    const result = transitionBatch('SUBMITTED', { kind: 'ACK1', status: 'WHAT' });
    assert.equal(result.ok && result.to, 'SUBMITTED');
  });
  it('SUBMITTED -> FAILED when every payment failed after the file was accepted', () => {
    const result = transitionBatch('SUBMITTED', { kind: 'ALL_PAYMENTS_FAILED' });
    assert.equal(result.ok && result.to, 'FAILED');
  });
});
