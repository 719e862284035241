// Single payments: create (validated against the rail, stored with its first status and history
// row in one transaction; held with its approval and `payments.approval_required` when a policy
// says so, SPEC §10), get, list, history. Every read is scoped to the reader's organisation
// (SPEC §2, src/clients/organisation.ts): a client of another organisation finds nothing.
import type { AccountsService } from '../accounts/service.ts';
import type { ApprovalHolds } from '../approvals/service.ts';
import type { Account } from '../accounts/service.ts';
import { accountRequirements, profileRequirements } from '../bank-files/profiles/requirements.ts';
import type { ProfileName } from '../bank-files/profiles/index.ts';
import type { BusinessCalendar } from '../calendars/business-calendar.ts';
import type { Client } from '../clients/service.ts';
import { newestOfOrganisation, organisationClientIds } from '../clients/organisation.ts';
import type { Reader } from '../clients/organisation.ts';
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import { todayIn } from '../calendars/zoned-time.ts';
import { bankNotConnected, notFound, validationFailed } from '../errors.ts';
import type { FieldError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { CompleteHook } from '../idempotency/http.ts';
import { sql } from 'kysely';
import { RAILS } from '../rails/rails.ts';
import { validatePayment } from '../rails/validate.ts';
import type { Db } from '../store/database.ts';
import type { Transact } from '../store/group-commit.ts';
import { prepared } from '../store/prepared.ts';
import type { Page } from '../store/page.ts';
import { toPage } from '../store/page.ts';
import type { PaymentRow } from '../store/schema.ts';
import { generateCustomerReference } from './model.ts';
import type { PaymentInput } from './model.ts';
import { dryRunResult } from './dry-run.ts';
import type { DryRunResult } from './dry-run.ts';
import { copyOfPaymentRow } from './rows.ts';
import { toPayment } from './view.ts';
import type { Payment } from './view.ts';
import { createdChange, toStatusChange } from './history.ts';
import type { StatusChange } from './history.ts';

export interface PaymentListFilter {
  limit?: number;
  startingAfter?: string;
  status?: string;
  type?: string;
  batchId?: string;
  customerReference?: string;
  createdFrom?: string;
  createdTo?: string;
  /** A part of the receiver (name, account number, bank, proxy), any case: the console's search. */
  receiver?: string;
}

/**
 * A LIKE pattern finding `text` inside the stored receiver JSON: JSON-escaped as the column holds
 * it, lower case (the column is compared lowered), LIKE's wildcards escaped with a backslash.
 */
function receiverPattern(text: string): string {
  const inJson = JSON.stringify(text.toLowerCase()).slice(1, -1);
  return `%${inJson.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export interface PaymentsServiceDeps {
  db: Db;
  /** Commits a new payment; on SQLite, together with those of concurrent requests (group commit). */
  transact: Transact;
  clock: Clock;
  accounts: AccountsService;
  /** The live bank connection serving a bank (a sender account's BIC), read from the database: live-mode payments need one. */
  connectionFor: ConnectionFor;
  /** Approval policies: a payment above its policy's amount is held until approved. */
  holds?: ApprovalHolds;
  /** Tests' seam: the profile of an account's payments, whatever the mode (default: from the database, see creationProfile). */
  profileForAccount?: ProfileForAccount;
  /** Business days: the expected value date of a dry run. */
  calendar: BusinessCalendar;
}

/** A payment that passed create's checks: what would be stored, and when it was checked. */
export interface PaymentPlan {
  now: number;
  /** The input with its defaults (paymentDate). */
  payment: PaymentInput;
  account: Account;
}

/** Which bank profile applies to payments from an account (a test seam; see creationProfile). */
export type ProfileForAccount = (account: Account, clientMode: Client['mode']) => ProfileName;

/** The bank connection serving a bank, as the database has it now, with its pain.001 profile. */
export type ConnectionFor = (bank: string) => Promise<{ id: string; profile: ProfileName } | undefined>;

/**
 * The profile a new payment or batch from `account` is checked against (undefined: no account).
 * A live client's: the profile of its bank's connection, found in the database together with the
 * connected check — so an API-only instance sees a connection added or changed anywhere at once;
 * refused with BANK_NOT_CONNECTED (nothing stored) when no connection serves the bank. A test
 * client's: the sandbox's, generic. `override` replaces the choice (tests), not the check.
 */
export async function creationProfile(
  client: Client,
  accountId: string,
  account: Account | undefined,
  connectionFor: ConnectionFor,
  override?: ProfileForAccount,
): Promise<ProfileName | undefined> {
  if (!account) return undefined;
  let profile: ProfileName = 'generic';
  if (client.mode === 'live') {
    const connection = await connectionFor(account.bank);
    if (!connection) throw bankNotConnected(accountId, account.bank);
    profile = connection.profile;
  }
  return override ? override(account, client.mode) : profile;
}

/**
 * An RFC 3339 date-time as stored (UTC ISO text). The schema's `date-time` format allows a leap
 * second (`23:59:60`), which Date cannot represent: that instant is read as the next second.
 */
function instantOf(path: string, value: string): string {
  const ms = Date.parse(value.replace(/:60(?=(\.\d+)?(Z|[+-]\d\d:\d\d)$)/i, ':59')) + (/:60(\.\d+)?(Z|[+-])/i.test(value) ? 1000 : 0);
  if (Number.isNaN(ms)) throw validationFailed([{ path, code: 'INVALID_FORMAT', message: 'must be an RFC 3339 date-time' }]);
  return isoAt(ms);
}

/** True for a unique-constraint violation on either database. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e.message ?? '');
}

export function duplicateReference(path: string, reference: string): FieldError {
  return { path, code: 'DUPLICATE_CUSTOMER_REFERENCE', message: `customer reference '${reference}' was already used by this client` };
}

/** The columns a new payment leaves null until the bank answers. */
const UNSET_AT_CREATION = [
  'actual_payment_date',
  'bank_charge_amount',
  'bank_charge_currency',
  'failure_stage',
  'failure_code',
  'failure_message',
  'bank_stage',
  'lease_owner',
  'lease_until',
  'bank_file_id',
  'next_poll_at',
  'approval_status',
  'approval',
] as const satisfies readonly (keyof PaymentRow)[];
type UnsetAtCreation = (typeof UNSET_AT_CREATION)[number];

/** The columns a new payment is given a value in (newPaymentRow). */
const SET_AT_CREATION = [
  'id',
  'client_id',
  'mode',
  'type',
  'status',
  'amount',
  'currency',
  'sender_account_id',
  'sender_account_currency',
  'payment_date',
  'customer_reference',
  'payment_details',
  'bank_charge_bearer',
  'purpose',
  'receiver',
  'batch_id',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof PaymentRow)[];

/** Every column of a payments row: a new single payment's INSERT binds them all. */
const PAYMENT_COLUMNS = [...SET_AT_CREATION, ...UNSET_AT_CREATION];
// A column added to the table and not to the list fails to compile here.
const everyPaymentColumn: Exclude<keyof PaymentRow, (typeof PAYMENT_COLUMNS)[number]> extends never ? true : never = true;
void everyPaymentColumn;

const insertPayment = prepared<PaymentRow, never>((db, arg) =>
  db.insertInto('payments').values(Object.fromEntries(PAYMENT_COLUMNS.map((column) => [column, arg(column)])) as never),
);

export function createPaymentsService({ db, transact, clock, accounts, connectionFor, holds, profileForAccount, calendar }: PaymentsServiceDeps) {
  async function referenceTaken(clientId: string, reference: string): Promise<boolean> {
    const row = await db.selectFrom('payments').select('id').where('client_id', '=', clientId).where('customer_reference', '=', reference).executeTakeFirst();
    return row !== undefined;
  }

  /**
   * The checks of create, reads only: the payment as it would be stored (its date defaulted) and
   * its sender account, or the problem create answers with. Create and the dry run both use it.
   */
  async function plan(client: Client, input: PaymentInput): Promise<PaymentPlan> {
    const now = clock();
    const rail = RAILS[input.type];
    const payment: PaymentInput = { ...input, paymentDate: input.paymentDate ?? todayIn(rail.timeZone, now) };
    const account = await accounts.find(client.id, input.senderAccountId);
    // Live mode: refused (nothing stored) unless a connection serves the account's bank; checked against its profile.
    const profile = await creationProfile(client, input.senderAccountId, account, connectionFor, profileForAccount);
    const errors: FieldError[] = [];
    if (!account)
      errors.push({ path: 'senderAccountId', code: 'SENDER_ACCOUNT_NOT_FOUND', message: `no sender account '${input.senderAccountId}' of this client` });
    errors.push(...validatePayment(payment, { now, senderAccount: account }));
    if (account && profile) errors.push(...accountRequirements(profile, account), ...profileRequirements(profile, payment.type, payment));
    if (payment.customerReference !== undefined && (await referenceTaken(client.id, payment.customerReference))) {
      errors.push(duplicateReference('customerReference', payment.customerReference));
    }
    if (errors.length > 0) throw validationFailed(errors);
    return { now, payment, account: account! };
  }

  return {
    plan,

    /** Create's answer without creating (SPEC §12 dry run): nothing is stored, no reference used. */
    async validate(client: Client, input: PaymentInput): Promise<DryRunResult> {
      const { now, payment } = await plan(client, input);
      const approvalRequired = (await holds?.holdFor(client, payment.senderAccountId, payment.amount)) !== undefined;
      const summary = { type: payment.type, currency: payment.currency, count: 1, totalAmount: payment.amount, approvalRequired };
      return dryRunResult(calendar, now, payment.paymentDate!, summary);
    },

    /** Validates and stores a single payment (status PROCESSING); nothing is stored on any error. */
    async create(client: Client, input: PaymentInput, complete?: CompleteHook): Promise<Payment> {
      const { now, payment, account } = await plan(client, input);
      const hold = await holds?.holdFor(client, input.senderAccountId, payment.amount);
      const row = storedPaymentRow(newPaymentRow(client, payment, account.currencies, now));
      if (hold) Object.assign(row, { approval_status: 'PENDING', approval: JSON.stringify(hold.view) });
      try {
        await transact(async (tx) => {
          await insertPayment.execute(tx, row);
          if (hold)
            await holds!.open(tx, hold, {
              client,
              objectType: 'payment',
              objectId: row.id,
              amount: row.amount,
              currency: row.currency,
              createdAt: row.created_at,
              data: toPayment(row),
            });
          await complete?.(tx, toPayment(row));
        });
      } catch (err) {
        // Two requests racing with the same reference: the unique index lets one through.
        if (isUniqueViolation(err)) throw validationFailed([duplicateReference('customerReference', row.customer_reference)]);
        throw err;
      }
      return toPayment(row);
    },

    /** A payment of the reader's organisation, or undefined (another organisation's is not found either). */
    async find(reader: Reader, id: string): Promise<Payment | undefined> {
      const row = await db
        .selectFrom('payments')
        .selectAll()
        .where('id', '=', id)
        .where('client_id', 'in', organisationClientIds(db, reader))
        .executeTakeFirst();
      return row ? toPayment(row) : undefined;
    },

    async get(reader: Reader, id: string): Promise<Payment> {
      const payment = await this.find(reader, id);
      if (!payment) throw notFound('payment', id);
      return payment;
    },

    /** The organisation's payments (single and batch), newest first. */
    async list(reader: Reader, f: PaymentListFilter): Promise<Page<Payment>> {
      const limit = f.limit ?? 20;
      const createdFrom = f.createdFrom ? instantOf('createdFrom', f.createdFrom) : undefined;
      const createdTo = f.createdTo ? instantOf('createdTo', f.createdTo) : undefined;
      const rows = await newestOfOrganisation(db, reader, limit + 1, (clientId) => {
        let q = db.selectFrom('payments').selectAll().where('client_id', '=', clientId);
        if (f.startingAfter) q = q.where('id', '<', f.startingAfter);
        if (f.status) q = q.where('status', '=', f.status);
        if (f.type) q = q.where('type', '=', f.type);
        if (f.batchId) q = q.where('batch_id', '=', f.batchId);
        if (f.customerReference) q = q.where('customer_reference', '=', f.customerReference);
        if (createdFrom) q = q.where('created_at', '>=', createdFrom);
        if (createdTo) q = q.where('created_at', '<', createdTo);
        if (f.receiver) q = q.where(sql<boolean>`lower(receiver) like ${receiverPattern(f.receiver)} escape '\\'`);
        return q
          .orderBy('id', 'desc')
          .limit(limit + 1)
          .execute();
      });
      return toPage(rows.map(toPayment), limit);
    },

    /**
     * Payments created in [from, to) per rail and status, counted, with their amounts per currency:
     * the console's volume and failures of the day.
     */
    async countsByRail(reader: Reader, from: string, to: string): Promise<{ type: string; status: string; currency: string; count: number; amount: number }[]> {
      const rows = await db
        .selectFrom('payments')
        .select((eb) => ['type', 'status', 'currency', eb.fn.countAll<number | string>().as('n'), eb.fn.sum<number | string>('amount').as('total')])
        .where('client_id', 'in', organisationClientIds(db, reader))
        .where('created_at', '>=', from)
        .where('created_at', '<', to)
        .groupBy(['type', 'status', 'currency'])
        .execute();
      return rows.map((r) => ({ type: r.type, status: r.status, currency: r.currency, count: Number(r.n), amount: Number(r.total) }));
    },

    /** The status history of a payment, oldest first: its creation, then every recorded change. */
    async history(reader: Reader, id: string): Promise<StatusChange[]> {
      const payment = await this.get(reader, id);
      const rows = await db
        .selectFrom('payment_status_changes')
        .leftJoin('bank_files', 'bank_files.id', 'payment_status_changes.bank_file_id')
        .selectAll('payment_status_changes')
        .select('bank_files.name as bank_file_name')
        .where('payment_id', '=', id)
        .orderBy('payment_status_changes.id', 'asc')
        .execute();
      // Databases from before migration 0007's time stored the creation as a row of its own.
      return rows[0]?.stage === 'CREATED' ? rows.map(toStatusChange) : [createdChange(payment), ...rows.map(toStatusChange)];
    },
  };
}

/** What a new payment's INSERT binds: every column but those null until the bank answers. */
export type NewPaymentRow = Omit<PaymentRow, UnsetAtCreation>;

/** The full row of a payment just inserted from `row`: the columns it leaves unset are null. */
export function storedPaymentRow(row: NewPaymentRow): PaymentRow {
  // Those columns are read as undefined here (not spread: see rows.ts), then set.
  const stored = copyOfPaymentRow(row as PaymentRow);
  for (const column of UNSET_AT_CREATION) stored[column] = null;
  return stored;
}

/**
 * The row of a new payment; `heldCurrencies` fills senderAccountCurrency for one-currency accounts.
 * A batch passes its one `stamp` (the ISO form of `now`) for all its payments.
 */
export function newPaymentRow(
  client: Client,
  p: PaymentInput,
  heldCurrencies: string[],
  now: number,
  batchId: string | null = null,
  stamp: string = isoAt(now),
): NewPaymentRow {
  const senderCurrency = p.senderAccountCurrency ?? (heldCurrencies.length === 1 ? heldCurrencies[0]! : null);
  return {
    id: newId('payment', now),
    client_id: client.id,
    mode: client.mode,
    type: p.type,
    status: 'PROCESSING',
    amount: p.amount,
    currency: p.currency,
    sender_account_id: p.senderAccountId,
    sender_account_currency: senderCurrency,
    payment_date: p.paymentDate!,
    customer_reference: p.customerReference ?? generateCustomerReference(),
    payment_details: p.paymentDetails ?? null,
    bank_charge_bearer: p.bankChargeBearer ?? RAILS[p.type].chargeBearer.default ?? null,
    purpose: p.purpose ?? null,
    receiver: JSON.stringify(p.receiver),
    batch_id: batchId,
    created_at: stamp,
    updated_at: stamp,
  };
}

export type PaymentsService = ReturnType<typeof createPaymentsService>;
