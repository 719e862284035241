// The vocabulary shared by every rule: what a rule sees and what it returns.
import type { FieldError } from '../errors.ts';
import type { Market } from '../accounts/model.ts';
import type { PaymentInput } from '../payments/model.ts';
import type { PaymentErrorCode } from './error-codes.ts';
import type { Rail } from './rails.ts';

/** The sender account as the caller looked it up: its market, bank and the currencies it holds. */
export interface SenderAccount {
  market: Market;
  bank: string;
  currencies: string[];
}

/** What validation needs besides the payment: the clock, and the sender account when known. */
export interface ValidationContext {
  /** Milliseconds since the epoch. */
  now: number;
  /** Undefined: the account rules are skipped (the caller reports an unknown account itself). */
  senderAccount?: SenderAccount;
}

/** What a rule sees: the validation context plus the rail of the payment. */
export interface RuleContext extends ValidationContext {
  rail: Rail;
}

/** One check: every violation it finds, with paths relative to the payment. Never throws. */
export type Rule = (payment: PaymentInput, ctx: RuleContext) => FieldError[];

/** The fields the payments of a batch share: given once, on the batch (SPEC §3). */
export type SharedFields = Pick<PaymentInput, 'type' | 'currency' | 'senderAccountId' | 'senderAccountCurrency' | 'paymentDate'>;

/**
 * A check that reads only the shared fields (and the context): in a batch it gives the same answer
 * for every payment, so it runs once per batch. The type keeps it from reading anything else.
 */
export type SharedFieldRule = (payment: SharedFields, ctx: RuleContext) => FieldError[];

/** A field error whose code is one of the closed list. */
export function fieldError(path: string, code: PaymentErrorCode, message: string): FieldError {
  return { path, code, message };
}

/** A free-text field of a payment, by path. */
export interface TextField {
  path: string;
  value: string;
}

/** The free-text fields that reach the bank: the receiver's name and address (lines and structured fields), and the details. */
export function freeTextFields(payment: PaymentInput): TextField[] {
  const { name, address } = payment.receiver;
  const fields: TextField[] = [{ path: 'receiver.name', value: name }];
  for (const key of ['line1', 'line2', 'line3', 'street', 'buildingNumber', 'postalCode', 'city'] as const) {
    const value = address?.[key];
    if (value !== undefined) fields.push({ path: `receiver.address.${key}`, value });
  }
  if (payment.paymentDetails !== undefined) fields.push({ path: 'paymentDetails', value: payment.paymentDetails });
  return fields;
}

/**
 * Every text of a payment that a pain.001 carries (the writer's elements.ts, versions.ts and
 * writer.ts): the free text, the customer reference, the receiver's bank, branch, account number,
 * country and proxy. Each must be text an XML 1.0 file can hold, or the batch can never be sent.
 */
export function bankFileTextFields(payment: PaymentInput): TextField[] {
  const fields = freeTextFields(payment);
  const add = (path: string, value: unknown) => {
    // Only strings reach the file; the schema reports a value of another type.
    if (typeof value === 'string') fields.push({ path, value });
  };
  add('customerReference', payment.customerReference);
  const { bank, branchCode, bankAccountNumber, country, proxy } = payment.receiver;
  add('receiver.bank', bank);
  add('receiver.branchCode', branchCode);
  add('receiver.bankAccountNumber', bankAccountNumber);
  add('receiver.country', country);
  add('receiver.address.country', payment.receiver.address?.country);
  add('purpose', payment.purpose);
  add('receiver.proxy.type', proxy?.type);
  add('receiver.proxy.value', proxy?.value);
  return fields;
}
