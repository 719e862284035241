// What goes into a pain.001 file (RAILS.md §2): one batch as one payment information block.
import type { ChargeBearer, Receiver } from '../../payments/model.ts';
import type { RailType } from '../../rails/rails.ts';

/** pain.001.001.09 (the default) or pain.001.001.03 (a bank profile's choice). */
export type Pain001Version = '09' | '03';

/** One payment of the batch; `amount` in minor units of `currency`. */
export interface Pain001Payment {
  /** PmtId/InstrId: payrail's payment id. */
  paymentId: string;
  /** PmtId/EndToEndId. */
  customerReference: string;
  amount: number;
  currency: string;
  receiver: Receiver;
  /** RmtInf/Ustrd. */
  paymentDetails?: string;
  /** PmtId/UETR (UUID v4, CBFT/TT); written in V09 only, V03 has no such element. */
  uetr?: string;
}

/** The sender: its name, the account debited and the bank holding it (a BIC or a 3-digit HK bank code). */
export interface Pain001Debtor {
  name: string;
  accountNumber: string;
  bank: string;
  currency?: string;
}

/** One batch, the input of `writePain001`. */
export interface Pain001Batch {
  /** GrpHdr/MsgId (≤ 35 characters): deterministic per batch and attempt. */
  messageId: string;
  /** GrpHdr/CreDtTm: an ISO date-time. */
  createdAt: string;
  initiatingPartyName: string;
  /** PmtInfId. */
  batchId: string;
  /** PmtTpInf/LclInstrm/Prtry, unless the options map it. */
  rail: RailType;
  /** ReqdExctnDt (YYYY-MM-DD). */
  paymentDate: string;
  /** ChrgBr: SENDER → DEBT, RECEIVER → CRED, SHARED → SHAR, absent → SLEV. */
  chargeBearer?: ChargeBearer;
  debtor: Pain001Debtor;
  payments: Pain001Payment[];
}

/** Bank-profile choices. */
export interface Pain001Options {
  version?: Pain001Version;
  /** The LclInstrm/Prtry value per rail when the bank's MIG names rails differently. */
  localInstrument?: Partial<Record<RailType, string>>;
}

/**
 * A batch that cannot be written as a valid file (an id too long, a fractional amount, a BIC the
 * 2009 schema refuses…). `path` points at the offending field, e.g. `payments[3].uetr`.
 */
export class Pain001Error extends Error {
  constructor(
    readonly reason: string,
    readonly path: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'Pain001Error';
  }

  /** The same error with its path inside `prefix` (e.g. `payments[3]`). */
  within(prefix: string): Pain001Error {
    return new Pain001Error(this.reason, `${prefix}.${this.path}`);
  }
}
