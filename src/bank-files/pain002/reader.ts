// The pain.002 reader (RAILS.md §3): .001.10 and .001.03, told apart by namespace, read into one
// shape. Strict about what makes a file untrustworthy (not XML, truncated, another message) and
// lenient about what real banks leave out (OrgnlMsgNmId, ids, statuses): those become warnings.
import { parseXml, XmlSyntaxError } from '../xml/parse.ts';
import type { XmlElement } from '../xml/parse.ts';
import { attribute, child, childText } from '../xml/tree.ts';
import type { Pain002Original, Pain002Report } from './model.ts';
import { Pain002Error } from './model.ts';
import type { ReadContext, TransactionFields } from './transactions.ts';
import { readPaymentInfo, readTransaction, reasonsOf, statusProblem, transactionFields } from './transactions.ts';

export type { Pain002Charge, Pain002Original, Pain002PaymentInfo, Pain002Report, Pain002Transaction } from './model.ts';
export { Pain002Error } from './model.ts';
export { inferStage } from './status-codes.ts';
export { ackChangesOf } from './ack-changes.ts';

const ISO_NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:([a-z]{4}\.\d{3}\.\d{3}\.\d{2})$/;
const VERSIONS: Readonly<Record<string, '10' | '03'>> = { 'pain.002.001.10': '10', 'pain.002.001.03': '03' };

function parse(xml: string): XmlElement {
  if (xml.trim() === '') throw new Pain002Error('the file is empty');
  try {
    // Each TxInfAndSts's fields are taken as it closes and its children dropped (see OnElementClose).
    return parseXml(xml, (element, parent) => {
      if (element.name !== 'TxInfAndSts' || parent?.name !== 'OrgnlPmtInfAndSts') return;
      element.taken = transactionFields(element);
      element.children = undefined;
    });
  } catch (err) {
    if (err instanceof XmlSyntaxError) throw new Pain002Error(`not well-formed XML: ${err.message}`);
    throw err;
  }
}

/** The report's version from the root element's namespace; anything but pain.002 .10/.03 is refused. */
function versionOf(root: XmlElement): '10' | '03' {
  if (root.name !== 'Document') throw new Pain002Error(`the root element is <${root.name}>, not an ISO 20022 <Document>`);
  const namespace = attribute(root, root.prefix ? `xmlns:${root.prefix}` : 'xmlns');
  if (namespace === undefined) throw new Pain002Error('the <Document> has no namespace, so its message type is unknown');
  const message = ISO_NAMESPACE.exec(namespace)?.[1];
  if (!message) throw new Pain002Error(`unknown namespace '${namespace}'`);
  const version = VERSIONS[message];
  if (version) return version;
  if (message.startsWith('pain.001.')) throw new Pain002Error(`this is a ${message} payment initiation (what payrail sends), not a pain.002 status report`);
  if (message.startsWith('pain.002.')) throw new Pain002Error(`unsupported status report version ${message} (payrail reads pain.002.001.10 and .03)`);
  throw new Pain002Error(`this is a ${message} message, not a pain.002 status report`);
}

function readOriginal(group: XmlElement | undefined, ctx: ReadContext): Pain002Original {
  const original: Pain002Original = { groupReasons: group ? reasonsOf(group) : [], paymentInfos: [], transactions: [] };
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

/**
 * Walks the report in document order: each OrgnlGrpInfAndSts opens an original file and the
 * OrgnlPmtInfAndSts after it belong to that file. The schemas allow one per report; a bank that
 * puts several files in one report is read the same way, with a warning.
 */
function readOriginals(report: XmlElement, ctx: ReadContext): Pain002Original[] {
  const originals: Pain002Original[] = [];
  let current: Pain002Original | undefined;
  let index = 0;
  for (const element of report.children ?? []) {
    if (element.name === 'OrgnlGrpInfAndSts') {
      originals.push((current = readOriginal(element, ctx)));
    } else if (element.name === 'OrgnlPmtInfAndSts') {
      if (!current) {
        ctx.warnings.push('OrgnlPmtInfAndSts before any OrgnlGrpInfAndSts: the original file is unknown');
        originals.push((current = readOriginal(undefined, ctx)));
      }
      const info = readPaymentInfo(element, ctx);
      current.paymentInfos.push(info);
      for (const tx of element.children ?? []) {
        if (tx.name === 'TxInfAndSts') current.transactions.push(readTransaction((tx.taken as TransactionFields | undefined) ?? transactionFields(tx), info.originalPaymentInfoId, index++, ctx));
      }
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

/** Reads a pain.002 status report; throws Pain002Error when the file is not one. */
export function readPain002(xml: string): Pain002Report {
  const root = parse(xml);
  const version = versionOf(root);
  const report = child(root, 'CstmrPmtStsRpt');
  if (!report) throw new Pain002Error('the document has no CstmrPmtStsRpt');
  const ctx: ReadContext = { version, warnings: [] };
  const header = child(report, 'GrpHdr');
  const messageId = childText(header, 'MsgId');
  const createdAt = childText(header, 'CreDtTm');
  if (messageId === undefined) ctx.warnings.push('GrpHdr without MsgId');
  const originals = readOriginals(report, ctx);
  for (const original of originals) warnDuplicates(original, ctx.warnings);
  return { version, messageId, ...(createdAt !== undefined && { createdAt }), originals, warnings: ctx.warnings };
}
