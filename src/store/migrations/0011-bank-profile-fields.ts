// The fields pain.001 bank profiles need (BANKS.md §3, SPEC §9):
// - accounts: the holder's legal name (Dbtr/Nm), country and address lines (Dbtr/PstlAdr; JSON
//   array of strings) and the bank's id for the customer (InitgPty/Id), all optional.
// - payments and batches: `purpose`, an ISO category purpose code (PmtTpInf/CtgyPurp). A batch
//   item without one has its batch's, stored on the payment.
// The receiver's structured address (street, city…) lives in payments.receiver (JSON) already.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('accounts').addColumn('legal_name', 'text').execute();
  await db.schema.alterTable('accounts').addColumn('country', 'text').execute();
  await db.schema.alterTable('accounts').addColumn('address', 'text').execute();
  await db.schema.alterTable('accounts').addColumn('bank_customer_id', 'text').execute();
  await db.schema.alterTable('payments').addColumn('purpose', 'text').execute();
  await db.schema.alterTable('batches').addColumn('purpose', 'text').execute();
}
