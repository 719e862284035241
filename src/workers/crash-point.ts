// Failpoints for crash tests: when PAYRAIL_CRASH_AT names a point, the process kills itself with
// SIGKILL exactly there, the way a power cut would. Unset (always, outside tests) it does nothing.
// Points: `after-file-generated` (pain.001 recorded, not uploaded), `after-file-uploaded` (a
// single-payment file uploaded, its payments not yet marked SUBMITTED), `mid-ack-apply` (inside the
// transaction applying an acknowledgement, after its payments were written, before the commit),
// `after-approval` (an approval committed, its answer not sent, nothing dispatched yet).

export type CrashPointName = 'after-file-generated' | 'after-file-uploaded' | 'mid-ack-apply' | 'after-approval';

export function crashPoint(name: CrashPointName): void {
  if (process.env.PAYRAIL_CRASH_AT === name) process.kill(process.pid, 'SIGKILL');
}
