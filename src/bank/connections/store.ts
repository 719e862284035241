// The bank connections in the database (BANKS.md §1): add, update, remove, list; the SFTP private
// key sealed with PAYRAIL_MASTER_KEY when set and never part of what is listed; one connection per
// 8-character BIC prefix (bank_connection_bics' primary key holds even when two operators race);
// the poll state each instance records; and the routing question asked when a live payment is
// created: is the sender account's bank connected?
import { sql } from 'kysely';
import type { Clock } from '../../clock.ts';
import { isoAt } from '../../clock.ts';
import { openSecret, sealSecret } from '../../jose/private-key-sealing.ts';
import type { SealingContext } from '../../jose/private-key-sealing.ts';
import type { ProfileName } from '../../bank-files/profiles/index.ts';
import { isUniqueViolation } from '../../payments/service.ts';
import type { Db, DbOrTx } from '../../store/database.ts';
import type { BankConnectionRow } from '../../store/schema.ts';
import { outFilesAwaitingAck1 } from './awaiting-ack1.ts';
import { BankConnectionError, bicPrefix } from './validation.ts';
import type { ConnectionSettings } from './validation.ts';

/** Where a connection stands, as `banks list`, /readyz and /metrics show it. */
export interface ConnectionState {
  /** ok: the last poll worked; error: the last poll failed; unknown: not polled yet. */
  status: 'ok' | 'error' | 'unknown';
  lastPollAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  /** Files sent over this connection that have no ACK1 (accepted or rejected) yet. */
  filesAwaitingAck1: number;
  /** Of those, the ones past the connection's ack timeout. */
  filesOverdue: number;
  /** Files for this bank whose last upload failed and that are not at the bank yet. */
  filesNotUploaded: number;
}

/** Where a live payment from a bank goes: the connection serving it and that connection's pain.001 profile. */
export interface ConnectionRoute {
  id: string;
  profile: ProfileName;
}

/** A connection as listed: every setting but the secret, and its state. */
export interface ConnectionView {
  id: string;
  name: string;
  bics: string[];
  profile: string;
  sftp: { host: string; port: number; user: string; root: string; hostKey: string; privateKeySealed: boolean };
  pgp: { bankKey: boolean; armor: boolean; requireSignedAcks: boolean };
  customerId: string | null;
  ackTimeoutMinutes: number;
  createdAt: string;
  updatedAt: string;
  state: ConnectionState;
}

/** A stored connection with its secret opened, for the transports; `version` changes with every update. */
export interface StoredConnection extends ConnectionSettings {
  version: string;
}

const sealing = (id: string): SealingContext => ({
  info: 'payrail bank_connections.sftp_private_key v1',
  aad: id,
  what: `the SFTP private key of bank connection '${id}'`,
});

function settingsOf(row: BankConnectionRow, masterKey: Uint8Array | undefined): StoredConnection {
  return {
    id: row.id,
    name: row.name,
    bics: JSON.parse(row.bics) as string[],
    profile: row.profile as ProfileName,
    sftp: { host: row.sftp_host, port: row.sftp_port, user: row.sftp_user, root: row.sftp_root },
    sftpPrivateKey: openSecret(row.sftp_private_key, sealing(row.id), masterKey),
    sftpHostKey: row.sftp_host_key,
    pgpBankKey: row.pgp_bank_key,
    pgpArmor: row.pgp_armor === 1,
    requireSignedAcks: row.require_signed_acks === 1,
    customerId: row.customer_id,
    ackTimeoutMinutes: row.ack_timeout_minutes,
    version: row.updated_at,
  };
}

/**
 * Signed acknowledgements follow the bank's key (BANKS.md §2) unless the operator says otherwise:
 * a key added to a connection that had none switches them on, a key removed switches them off;
 * asking for them on a connection left without a key is refused (one line).
 */
export function withSignedAcksFollowingKey(
  current: Pick<BankConnectionRow, 'pgp_bank_key'>,
  changes: Partial<ConnectionSettings>,
): Partial<ConnectionSettings> {
  const keyAfter = changes.pgpBankKey !== undefined ? changes.pgpBankKey : current.pgp_bank_key;
  if (changes.requireSignedAcks === true && keyAfter === null) {
    throw new BankConnectionError('--require-signed-acks: the connection has no bank OpenPGP key to check signatures with; give --pgp-bank-key FILE');
  }
  if (changes.requireSignedAcks !== undefined || changes.pgpBankKey === undefined) return changes;
  if (changes.pgpBankKey !== null && current.pgp_bank_key === null) return { ...changes, requireSignedAcks: true };
  if (changes.pgpBankKey === null) return { ...changes, requireSignedAcks: false };
  return changes;
}

function stateOf(row: BankConnectionRow, counts: FileCounts | undefined): ConnectionState {
  const failedLast = row.last_error_at !== null && (row.last_poll_at === null || row.last_error_at >= row.last_poll_at);
  const notUploaded = counts?.notUploaded ?? 0;
  // A file that does not upload keeps the connection in error though its inbox reads fine.
  const status = failedLast || notUploaded > 0 ? 'error' : row.last_poll_at !== null ? 'ok' : 'unknown';
  return {
    status,
    lastPollAt: row.last_poll_at,
    lastError: failedLast ? row.last_poll_error : notUploaded > 0 ? (counts?.uploadError ?? null) : null,
    lastErrorAt: row.last_error_at,
    filesAwaitingAck1: counts?.awaiting ?? 0,
    filesOverdue: counts?.overdue ?? 0,
    filesNotUploaded: notUploaded,
  };
}

/** Per connection: files awaiting ACK1, overdue, and not uploaded (with the latest upload failure). */
interface FileCounts {
  awaiting: number;
  overdue: number;
  notUploaded: number;
  uploadError?: string;
}

/** What an out file's `reason` starts with after a failed upload (cleared once it is at the bank). */
const UPLOAD_FAILED = 'upload failed: ';

/** A batch or payment in these statuses still needs its bank connection. */
const OPEN_STATUSES = ['PROCESSING', 'SUBMITTED'];

/**
 * Out files sent (or still to be sent) over the connection whose batch, or one of whose single
 * payments, is still open: the bank's answers to them come over it.
 */
async function openOutFilesOver(tx: DbOrTx, id: string): Promise<number> {
  const files = await tx
    .selectFrom('bank_files')
    .leftJoin('batches', 'batches.id', 'bank_files.batch_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('bank_files.direction', '=', 'out')
    .where('bank_files.connection_id', '=', id)
    .where((eb) =>
      eb.or([
        eb('batches.status', 'in', OPEN_STATUSES),
        eb.and([
          eb('bank_files.batch_id', 'is', null),
          eb.exists(
            eb
              .selectFrom('payments')
              .select('payments.id')
              .whereRef('payments.bank_file_id', '=', 'bank_files.id')
              .where('payments.status', 'in', OPEN_STATUSES),
          ),
        ]),
      ]),
    )
    .executeTakeFirstOrThrow();
  return Number(files.n);
}

/**
 * Live batches and single payments still open whose sender account's bank (its first 8
 * characters) is one of the connection's prefixes: the work that would go, or went, over it.
 */
async function openLiveWorkRoutedTo(tx: DbOrTx, id: string): Promise<{ batches: number; payments: number }> {
  const prefixes = (await tx.selectFrom('bank_connection_bics').select('prefix').where('connection_id', '=', id).execute()).map((r) => r.prefix);
  if (prefixes.length === 0) return { batches: 0, payments: 0 };
  // Account banks are stored as given (upper-case BICs or HK bank codes): compared upper-cased on their first 8 characters.
  const bankPrefix = sql<string>`upper(substr(accounts.bank, 1, 8))`;
  const batches = await tx
    .selectFrom('batches')
    .innerJoin('accounts', 'accounts.id', 'batches.sender_account_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('batches.mode', '=', 'live')
    .where('batches.status', 'in', OPEN_STATUSES)
    .where(bankPrefix, 'in', prefixes)
    .executeTakeFirstOrThrow();
  const payments = await tx
    .selectFrom('payments')
    .innerJoin('accounts', 'accounts.id', 'payments.sender_account_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('payments.mode', '=', 'live')
    .where('payments.batch_id', 'is', null)
    .where('payments.status', 'in', OPEN_STATUSES)
    .where(bankPrefix, 'in', prefixes)
    .executeTakeFirstOrThrow();
  return { batches: Number(batches.n), payments: Number(payments.n) };
}

export interface ConnectionsStoreDeps {
  db: Db;
  clock: Clock;
  masterKey: Uint8Array | undefined;
}

/** Work written in the same transaction as a connection change. */
export type AlsoInTransaction = (tx: DbOrTx) => Promise<void>;

export function createBankConnectionsStore({ db, clock, masterKey }: ConnectionsStoreDeps) {
  const listeners: (() => void)[] = [];
  const changed = () => {
    for (const listener of listeners) listener();
  };

  /** Out files per connection with no ACK1 yet (awaiting-ack1.ts), how many are overdue, and those whose upload failed. */
  async function awaitingAck1(): Promise<Map<string, FileCounts>> {
    const awaiting = await outFilesAwaitingAck1(db).select(['bank_files.connection_id', 'bank_files.overdue_at']).execute();
    // Files generated whose last upload failed (review #8): not at the bank, no ACK1 to wait for.
    const failed = await db
      .selectFrom('bank_files')
      .select(['bank_files.connection_id', 'bank_files.reason'])
      .where('bank_files.direction', '=', 'out')
      .where('bank_files.state', '=', 'generated')
      .where('bank_files.connection_id', 'is not', null)
      .where('bank_files.reason', 'like', `${UPLOAD_FAILED}%`)
      .orderBy('bank_files.updated_at')
      .execute();
    const counts = new Map<string, FileCounts>();
    const of = (id: string) => counts.get(id) ?? counts.set(id, { awaiting: 0, overdue: 0, notUploaded: 0 }).get(id)!;
    for (const r of awaiting) {
      const c = of(r.connection_id!);
      c.awaiting++;
      if (r.overdue_at !== null) c.overdue++;
    }
    for (const r of failed) {
      const c = of(r.connection_id!);
      c.notUploaded++;
      c.uploadError = r.reason!.slice(UPLOAD_FAILED.length); // the latest, by updated_at
    }
    return counts;
  }

  function view(row: BankConnectionRow, counts: FileCounts | undefined): ConnectionView {
    return {
      id: row.id,
      name: row.name,
      bics: JSON.parse(row.bics) as string[],
      profile: row.profile,
      sftp: {
        host: row.sftp_host,
        port: row.sftp_port,
        user: row.sftp_user,
        root: row.sftp_root,
        hostKey: row.sftp_host_key,
        privateKeySealed: row.sftp_private_key.startsWith('aes-256-gcm$'),
      },
      pgp: { bankKey: row.pgp_bank_key !== null, armor: row.pgp_armor === 1, requireSignedAcks: row.require_signed_acks === 1 },
      customerId: row.customer_id,
      ackTimeoutMinutes: row.ack_timeout_minutes,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      state: stateOf(row, counts),
    };
  }

  /** Refuses prefixes another connection serves (a clear line), then claims them for `id`. */
  async function claimPrefixes(tx: DbOrTx, id: string, bics: string[]): Promise<void> {
    const prefixes = [...new Set(bics.map(bicPrefix))];
    const taken = await tx.selectFrom('bank_connection_bics').selectAll().where('prefix', 'in', prefixes).where('connection_id', '!=', id).executeTakeFirst();
    if (taken) throw new BankConnectionError(`--bic: ${taken.prefix} is already served by bank connection '${taken.connection_id}'`);
    await tx.deleteFrom('bank_connection_bics').where('connection_id', '=', id).execute();
    await tx
      .insertInto('bank_connection_bics')
      .values(prefixes.map((prefix) => ({ prefix, connection_id: id })))
      .execute();
  }

  function columns(s: Partial<ConnectionSettings>, id: string) {
    return {
      ...(s.name !== undefined && { name: s.name }),
      ...(s.bics !== undefined && { bics: JSON.stringify(s.bics) }),
      ...(s.profile !== undefined && { profile: s.profile }),
      ...(s.sftp !== undefined && { sftp_host: s.sftp.host, sftp_port: s.sftp.port, sftp_user: s.sftp.user, sftp_root: s.sftp.root }),
      ...(s.sftpPrivateKey !== undefined && { sftp_private_key: sealSecret(s.sftpPrivateKey, sealing(id), masterKey) }),
      ...(s.sftpHostKey !== undefined && { sftp_host_key: s.sftpHostKey }),
      ...(s.pgpBankKey !== undefined && { pgp_bank_key: s.pgpBankKey }),
      ...(s.pgpArmor !== undefined && { pgp_armor: s.pgpArmor ? 1 : 0 }),
      ...(s.requireSignedAcks !== undefined && { require_signed_acks: s.requireSignedAcks ? 1 : 0 }),
      ...(s.customerId !== undefined && { customer_id: s.customerId }),
      ...(s.ackTimeoutMinutes !== undefined && { ack_timeout_minutes: s.ackTimeoutMinutes }),
    };
  }

  /** A unique violation while claiming: another operator claimed the id or a prefix meanwhile. */
  function raced(err: unknown, id: string): never {
    if (isUniqueViolation(err))
      throw new BankConnectionError(`bank connection '${id}' or one of its BICs was just claimed by another change; list the connections and try again`);
    throw err;
  }

  async function row(id: string): Promise<BankConnectionRow | undefined> {
    return db.selectFrom('bank_connections').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async function mustExist(id: string): Promise<BankConnectionRow> {
    const found = await row(id);
    if (!found) throw new BankConnectionError(`no bank connection with id '${id}'`);
    return found;
  }

  /** A new version stamp, later than the last one even within one millisecond. */
  function nextVersion(previous: string | undefined): string {
    const now = isoAt(clock());
    return previous !== undefined && now <= previous ? isoAt(Date.parse(previous) + 1) : now;
  }

  return {
    /** `listener` is told after this process changed a connection (its registry refreshes at once). */
    onChange(listener: () => void): void {
      listeners.push(listener);
    },

    /** `also` runs in the change's transaction (the CLI's audit entry: a change is never left unrecorded). */
    async add(settings: ConnectionSettings, also: AlsoInTransaction = async () => {}): Promise<ConnectionView> {
      if (await row(settings.id))
        throw new BankConnectionError(`--id: a bank connection '${settings.id}' exists already (change it with payrail banks update)`);
      const now = isoAt(clock());
      await db
        .transaction()
        .execute(async (tx) => {
          await tx
            .insertInto('bank_connections')
            .values({
              id: settings.id,
              name: settings.name,
              bics: JSON.stringify(settings.bics),
              profile: settings.profile,
              sftp_host: settings.sftp.host,
              sftp_port: settings.sftp.port,
              sftp_user: settings.sftp.user,
              sftp_root: settings.sftp.root,
              sftp_private_key: sealSecret(settings.sftpPrivateKey, sealing(settings.id), masterKey),
              sftp_host_key: settings.sftpHostKey,
              pgp_bank_key: settings.pgpBankKey,
              pgp_armor: settings.pgpArmor ? 1 : 0,
              require_signed_acks: settings.requireSignedAcks ? 1 : 0,
              customer_id: settings.customerId,
              ack_timeout_minutes: settings.ackTimeoutMinutes,
              last_poll_at: null,
              last_poll_error: null,
              last_error_at: null,
              created_at: now,
              updated_at: now,
            })
            .execute();
          await claimPrefixes(tx, settings.id, settings.bics);
          await also(tx);
        })
        .catch((err: unknown) => raced(err, settings.id));
      changed();
      return this.get(settings.id);
    },

    async update(id: string, requested: Partial<ConnectionSettings>, also: AlsoInTransaction = async () => {}): Promise<ConnectionView> {
      const current = await mustExist(id);
      const changes = withSignedAcksFollowingKey(current, requested);
      await db
        .transaction()
        .execute(async (tx) => {
          if (changes.bics) await claimPrefixes(tx, id, changes.bics);
          await tx
            .updateTable('bank_connections')
            .set({ ...columns(changes, id), updated_at: nextVersion(current.updated_at) })
            .where('id', '=', id)
            .execute();
          await also(tx);
        })
        .catch((err: unknown) => raced(err, id));
      changed();
      return this.get(id);
    },

    /**
     * Removes a connection; refused while a file sent over it waits for the bank's answers, and
     * while a live batch or single payment still PROCESSING or SUBMITTED comes from an account at a
     * bank it serves (not yet in a file, held for approval, or sent): removing it would leave them
     * without a way to the bank and stuck.
     */
    async remove(id: string, also: AlsoInTransaction = async () => {}): Promise<void> {
      await mustExist(id);
      await db.transaction().execute(async (tx) => {
        const open = await openOutFilesOver(tx, id);
        if (open > 0)
          throw new BankConnectionError(
            `bank connection '${id}' has ${open} file(s) waiting for the bank's acknowledgements; remove it once they are answered`,
          );
        const routed = await openLiveWorkRoutedTo(tx, id);
        if (routed.batches + routed.payments > 0) {
          throw new BankConnectionError(
            `bank connection '${id}' serves the bank of ${routed.batches} live batch(es) and ${routed.payments} live single payment(s) still PROCESSING or SUBMITTED; remove it once they are settled`,
          );
        }
        await tx.deleteFrom('bank_connection_bics').where('connection_id', '=', id).execute();
        await tx.deleteFrom('bank_connections').where('id', '=', id).execute();
        await also(tx);
      });
      changed();
    },

    async get(id: string): Promise<ConnectionView> {
      return view(await mustExist(id), (await awaitingAck1()).get(id));
    },

    async list(): Promise<ConnectionView[]> {
      const [rows, counts] = await Promise.all([db.selectFrom('bank_connections').selectAll().orderBy('id').execute(), awaitingAck1()]);
      return rows.map((r) => view(r, counts.get(r.id)));
    },

    /** One connection with its secret opened (a ConfigError when the master key cannot open it). */
    async load(id: string): Promise<StoredConnection> {
      return settingsOf(await mustExist(id), masterKey);
    },

    /** Every connection's version, for the registry to see what changed before opening secrets. */
    async versions(): Promise<Map<string, { version: string; bics: string[] }>> {
      const rows = await db.selectFrom('bank_connections').select(['id', 'updated_at', 'bics']).execute();
      return new Map(rows.map((r) => [r.id, { version: r.updated_at, bics: JSON.parse(r.bics) as string[] }]));
    },

    /**
     * The connection serving a bank (a BIC, matched on its first 8 characters), if any, with its
     * profile: read from the database each time, so every instance (PAYRAIL_ROLE=api too) sees a
     * change made anywhere at once.
     */
    async connectionFor(bank: string): Promise<ConnectionRoute | undefined> {
      return db
        .selectFrom('bank_connection_bics')
        .innerJoin('bank_connections', 'bank_connections.id', 'bank_connection_bics.connection_id')
        .select(['bank_connections.id as id', 'bank_connections.profile as profile'])
        .where('bank_connection_bics.prefix', '=', bicPrefix(bank))
        .executeTakeFirst() as Promise<ConnectionRoute | undefined>;
    },

    /** A poll of the connection's inbox went through. */
    async recordPoll(id: string): Promise<void> {
      await db
        .updateTable('bank_connections')
        .set({ last_poll_at: isoAt(clock()) })
        .where('id', '=', id)
        .execute();
    },

    /**
     * Uploading a file over the connection failed: the file keeps the reason (the connection shows
     * `error` while a file of it is not at the bank) and it is the connection's last error.
     */
    async recordUploadError(id: string, fileName: string, message: string): Promise<void> {
      const now = isoAt(clock());
      const reason = `uploading ${fileName} failed: ${message}`.slice(0, 500);
      await db.transaction().execute(async (tx) => {
        await tx
          .updateTable('bank_files')
          .set({ reason: `${UPLOAD_FAILED}${reason}`, updated_at: now })
          .where('direction', '=', 'out')
          .where('connection_id', '=', id)
          .where('name', '=', fileName)
          .where('state', '=', 'generated')
          .execute();
        await tx.updateTable('bank_connections').set({ last_poll_error: reason, last_error_at: now }).where('id', '=', id).execute();
      });
    },

    /** A file reached the bank: a failed upload recorded for it is over. */
    async recordUploaded(id: string, fileName: string): Promise<void> {
      await db
        .updateTable('bank_files')
        .set({ reason: null })
        .where('direction', '=', 'out')
        .where('connection_id', '=', id)
        .where('name', '=', fileName)
        .where('reason', 'like', `${UPLOAD_FAILED}%`)
        .execute();
    },

    /** A poll (or building the connection) failed: the reason, one line, no secret. */
    async recordError(id: string, message: string): Promise<void> {
      await db
        .updateTable('bank_connections')
        .set({ last_poll_error: message.slice(0, 500), last_error_at: isoAt(clock()) })
        .where('id', '=', id)
        .execute();
    },
  };
}

export type BankConnectionsStore = ReturnType<typeof createBankConnectionsStore>;
