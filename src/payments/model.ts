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

/** The time part of a generated reference: milliseconds in base 36, 8 characters (until 2059). */
const TIME_CHARACTERS = 8;
const RANDOM_CHARACTERS = 8;
/** The last reference generated in this process: its time and the indexes of its random characters. */
let last = { ms: -1, random: [] as number[] };

/**
 * A customer reference for a payment sent without one: 16 upper-case letters and digits, which
 * fits every rail (CBFT and TT cap it at 16, the length of SWIFT field 20). The first 8 are the
 * time in milliseconds (base 36), the last 8 are random (crypto.randomInt: uniform, 36^8 ≈ 2.8·10^12
 * a millisecond); a second reference in the same millisecond takes the previous one's random part
 * plus one, so this process never repeats one. Time first, so new references go to the end of the
 * unique (client, reference) index like new ids: fully random ones landed each on a page of their
 * own, and a group commit of single payments wrote a third less to disk without them (issue 21).
 */
export function generateCustomerReference(random: RandomInt = randomInt, now: number = Date.now()): string {
  let digits: number[];
  if (now <= last.ms) {
    now = last.ms;
    digits = [...last.random];
    for (let i = RANDOM_CHARACTERS - 1; i >= 0; i--) {
      digits[i] = (digits[i]! + 1) % REFERENCE_ALPHABET.length;
      if (digits[i] !== 0) break;
    }
  } else {
    digits = Array.from({ length: RANDOM_CHARACTERS }, () => random(REFERENCE_ALPHABET.length));
  }
  last = { ms: now, random: digits };
  const time = now.toString(36).toUpperCase().padStart(TIME_CHARACTERS, '0').slice(-TIME_CHARACTERS);
  return time + digits.map((d) => REFERENCE_ALPHABET[d]).join('');
}
