// What goes into a pain.001 file (RAILS.md §2): one batch as one payment information block,
// written in the layout of a bank profile (BANKS.md §3, src/bank-files/profiles).
import type { ChargeBearer, Receiver } from '../../payments/model.ts';
import type { RailType } from '../../rails/rails.ts';
import type { ProfileName } from '../profiles/index.ts';

/** pain.001.001.09 (the default) or pain.001.001.03 (a bank profile's choice). */
export type Pain001Version = '09' | '03';

/** One payment of the batch; `amount` in minor units of `currency`. */
export interface Pain001Payment {
  /** payrail's payment id; PmtId/InstrId is its file form (identifiers.ts: `PYMT01J…`). */
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
  /** CdtTrfTxInf/PmtTpInf/CtgyPurp/Cd, when it differs from the batch's purpose. */
  purpose?: string;
  /**
   * CdtTrfTxInf/ChrgBr. Set on the payments of a batch whose payments name different charge
   * bearers (then every transaction carries its own, the profile's default where it names none,
   * and PmtInf none); left out when they all agree (then PmtInf carries the batch's).
   */
  chargeBearer?: ChargeBearer;
}

/** The sender: its name, the account debited and the bank holding it (a BIC or a 3-digit HK bank code). */
export interface Pain001Debtor {
  /** The account's name: Dbtr/Nm when it has no legal name. */
  name: string;
  /** The account holder's legal name: Dbtr/Nm. */
  legalName?: string;
  /** Dbtr/PstlAdr/Ctry (ISO 3166-1 alpha-2). */
  country?: string;
  /** Dbtr/PstlAdr/AdrLine. */
  addressLines?: string[];
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
  /** InitgPty/Id/OrgId/Othr/Id: the bank's id for the customer. */
  initiatingPartyId?: string;
  /** payrail's batch id; PmtInfId is its file form (identifiers.ts: `PYMTB01J…`). */
  batchId: string;
  /** PmtTpInf/LclInstrm/Prtry, unless the options map it. */
  rail: RailType;
  /** ReqdExctnDt (YYYY-MM-DD). */
  paymentDate: string;
  /** ChrgBr: SENDER → DEBT, RECEIVER → CRED, SHARED → SHAR, absent → the profile's domestic default. */
  chargeBearer?: ChargeBearer;
  /** PmtInf/PmtTpInf/CtgyPurp/Cd: the batch's purpose. */
  purpose?: string;
  debtor: Pain001Debtor;
  payments: Pain001Payment[];
}

/** What the group header of a file says: its id, time and initiating party. */
export type Pain001FileHeader = Pick<Pain001Batch, 'messageId' | 'createdAt' | 'initiatingPartyName' | 'initiatingPartyId'>;

/** One payment-information block of a file: a batch without the group header's fields. */
export type Pain001PaymentInfo = Omit<Pain001Batch, keyof Pain001FileHeader>;

/** A file of several payment-information blocks under one group header (`writePain001File`). */
export interface Pain001File extends Pain001FileHeader {
  paymentInfos: Pain001PaymentInfo[];
}

/** The bank profile (default `generic`), and overrides of its choices. */
export interface Pain001Options {
  profile?: ProfileName;
  /** Overrides the profile's version (PAYRAIL_PAIN001_VERSION, for the generic profile). */
  version?: Pain001Version;
  /** Overrides the profile's LclInstrm, as a proprietary code per rail. */
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
