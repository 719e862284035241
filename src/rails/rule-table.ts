// Which rule runs on which rail: the one place that answers "which checks apply to MEPS?".
// Read a column. The numbers a rule uses (currencies, limits, lengths, patterns) are rail data in
// rails.ts; this table only says whether the check runs.
import type { RailType } from './rails.ts';
import { RAIL_TYPES } from './rails.ts';
import type { Rule, SharedFieldRule } from './rule.ts';
import { checkAmount } from './rules/amount.ts';
import { checkAmountMaximum } from './rules/amount-maximum.ts';
import { checkBankFileText } from './rules/bank-file-text.ts';
import { checkChargeBearer } from './rules/charge-bearer.ts';
import { checkCurrency } from './rules/currency.ts';
import { checkCustomerReference } from './rules/customer-reference.ts';
import { checkPaymentDate } from './rules/payment-date.ts';
import { checkPaymentDetails } from './rules/payment-details.ts';
import { checkPurpose } from './rules/purpose.ts';
import { checkReceiverAccountNumber } from './rules/receiver-account-number.ts';
import { checkReceiverAddress } from './rules/receiver-address.ts';
import { checkReceiverBank } from './rules/receiver-bank.ts';
import { checkReceiverBranchCode } from './rules/receiver-branch-code.ts';
import { checkReceiverCountry } from './rules/receiver-country.ts';
import { checkReceiverIdentification } from './rules/receiver-identification.ts';
import { checkReceiverName } from './rules/receiver-name.ts';
import { checkReceiverProxy } from './rules/receiver-proxy.ts';
import { checkSenderAccountCurrency } from './rules/sender-account-currency.ts';
import { checkSenderAccountMarket } from './rules/sender-account-market.ts';
import { checkSwiftXText } from './rules/swift-x-text.ts';

const X = true;
const _ = false;
type Row = readonly [boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean];

/** One row per rule: the rule and whether it runs on each rail, in RAIL_TYPES order. */
const TABLE = {
  //                           rule                           ACH FPS RTGS CBFT MEPS FAST PAYNOW ACT TT
  amount: [checkAmount, [X, X, X, X, X, X, X, X, X]],
  'amount-maximum': [checkAmountMaximum, [_, X, _, _, _, X, X, _, _]],
  currency: [checkCurrency, [X, X, X, X, X, X, X, X, X]],
  'payment-date': [checkPaymentDate, [X, X, X, X, X, X, X, X, X]],
  'customer-reference': [checkCustomerReference, [X, X, X, X, X, X, X, X, X]],
  'payment-details': [checkPaymentDetails, [X, X, X, X, X, X, X, X, X]],
  'charge-bearer': [checkChargeBearer, [X, X, X, X, X, X, X, X, X]],
  purpose: [checkPurpose, [X, X, X, X, X, X, X, X, X]],
  'receiver-name': [checkReceiverName, [X, X, X, X, X, X, X, X, X]],
  'bank-file-text': [checkBankFileText, [X, X, X, X, X, X, X, X, X]],
  'swift-x-text': [checkSwiftXText, [_, _, _, X, X, _, _, _, X]],
  'receiver-identification': [checkReceiverIdentification, [X, X, X, X, X, X, X, X, X]],
  'receiver-proxy': [checkReceiverProxy, [_, X, _, _, _, _, X, _, _]],
  'receiver-bank': [checkReceiverBank, [X, X, X, X, X, X, X, X, X]],
  'receiver-branch-code': [checkReceiverBranchCode, [X, X, X, X, X, X, X, X, X]],
  'receiver-account-number': [checkReceiverAccountNumber, [X, X, X, X, X, X, X, X, X]],
  'receiver-address': [checkReceiverAddress, [X, X, X, X, X, X, X, X, X]],
  'receiver-country': [checkReceiverCountry, [X, X, X, X, X, X, X, X, X]],
  'sender-account-market': [checkSenderAccountMarket, [X, X, X, X, X, X, X, X, X]],
  'sender-account-currency': [checkSenderAccountCurrency, [X, X, X, X, X, X, X, X, X]],
} as const satisfies Record<string, readonly [Rule, Row]>;

/** The name of a rule, as the table and the tests call it. */
export type RuleName = keyof typeof TABLE;

/**
 * The rules that read only the fields a batch's payments share (their type says so): a batch
 * runs them once, not once per payment. Every other rule reads a payment's own fields.
 */
const SHARED_FIELD_RULES: Partial<Record<RuleName, SharedFieldRule>> = {
  currency: TABLE['currency'][0],
  'payment-date': TABLE['payment-date'][0],
  'sender-account-market': TABLE['sender-account-market'][0],
  'sender-account-currency': TABLE['sender-account-currency'][0],
};

/** The rule of a name when it reads only shared fields, else undefined. */
export function sharedFieldRuleNamed(name: RuleName): SharedFieldRule | undefined {
  return SHARED_FIELD_RULES[name];
}

export const RULE_NAMES = Object.keys(TABLE) as RuleName[];

/** The rule function of a name. */
export function ruleNamed(name: RuleName): Rule {
  return TABLE[name][0];
}

/** The names of the rules that run on a rail, in table order. */
export function rulesFor(rail: RailType): RuleName[] {
  const column = RAIL_TYPES.indexOf(rail);
  return RULE_NAMES.filter((name) => TABLE[name][1][column]);
}

/** The rails a rule runs on. */
export function railsFor(rule: RuleName): RailType[] {
  return RAIL_TYPES.filter((_rail, column) => TABLE[rule][1][column]);
}
