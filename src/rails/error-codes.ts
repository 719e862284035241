// The closed list of codes a payment validation problem can carry (the `code` of a FieldError).
// Codes are stable: clients branch on them. The meaning here is the one docs/ERRORS.md gives.

export const PAYMENT_ERROR_CODES = {
  INVALID_PAYMENT_TYPE: 'type is not one of the nine rails',
  INVALID_AMOUNT: 'amount is not a whole number of minor units of at least 1 (or is not a safe integer)',
  AMOUNT_ABOVE_RAIL_MAXIMUM: 'amount is above the per-payment maximum of the rail for that currency',
  INVALID_CURRENCY: 'currency is not an ISO 4217 code',
  CURRENCY_NOT_ALLOWED: 'the rail does not carry this currency',
  CURRENCY_NOT_HELD: 'ACT: the sender account does not hold this currency',
  INVALID_PAYMENT_DATE: 'paymentDate is not an existing YYYY-MM-DD date',
  PAYMENT_DATE_IN_PAST: "paymentDate is before today in the rail's time zone",
  PAYMENT_DATE_TOO_FAR: "paymentDate is more than 90 days after today in the rail's time zone",
  INVALID_CUSTOMER_REFERENCE: 'customerReference is empty or has characters other than A-Z a-z 0-9 - _ / .',
  CUSTOMER_REFERENCE_TOO_LONG: 'customerReference is longer than 35 characters (16 on CBFT and TT)',
  PAYMENT_DETAILS_TOO_LONG: 'paymentDetails is longer than 140 characters',
  CHARGE_BEARER_NOT_ALLOWED: 'bankChargeBearer is given on a rail that does not take one',
  INVALID_CHARGE_BEARER: 'bankChargeBearer is not SENDER, RECEIVER or SHARED',
  RECEIVER_NAME_REQUIRED: 'receiver.name is missing or blank',
  NAME_TOO_LONG: 'receiver.name is longer than 35 characters (CBFT, TT, MEPS) or 140 (other rails)',
  INVALID_CHARACTERS:
    'a text field has characters the rail cannot carry (outside the SWIFT x set on CBFT, TT, MEPS; control characters elsewhere; on every rail and in every field that reaches the bank file, a character XML 1.0 cannot hold)',
  INVALID_LINE_START: "a text field starts with ':' or '-', which SWIFT refuses (CBFT, TT, MEPS)",
  PROXY_AND_ACCOUNT: 'the receiver has both a proxy and a bank account; give one',
  PROXY_NOT_ALLOWED: 'the rail does not take proxies (only FPS and PAYNOW do)',
  PROXY_TYPE_NOT_ALLOWED: 'receiver.proxy.type is not a proxy type of this rail',
  INVALID_PROXY: 'receiver.proxy.value does not have the format of its proxy type',
  RECEIVER_ACCOUNT_REQUIRED: 'the receiver has no bank account number (and no proxy, on FPS and PAYNOW)',
  INVALID_ACCOUNT_NUMBER: "receiver.bankAccountNumber does not have the rail's format",
  INVALID_IBAN: 'receiver.bankAccountNumber looks like an IBAN but its check digits are wrong',
  RECEIVER_BANK_REQUIRED: 'receiver.bank is missing where a bank account is paid',
  RECEIVER_BANK_NOT_ALLOWED: 'receiver.bank is given on ACT or with a proxy',
  INVALID_RECEIVER_BANK: 'receiver.bank is not a BIC (or, on ACH/FPS/RTGS, a 3-digit HK bank code)',
  RECEIVER_BANK_MARKET_MISMATCH: "receiver.bank is not in the rail's market (domestic rails only)",
  INVALID_BRANCH_CODE: 'receiver.branchCode is not 3 digits',
  BRANCH_CODE_NOT_ALLOWED: 'receiver.branchCode is given without a 3-digit HK bank code',
  RECEIVER_ADDRESS_REQUIRED: 'receiver.address (at least one line, or a street or city) is required on CBFT, TT and MEPS',
  RECEIVER_ADDRESS_NOT_ALLOWED: 'receiver.address is given on ACT',
  ADDRESS_LINE_TOO_LONG: 'an address line is longer than 35 characters',
  INVALID_ADDRESS_LINE: 'an address line is blank',
  ADDRESS_FIELD_TOO_LONG: 'receiver.address street is longer than 70 characters, buildingNumber or postalCode than 16, city than 35',
  INVALID_ADDRESS_FIELD: 'a structured address field (street, buildingNumber, postalCode, city) is blank',
  INVALID_PURPOSE: 'purpose is not an ISO 20022 category purpose code (ExternalCategoryPurpose1Code, e.g. SALA, SUPP)',
  REQUIRED_BY_BANK:
    'a field the rail leaves optional is required by the bank of the sender account (its pain.001 profile), e.g. receiver.address.city on cross-border payments; on senderAccountId: the account lacks the legal name or country that bank needs',
  REFUSED_BY_BANK:
    "a value the rail accepts is refused by the bank of the sender account (its pain.001 profile): '_' in customerReference, a proxy longer than 34 characters where the bank carries it as an account id, more address lines than its hybrid address takes, a currency it does not send",
  RECEIVER_COUNTRY_REQUIRED: 'receiver.country is missing on CBFT or TT',
  RECEIVER_COUNTRY_NOT_ALLOWED: 'receiver.country is given on a domestic rail',
  INVALID_COUNTRY: 'receiver.country or receiver.address.country is not an ISO 3166-1 alpha-2 code',
  SENDER_ACCOUNT_MARKET_MISMATCH: "the sender account is not in the rail's market (HK rails need an HK account, SG rails an SG one)",
  SENDER_ACCOUNT_CURRENCY_REQUIRED: 'senderAccountCurrency is missing and the sender account holds several currencies',
  SENDER_ACCOUNT_CURRENCY_NOT_HELD: 'senderAccountCurrency is not a currency the sender account holds',
} as const satisfies Record<string, string>;

/** A code of a payment validation problem. */
export type PaymentErrorCode = keyof typeof PAYMENT_ERROR_CODES;
