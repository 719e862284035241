// Bank files as operators see them (the console's bank page, SPEC §11): the pain.001 files payrail
// sent and the pain.002 reports it received, with their state, scoped to the clients a reader was
// given, and their archived copies for download.
//
// A file concerns a client when it carries one of the client's payments: a batch's file through
// its batch, a file of single payments through the payments it carries, a received report through
// the payments whose status it changed. Where a file's copy lives (docs/BANK-FILES.md): a sent
// file's exact bytes are in its row (`content`, re-uploaded byte for byte after a crash) and, for
// the record, under <data dir>/bank/archive; a received report is kept only on disk — the sandbox's
// under archive/ (its exchange's own archive, or archive/received when read over SFTP), a live
// connection's under archive/<connection id>/received.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../store/database.ts';
import type { Page } from '../store/page.ts';
import { toPage } from '../store/page.ts';
import type { BankFileRow } from '../store/schema.ts';
import { outFilesAwaitingAck1 } from '../bank/connections/awaiting-ack1.ts';

/** A bank file as listed (never its content). */
export interface BankFileView {
  id: string;
  direction: 'out' | 'in';
  name: string;
  messageId?: string;
  batchId?: string;
  state: string;
  verdict?: string;
  reason?: string;
  connectionId?: string;
  uploadedAt?: string;
  overdueAt?: string;
  createdAt: string;
}

export interface BankFileFilter {
  limit?: number;
  startingAfter?: string;
  direction?: 'out' | 'in';
  connectionId?: string;
}

function toView(r: Omit<BankFileRow, 'content'>): BankFileView {
  const v: BankFileView = { id: r.id, direction: r.direction, name: r.name, state: r.state, createdAt: r.created_at };
  if (r.message_id !== null) v.messageId = r.message_id;
  if (r.batch_id !== null) v.batchId = r.batch_id;
  if (r.verdict != null) v.verdict = r.verdict;
  if (r.reason !== null) v.reason = r.reason;
  if (r.connection_id != null) v.connectionId = r.connection_id;
  if (r.uploaded_at != null) v.uploadedAt = r.uploaded_at;
  if (r.overdue_at != null) v.overdueAt = r.overdue_at;
  return v;
}

const COLUMNS = [
  'bank_files.id',
  'bank_files.direction',
  'bank_files.name',
  'bank_files.message_id',
  'bank_files.batch_id',
  'bank_files.checksum',
  'bank_files.state',
  'bank_files.report_created_at',
  'bank_files.connection_id',
  'bank_files.uploaded_at',
  'bank_files.overdue_at',
  'bank_files.verdict',
  'bank_files.reason',
  'bank_files.created_at',
  'bank_files.updated_at',
] as const;

/** A plain file name (no folders): a received file's name comes from the bank. */
function isPlainName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\\\0]/.test(name);
}

export function createBankFilesService({ db, dataDir }: { db: Db; dataDir: string }) {
  const ids = (clientIds: readonly string[]) => (clientIds.length > 0 ? [...clientIds] : ['']);

  /** Files concerning `clientIds` (see the header), as a condition on bank_files. */
  function concerning(clientIds: readonly string[]) {
    const clients = ids(clientIds);
    return db
      .selectFrom('bank_files')
      .select(COLUMNS)
      .where((eb) =>
        eb.or([
          eb('bank_files.batch_id', 'in', eb.selectFrom('batches').select('batches.id').where('batches.client_id', 'in', clients)),
          eb.exists(
            eb.selectFrom('payments').select('payments.id').whereRef('payments.bank_file_id', '=', 'bank_files.id').where('payments.client_id', 'in', clients),
          ),
          eb.exists(
            eb
              .selectFrom('payment_status_changes')
              .innerJoin('payments', 'payments.id', 'payment_status_changes.payment_id')
              .select('payment_status_changes.id')
              .whereRef('payment_status_changes.bank_file_id', '=', 'bank_files.id')
              .where('payments.client_id', 'in', clients),
          ),
        ]),
      );
  }

  /** True when the file carries (or its report changed) a payment of a client not in `clientIds`. */
  async function carriesOthers(clientIds: readonly string[], id: string): Promise<boolean> {
    const clients = ids(clientIds);
    const sent = await db
      .selectFrom('payments')
      .select('payments.id')
      .where('payments.bank_file_id', '=', id)
      .where('payments.client_id', 'not in', clients)
      .limit(1)
      .executeTakeFirst();
    if (sent) return true;
    const reported = await db
      .selectFrom('payment_status_changes')
      .innerJoin('payments', 'payments.id', 'payment_status_changes.payment_id')
      .select('payment_status_changes.id')
      .where('payment_status_changes.bank_file_id', '=', id)
      .where('payments.client_id', 'not in', clients)
      .limit(1)
      .executeTakeFirst();
    if (reported) return true;
    const batch = await db
      .selectFrom('bank_files')
      .innerJoin('batches', 'batches.id', 'bank_files.batch_id')
      .select('batches.id')
      .where('bank_files.id', '=', id)
      .where('batches.client_id', 'not in', clients)
      .executeTakeFirst();
    return batch !== undefined;
  }

  return {
    /** The files concerning the clients, newest first. */
    async list(clientIds: readonly string[], { limit = 20, startingAfter, direction, connectionId }: BankFileFilter): Promise<Page<BankFileView>> {
      let q = concerning(clientIds);
      if (startingAfter) q = q.where('bank_files.id', '<', startingAfter);
      if (direction) q = q.where('bank_files.direction', '=', direction);
      if (connectionId) q = q.where('bank_files.connection_id', '=', connectionId);
      const rows = await q
        .orderBy('bank_files.id', 'desc')
        .limit(limit + 1)
        .execute();
      return toPage(rows.map(toView), limit);
    },

    /** One file concerning the clients, or undefined. */
    async find(clientIds: readonly string[], id: string): Promise<BankFileView | undefined> {
      const row = await concerning(clientIds).where('bank_files.id', '=', id).executeTakeFirst();
      return row && toView(row);
    },

    /** Sent files of the clients' batches past their connection's ack timeout with no ACK1 yet. */
    async overdue(clientIds: readonly string[]): Promise<BankFileView[]> {
      const rows = await outFilesAwaitingAck1(db)
        .select(COLUMNS)
        .where('bank_files.overdue_at', 'is not', null)
        .where((eb) => eb.or([eb('batches.client_id', 'in', ids(clientIds)), eb('bank_files.batch_id', 'is', null)]))
        .orderBy('bank_files.id', 'desc')
        .limit(50)
        .execute();
      const mine = [];
      for (const r of rows) if (r.batch_id !== null || (await this.find(clientIds, r.id))) mine.push(toView(r));
      return mine;
    },

    /** The archived copy of a file concerning the clients; undefined when unknown or no copy is kept. */
    async archivedCopy(clientIds: readonly string[], id: string): Promise<{ file: BankFileView; content: Buffer } | undefined> {
      const file = await this.find(clientIds, id);
      if (!file) return undefined;
      // A file of single payments or a bank report can carry other clients' payments too: its
      // copy goes only to a reader given every client it carries (listed, not downloadable, else).
      if (await carriesOthers(clientIds, id)) return undefined;
      if (file.direction === 'out') {
        const row = await db.selectFrom('bank_files').select('content').where('id', '=', id).executeTakeFirst();
        if (row?.content != null) return { file, content: Buffer.from(row.content, 'utf8') };
      }
      if (!isPlainName(file.name)) return undefined;
      const archive = join(dataDir, 'bank', 'archive');
      const folder = file.direction === 'out' ? 'sent' : 'received';
      const candidates =
        file.connectionId === undefined || file.connectionId === 'sandbox'
          ? [join(archive, folder, file.name), join(archive, file.name)]
          : [join(archive, file.connectionId, folder, file.name)];
      for (const path of candidates) {
        try {
          return { file, content: await readFile(path) };
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        }
      }
      return undefined;
    },
  };
}

export type BankFilesService = ReturnType<typeof createBankFilesService>;
