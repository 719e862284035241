// Sender accounts of a client: create, get, list. The API reads the accounts of the reader's
// organisation (SPEC §2, src/clients/organisation.ts), so an approver can see where a payment
// leaves from; but a client pays only from its own accounts (`find`): approval policies are set per
// client and account, and another client's account would slip past the policy of its owner.
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import { notFound, validationFailed } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Page } from '../store/page.ts';
import { toPage } from '../store/page.ts';
import type { Db } from '../store/database.ts';
import type { AccountRow } from '../store/schema.ts';
import { prepared } from '../store/prepared.ts';
import type { CompleteHook } from '../idempotency/http.ts';
import { newestOfOrganisation, organisationClientIds } from '../clients/organisation.ts';
import type { Reader } from '../clients/organisation.ts';
import { marketOfBank, validateAccount } from './model.ts';
import type { AccountInput, Market } from './model.ts';

/** A sender account as the API shows it. */
export interface Account {
  id: string;
  name: string;
  bank: string;
  accountNumber: string;
  market: Market;
  currencies: string[];
  legalName?: string;
  country?: string;
  address?: string[];
  bankCustomerId?: string;
  createdAt: string;
  updatedAt: string;
}

/** The account object; the optional debtor fields only when set. */
export function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    name: row.name,
    bank: row.bank,
    accountNumber: row.account_number,
    market: row.market,
    currencies: JSON.parse(row.currencies) as string[],
    ...(row.legal_name !== null && { legalName: row.legal_name }),
    ...(row.country !== null && { country: row.country }),
    ...(row.address !== null && { address: JSON.parse(row.address) as string[] }),
    ...(row.bank_customer_id !== null && { bankCustomerId: row.bank_customer_id }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface AccountsServiceDeps {
  db: Db;
  clock: Clock;
}

/** A client's own account by id: read by every payment and batch created. */
const accountOfClient = prepared<{ clientId: string; id: string }, AccountRow>((db, arg) =>
  db.selectFrom('accounts').selectAll().where('client_id', '=', arg('clientId')).where('id', '=', arg('id')),
);

export function createAccountsService({ db, clock }: AccountsServiceDeps) {
  /** One client's newest `count` account rows, after the cursor. */
  function newestOwnedBy(clientId: string, count: number, startingAfter?: string): Promise<AccountRow[]> {
    let q = db.selectFrom('accounts').selectAll().where('client_id', '=', clientId);
    if (startingAfter) q = q.where('id', '<', startingAfter);
    return q.orderBy('id', 'desc').limit(count).execute();
  }

  return {
    async create(clientId: string, input: AccountInput, complete?: CompleteHook): Promise<Account> {
      const normalised = { ...input, accountNumber: input.accountNumber.replace(/[\s-]/g, ''), currencies: [...new Set(input.currencies)] };
      // A live client's account must be reachable by a bank connection (a BIC; see validateAccount).
      const client = await db.selectFrom('clients').select('mode').where('id', '=', clientId).executeTakeFirst();
      const errors = validateAccount(normalised, client?.mode ?? 'test');
      if (errors.length > 0) throw validationFailed(errors);
      const now = clock();
      const row: AccountRow = {
        id: newId('account', now),
        client_id: clientId,
        name: normalised.name,
        bank: normalised.bank,
        account_number: normalised.accountNumber,
        market: marketOfBank(normalised.bank)!,
        currencies: JSON.stringify(normalised.currencies),
        legal_name: normalised.legalName ?? null,
        country: normalised.country ?? null,
        address: normalised.address === undefined ? null : JSON.stringify(normalised.address),
        bank_customer_id: normalised.bankCustomerId ?? null,
        created_at: isoAt(now),
        updated_at: isoAt(now),
      };
      // The idempotency record is completed in the same transaction (src/idempotency).
      await db.transaction().execute(async (tx) => {
        await tx.insertInto('accounts').values(row).execute();
        await complete?.(tx, toAccount(row));
      });
      return toAccount(row);
    },

    /** The client's own account, or undefined (another client's is not found, even of its organisation): what it may pay from. */
    async find(clientId: string, id: string): Promise<Account | undefined> {
      const row = await accountOfClient.first(db, { clientId, id });
      return row ? toAccount(row) : undefined;
    },

    /** An account of the reader's organisation; another organisation's is not found. */
    async get(reader: Reader, id: string): Promise<Account> {
      const row = await db
        .selectFrom('accounts')
        .selectAll()
        .where('id', '=', id)
        .where('client_id', 'in', organisationClientIds(db, reader))
        .executeTakeFirst();
      if (!row) throw notFound('account', id);
      return toAccount(row);
    },

    /** One client's accounts, newest first (the operator's `accounts list --client`). */
    async list(clientId: string, { limit = 20, startingAfter }: { limit?: number; startingAfter?: string }): Promise<Page<Account>> {
      const rows = await newestOwnedBy(clientId, limit + 1, startingAfter);
      return toPage(rows.map(toAccount), limit);
    },

    /** The accounts of the reader's organisation, newest first (the API's list). */
    async listOfOrganisation(reader: Reader, { limit = 20, startingAfter }: { limit?: number; startingAfter?: string }): Promise<Page<Account>> {
      const rows = await newestOfOrganisation(db, reader, limit + 1, (clientId) => newestOwnedBy(clientId, limit + 1, startingAfter));
      return toPage(rows.map(toAccount), limit);
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
