// The pain.002 reader (RAILS.md §3, BANKS.md §4): every version from .001.03 to .001.14 and the
// national flavours built on them (namespaces.ts), as a bare Document or inside a wrapper, from
// text or from the file's bytes (UTF-8 or UTF-16), read into one shape. Strict about what makes
// a file untrustworthy (not XML, truncated, another message) and lenient about what real banks
// leave out (OrgnlMsgNmId, ids, statuses): those become warnings.
import { decodeXml, XmlEncodingError } from '../xml/decode.ts';
import { findElements } from '../xml/namespaces.ts';
import { parseXml, XmlSyntaxError } from '../xml/parse.ts';
import type { XmlElement } from '../xml/parse.ts';
import { child, childText } from '../xml/tree.ts';
import type { Pain002Original, Pain002Report } from './model.ts';
import { Pain002Error } from './model.ts';
import { judgeNamespace } from './namespaces.ts';
import type { ReadContext, TransactionFields } from './transactions.ts';
import { readPaymentInfo, readTransaction, statusProblem, statusReasonsOf, transactionFields } from './transactions.ts';

export type { Pain002Charge, Pain002Original, Pain002PaymentInfo, Pain002Report, Pain002Transaction } from './model.ts';
export { Pain002Error } from './model.ts';
export { inferStage } from './status-codes.ts';
export { ackChangesOf } from './ack-changes.ts';
/** Whether a transaction is an echo entry (no ids, no status): the applier's test for what to ignore. */
export { isEcho } from './transactions.ts';

/** Where a TxInfAndSts is read: in its payment-information block, or (off-schema) right in the report. */
const TRANSACTION_PARENTS = new Set(['OrgnlPmtInfAndSts', 'CstmrPmtStsRpt']);

/** The text of the file: bytes are decoded (their warnings kept), a string is taken as it is. */
function textOf(input: string | Uint8Array, warnings: string[]): string {
  if (typeof input !== 'string') {
    const decoded = decodeXml(input);
    warnings.push(...decoded.warnings);
    return decoded.text;
  }
  // UTF-16 bytes decoded as UTF-8 come out with NULs between the characters.
  if (input.slice(0, 8).includes('\u0000'))
    throw new Pain002Error("the text holds NUL characters: a UTF-16 file decoded as UTF-8? (pass the file's bytes instead)");
  return input;
}

function parse(xml: string): XmlElement {
  if (xml.trim() === '') throw new Pain002Error('the file is empty');
  // Each TxInfAndSts's fields are taken as it closes and its children dropped (see OnElementClose).
  return parseXml(xml, (element, parent) => {
    if (element.name !== 'TxInfAndSts' || !parent || !TRANSACTION_PARENTS.has(parent.name)) return;
    element.taken = transactionFields(element);
    element.children = undefined;
  });
}

/**
 * The pain.002 Document and its version: the root, or the one Document inside a wrapper (an
 * AppHdr + BizMsgEnvlp, Envelope, RequestPayload…) whose namespace is a pain.002. Anything else
 * is refused with the reason, the first Document's when there is no pain.002 among them.
 */
function documentOf(root: XmlElement): { document: XmlElement; version: string } {
  const documents = findElements(root, 'Document').map(({ element, namespace }) => ({
    element,
    verdict:
      namespace === undefined ? ({ ok: false, reason: 'the <Document> has no namespace, so its message type is unknown' } as const) : judgeNamespace(namespace),
  }));
  const reports = documents.filter((d) => d.verdict.ok);
  // Two reports in one file would be read half if one were picked: the file is set aside instead.
  if (reports.length > 1) throw new Pain002Error(`the file holds ${reports.length} pain.002 Documents; payrail reads one per file`);
  const chosen = reports[0] ?? documents[0];
  if (!chosen) throw new Pain002Error(`the root element is <${root.name}>, not an ISO 20022 <Document>`);
  if (!chosen.verdict.ok) throw new Pain002Error(chosen.verdict.reason);
  return { document: chosen.element, version: chosen.verdict.version };
}

function readOriginal(group: XmlElement | undefined, ctx: ReadContext): Pain002Original {
  const { reasons, reasonTexts } = statusReasonsOf(group);
  const original: Pain002Original = { groupReasons: reasons, groupReasonTexts: reasonTexts, paymentInfos: [], transactions: [] };
  const messageId = childText(group, 'OrgnlMsgId');
  const messageName = childText(group, 'OrgnlMsgNmId');
  const status = childText(group, 'GrpSts');
  if (messageId !== undefined) original.originalMessageId = messageId;
  else ctx.warnings.push('OrgnlGrpInfAndSts without OrgnlMsgId');
  if (messageName !== undefined) original.originalMessageName = messageName;
  else ctx.warnings.push(`OrgnlGrpInfAndSts${messageId ? ` ${messageId}` : ''} without OrgnlMsgNmId`);
  if (messageName !== undefined && !messageName.startsWith('pain.001')) ctx.warnings.push(`OrgnlMsgNmId '${messageName}' is not a pain.001`);
  if (status !== undefined) {
    original.groupStatus = status;
    const problem = statusProblem(status, 'group', ctx.version);
    if (problem) ctx.warnings.push(`GrpSts: ${problem}`);
  }
  return original;
}

/** What a TxInfAndSts says: taken as it closed (see parse), or read now. */
function fieldsOf(tx: XmlElement): TransactionFields {
  return (tx.taken as TransactionFields | undefined) ?? transactionFields(tx);
}

/**
 * Walks the report in document order: each OrgnlGrpInfAndSts opens an original file and the
 * OrgnlPmtInfAndSts after it belong to that file. The schemas allow one per report; a bank that
 * puts several files in one report is read the same way, with a warning. A TxInfAndSts right in
 * the report (outside any OrgnlPmtInfAndSts, as in pain.002 before .03) is read as a status of
 * the current file, with a warning, rather than dropped.
 */
function readOriginals(report: XmlElement, ctx: ReadContext): Pain002Original[] {
  const originals: Pain002Original[] = [];
  let current: Pain002Original | undefined;
  let index = 0;
  const currentOriginal = (what: string): Pain002Original => {
    if (current) return current;
    ctx.warnings.push(`${what} before any OrgnlGrpInfAndSts: the original file is unknown`);
    originals.push((current = readOriginal(undefined, ctx)));
    return current;
  };
  for (const element of report.children ?? []) {
    if (element.name === 'OrgnlGrpInfAndSts') {
      originals.push((current = readOriginal(element, ctx)));
    } else if (element.name === 'OrgnlPmtInfAndSts') {
      const original = currentOriginal('OrgnlPmtInfAndSts');
      const info = readPaymentInfo(element, ctx);
      original.paymentInfos.push(info);
      for (const tx of element.children ?? []) {
        if (tx.name === 'TxInfAndSts') original.transactions.push(readTransaction(fieldsOf(tx), info.originalPaymentInfoId, index++, ctx));
      }
    } else if (element.name === 'TxInfAndSts') {
      const original = currentOriginal('TxInfAndSts');
      ctx.warnings.push(`TxInfAndSts #${index + 1} is outside any OrgnlPmtInfAndSts; read without a payment information id`);
      original.transactions.push(readTransaction(fieldsOf(element), undefined, index++, ctx));
    }
  }
  if (originals.length === 0) ctx.warnings.push('no OrgnlGrpInfAndSts: the report names no original file');
  if (originals.length > 1) ctx.warnings.push(`${originals.length} OrgnlGrpInfAndSts in one report (the schema allows one)`);
  return originals;
}

/** A payment reported twice in one report is kept twice (the applier decides) but said aloud. */
function warnDuplicates(original: Pain002Original, warnings: string[]): void {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const tx of original.transactions) {
    // Payment ids and customer references are each unique per client, so either names a payment.
    const key = tx.originalInstructionId ?? tx.originalEndToEndId;
    if (key === undefined) continue;
    if (seen.has(key)) repeated.add(key);
    else seen.add(key);
  }
  for (const key of repeated) warnings.push(`payment ${key} of ${original.originalMessageId ?? 'an unnamed file'} is reported more than once`);
}

function readReport(document: XmlElement, version: string, warnings: string[]): Pain002Report {
  const report = child(document, 'CstmrPmtStsRpt');
  if (!report) throw new Pain002Error('the document has no CstmrPmtStsRpt');
  const ctx: ReadContext = { version, warnings };
  const header = child(report, 'GrpHdr');
  const messageId = childText(header, 'MsgId');
  const createdAt = childText(header, 'CreDtTm');
  if (messageId === undefined) ctx.warnings.push('GrpHdr without MsgId');
  const originals = readOriginals(report, ctx);
  for (const original of originals) warnDuplicates(original, ctx.warnings);
  return { version, messageId, ...(createdAt !== undefined && { createdAt }), originals, warnings: ctx.warnings };
}

/**
 * Reads a pain.002 status report; throws Pain002Error when the file is not one. Give it the
 * file's bytes when you have them: only then can a UTF-16 file (or an 8-bit one declared as
 * such) be read; a string is taken as already decoded.
 */
export function readPain002(input: string | Uint8Array): Pain002Report {
  const warnings: string[] = [];
  try {
    const { document, version } = documentOf(parse(textOf(input, warnings)));
    return readReport(document, version, warnings);
  } catch (err) {
    if (err instanceof XmlSyntaxError) throw new Pain002Error(`not well-formed XML: ${err.message}`);
    if (err instanceof XmlEncodingError) throw new Pain002Error(err.message);
    throw err;
  }
}
