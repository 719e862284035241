// The nine rails as data (RAILS.md §1). Bank-specific values (cut-offs, limits) are defaults a
// bank profile may override, so they live here and nowhere else; rules read them, never hard-code.
import type { Market } from '../accounts/model.ts';
import type { ChargeBearer } from '../payments/model.ts';
import { FPS_PROXY_PATTERNS, PAYNOW_PROXY_PATTERNS } from './formats/proxies.ts';
import type { ProxyPatterns } from './formats/proxies.ts';

export const RAIL_TYPES = ['ACH', 'FPS', 'RTGS', 'CBFT', 'MEPS', 'FAST', 'PAYNOW', 'ACT', 'TT'] as const;

/** A payment type: the rail the payment travels on. */
export type RailType = (typeof RAIL_TYPES)[number];

/** The IANA time zone whose calendar date is a rail's "today". */
export type RailTimeZone = 'Asia/Hong_Kong' | 'Asia/Singapore';

/** Which currencies a rail carries: a fixed list, any ISO 4217 currency, or any the sender account holds. */
export type RailCurrencies = { kind: 'listed'; codes: readonly string[] } | { kind: 'any-iso-4217' } | { kind: 'held-by-sender-account' };

/** When a rail settles: business days before a local cut-off ("HH:MM" in the rail's time zone), or every day. */
export type ValueDates = { kind: 'business-days'; cutOff: string } | { kind: '24x7' };

/** Which forms of `receiver.bank` a rail takes; `absent` for book transfers inside the sender's bank. */
export type ReceiverBankRule = { formats: readonly ('bic' | 'hk-bank-code')[] } | 'absent';

/** How `receiver.bankAccountNumber` is checked: HK local, SG local, or cross-border (alphanumeric or IBAN). */
export type AccountNumberFormat = 'hk' | 'sg' | 'cross-border';

/** Everything payrail knows about one rail. */
export interface Rail {
  readonly type: RailType;
  readonly market: Market;
  readonly timeZone: RailTimeZone;
  readonly currencies: RailCurrencies;
  /** Largest amount per payment in minor units, by currency; a currency not listed has no maximum. */
  readonly maxAmount: Readonly<Record<string, number>>;
  readonly valueDates: ValueDates;
  readonly chargeBearer: { allowed: boolean; default?: ChargeBearer };
  readonly crossBorder: boolean;
  /** Proxy types the rail accepts and the pattern of each; empty when receivers need a bank account. */
  readonly proxies: ProxyPatterns;
  readonly receiverBank: ReceiverBankRule;
  readonly receiverAddress: 'required' | 'optional' | 'absent';
  readonly accountNumberFormat: AccountNumberFormat;
  readonly nameMaxLength: number;
  readonly customerReferenceMaxLength: number;
}

const HK = { market: 'HK', timeZone: 'Asia/Hong_Kong' } as const;
const SG = { market: 'SG', timeZone: 'Asia/Singapore' } as const;
const NO_CHARGE_BEARER = { allowed: false } as const;
const DOMESTIC = { crossBorder: false, nameMaxLength: 140, customerReferenceMaxLength: 35 } as const;
// SWIFT MT103: names are 35x lines and the customer reference becomes field 20 (16x).
const CROSS_BORDER = { crossBorder: true, nameMaxLength: 35, customerReferenceMaxLength: 16, accountNumberFormat: 'cross-border' } as const;
const HK_BANK = { formats: ['bic', 'hk-bank-code'] } as const;
const BIC_ONLY = { formats: ['bic'] } as const;
const NO_MAX = {};
const NO_PROXIES = {};

export const RAILS: Readonly<Record<RailType, Rail>> = {
  ACH: {
    type: 'ACH',
    ...HK,
    ...DOMESTIC,
    currencies: { kind: 'listed', codes: ['HKD', 'CNY'] },
    maxAmount: NO_MAX,
    valueDates: { kind: 'business-days', cutOff: '17:30' },
    chargeBearer: NO_CHARGE_BEARER,
    proxies: NO_PROXIES,
    receiverBank: HK_BANK,
    receiverAddress: 'optional',
    accountNumberFormat: 'hk',
  },
  FPS: {
    type: 'FPS',
    ...HK,
    ...DOMESTIC,
    currencies: { kind: 'listed', codes: ['HKD', 'CNY'] },
    // HKD 10,000,000.00 and the same figure in CNY (Airwallex's cap; the scheme sets none).
    maxAmount: { HKD: 1_000_000_000, CNY: 1_000_000_000 },
    valueDates: { kind: '24x7' },
    chargeBearer: NO_CHARGE_BEARER,
    proxies: FPS_PROXY_PATTERNS,
    receiverBank: HK_BANK,
    receiverAddress: 'optional',
    accountNumberFormat: 'hk',
  },
  RTGS: {
    type: 'RTGS',
    ...HK,
    ...DOMESTIC,
    currencies: { kind: 'listed', codes: ['HKD', 'USD', 'EUR', 'CNY'] },
    maxAmount: NO_MAX,
    valueDates: { kind: 'business-days', cutOff: '17:30' },
    chargeBearer: NO_CHARGE_BEARER,
    proxies: NO_PROXIES,
    receiverBank: HK_BANK,
    receiverAddress: 'optional',
    accountNumberFormat: 'hk',
  },
  CBFT: {
    type: 'CBFT',
    ...HK,
    ...CROSS_BORDER,
    currencies: { kind: 'any-iso-4217' },
    maxAmount: NO_MAX,
    valueDates: { kind: 'business-days', cutOff: '16:00' },
    chargeBearer: { allowed: true, default: 'SHARED' },
    proxies: NO_PROXIES,
    receiverBank: BIC_ONLY,
    receiverAddress: 'required',
  },
  MEPS: {
    type: 'MEPS',
    ...SG,
    ...DOMESTIC,
    // MEPS+ carries SWIFT formats: names are 35x. The reference stays at 35 (not field 20).
    nameMaxLength: 35,
    currencies: { kind: 'listed', codes: ['SGD'] },
    maxAmount: NO_MAX,
    valueDates: { kind: 'business-days', cutOff: '15:00' },
    chargeBearer: { allowed: true },
    proxies: NO_PROXIES,
    receiverBank: BIC_ONLY,
    receiverAddress: 'required',
    accountNumberFormat: 'sg',
  },
  FAST: {
    type: 'FAST',
    ...SG,
    ...DOMESTIC,
    currencies: { kind: 'listed', codes: ['SGD'] },
    // S$200,000.00 per transaction, not per day (MAS, 2023).
    maxAmount: { SGD: 20_000_000 },
    valueDates: { kind: '24x7' },
    chargeBearer: NO_CHARGE_BEARER,
    proxies: NO_PROXIES,
    receiverBank: BIC_ONLY,
    receiverAddress: 'optional',
    accountNumberFormat: 'sg',
  },
  PAYNOW: {
    type: 'PAYNOW',
    ...SG,
    ...DOMESTIC,
    currencies: { kind: 'listed', codes: ['SGD'] },
    // PayNow runs over FAST, so FAST's limit applies.
    maxAmount: { SGD: 20_000_000 },
    valueDates: { kind: '24x7' },
    chargeBearer: NO_CHARGE_BEARER,
    proxies: PAYNOW_PROXY_PATTERNS,
    receiverBank: BIC_ONLY,
    receiverAddress: 'optional',
    accountNumberFormat: 'sg',
  },
  ACT: {
    type: 'ACT',
    ...SG,
    ...DOMESTIC,
    currencies: { kind: 'held-by-sender-account' },
    maxAmount: NO_MAX,
    valueDates: { kind: 'business-days', cutOff: '18:00' },
    chargeBearer: NO_CHARGE_BEARER,
    proxies: NO_PROXIES,
    // A book transfer inside the sender's own bank: the bank is implied, no address travels.
    receiverBank: 'absent',
    receiverAddress: 'absent',
    accountNumberFormat: 'sg',
  },
  TT: {
    type: 'TT',
    ...SG,
    ...CROSS_BORDER,
    currencies: { kind: 'any-iso-4217' },
    maxAmount: NO_MAX,
    valueDates: { kind: 'business-days', cutOff: '15:00' },
    chargeBearer: { allowed: true, default: 'SHARED' },
    proxies: NO_PROXIES,
    receiverBank: BIC_ONLY,
    receiverAddress: 'required',
  },
};

export function isRailType(value: string): value is RailType {
  return (RAIL_TYPES as readonly string[]).includes(value);
}

/** The charge bearer a payment travels with: its own, else the rail's default (SHARED on CBFT/TT), else none. */
export function chargeBearerOf(payment: { type: RailType; bankChargeBearer?: ChargeBearer }): ChargeBearer | undefined {
  return payment.bankChargeBearer ?? RAILS[payment.type].chargeBearer.default;
}
