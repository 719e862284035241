// The parties, agents and accounts of a pain.001. Element order follows the XSD sequences (an
// element out of order fails validation even when every value is right). Per-payment parts are
// pushed onto the writer's output array rather than nested into template strings, which would
// leave a rope of small strings per payment for the garbage collector.
import { BIC_PATTERN, HK_BANK_CODE_PATTERN } from '../../accounts/model.ts';
import type { Receiver } from '../../payments/model.ts';
import { normalizeAccountNumber } from '../../rails/formats/account-number.ts';
import { looksLikeIban } from '../../rails/formats/iban.ts';
import type { AccountNumberFormat } from '../../rails/rails.ts';
import { Pain001Error } from './model.ts';
import { element, text } from './text.ts';
import type { VersionRules } from './versions.ts';

/**
 * DbtrAgt or CdtrAgt: a BIC as BICFI (V09) / BIC (V03); a 3-digit HK bank code as a clearing
 * system member of HKNCC (the HK bank code scheme), with the 3-digit branch as BrnchId/Id — both
 * versions have BrnchId beside FinInstnId, so the branch keeps its own element.
 */
export function agent(tag: 'DbtrAgt' | 'CdtrAgt', bank: string, branchCode: string | undefined, rules: VersionRules, path: string): string {
  if (BIC_PATTERN.test(bank)) {
    if (!rules.bicPattern.test(bank)) throw new Pain001Error(`BIC ${bank} is not valid in this pain.001 version's schema`, path);
    return `<${tag}><FinInstnId><${rules.bicElement}>${bank}</${rules.bicElement}></FinInstnId></${tag}>`;
  }
  if (!HK_BANK_CODE_PATTERN.test(bank)) throw new Pain001Error('must be a BIC or a 3-digit HK bank code', path);
  const member = `<ClrSysMmbId><ClrSysId><Cd>HKNCC</Cd></ClrSysId><MmbId>${bank}</MmbId></ClrSysMmbId>`;
  const branch = branchCode ? `<BrnchId>${element('Id', branchCode, 35, 'receiver.branchCode')}</BrnchId>` : '';
  return `<${tag}><FinInstnId>${member}</FinInstnId>${branch}</${tag}>`;
}

/** The `Id` of an account: an IBAN when it has an IBAN's shape, else Othr/Id (HK and SG numbers). */
export function accountId(format: AccountNumberFormat, accountNumber: string, path: string): string {
  const id = normalizeAccountNumber(format, accountNumber);
  if (looksLikeIban(id)) return `<Id><IBAN>${id}</IBAN></Id>`;
  return `<Id><Othr>${element('Id', id, 34, path)}</Othr></Id>`;
}

/** CdtrAcct: the receiver's account, or its proxy (FPS, PayNow); nothing when it has neither. */
export function pushCreditorAccount(out: string[], receiver: Receiver, format: AccountNumberFormat, rules: VersionRules): void {
  if (receiver.proxy) {
    out.push('<CdtrAcct>', rules.proxyAccount(receiver.proxy), '</CdtrAcct>');
  } else if (receiver.bankAccountNumber !== undefined) {
    out.push('<CdtrAcct>', accountId(format, receiver.bankAccountNumber, 'receiver.bankAccountNumber'), '</CdtrAcct>');
  }
}

/** Cdtr: the name, then (PostalAddress6/24 order) the country, then up to three address lines. */
export function pushCreditor(out: string[], receiver: Receiver): void {
  out.push('<Cdtr><Nm>', text(receiver.name, 140, 'receiver.name'), '</Nm>');
  const { country, address } = receiver;
  if (country === undefined && !address?.line1 && !address?.line2 && !address?.line3) {
    out.push('</Cdtr>');
    return;
  }
  out.push('<PstlAdr>');
  if (country !== undefined) {
    if (!/^[A-Z]{2}$/.test(country)) throw new Pain001Error('must be an ISO 3166 country code', 'receiver.country');
    out.push('<Ctry>', country, '</Ctry>');
  }
  if (address?.line1) out.push('<AdrLine>', text(address.line1, 70, 'receiver.address.line1'), '</AdrLine>');
  if (address?.line2) out.push('<AdrLine>', text(address.line2, 70, 'receiver.address.line2'), '</AdrLine>');
  if (address?.line3) out.push('<AdrLine>', text(address.line3, 70, 'receiver.address.line3'), '</AdrLine>');
  out.push('</PstlAdr></Cdtr>');
}

/** RmtInf/Ustrd, when the payment has details. */
export function pushRemittance(out: string[], details: string | undefined): void {
  if (details) out.push('<RmtInf><Ustrd>', text(details, 140, 'paymentDetails'), '</Ustrd></RmtInf>');
}
