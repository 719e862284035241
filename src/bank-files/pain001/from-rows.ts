// A pain.001 from stored rows: the sender account, the payments and the file's own values, written
// in the profile of the bank endpoint it goes to. The batch dispatcher (one file per batch) and the
// single-payment file collector (one file per group of live single payments) both write through it.
import { randomUUID } from 'node:crypto';
import type { BankEndpoint } from '../../bank/endpoints.ts';
import type { ChargeBearer, Receiver } from '../../payments/model.ts';
import type { RailType } from '../../rails/rails.ts';
import type { AccountRow, PaymentRow } from '../../store/schema.ts';
import type { Pain001Version } from './model.ts';
import { writePain001 } from './writer.ts';

/** The sender account's columns a file needs. */
export type DebtorAccount = Pick<AccountRow, 'name' | 'account_number' | 'bank' | 'legal_name' | 'country' | 'address' | 'bank_customer_id'>;

/** Cross-border rails carry a UETR (written in V09 only). */
const CROSS_BORDER: readonly string[] = ['CBFT', 'TT'];

export interface FileValues {
  messageId: string;
  /** PmtInfId: the batch id (its file form is made by the writer). */
  paymentInfoId: string;
  createdAt: string;
  initiatingPartyName: string;
  rail: string;
  /** The date the file asks for (a late approval's rolled date, SPEC §10). */
  paymentDate: string;
  purpose?: string | null;
  senderAccountCurrency: string | null;
}

/**
 * The file's XML; throws Pain001Error when a value cannot be written. PAYRAIL_PAIN001_VERSION
 * (`generic`'s setting) applies to the generic profile only: a bank's profile names its own.
 */
export function pain001FromRows(
  endpoint: Pick<BankEndpoint, 'profile' | 'customerId'>,
  account: DebtorAccount,
  payments: PaymentRow[],
  file: FileValues,
  genericVersion: Pain001Version,
): string {
  const { profile } = endpoint;
  // The bank's id for the customer: the account's own, else the connection's (SPEC §9).
  const customerId = account.bank_customer_id ?? endpoint.customerId;
  // One charge bearer for the whole file goes on PmtInf; payments that differ carry their own.
  const bearers = new Set(payments.map((p) => p.bank_charge_bearer));
  const shared = bearers.size === 1 ? (payments[0]!.bank_charge_bearer as ChargeBearer | null) : null;
  return writePain001(
    {
      messageId: file.messageId,
      createdAt: file.createdAt,
      initiatingPartyName: file.initiatingPartyName,
      ...(customerId !== undefined && customerId !== null && { initiatingPartyId: customerId }),
      batchId: file.paymentInfoId,
      rail: file.rail as RailType,
      paymentDate: file.paymentDate,
      ...(shared !== null && { chargeBearer: shared }),
      ...(file.purpose !== undefined && file.purpose !== null && { purpose: file.purpose }),
      debtor: {
        name: account.name,
        ...(account.legal_name !== null && { legalName: account.legal_name }),
        ...(account.country !== null && { country: account.country }),
        ...(account.address !== null && { addressLines: JSON.parse(account.address) as string[] }),
        accountNumber: account.account_number,
        bank: account.bank,
        currency: file.senderAccountCurrency ?? undefined,
      },
      payments: payments.map((p) => ({
        paymentId: p.id,
        customerReference: p.customer_reference,
        amount: p.amount,
        currency: p.currency,
        receiver: JSON.parse(p.receiver) as Receiver,
        ...(p.payment_details !== null && { paymentDetails: p.payment_details }),
        ...(p.purpose !== null && { purpose: p.purpose }),
        ...(bearers.size > 1 && p.bank_charge_bearer !== null && { chargeBearer: p.bank_charge_bearer as ChargeBearer }),
        ...(CROSS_BORDER.includes(p.type) && { uetr: randomUUID() }),
      })),
    },
    profile === 'generic' ? { profile, version: genericVersion } : { profile },
  );
}
