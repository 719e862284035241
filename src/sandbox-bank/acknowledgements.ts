// The acknowledgement files the sandbox bank writes for one pain.001, in a bank style
// (styles.ts): at each moment (1, 2, 3 ack delays after it first saw the file) at most one
// pain.002. What happens to each payment comes from the test-mode rules (outcomes.ts).
import type { Pain002Ack, Pain002AckReason, Pain002AckTransaction } from '../bank-files/pain002/writer.ts';
import type { BankReport } from '../bank/reports.ts';
import { isoAt } from '../clock.ts';
import type { RailType } from '../rails/rails.ts';
import { isRailType } from '../rails/rails.ts';
import { paymentReports, rejectsAtAck1 } from './outcomes.ts';
import type { SandboxCalendar } from './outcomes.ts';
import type { SandboxInstruction } from './read-pain001.ts';
import { STYLES, reasonsIn } from './styles.ts';
import type { ReportRules, SandboxStyle, StyleRules } from './styles.ts';

/** A moment at which the sandbox may write a file: this many ack delays after receipt. */
export type Moment = 1 | 2 | 3;

type Payment = SandboxInstruction['payments'][number];

/** The reason code the sandbox gives a whole file it rejects (000000002). */
const FILE_REJECTED = 'FF01';

function rejectsFile(instruction: SandboxInstruction): boolean {
  return instruction.payments.some((p) =>
    rejectsAtAck1({ type: 'ACH', currency: p.currency, paymentDate: instruction.paymentDate, receiverAccountNumber: p.accountNumber }),
  );
}

/** The moment of the first file: the acceptance, or the first report of a style without one. */
function firstMoment(rules: StyleRules): Moment {
  return rules.acceptanceAt ?? rules.validation.at;
}

/** Whether nothing more follows the file of this moment. */
export function isLastMoment(style: SandboxStyle, instruction: SandboxInstruction, moment: Moment): boolean {
  const rules = STYLES[style];
  return moment >= (rejectsFile(instruction) ? firstMoment(rules) : rules.settlement.at);
}

/** The ids of a payment as this bank sends them back. */
function idsOf(rules: StyleRules, p: Payment): Pick<Pain002AckTransaction, 'instructionId' | 'endToEndId'> {
  if (rules.ids === 'as-sent') return { instructionId: p.instructionId, endToEndId: p.endToEndId };
  return { instructionId: p.instructionId.toUpperCase(), endToEndId: p.endToEndId.toUpperCase().replaceAll('_', '') };
}

function withOriginator(rules: StyleRules, reasons: Pain002AckReason[]): Pain002AckReason[] {
  if (rules.originator === undefined) return reasons;
  const [first, ...rest] = reasons;
  return [{ originator: rules.originator, ...first }, ...rest];
}

function rejection(rules: StyleRules, instruction: SandboxInstruction, base: Pain002Ack): Pain002Ack {
  if (rules.rejection === 'group') return { ...base, groupStatus: 'RJCT', groupReasons: withOriginator(rules, reasonsIn(rules, FILE_REJECTED)) };
  // The group says only who rejected; the reason sits with each payment.
  const transactions = instruction.payments.map((p) => ({ ...idsOf(rules, p), status: 'RJCT', reasons: reasonsIn(rules, FILE_REJECTED) }));
  return { ...base, groupStatus: 'RJCT', groupReasons: [{ originator: rules.originator ?? 'Sandbox bank' }], transactions };
}

/** One payment's entry in a report, or undefined when the covering status already says it all. */
function entryOf(rules: StyleRules, report: ReportRules, covering: string | undefined, p: Payment, r: BankReport): Pain002AckTransaction | undefined {
  const changes = { ...(r.actualPaymentDate && { actualPaymentDate: r.actualPaymentDate }), ...(r.charge && { charge: r.charge }) };
  let status: string = report.passed;
  let reasons: Pain002AckReason[] | undefined;
  if (r.status === 'RJCT' || (r.status === 'ACWC' && report.changed === 'ACWC')) {
    status = r.status;
    if (r.reason) reasons = reasonsIn(rules, r.reason);
  }
  if (report.list === 'exceptions' && status === covering && Object.keys(changes).length === 0) return undefined;
  return { ...idsOf(rules, p), status, ...(reasons && { reasons }), ...changes };
}

function statusReport(
  rules: StyleRules,
  report: ReportRules,
  entries: { p: Payment; r: BankReport }[],
  instruction: SandboxInstruction,
  base: Pain002Ack,
): Pain002Ack {
  const anyRejected = entries.some((e) => e.r.status === 'RJCT');
  const groupStatus = report.group === 'none' ? undefined : anyRejected ? 'PART' : report.group === 'progress' ? 'ACSP' : 'ACSC';
  const paymentInfoStatus = report.paymentInfo ? report.passed : undefined;
  // PART says nothing about any one payment; ACSP, ACSC or a payment-information status does.
  const covering = paymentInfoStatus ?? (groupStatus === 'PART' ? undefined : groupStatus);
  const transactions = entries.flatMap(({ p, r }) => entryOf(rules, report, covering, p, r) ?? []);
  const echoed = entries[0]!.p;
  if (report.echo) transactions.push({ originalAmount: { amount: echoed.amount, currency: echoed.currency }, actualPaymentDate: instruction.paymentDate });
  return { ...base, ...(groupStatus && { groupStatus }), ...(paymentInfoStatus && { paymentInfo: { status: paymentInfoStatus } }), transactions };
}

/** The acknowledgement a style writes at a moment for a file, or undefined when it writes none then. */
export function acknowledgement(
  style: SandboxStyle,
  instruction: SandboxInstruction,
  moment: Moment,
  receivedAt: number,
  calendar: SandboxCalendar,
  now: number,
): Pain002Ack | undefined {
  const rules = STYLES[style];
  const base: Pain002Ack = {
    version: rules.version,
    ...(rules.envelope && { envelope: rules.envelope }),
    messageId: `ACK${moment}-${instruction.messageId}`.slice(0, 35),
    // Milliseconds: payrail orders a bank's reports by their CreDtTm, and sandbox moments can be under a second apart.
    createdAt: isoAt(now),
    originalMessageId: instruction.messageId,
    originalMessageName: instruction.messageName,
    paymentInfoId: instruction.batchId,
    transactions: [],
  };
  if (rejectsFile(instruction)) return moment === firstMoment(rules) ? rejection(rules, instruction, base) : undefined;
  if (moment === rules.acceptanceAt) return { ...base, groupStatus: 'ACTC' };
  const report = [rules.validation, rules.settlement].find((x) => x.at === moment);
  if (!report) return undefined;
  const stage = report === rules.validation ? 'ACK2' : 'ACK3';
  const rail: RailType = isRailType(instruction.rail) ? instruction.rail : 'ACH';
  const entries = instruction.payments.flatMap((p) => {
    const reports = paymentReports(
      { type: rail, currency: p.currency, paymentDate: instruction.paymentDate, receiverAccountNumber: p.accountNumber },
      receivedAt,
      calendar,
    );
    const r = reports.find((x) => x.stage === stage);
    return r ? [{ p, r }] : [];
  });
  return entries.length > 0 ? statusReport(rules, report, entries, instruction, base) : undefined;
}
