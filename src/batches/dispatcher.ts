// The batch dispatcher: PROCESSING batch → pain.001 → `bank_files` row → commit → upload → one
// transaction marks the batch and its payments SUBMITTED and writes `payment-batches.submitted`.
// The file is generated once and kept, so an upload repeated after a crash sends the same bytes;
// the transport skips a file the bank already has. Exactly one file per batch reaches the bank.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { FileTransport } from '../bank/connector.ts';
import { writePain001 } from '../bank-files/pain001/writer.ts';
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import { claimLeases } from '../workers/lease.ts';
import type { Outbox } from '../events/outbox.ts';
import { newId } from '../ids.ts';
import type { Receiver } from '../payments/model.ts';
import type { ChargeBearer } from '../payments/model.ts';
import { transitionBatch } from '../payments/state-machine.ts';
import type { BatchStatus } from '../payments/state-machine.ts';
import type { RailType } from '../rails/rails.ts';
import type { Db, DbOrTx } from '../store/database.ts';
import { insertRows } from '../store/insert-rows.ts';
import type { BankFileRow, BatchRow } from '../store/schema.ts';
import type { BatchesService } from './service.ts';
import { crashPoint } from '../workers/crash-point.ts';

export interface DispatcherDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  transport: FileTransport;
  outbox: Outbox;
  batches: BatchesService;
  /** Writes a copy of every file sent, for the audit trail (the embedded default: <data>/bank/archive). */
  keepCopy?: (name: string, content: string) => Promise<void>;
  pain001Version?: '09' | '03';
  /**
   * How long a claim lasts. Every step is idempotent (the file is recorded once, the upload skips
   * a file the bank has, the SUBMITTED update is conditional), so a lease that runs out during a
   * slow upload costs at most a skipped second upload: it can be short.
   */
  leaseMs?: number;
}

/** GrpHdr/MsgId: deterministic per batch and attempt, at most 35 characters. */
export function messageIdOf(batchId: string, attempt = 1): string {
  return `${batchId.replace('pymtb_', 'PYMTB')}-${attempt}`;
}

export function fileNameOf(batchId: string, attempt = 1): string {
  return `pain001-${batchId}-${attempt}.xml`;
}

const CROSS_BORDER: readonly string[] = ['CBFT', 'TT'];

export function createBatchDispatcher({ db, clock, logger, transport, outbox, batches, keepCopy, pain001Version = '09', leaseMs = 30_000 }: DispatcherDeps) {
  const owner = `d_${randomBytes(6).toString('hex')}`;

  async function claim(): Promise<BatchRow[]> {
    const now = isoAt(clock());
    const candidates = await db
      .selectFrom('batches')
      .selectAll()
      .where('status', '=', 'PROCESSING')
      .where('mode', '=', 'test')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .orderBy('id')
      .limit(10)
      .execute();
    return claimLeases(db, 'batches', candidates, owner, isoAt(clock() + leaseMs));
  }

  async function generate(batch: BatchRow): Promise<string> {
    const account = await db.selectFrom('accounts').selectAll().where('id', '=', batch.sender_account_id).executeTakeFirstOrThrow();
    const client = await db.selectFrom('clients').select('name').where('id', '=', batch.client_id).executeTakeFirstOrThrow();
    const payments = await db.selectFrom('payments').selectAll().where('batch_id', '=', batch.id).orderBy('id').execute();
    return writePain001(
      {
        messageId: messageIdOf(batch.id),
        createdAt: isoAt(clock()).replace(/\.\d{3}Z$/, 'Z'),
        initiatingPartyName: client.name,
        batchId: batch.id,
        rail: batch.type as RailType,
        paymentDate: batch.payment_date,
        chargeBearer: (payments[0]?.bank_charge_bearer ?? undefined) as ChargeBearer | undefined,
        debtor: { name: account.name, accountNumber: account.account_number, bank: account.bank, currency: batch.sender_account_currency ?? undefined },
        payments: payments.map((p) => ({
          paymentId: p.id,
          customerReference: p.customer_reference,
          amount: p.amount,
          currency: p.currency,
          receiver: JSON.parse(p.receiver) as Receiver,
          ...(p.payment_details !== null && { paymentDetails: p.payment_details }),
          ...(CROSS_BORDER.includes(p.type) && { uetr: randomUUID() }),
        })),
      },
      { version: pain001Version },
    );
  }

  /** The batch's file: generated and recorded once; later calls return the recorded one. */
  async function fileFor(batch: BatchRow): Promise<BankFileRow> {
    const existing = await db.selectFrom('bank_files').selectAll().where('direction', '=', 'out').where('batch_id', '=', batch.id).executeTakeFirst();
    if (existing) return existing;
    const content = await generate(batch);
    const now = isoAt(clock());
    const row: BankFileRow = {
      id: newId('bankFile', clock()),
      direction: 'out',
      name: fileNameOf(batch.id),
      message_id: messageIdOf(batch.id),
      batch_id: batch.id,
      checksum: createHash('sha256').update(content).digest('hex'),
      state: 'generated',
      content,
      reason: null,
      created_at: now,
      updated_at: now,
    };
    await db.insertInto('bank_files').values(row).onConflict((oc) => oc.doNothing()).execute();
    return db.selectFrom('bank_files').selectAll().where('direction', '=', 'out').where('batch_id', '=', batch.id).executeTakeFirstOrThrow();
  }

  /** One transaction: file uploaded, batch and payments SUBMITTED, history, `payment-batches.submitted`. */
  async function markSubmitted(tx: DbOrTx, batch: BatchRow, file: BankFileRow): Promise<void> {
    const t = transitionBatch(batch.status as BatchStatus, { kind: 'SUBMITTED' });
    if (!t.ok) return;
    const now = isoAt(clock());
    const r = await tx.updateTable('batches').set({ status: t.to, lease_owner: null, lease_until: null, updated_at: now }).where('id', '=', batch.id).where('status', '=', 'PROCESSING').executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return;
    await tx.updateTable('bank_files').set({ state: 'uploaded', updated_at: now }).where('id', '=', file.id).execute();
    const pending = await tx.selectFrom('payments').select('id').where('batch_id', '=', batch.id).where('status', '=', 'PROCESSING').execute();
    await tx.updateTable('payments').set({ status: 'SUBMITTED', bank_stage: 'SUBMITTED', updated_at: now }).where('batch_id', '=', batch.id).where('status', '=', 'PROCESSING').execute();
    await insertRows(tx, 'payment_status_changes', pending.map((p) => ({
      id: newId('statusChange', clock()), payment_id: p.id, stage: 'SUBMITTED', from_status: 'PROCESSING', to_status: 'SUBMITTED',
      bank_status: null, reason_code: null, message: null, changes: null, bank_file_id: file.id, created_at: now,
    })));
    const updated = await tx.selectFrom('batches').selectAll().where('id', '=', batch.id).executeTakeFirstOrThrow();
    await outbox.append(tx, { clientId: batch.client_id, type: 'payment-batches.submitted', objectType: 'payment-batch', objectId: batch.id, data: await batches.view(updated, true, tx) });
  }

  async function dispatch(batch: BatchRow): Promise<void> {
    const file = await fileFor(batch);
    crashPoint('after-file-generated');
    // After commit, outside any transaction: the bank call may be slow or fail.
    await transport.upload(file.name, file.content!);
    await keepCopy?.(file.name, file.content!);
    await db.transaction().execute((tx) => markSubmitted(tx, batch, file));
  }

  return {
    async tick(): Promise<number> {
      const claimed = await claim();
      for (const batch of claimed) {
        try {
          await dispatch(batch);
        } catch (err) {
          logger.warn({ err, batchId: batch.id }, 'dispatching a batch failed; will retry after its lease');
        }
      }
      return claimed.length;
    },
  };
}
