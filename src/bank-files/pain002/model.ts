// What payrail reads out of a pain.002 status report (RAILS.md §3, BANKS.md §4), the same shape
// for every version from .001.03 to .001.14 and the national flavours built on them. Codes stay
// open strings: .10 allows any 1–4 character status.

/** A bank charge in minor units. */
export interface Pain002Charge {
  amount: number;
  currency: string;
}

/** One TxInfAndSts: the status of one payment. */
export interface Pain002Transaction {
  /** OrgnlPmtInfId of the enclosing OrgnlPmtInfAndSts: payrail's batch id. */
  originalPaymentInfoId?: string;
  /** OrgnlInstrId: payrail's payment id. */
  originalInstructionId?: string;
  /** OrgnlEndToEndId: the customer reference. */
  originalEndToEndId?: string;
  /** TxSts (ACCP, ACSC, ACWC, RJCT…). */
  status?: string;
  /** StsRsnInf/Rsn/Cd (or Prtry), in order. */
  reasons: string[];
  /** OrgnlTxRef/ReqdExctnDt (YYYY-MM-DD): with ACWC, the new value date. */
  requestedExecutionDate?: string;
  /** OrgnlTxRef/IntrBkSttlmDt (YYYY-MM-DD). */
  interbankSettlementDate?: string;
  /** ChrgsInf/Amt, converted exactly. */
  charges: Pain002Charge[];
  /** Every StsRsnInf/AddtlInf line of this transaction, in document order (reason texts). */
  reasonTexts: string[];
}

/** One OrgnlPmtInfAndSts: a status for a whole payment information block (batch). */
export interface Pain002PaymentInfo {
  originalPaymentInfoId?: string;
  /** PmtInfSts. */
  status?: string;
  /** StsRsnInf/Rsn/Cd (or Prtry) codes, in order. */
  reasons: string[];
  /** Every StsRsnInf/AddtlInf line of the payment-information block, in order. */
  reasonTexts: string[];
}

/** Everything the report says about one original pain.001 file. */
export interface Pain002Original {
  /** OrgnlMsgId: the pain.001's GrpHdr/MsgId. */
  originalMessageId?: string;
  /** OrgnlMsgNmId (e.g. pain.001.001.09); real banks omit it. */
  originalMessageName?: string;
  /** GrpSts (ACK1: ACTC, RCVD, RJCT…). */
  groupStatus?: string;
  groupReasons: string[];
  /** Every AddtlInf line of the group's StsRsnInf, in order. */
  groupReasonTexts: string[];
  paymentInfos: Pain002PaymentInfo[];
  transactions: Pain002Transaction[];
}

/** A whole status report. */
export interface Pain002Report {
  /** The pain.002 version read, e.g. '03', '10', '12', '14' (the last two digits of pain.002.001.NN). */
  version: string;
  /** GrpHdr/MsgId of the report itself. */
  messageId: string | undefined;
  createdAt?: string;
  originals: Pain002Original[];
  /** What was off (missing required elements, unknown codes, unreadable amounts…), in reading order. */
  warnings: string[];
}

/** A file that is not a readable pain.002 at all (malformed XML, another message, unknown version). */
export class Pain002Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Pain002Error';
  }
}
