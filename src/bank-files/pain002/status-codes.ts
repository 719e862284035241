// The one table of pain.002 status codes (ISO ExternalPaymentGroupStatus1Code /
// ExternalPaymentTransactionStatus1Code, RAILS.md §3, BANKS.md §4.5): what each code means, the
// levels it may appear at, and what it does to a payment. The reader warns with it, the state
// machine moves payments with it, the applier infers stages with it: nothing else lists codes.
//
// Codes are an open set (.10 allows any 1–4 characters). A code not listed here is recorded in the
// payment's history as an intermediate status and reported as a warning: one odd code must not set
// a whole real file aside, and guessing that an unknown code completes or fails a payment would
// move money state on a guess.
import type { AckStage } from '../../bank/reports.ts';

/** Where a status may appear: GrpSts, PmtInfSts, TxSts. */
export type StatusLevel = 'group' | 'paymentInfo' | 'transaction';

/**
 * What a status does to a payment: INTERMEDIATE is recorded without moving it; CHANGES records the
 * changes it carries (and completes a payment past validation, RAILS.md §3: ACWC at ACK3 is the
 * clearing result with changes); COMPLETES and FAILS are final.
 */
export type StatusEffect = 'INTERMEDIATE' | 'CHANGES' | 'COMPLETES' | 'FAILS';

export interface BankStatus {
  meaning: string;
  levels: readonly StatusLevel[];
  effect: StatusEffect;
  /** At group or payment-information level: the bank took the file (BANKS.md §4.3). */
  acceptsFile?: true;
  /** The bank's validation of the payment passed (so a later rejection is ACK3, RAILS.md §3). */
  passesValidation?: true;
  /** Allowed by pain.002.001.03's closed enumerations, at the levels given. */
  v03?: readonly StatusLevel[];
}

const ALL: readonly StatusLevel[] = ['group', 'paymentInfo', 'transaction'];
const GROUPS: readonly StatusLevel[] = ['group', 'paymentInfo'];

export const BANK_STATUSES: Readonly<Record<string, BankStatus>> = {
  RCVD: { meaning: 'received', levels: ALL, effect: 'INTERMEDIATE', v03: GROUPS },
  RCVC: { meaning: 'received, verification of payee completed', levels: GROUPS, effect: 'INTERMEDIATE' },
  RVCM: { meaning: 'verification of payee: match', levels: GROUPS, effect: 'INTERMEDIATE' },
  RVNC: { meaning: 'verification of payee: no match', levels: GROUPS, effect: 'INTERMEDIATE' },
  PDNG: { meaning: 'pending further checks', levels: ALL, effect: 'INTERMEDIATE', v03: ALL },
  ACTC: { meaning: 'technical validation passed', levels: ALL, effect: 'INTERMEDIATE', acceptsFile: true, v03: ALL },
  PART: {
    meaning: 'partly accepted: some transactions accepted, the rest reported individually',
    levels: GROUPS,
    effect: 'INTERMEDIATE',
    acceptsFile: true,
    v03: GROUPS,
  },
  PATC: { meaning: 'partially accepted, technical correct (more authorisations needed)', levels: ALL, effect: 'INTERMEDIATE', acceptsFile: true },
  ACCP: {
    meaning: 'technical validation and customer profile check passed',
    levels: ALL,
    effect: 'INTERMEDIATE',
    acceptsFile: true,
    passesValidation: true,
    v03: ALL,
  },
  ACFC: { meaning: 'accepted, funds checked', levels: ALL, effect: 'INTERMEDIATE', acceptsFile: true, passesValidation: true },
  ACIS: { meaning: 'accepted and the cheque issued', levels: ALL, effect: 'INTERMEDIATE', acceptsFile: true, passesValidation: true },
  ACPD: { meaning: 'accepted and the clearing system processed it', levels: ALL, effect: 'INTERMEDIATE', acceptsFile: true, passesValidation: true },
  ACWP: { meaning: 'accepted without posting', levels: ALL, effect: 'INTERMEDIATE', acceptsFile: true, passesValidation: true },
  ACSP: { meaning: 'accepted, settlement in process', levels: ALL, effect: 'INTERMEDIATE', acceptsFile: true, passesValidation: true, v03: ALL },
  ACWC: { meaning: 'accepted with change (value date, charges)', levels: ALL, effect: 'CHANGES', acceptsFile: true, passesValidation: true, v03: ALL },
  ACSC: { meaning: 'settlement on the debtor account completed', levels: ALL, effect: 'COMPLETES', acceptsFile: true, passesValidation: true, v03: ALL },
  ACCC: { meaning: 'settlement on the creditor account completed', levels: ALL, effect: 'COMPLETES', acceptsFile: true, passesValidation: true },
  RJCT: { meaning: 'rejected', levels: ALL, effect: 'FAILS', v03: ALL },
  CANC: { meaning: 'cancelled', levels: ALL, effect: 'FAILS' },
  BLCK: { meaning: 'blocked (funds held)', levels: ALL, effect: 'FAILS' },
};

/** The entry of a code, or undefined for a code payrail does not know (Object.hasOwn: "constructor" is no code). */
export function bankStatus(code: string): BankStatus | undefined {
  return Object.hasOwn(BANK_STATUSES, code) ? BANK_STATUSES[code] : undefined;
}

/** What a code does; an unknown code is intermediate (see the top of this file). */
export function statusEffect(code: string): StatusEffect {
  return bankStatus(code)?.effect ?? 'INTERMEDIATE';
}

export function isKnownStatus(code: string): boolean {
  return bankStatus(code) !== undefined;
}

function codesAt(level: StatusLevel, v03 = false): string[] {
  return Object.entries(BANK_STATUSES)
    .filter(([, s]) => (v03 ? (s.v03 ?? []) : s.levels).includes(level))
    .map(([code]) => code);
}

function meaningsAt(level: StatusLevel): Readonly<Record<string, string>> {
  return Object.fromEntries(codesAt(level).map((code) => [code, BANK_STATUSES[code]!.meaning]));
}

/** Transaction statuses (TxSts) payrail knows, with their meaning. */
export const TRANSACTION_STATUSES: Readonly<Record<string, string>> = meaningsAt('transaction');
/** Group and payment-information statuses (GrpSts, PmtInfSts) payrail knows. */
export const GROUP_STATUSES: Readonly<Record<string, string>> = meaningsAt('group');

// pain.002.001.03 has closed enumerations (TransactionGroupStatus3Code, TransactionIndividualStatus3Code).
export const V03_GROUP_STATUSES: ReadonlySet<string> = new Set(codesAt('group', true));
export const V03_TRANSACTION_STATUSES: ReadonlySet<string> = new Set(codesAt('transaction', true));

/**
 * The stage of a transaction status: a settlement (ACSC, ACCC) is ACK3; ACCP, ACSP and PDNG are
 * ACK2 (bank validation). RJCT and ACWC appear at both stages, so they — and codes payrail does
 * not know — belong to ACK2 until the payment has passed ACK2, and to ACK3 after.
 */
export function inferStage(txStatus: string, passedAck2: boolean): AckStage {
  switch (txStatus) {
    case 'ACSC':
    case 'ACCC':
      return 'ACK3';
    case 'ACCP':
    case 'ACSP':
    case 'PDNG':
      return 'ACK2';
    default:
      return passedAck2 ? 'ACK3' : 'ACK2';
  }
}
