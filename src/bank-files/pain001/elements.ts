// The parties, agents and accounts of a pain.001. Element order follows the XSD sequences (an
// element out of order fails validation even when every value is right). Per-payment parts are
// pushed onto the writer's output array rather than nested into template strings, which would
// leave a rope of small strings per payment for the garbage collector.
import { BIC_PATTERN, HK_BANK_CODE_PATTERN } from '../../accounts/model.ts';
import type { Receiver, ReceiverProxy } from '../../payments/model.ts';
import { normalizeAccountNumber } from '../../rails/formats/account-number.ts';
import { looksLikeIban } from '../../rails/formats/iban.ts';
import type { AccountNumberFormat } from '../../rails/rails.ts';
import type { Code, Pain001Profile, ProxyPlacement } from '../profiles/model.ts';
import { Pain001Error } from './model.ts';
import { element, text } from './text.ts';
import type { VersionRules } from './versions.ts';

const COUNTRY = /^[A-Z]{2}$/;

/** `<Cd>` or `<Prtry>` of a code choice (ISO external code or the bank's own). */
export function codeChoice(code: Code, path: string): string {
  return 'cd' in code ? element('Cd', code.cd, 4, path) : element('Prtry', code.prtry, 35, path);
}

/** PstlAdr/Ctry of a country code, checked. */
function countryElement(country: string, path: string): string {
  if (!COUNTRY.test(country)) throw new Pain001Error('must be an ISO 3166 country code', path);
  return `<Ctry>${country}</Ctry>`;
}

/** The country of a bank: a BIC's letters 5–6, HK for a 3-digit HK bank code. */
function countryOfBank(bank: string): string {
  return HK_BANK_CODE_PATTERN.test(bank) ? 'HK' : bank.slice(4, 6);
}

/**
 * DbtrAgt or CdtrAgt: a BIC as BICFI (V09) / BIC (V03); a 3-digit HK bank code as a clearing
 * system member of HKNCC (the HK bank code scheme), with the 3-digit branch as BrnchId/Id — both
 * versions have BrnchId beside FinInstnId, so the branch keeps its own element. With `country`,
 * FinInstnId/PstlAdr/Ctry follows (after ClrSysMmbId, in both versions' order).
 */
export function agent(tag: 'DbtrAgt' | 'CdtrAgt', bank: string, branchCode: string | undefined, rules: VersionRules, path: string, country = false): string {
  const address = country ? `<PstlAdr><Ctry>${countryOfBank(bank)}</Ctry></PstlAdr>` : '';
  if (BIC_PATTERN.test(bank)) {
    if (!rules.bicPattern.test(bank)) throw new Pain001Error(`BIC ${bank} is not valid in this pain.001 version's schema`, path);
    return `<${tag}><FinInstnId><${rules.bicElement}>${bank}</${rules.bicElement}>${address}</FinInstnId></${tag}>`;
  }
  if (!HK_BANK_CODE_PATTERN.test(bank)) throw new Pain001Error('must be a BIC or a 3-digit HK bank code', path);
  const member = `<ClrSysMmbId><ClrSysId><Cd>HKNCC</Cd></ClrSysId><MmbId>${bank}</MmbId></ClrSysMmbId>`;
  const branch = branchCode ? `<BrnchId>${element('Id', branchCode, 35, 'receiver.branchCode')}</BrnchId>` : '';
  return `<${tag}><FinInstnId>${member}${address}</FinInstnId>${branch}</${tag}>`;
}

/** The `Id` of an account: an IBAN when it has an IBAN's shape, else Othr/Id (HK and SG numbers). */
export function accountId(format: AccountNumberFormat, accountNumber: string, path: string): string {
  const id = normalizeAccountNumber(format, accountNumber);
  if (looksLikeIban(id)) return `<Id><IBAN>${id}</IBAN></Id>`;
  return `<Id><Othr>${element('Id', id, 34, path)}</Othr></Id>`;
}

/**
 * V09's CashAccount38 requires `Id` even when `Prxy` identifies the account, and a proxy value
 * (an e-mail can be 254 characters) need not fit Othr/Id's 34. The usual ISO 20022 filler for a
 * mandatory identifier the sender does not have is NOTPROVIDED; the bank routes on `Prxy`.
 */
const ACCOUNT_BEHIND_PROXY = 'NOTPROVIDED';

/** How a proxy is written: the profile's placement, except that V03 has no Prxy at all. */
export interface ProxyWriting {
  placement: ProxyPlacement;
  /** The profile's code per payrail proxy type, for the payment's rail. */
  codes: Readonly<Record<string, Code>>;
}

export function proxyWriting(profile: Pain001Profile, rules: VersionRules, rail: string): ProxyWriting {
  const codes = rail === 'PAYNOW' ? profile.proxyCodes.PAYNOW : profile.proxyCodes.FPS;
  return { placement: rules.hasProxy ? profile.proxyPlacement : 'scheme-name', codes };
}

/** The inside of CdtrAcct for a receiver addressed by proxy. */
function proxyAccount(proxy: ReceiverProxy, writing: ProxyWriting): string {
  const code = writing.codes[proxy.type];
  if (!code) throw new Pain001Error(`proxy type ${proxy.type} has no code in this bank profile`, 'receiver.proxy.type');
  const type = codeChoice(code, 'receiver.proxy.type');
  if (writing.placement === 'scheme-name') {
    // CashAccount16 (V03) has no Prxy: the proxy travels as the account id, its type as the scheme
    // name (the common V03 convention for FPS and PayNow), so it must fit Max34Text.
    return `<Id><Othr>${element('Id', proxy.value, 34, 'receiver.proxy.value')}<SchmeNm>${type}</SchmeNm></Othr></Id>`;
  }
  const id = writing.placement === 'prxy-and-id' ? element('Id', proxy.value, 34, 'receiver.proxy.value') : `<Id>${ACCOUNT_BEHIND_PROXY}</Id>`;
  return `<Id><Othr>${id}</Othr></Id><Prxy><Tp>${type}</Tp>${element('Id', proxy.value, 2048, 'receiver.proxy.value')}</Prxy>`;
}

/** CdtrAcct: the receiver's account, or its proxy (FPS, PayNow); nothing when it has neither. */
export function pushCreditorAccount(out: string[], receiver: Receiver, format: AccountNumberFormat, proxy: ProxyWriting): void {
  if (receiver.proxy) {
    out.push('<CdtrAcct>', proxyAccount(receiver.proxy, proxy), '</CdtrAcct>');
  } else if (receiver.bankAccountNumber !== undefined) {
    out.push('<CdtrAcct>', accountId(format, receiver.bankAccountNumber, 'receiver.bankAccountNumber'), '</CdtrAcct>');
  }
}

/**
 * Cdtr: the name, then the postal address in the order PostalAddress6 (V03) and 24 (V09) share:
 * StrtNm, BldgNb, PstCd, TwnNm, Ctry, then up to three AdrLine. Structured fields and lines
 * together are a hybrid address. Ctry is the address's country, else the receiver's.
 */
export function pushCreditor(out: string[], receiver: Receiver): void {
  out.push('<Cdtr><Nm>', text(receiver.name, 140, 'receiver.name'), '</Nm>');
  const a = receiver.address;
  const country = a?.country ?? receiver.country;
  if (country === undefined && !a?.line1 && !a?.line2 && !a?.line3 && !a?.street && !a?.buildingNumber && !a?.postalCode && !a?.city) {
    out.push('</Cdtr>');
    return;
  }
  out.push('<PstlAdr>');
  if (a?.street) out.push('<StrtNm>', text(a.street, 70, 'receiver.address.street'), '</StrtNm>');
  if (a?.buildingNumber) out.push('<BldgNb>', text(a.buildingNumber, 16, 'receiver.address.buildingNumber'), '</BldgNb>');
  if (a?.postalCode) out.push('<PstCd>', text(a.postalCode, 16, 'receiver.address.postalCode'), '</PstCd>');
  if (a?.city) out.push('<TwnNm>', text(a.city, 35, 'receiver.address.city'), '</TwnNm>');
  if (country !== undefined) out.push(countryElement(country, a?.country !== undefined ? 'receiver.address.country' : 'receiver.country'));
  if (a?.line1) out.push('<AdrLine>', text(a.line1, 70, 'receiver.address.line1'), '</AdrLine>');
  if (a?.line2) out.push('<AdrLine>', text(a.line2, 70, 'receiver.address.line2'), '</AdrLine>');
  if (a?.line3) out.push('<AdrLine>', text(a.line3, 70, 'receiver.address.line3'), '</AdrLine>');
  out.push('</PstlAdr></Cdtr>');
}

/** A party's PstlAdr of a country and address lines (Dbtr), or nothing when it has neither. */
export function partyAddress(country: string | undefined, lines: readonly string[] | undefined, path: string): string {
  if (country === undefined && !lines?.length) return '';
  if (lines && lines.length > 7) throw new Pain001Error('at most 7 address lines', `${path}.addressLines`);
  const ctry = country === undefined ? '' : countryElement(country, `${path}.country`);
  const adrLines = (lines ?? []).map((line, i) => element('AdrLine', line, 70, `${path}.addressLines[${i}]`)).join('');
  return `<PstlAdr>${ctry}${adrLines}</PstlAdr>`;
}

/** RmtInf/Ustrd, when the payment has details. */
export function pushRemittance(out: string[], details: string | undefined): void {
  if (details) out.push('<RmtInf><Ustrd>', text(details, 140, 'paymentDetails'), '</Ustrd></RmtInf>');
}
