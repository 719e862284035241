// Fixtures for rail tests: one valid payment per rail, the accounts and the fixed clock they are
// valid against, and helpers to read errors as "path CODE".
import assert from 'node:assert/strict';
import type { FieldError } from '../../src/errors.ts';
import type { PaymentInput } from '../../src/payments/model.ts';
import type { RailType } from '../../src/rails/rails.ts';
import { RAILS } from '../../src/rails/rails.ts';
import type { SenderAccount, ValidationContext } from '../../src/rails/rule.ts';
import { validatePayment } from '../../src/rails/validate.ts';

/** Tuesday 10 March 2026, 10:00 in Hong Kong and Singapore (02:00 UTC). */
export const NOW = Date.parse('2026-03-10T02:00:00Z');
export const TODAY = '2026-03-10';

export const HK_ACCOUNT: SenderAccount = { market: 'HK', bank: 'HSBCHKHHXXX', currencies: ['HKD'] };
export const SG_ACCOUNT: SenderAccount = { market: 'SG', bank: 'DBSSSGSGXXX', currencies: ['SGD', 'USD'] };

const VALID: Record<RailType, PaymentInput> = {
  ACH: {
    type: 'ACH',
    amount: 150000,
    currency: 'HKD',
    senderAccountId: 'intacct_HK',
    receiver: { name: 'Chan Tai Man', bank: '004', branchCode: '123', bankAccountNumber: '456-789-012' },
  },
  FPS: {
    type: 'FPS',
    amount: 150000,
    currency: 'HKD',
    senderAccountId: 'intacct_HK',
    receiver: { name: '陳大文', proxy: { type: 'MOBILE', value: '+85291234567' } },
  },
  RTGS: {
    type: 'RTGS',
    amount: 500000000,
    currency: 'USD',
    senderAccountId: 'intacct_HK',
    paymentDate: TODAY,
    receiver: { name: 'Wing On Trading Ltd', bank: 'HSBCHKHHHKH', bankAccountNumber: '004123456789' },
  },
  CBFT: {
    type: 'CBFT',
    amount: 125000,
    currency: 'EUR',
    senderAccountId: 'intacct_HK',
    customerReference: 'INV-2026-0042',
    bankChargeBearer: 'SHARED',
    receiver: {
      name: 'Acme GmbH',
      bank: 'DEUTDEFFXXX',
      bankAccountNumber: 'DE89370400440532013000',
      country: 'DE',
      address: { line1: 'Taunusanlage 12', line2: '60325 Frankfurt' },
    },
  },
  MEPS: {
    type: 'MEPS',
    amount: 20000,
    currency: 'SGD',
    senderAccountId: 'intacct_SG',
    senderAccountCurrency: 'SGD',
    paymentDate: '2026-03-11',
    customerReference: 'DONUTS',
    paymentDetails: '10 boxes of 12 each',
    bankChargeBearer: 'SENDER',
    receiver: { name: 'Donut Shop', bank: 'OCBCSGSGXXX', bankAccountNumber: '123456789', address: { line1: '20 Side Street', line2: 'Unit 02-3A' } },
  },
  FAST: {
    type: 'FAST',
    amount: 20000,
    currency: 'SGD',
    senderAccountId: 'intacct_SG',
    senderAccountCurrency: 'SGD',
    receiver: { name: 'Tan Ah Kow', bank: 'DBSSSGSGXXX', bankAccountNumber: '0123456789' },
  },
  PAYNOW: {
    type: 'PAYNOW',
    amount: 20000,
    currency: 'SGD',
    senderAccountId: 'intacct_SG',
    senderAccountCurrency: 'SGD',
    receiver: { name: 'Kopi Pte Ltd', proxy: { type: 'UEN', value: '201234567A' } },
  },
  ACT: {
    type: 'ACT',
    amount: 99900,
    currency: 'USD',
    senderAccountId: 'intacct_SG',
    senderAccountCurrency: 'USD',
    receiver: { name: 'Lim Mei Ling', bankAccountNumber: '0721234567' },
  },
  TT: {
    type: 'TT',
    amount: 700000,
    currency: 'GBP',
    senderAccountId: 'intacct_SG',
    senderAccountCurrency: 'SGD',
    receiver: {
      name: 'Widgets UK Ltd',
      bank: 'BARCGB22',
      bankAccountNumber: 'GB29NWBK60161331926819',
      country: 'GB',
      address: { line1: '1 Churchill Place', line2: 'London E14 5HP' },
    },
  },
};

/** A deep copy of the valid payment of a rail, so a test can change it freely. */
export function validPayment(rail: RailType): PaymentInput {
  return structuredClone(VALID[rail]);
}

/** A valid payment of a rail with some fields changed (receiver fields merge into the receiver). */
export function paymentWith(rail: RailType, changes: Partial<Omit<PaymentInput, 'receiver'>> & { receiver?: Partial<PaymentInput['receiver']> }): PaymentInput {
  const base = validPayment(rail);
  return { ...base, ...changes, receiver: { ...base.receiver, ...changes.receiver } };
}

/** The context every fixture is valid in: the fixed clock and the rail market's account. */
export function contextFor(rail: RailType, overrides: Partial<ValidationContext> = {}): ValidationContext {
  return { now: NOW, senderAccount: RAILS[rail].market === 'HK' ? HK_ACCOUNT : SG_ACCOUNT, ...overrides };
}

/** The errors of a payment as "path CODE" strings. */
export function problems(payment: PaymentInput, ctx: ValidationContext = contextFor(payment.type)): string[] {
  return validatePayment(payment, ctx).map((e: FieldError) => `${e.path} ${e.code}`);
}

export function assertValid(payment: PaymentInput, ctx?: ValidationContext): void {
  assert.deepEqual(problems(payment, ctx), []);
}

/** Asserts the payment has exactly these problems (as "path CODE"), in any order. */
export function assertProblems(payment: PaymentInput, expected: string[], ctx?: ValidationContext): void {
  assert.deepEqual(problems(payment, ctx).sort(), [...expected].sort());
}
