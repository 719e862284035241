// The payment instruction as a client sends it: the fields of SPEC.md §3 without the ones payrail
// sets (id, status, dates of record). Rail-specific checks live in src/rails/rules.
import { randomInt } from 'node:crypto';
import type { RailType } from '../rails/rails.ts';

/** Who pays the bank charges: SENDER (ISO DEBT, MT OUR), RECEIVER (CRED, BEN), SHARED (SHAR, SHA). */
export type ChargeBearer = 'SENDER' | 'RECEIVER' | 'SHARED';

export const CHARGE_BEARERS: readonly ChargeBearer[] = ['SENDER', 'RECEIVER', 'SHARED'];

/** A receiver addressed by proxy (FPS, PAYNOW) instead of a bank account, e.g. `{type: 'MOBILE', value: '+6591234567'}`. */
export interface ReceiverProxy {
  type: string;
  value: string;
}

/**
 * Up to three unstructured address lines of up to 35 characters each, and the structured fields
 * (SPEC §9) that cross-border payments need more and more (Cdtr/PstlAdr StrtNm, BldgNb, PstCd,
 * TwnNm, Ctry). Given together, they are a "hybrid" address.
 */
export interface ReceiverAddress {
  line1?: string;
  line2?: string;
  line3?: string;
  street?: string;
  buildingNumber?: string;
  postalCode?: string;
  city?: string;
  /** ISO 3166-1 alpha-2. */
  country?: string;
}

/** The person or business being paid. */
export interface Receiver {
  name: string;
  bank?: string;
  branchCode?: string;
  bankAccountNumber?: string;
  proxy?: ReceiverProxy;
  country?: string;
  address?: ReceiverAddress;
}

/** One payment instruction as received (single payment, or one item of a batch). Amounts in minor units. */
export interface PaymentInput {
  type: RailType;
  amount: number;
  currency: string;
  senderAccountId: string;
  senderAccountCurrency?: string;
  paymentDate?: string;
  customerReference?: string;
  paymentDetails?: string;
  bankChargeBearer?: ChargeBearer;
  /** ISO ExternalCategoryPurpose1Code (src/payments/purpose.ts), e.g. SALA. */
  purpose?: string;
  receiver: Receiver;
}

const REFERENCE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Draws an integer in [0, max); `crypto.randomInt` unless a test passes its own. */
export type RandomInt = (max: number) => number;

/**
 * A customer reference for a payment sent without one: 16 upper-case letters and digits, which
 * fits every rail (CBFT and TT cap it at 16, the length of SWIFT field 20). crypto.randomInt is
 * uniform (no modulo bias), so the 36^16 ≈ 8·10^24 space makes collisions negligible.
 */
export function generateCustomerReference(random: RandomInt = randomInt): string {
  let reference = '';
  for (let i = 0; i < 16; i++) reference += REFERENCE_ALPHABET[random(REFERENCE_ALPHABET.length)];
  return reference;
}
