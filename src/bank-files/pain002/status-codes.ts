// pain.002 status codes (ISO external code sets, notes §2.3) and the ACK stage a transaction
// status belongs to (RAILS.md §3). Codes are an open set: an unknown code is reported, not refused.
import type { AckStage } from '../../bank/reports.ts';

/** Transaction statuses (TxSts) payrail knows, with their meaning. */
export const TRANSACTION_STATUSES: Readonly<Record<string, string>> = {
  ACCC: 'settlement on the creditor account completed',
  ACCP: 'technical validation and customer profile check passed',
  ACFC: 'accepted, funds checked',
  ACIS: 'accepted and the cheque issued',
  ACPD: 'accepted and the clearing system processed it',
  ACSC: 'settlement on the debtor account completed',
  ACSP: 'accepted, settlement in process',
  ACTC: 'technical validation passed',
  ACWC: 'accepted with change (date, charges)',
  ACWP: 'accepted without posting',
  BLCK: 'blocked',
  CANC: 'cancelled',
  PATC: 'partially accepted, technical correct',
  PDNG: 'pending further checks',
  RCVD: 'received',
  RJCT: 'rejected',
};

/** Group and payment-information statuses (GrpSts, PmtInfSts) payrail knows. */
export const GROUP_STATUSES: Readonly<Record<string, string>> = {
  ACCC: 'settlement on the creditor accounts completed',
  ACCP: 'technical validation and customer profile check passed',
  ACSC: 'settlement completed',
  ACSP: 'accepted, settlement in process',
  ACTC: 'file accepted: authentication and validation passed',
  ACWC: 'accepted with change',
  PART: 'partly accepted',
  PDNG: 'pending',
  RCVC: 'received, verification of payee completed',
  RCVD: 'received',
  RJCT: 'rejected',
  RVCM: 'verification of payee: match',
  RVNC: 'verification of payee: no match',
};

// pain.002.001.03 has closed enumerations (TransactionGroupStatus3Code, TransactionIndividualStatus3Code).
export const V03_GROUP_STATUSES: ReadonlySet<string> = new Set(['ACTC', 'RCVD', 'PART', 'RJCT', 'PDNG', 'ACCP', 'ACSP', 'ACSC', 'ACWC']);
export const V03_TRANSACTION_STATUSES: ReadonlySet<string> = new Set(['ACTC', 'RJCT', 'PDNG', 'ACCP', 'ACSP', 'ACSC', 'ACWC']);

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
