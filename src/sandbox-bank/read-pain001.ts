// What the sandbox bank reads from a pain.001 (V09 or V03): the message and batch ids, the date,
// the rail, and per payment its ids, amount, currency and creditor account. Nothing else matters to it.
import { isCurrency, minorUnitExponent } from '../money/currencies.ts';
import { decimalToMinorUnits } from '../bank-files/decimal-amount.ts';
import { parseXml } from '../bank-files/xml/parse.ts';
import { attribute, child, childText, childrenNamed, textOf } from '../bank-files/xml/tree.ts';

export interface SandboxInstruction {
  messageId: string;
  messageName: 'pain.001.001.09' | 'pain.001.001.03';
  batchId: string;
  rail: string;
  paymentDate: string;
  /** `amount` in minor units: some bank styles echo it back (OrgnlTxRef). */
  payments: { instructionId: string; endToEndId: string; amount: number; currency: string; accountNumber?: string }[];
}

/** InstdAmt in minor units of its currency. */
function minorUnits(text: string | undefined, currency: string): number {
  const result = decimalToMinorUnits(required(text, 'InstdAmt'), isCurrency(currency) ? minorUnitExponent(currency) : 2);
  if (!result.ok) throw new Error(`pain.001 InstdAmt: ${result.reason}`);
  return result.minorUnits;
}

function required(value: string | undefined, what: string): string {
  if (value === undefined) throw new Error(`pain.001 without ${what}`);
  return value;
}

export function readPain001(xml: string): SandboxInstruction {
  const root = parseXml(xml);
  const init = child(root, 'CstmrCdtTrfInitn');
  if (root.name !== 'Document' || !init) throw new Error('not a pain.001 document');
  const messageName = (attribute(root, 'xmlns') ?? '').endsWith('pain.001.001.03') ? 'pain.001.001.03' : 'pain.001.001.09';
  const info = child(init, 'PmtInf');
  if (!info) throw new Error('pain.001 without PmtInf');
  const date = child(info, 'ReqdExctnDt');
  const payments = childrenNamed(info, 'CdtTrfTxInf').map((tx) => {
    const ids = child(tx, 'PmtId');
    const amount = child(child(tx, 'Amt'), 'InstdAmt');
    const accountId = child(child(tx, 'CdtrAcct'), 'Id');
    const accountNumber = childText(child(accountId, 'Othr'), 'Id') ?? childText(accountId, 'IBAN');
    const currency = required(amount && attribute(amount, 'Ccy'), 'InstdAmt@Ccy');
    return {
      instructionId: required(childText(ids, 'InstrId'), 'InstrId'),
      endToEndId: required(childText(ids, 'EndToEndId'), 'EndToEndId'),
      amount: minorUnits(textOf(amount), currency),
      currency,
      ...(accountNumber !== undefined && { accountNumber }),
    };
  });
  return {
    messageId: required(childText(child(init, 'GrpHdr'), 'MsgId'), 'MsgId'),
    messageName,
    batchId: required(childText(info, 'PmtInfId'), 'PmtInfId'),
    rail: childText(child(child(info, 'PmtTpInf'), 'LclInstrm'), 'Prtry') ?? '',
    // V09 nests the date in <Dt>; V03 has it as the element's own text.
    paymentDate: required(childText(date, 'Dt') ?? childText(info, 'ReqdExctnDt'), 'ReqdExctnDt'),
    payments,
  };
}
