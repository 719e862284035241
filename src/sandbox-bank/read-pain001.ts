// What the sandbox bank reads from a pain.001 (V09 or V03): the message and batch ids, the date,
// the rail, and per payment its ids, currency and creditor account. Nothing else matters to it.
import { XMLParser } from 'fast-xml-parser';

export interface SandboxInstruction {
  messageId: string;
  messageName: 'pain.001.001.09' | 'pain.001.001.03';
  batchId: string;
  rail: string;
  paymentDate: string;
  payments: { instructionId: string; endToEndId: string; currency: string; accountNumber?: string }[];
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, removeNSPrefix: true, isArray: (name) => ['PmtInf', 'CdtTrfTxInf'].includes(name) });

type Node = Record<string, unknown>;
const text = (v: unknown): string => (typeof v === 'object' && v !== null ? String((v as Node)['#text'] ?? '') : String(v ?? ''));

export function readPain001(xml: string): SandboxInstruction {
  const doc = parser.parse(xml) as Node;
  const root = doc.Document as Node | undefined;
  const init = root?.CstmrCdtTrfInitn as Node | undefined;
  if (!root || !init) throw new Error('not a pain.001 document');
  const ns = String(root['@xmlns'] ?? '');
  const messageName = ns.includes('pain.001.001.03') ? 'pain.001.001.03' : 'pain.001.001.09';
  const header = init.GrpHdr as Node;
  const info = (init.PmtInf as Node[])[0]!;
  const date = info.ReqdExctnDt as Node | string;
  const payments = (info.CdtTrfTxInf as Node[]).map((tx) => {
    const ids = tx.PmtId as Node;
    const amount = (tx.Amt as Node).InstdAmt as Node;
    const acctId = ((tx.CdtrAcct as Node | undefined)?.Id as Node | undefined) ?? {};
    const other = acctId.Othr as Node | undefined;
    const accountNumber = other ? text(other.Id) : acctId.IBAN !== undefined ? text(acctId.IBAN) : undefined;
    return { instructionId: text(ids.InstrId), endToEndId: text(ids.EndToEndId), currency: String(amount['@Ccy']), ...(accountNumber !== undefined && { accountNumber }) };
  });
  const rail = text(((info.PmtTpInf as Node | undefined)?.LclInstrm as Node | undefined)?.Prtry);
  return {
    messageId: text(header.MsgId),
    messageName,
    batchId: text(info.PmtInfId),
    rail,
    paymentDate: typeof date === 'object' ? text(date.Dt) : text(date),
    payments,
  };
}
