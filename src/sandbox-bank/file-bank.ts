// The sandbox bank's file transport. For every pain.001 in `outbox/` it writes pain.002
// acknowledgements into `inbox/` in its bank style (styles.ts): at most one file one
// PAYRAIL_SANDBOX_ACK_DELAY_MS after it first saw the file, one after two, one after three, by the
// test-mode rules of SPEC §8 (outcomes.ts).
import type { Logger } from 'pino';
import { writePain002 } from '../bank-files/pain002/writer.ts';
import type { Clock } from '../clock.ts';
import { acknowledgement, isLastMoment } from './acknowledgements.ts';
import type { BankFolders } from './bank-folders.ts';
import type { SandboxCalendar } from './outcomes.ts';
import { readPain001 } from './read-pain001.ts';
import type { SandboxInstruction } from './read-pain001.ts';
import { isSandboxStyle } from './style-names.ts';
import type { SandboxStyle } from './style-names.ts';

/** What the sandbox remembers of a file, kept in `.sandbox/<name>.json` on the bank's server. */
interface FileState {
  receivedAt: number;
  /** The style the file is answered in, fixed when first seen (a restart in another style does not mix two). */
  style?: SandboxStyle;
  /** Moments already handled (1, 2, 3), whether or not they wrote a file. */
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
  /** How the bank writes its acknowledgements; textbook by default. */
  style?: SandboxStyle;
}

export function createSandboxFileBank({ folders, clock, ackDelayMs, calendar, logger, style = 'textbook' }: SandboxFileBankDeps) {
  const statePath = (name: string) => `.sandbox/${name}.json`;

  async function stateOf(name: string): Promise<FileState> {
    const raw = await folders.read(statePath(name));
    if (raw) return JSON.parse(raw) as FileState;
    const fresh: FileState = { receivedAt: clock(), style, sent: [], done: false };
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
    const answeredIn = state.style !== undefined && isSandboxStyle(state.style) ? state.style : style;
    for (const moment of [1, 2, 3] as const) {
      if (state.sent.includes(moment) || clock() < state.receivedAt + moment * ackDelayMs) continue;
      const ack = acknowledgement(answeredIn, instruction, moment, state.receivedAt, calendar, clock());
      if (ack) {
        await folders.write(`inbox/${instruction.messageId}.ACK${moment}.xml`, writePain002(ack));
        written++;
      }
      state.sent.push(moment);
      state.done = isLastMoment(answeredIn, instruction, moment);
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
