// SUBMISSION_FAILED: an instruction payrail can never send (its pain.001 cannot be written) ends
// FAILED at stage SUBMISSION instead of staying PROCESSING.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SubmissionFailed } from '../../src/payments/state-machine.ts';
import { transition, transitionBatch } from '../../src/payments/state-machine.ts';

const failed: SubmissionFailed = {
  kind: 'SUBMISSION_FAILED',
  code: 'BANK_FILE_NOT_WRITABLE',
  message: 'receiver.name: contains a character XML 1.0 cannot carry',
};
const expected = {
  ok: true,
  from: 'PROCESSING',
  to: 'FAILED',
  cause: { stage: 'SUBMISSION', reasonCode: 'BANK_FILE_NOT_WRITABLE', message: failed.message },
  failure: { stage: 'SUBMISSION', code: 'BANK_FILE_NOT_WRITABLE', message: failed.message },
};

describe('SUBMISSION_FAILED', () => {
  it('payment PROCESSING -> FAILED at stage SUBMISSION with the failure', () => assert.deepEqual(transition('PROCESSING', failed), expected));
  it('batch PROCESSING -> FAILED at stage SUBMISSION with the failure', () => assert.deepEqual(transitionBatch('PROCESSING', failed), expected));
  it('is refused once the bank has the instruction (SUBMITTED) and on final statuses', () => {
    assert.equal(!transition('SUBMITTED', failed).ok && (transition('SUBMITTED', failed) as { code: string }).code, 'INVALID_TRANSITION');
    assert.equal(!transitionBatch('SUBMITTED', failed).ok && (transitionBatch('SUBMITTED', failed) as { code: string }).code, 'INVALID_TRANSITION');
    for (const from of ['COMPLETED', 'FAILED'] as const) {
      assert.equal((transition(from, failed) as { code: string }).code, 'ALREADY_FINAL');
      assert.equal((transitionBatch(from, failed) as { code: string }).code, 'ALREADY_FINAL');
    }
  });
});
