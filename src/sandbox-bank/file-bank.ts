// The sandbox bank's file transport. For every pain.001 in `outbox/` it writes pain.002.001.10
// acknowledgements into `inbox/`: ACK1 one PAYRAIL_SANDBOX_ACK_DELAY_MS after it first saw the
// file, ACK2 after two, ACK3 after three, by the test-mode rules of SPEC §8 (outcomes.ts).
import type { Logger } from 'pino';
import { writePain002 } from '../bank-files/pain002/writer.ts';
import type { BankReport } from '../bank/reports.ts';
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import type { RailType } from '../rails/rails.ts';
import { isRailType } from '../rails/rails.ts';
import type { BankFolders } from './bank-folders.ts';
import { paymentReports, rejectsAtAck1 } from './outcomes.ts';
import type { SandboxCalendar } from './outcomes.ts';
import { readPain001 } from './read-pain001.ts';
import type { SandboxInstruction } from './read-pain001.ts';

/** What the sandbox remembers of a file, kept in `.sandbox/<name>.json` on the bank's server. */
interface FileState {
  receivedAt: number;
  /** Acknowledgement stages already written to the inbox (1, 2, 3). */
  sent: number[];
  /** Set once every acknowledgement is out, or the file was unreadable. */
  done: boolean;
}

export interface SandboxFileBankDeps {
  folders: BankFolders;
  clock: Clock;
  ackDelayMs: number;
  calendar: SandboxCalendar;
  logger: Logger;
}

type Ack = Parameters<typeof writePain002>[0];

function reportsOf(instruction: SandboxInstruction, receivedAt: number, calendar: SandboxCalendar): Map<string, BankReport[]> {
  const rail: RailType = isRailType(instruction.rail) ? instruction.rail : 'ACH';
  const byPayment = new Map<string, BankReport[]>();
  for (const p of instruction.payments) {
    byPayment.set(p.instructionId, paymentReports({ type: rail, currency: p.currency, paymentDate: instruction.paymentDate, receiverAccountNumber: p.accountNumber }, receivedAt, calendar));
  }
  return byPayment;
}

/** The acknowledgement of one stage for a file, or undefined when that stage sends none. */
export function acknowledgement(instruction: SandboxInstruction, stage: 1 | 2 | 3, receivedAt: number, calendar: SandboxCalendar, now: number): Ack | undefined {
  const base = { messageId: `ACK${stage}-${instruction.messageId}`.slice(0, 35), createdAt: isoAt(now).replace(/\.\d{3}Z$/, 'Z'), originalMessageId: instruction.messageId, originalMessageName: instruction.messageName, paymentInfoId: instruction.batchId };
  const rejected = instruction.payments.some((p) => rejectsAtAck1({ type: 'ACH', currency: p.currency, paymentDate: instruction.paymentDate, receiverAccountNumber: p.accountNumber }));
  if (stage === 1) return rejected ? { ...base, groupStatus: 'RJCT', groupReason: 'FF01', transactions: [] } : { ...base, groupStatus: 'ACTC', transactions: [] };
  if (rejected) return undefined;
  const reports = reportsOf(instruction, receivedAt, calendar);
  const transactions = instruction.payments.flatMap((p) => {
    const r = reports.get(p.instructionId)!.find((x) => x.stage === (stage === 2 ? 'ACK2' : 'ACK3'));
    if (!r) return [];
    return [{ instructionId: p.instructionId, endToEndId: p.endToEndId, status: r.status, ...(r.reason && { reason: r.reason }), ...(r.actualPaymentDate && { actualPaymentDate: r.actualPaymentDate }), ...(r.charge && { charge: r.charge }) }];
  });
  return transactions.length > 0 ? { ...base, transactions } : undefined;
}

export function createSandboxFileBank({ folders, clock, ackDelayMs, calendar, logger }: SandboxFileBankDeps) {
  const statePath = (name: string) => `.sandbox/${name}.json`;

  async function stateOf(name: string): Promise<FileState> {
    const raw = await folders.read(statePath(name));
    if (raw) return JSON.parse(raw) as FileState;
    const fresh: FileState = { receivedAt: clock(), sent: [], done: false };
    await folders.write(statePath(name), JSON.stringify(fresh));
    return fresh;
  }

  async function serve(name: string): Promise<number> {
    const state = await stateOf(name);
    if (state.done) return 0;
    const content = await folders.read(`outbox/${name}`);
    let instruction: SandboxInstruction;
    try {
      instruction = readPain001(content ?? '');
    } catch (err) {
      logger.warn({ file: name, err }, 'sandbox bank: not a pain.001; ignored');
      await folders.write(statePath(name), JSON.stringify({ ...state, done: true }));
      return 0;
    }
    let written = 0;
    for (const stage of [1, 2, 3] as const) {
      if (state.sent.includes(stage) || clock() < state.receivedAt + stage * ackDelayMs) continue;
      const ack = acknowledgement(instruction, stage, state.receivedAt, calendar, clock());
      if (ack) {
        await folders.write(`inbox/${instruction.messageId}.ACK${stage}.xml`, writePain002(ack));
        written++;
      }
      state.sent.push(stage);
      state.done = stage === 3 || (stage === 1 && ack?.groupStatus === 'RJCT');
      await folders.write(statePath(name), JSON.stringify(state));
      if (state.done) break;
    }
    return written;
  }

  return {
    /** One pass over the outbox; returns how many acknowledgement files were written. */
    async tick(): Promise<number> {
      let written = 0;
      for (const name of await folders.list('outbox')) {
        if (!name.endsWith('.xml')) continue;
        written += await serve(name);
      }
      return written;
    },
  };
}
