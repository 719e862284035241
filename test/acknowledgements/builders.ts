// Builders for the acknowledgement tests: pain.002 files in the shapes real banks send (any level
// of status, reasons with texts or only an originator, echo entries, charges and dates), and a
// payrail whose batches reach SUBMITTED and then wait for the reports a test drops in the inbox.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeXml } from '../../src/bank-files/xml/escape.ts';
import { messageIdOf } from '../../src/batches/dispatcher.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { NOW } from '../rails/builders.ts';

/** One StsRsnInf: a code, texts, or only an originator. */
export interface Reason {
  code?: string;
  texts?: string[];
  originator?: string;
}

export interface TxStatus {
  instructionId?: string;
  endToEndId?: string;
  status?: string;
  reasons?: Reason[];
  /** ChrgsInf: amount as written (major units) and currency. */
  charges?: { amount: string; currency: string }[];
  /** OrgnlTxRef/ReqdExctnDt. */
  requestedDate?: string;
  /** An OrgnlTxRef with only a remittance line: an echo entry when nothing else is given. */
  echo?: boolean;
}

export interface Report {
  messageId: string;
  originalMessageId?: string;
  groupStatus?: string;
  groupReasons?: Reason[];
  paymentInfos: { id?: string; status?: string; reasons?: Reason[]; transactions: TxStatus[] }[];
  /** '10' (default) or '03'. */
  version?: '10' | '03';
  /** GrpHdr/CreDtTm (default 2026-03-10T10:00:00Z). */
  createdAt?: string;
}

function reasonXml(r: Reason, v03: boolean): string {
  const originator = r.originator
    ? `<Orgtr><Id><OrgId>${v03 ? `<BICOrBEI>${r.originator}</BICOrBEI>` : `<AnyBIC>${r.originator}</AnyBIC>`}</OrgId></Id></Orgtr>`
    : '';
  const code = r.code ? `<Rsn><Cd>${r.code}</Cd></Rsn>` : '';
  return `<StsRsnInf>${originator}${code}${(r.texts ?? []).map((t) => `<AddtlInf>${escapeXml(t)}</AddtlInf>`).join('')}</StsRsnInf>`;
}

function txXml(t: TxStatus, v03: boolean): string {
  const parts = [
    t.instructionId !== undefined ? `<OrgnlInstrId>${escapeXml(t.instructionId)}</OrgnlInstrId>` : '',
    t.endToEndId !== undefined ? `<OrgnlEndToEndId>${escapeXml(t.endToEndId)}</OrgnlEndToEndId>` : '',
    t.status !== undefined ? `<TxSts>${t.status}</TxSts>` : '',
    ...(t.reasons ?? []).map((r) => reasonXml(r, v03)),
    ...(t.charges ?? []).map(
      (c) =>
        `<ChrgsInf><Amt Ccy="${c.currency}">${c.amount}</Amt><Agt><FinInstnId>${v03 ? '<BIC>DBSSSGSGXXX</BIC>' : '<BICFI>DBSSSGSGXXX</BICFI>'}</FinInstnId></Agt></ChrgsInf>`,
    ),
  ];
  if (t.requestedDate) parts.push(`<OrgnlTxRef><ReqdExctnDt>${v03 ? t.requestedDate : `<Dt>${t.requestedDate}</Dt>`}</ReqdExctnDt></OrgnlTxRef>`);
  else if (t.echo) parts.push('<OrgnlTxRef><RmtInf><Ustrd>echo of the original instruction</Ustrd></RmtInf></OrgnlTxRef>');
  return `<TxInfAndSts>${parts.join('')}</TxInfAndSts>`;
}

/** A pain.002 status report as XML. */
export function reportXml(r: Report): string {
  const v03 = r.version === '03';
  const ns = `urn:iso:std:iso:20022:tech:xsd:pain.002.001.${v03 ? '03' : '10'}`;
  const group = [
    r.originalMessageId !== undefined ? `<OrgnlMsgId>${escapeXml(r.originalMessageId)}</OrgnlMsgId>` : '',
    `<OrgnlMsgNmId>pain.001.001.${v03 ? '03' : '09'}</OrgnlMsgNmId>`,
    r.groupStatus ? `<GrpSts>${r.groupStatus}</GrpSts>` : '',
    ...(r.groupReasons ?? []).map((x) => reasonXml(x, v03)),
  ].join('');
  const infos = r.paymentInfos
    .map(
      (p) =>
        `<OrgnlPmtInfAndSts>${p.id !== undefined ? `<OrgnlPmtInfId>${escapeXml(p.id)}</OrgnlPmtInfId>` : ''}${p.status ? `<PmtInfSts>${p.status}</PmtInfSts>` : ''}${(p.reasons ?? []).map((x) => reasonXml(x, v03)).join('')}${p.transactions.map((t) => txXml(t, v03)).join('')}</OrgnlPmtInfAndSts>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="${ns}"><CstmrPmtStsRpt><GrpHdr><MsgId>${escapeXml(r.messageId)}</MsgId><CreDtTm>${r.createdAt ?? '2026-03-10T10:00:00Z'}</CreDtTm></GrpHdr><OrgnlGrpInfAndSts>${group}</OrgnlGrpInfAndSts>${infos}</CstmrPmtStsRpt></Document>\n`;
}

export interface SentPayment {
  id: string;
  customerReference: string;
}

export interface SentBatch {
  id: string;
  messageId: string;
  payments: SentPayment[];
}

/** A payrail with the sandbox bank off: batches are sent, and the bank's reports are what a test drops in. */
export async function startBank(db: TestDatabase) {
  let now = NOW;
  const dataDir = mkdtempSync(join(tmpdir(), 'payrail-acks-'));
  const app: TestApp = await startTestApp(db, { clock: () => now, env: { PAYRAIL_DATA_DIR: dataDir, PAYRAIL_SANDBOX_BANK: 'off' } });
  const alice = await app.authed();
  const account = (
    await app.inject({
      method: 'POST',
      url: '/v1/accounts',
      headers: alice.headers,
      payload: { name: 'SG Payroll', bank: 'DBSSSGSGXXX', accountNumber: '0123456789', currencies: ['SGD'] },
    })
  ).json().id as string;
  let n = 0;
  const inbox = join(dataDir, 'bank', 'inbox');

  return {
    app,
    dataDir,
    headers: alice.headers,
    bankDir: (sub: string) => join(dataDir, 'bank', sub),
    advance(ms: number) {
      now += ms;
    },
    /** A batch of `count` FAST payments, SUBMITTED (its file in the bank's outbox). */
    async sentBatch(count: number, references?: string[]): Promise<SentBatch> {
      const payments = Array.from({ length: count }, (_, i) => ({
        amount: 10_000 + i,
        customerReference: references?.[i] ?? `REF_${++n}`,
        receiver: { name: `Employee ${i}`, bank: 'OCBCSGSGXXX', bankAccountNumber: '0123456789' },
      }));
      const res = await app.inject({
        method: 'POST',
        url: '/v1/payment-batches',
        headers: alice.headers,
        payload: { type: 'FAST', paymentDate: '2026-03-10', senderAccountId: account, currency: 'SGD', payments },
      });
      if (res.statusCode !== 200) throw new Error(res.body);
      const batch = res.json();
      await app.payrail.workers.tick();
      const ids = batch.payments.map((p: { id: string }) => p.id) as string[];
      return { id: batch.id, messageId: messageIdOf(batch.id), payments: ids.map((id, i) => ({ id, customerReference: payments[i]!.customerReference })) };
    },
    /** Drops a file into the bank's inbox and lets the workers read it. */
    async deliver(name: string, content: string | Uint8Array): Promise<void> {
      writeFileSync(join(inbox, name), content);
      await app.payrail.workers.tick();
    },
    async batch(id: string) {
      return (await app.inject({ method: 'GET', url: `/v1/payment-batches/${id}`, headers: alice.headers })).json();
    },
    async payment(id: string) {
      return (await app.inject({ method: 'GET', url: `/v1/payments/${id}`, headers: alice.headers })).json();
    },
    async history(id: string) {
      return (await app.inject({ method: 'GET', url: `/v1/payments/${id}/events`, headers: alice.headers })).json().data as Record<string, unknown>[];
    },
    /** The events about these objects, oldest first: [type, object id]. */
    async events(ids: string[]): Promise<[string, string][]> {
      const rows = await app.payrail.database.db.selectFrom('events').select(['id', 'type', 'object_id']).where('object_id', 'in', ids).orderBy('id').execute();
      return rows.map((r) => [r.type, r.object_id]);
    },
    close: () => app.close(),
  };
}

export type Bank = Awaited<ReturnType<typeof startBank>>;
