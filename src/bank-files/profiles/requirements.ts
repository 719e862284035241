// What a bank profile requires at creation beyond the rail rules (BANKS.md §3): a payment that the
// bank's file could not carry, or that the bank would refuse, is refused when it is created, with
// the path of the field, like any other validation problem — not failed days later at the bank.
// Pure: the payment, its rail and the sender account's debtor fields in, the problems out.
import type { FieldError } from '../../errors.ts';
import type { PaymentInput } from '../../payments/model.ts';
import { isRailType, RAILS } from '../../rails/rails.ts';
import type { RailType } from '../../rails/rails.ts';
import { PROFILES } from './index.ts';
import type { ProfileName } from './index.ts';

/** The sender account's fields a profile may need (Dbtr/Nm, Dbtr/PstlAdr/Ctry). */
export interface DebtorFields {
  legalName?: string;
  country?: string;
}

/** The 2009 schema's BIC (ISO 9362:2009): V03 files refuse some BICs the 2014 standard allows. */
const V03_BIC = /^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$/;
const BIC = /^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/;

/** Othr/Id (Max34Text): where a proxy travels as the account id. */
const ACCOUNT_ID_MAX_LENGTH = 34;

function problem(path: string, code: 'REQUIRED_BY_BANK' | 'REFUSED_BY_BANK', message: string): FieldError {
  return { path, code, message };
}

/** The sender account's problems: paths `senderAccountId` (a batch reports them once). */
export function accountRequirements(profileName: ProfileName, account: DebtorFields): FieldError[] {
  const { requires, name } = PROFILES[profileName];
  const missing = [
    requires.debtorLegalName && account.legalName === undefined && 'legalName',
    requires.debtorCountry && account.country === undefined && 'country',
  ].filter(Boolean);
  if (missing.length === 0) return [];
  return [
    problem(
      'senderAccountId',
      'REQUIRED_BY_BANK',
      `the sender account has no ${missing.join(' or ')}, which its bank (profile ${name}) requires in the file's debtor; register the account with them`,
    ),
  ];
}

function proxyProblems(profileName: ProfileName, rail: RailType, payment: PaymentInput): FieldError[] {
  const proxy = payment.receiver.proxy;
  if (!proxy || (rail !== 'FPS' && rail !== 'PAYNOW')) return [];
  const profile = PROFILES[profileName];
  const errors: FieldError[] = [];
  if (!profile.proxyCodes[rail][proxy.type])
    errors.push(problem('receiver.proxy.type', 'REFUSED_BY_BANK', `the bank (profile ${profile.name}) takes no ${rail} proxy of type ${proxy.type}`));
  // V03 files and banks without a filler id carry the proxy as an account id.
  const asAccountId = profile.version === '03' || profile.proxyPlacement !== 'prxy-with-filler';
  if (asAccountId && [...proxy.value].length > ACCOUNT_ID_MAX_LENGTH) {
    errors.push(
      problem(
        'receiver.proxy.value',
        'REFUSED_BY_BANK',
        `must be at most ${ACCOUNT_ID_MAX_LENGTH} characters: the bank (profile ${profile.name}) carries the proxy as an account id`,
      ),
    );
  }
  return errors;
}

function crossBorderProblems(profileName: ProfileName, payment: PaymentInput): FieldError[] {
  const { requires, name } = PROFILES[profileName];
  const { address, country } = payment.receiver;
  const errors: FieldError[] = [];
  if (requires.crossBorderTownAndCountry) {
    if (address?.city === undefined)
      errors.push(
        problem(
          'receiver.address.city',
          'REQUIRED_BY_BANK',
          `the bank (profile ${name}) requires the town of cross-border receivers (structured or hybrid address)`,
        ),
      );
    if (address?.country === undefined && country === undefined)
      errors.push(problem('receiver.address.country', 'REQUIRED_BY_BANK', `the bank (profile ${name}) requires the country of cross-border receivers`));
  }
  const max = requires.crossBorderMaxAddressLines;
  if (max !== undefined && address) {
    (['line1', 'line2', 'line3'] as const)
      .filter((key) => address[key] !== undefined)
      .slice(max)
      .forEach((key) =>
        errors.push(
          problem(
            `receiver.address.${key}`,
            'REFUSED_BY_BANK',
            `the bank (profile ${name}) takes at most ${max} address lines beside the structured fields of a cross-border receiver`,
          ),
        ),
      );
  }
  const to = address?.country ?? country;
  if (to !== undefined && requires.purposeRequiredTo?.includes(to) && payment.purpose === undefined) {
    errors.push(problem('purpose', 'REQUIRED_BY_BANK', `the bank (profile ${name}) requires a purpose for payments to ${to}`));
  }
  if (requires.crossBorderCurrenciesRefused?.includes(payment.currency)) {
    errors.push(problem('currency', 'REFUSED_BY_BANK', `the bank (profile ${name}) does not send ${payment.currency} payments`));
  }
  return errors;
}

/**
 * The problems of one payment under a profile, paths relative to the payment (`receiver.address.city`).
 * `payment.purpose` is the effective one (a batch item's own, else the batch's).
 */
export function profileRequirements(profileName: ProfileName, rail: RailType, payment: PaymentInput): FieldError[] {
  // The rail rules report an unknown type; nothing here can be checked without one.
  if (!isRailType(rail)) return [];
  const profile = PROFILES[profileName];
  const errors: FieldError[] = [];
  if (!profile.rails.includes(rail)) errors.push(problem('type', 'REFUSED_BY_BANK', `the bank (profile ${profile.name}) takes no ${rail} payments`));
  const reference = payment.customerReference;
  if (!profile.underscoreInEndToEndId && typeof reference === 'string' && reference.includes('_')) {
    errors.push(problem('customerReference', 'REFUSED_BY_BANK', `must not contain '_': the bank (profile ${profile.name}) refuses it in EndToEndId`));
  }
  const bank = payment.receiver.bank;
  if (profile.version === '03' && typeof bank === 'string' && BIC.test(bank) && !V03_BIC.test(bank)) {
    errors.push(
      problem(
        'receiver.bank',
        'REFUSED_BY_BANK',
        `the bank (profile ${profile.name}) takes pain.001.001.03 files, whose schema refuses this BIC (ISO 9362:2009 form)`,
      ),
    );
  }
  errors.push(...proxyProblems(profileName, rail, payment));
  if (RAILS[rail].crossBorder) errors.push(...crossBorderProblems(profileName, payment));
  return errors;
}
