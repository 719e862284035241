// Failpoints for crash tests: when PAYRAIL_CRASH_AT names a point, the process kills itself with
// SIGKILL exactly there, the way a power cut would. Unset (always, outside tests) it does nothing.
// Points: `after-file-generated` (pain.001 recorded, not uploaded), `after-file-uploaded` (a
// single-payment file uploaded, its payments not yet marked SUBMITTED), `after-payment-submitted`
// (the bank took a single payment, SUBMITTED not yet recorded), `mid-ack-apply` (inside the
// transaction applying an acknowledgement, after its payments were written, before the commit),
// `after-approval` (an approval committed, its answer not sent, nothing dispatched yet),
// `mid-single-payments-apply` (inside the transaction that writes the SUBMITTED status or the bank's
// reports of many single payments at once, after their rows were written, before the commit).
//
// And their witness: when PAYRAIL_TEST_BANK_CALLS names a file, every call that reached the bank
// (a file uploaded, a single payment submitted) appends one line to it, so a crash test
// counts real calls; the bank's own records hide a repeat (the sandbox ignores a payment it has,
// an upload skips a name already there). Written synchronously: the line survives a SIGKILL.
import { appendFileSync } from 'node:fs';

export type CrashPointName =
  'after-file-generated' | 'after-file-uploaded' | 'after-payment-submitted' | 'mid-ack-apply' | 'after-approval' | 'mid-single-payments-apply';

export function crashPoint(name: CrashPointName): void {
  if (process.env.PAYRAIL_CRASH_AT === name) process.kill(process.pid, 'SIGKILL');
}

/** Records a call that reached the bank (`upload NAME`, `submit PAYMENT_ID`) when a crash test asks. */
export function witnessBankCall(call: 'upload' | 'submit', what: string): void {
  const file = process.env.PAYRAIL_TEST_BANK_CALLS;
  if (file) appendFileSync(file, `${call} ${what}\n`);
}
