// What differs between pain.001.001.09 (2019) and pain.001.001.03 (2009) for the elements payrail
// writes (notes §1.2). Everything else in the layout is shared.
import type { ReceiverProxy } from '../../payments/model.ts';
import type { Pain001Version } from './model.ts';
import { text } from './text.ts';

export interface VersionRules {
  namespace: string;
  /** The agent's BIC element: BICFI (V09) or BIC (V03). */
  bicElement: 'BICFI' | 'BIC';
  /** The schema's BIC pattern: V03 keeps ISO 9362:2009's, which refuses some 2014 BICs. */
  bicPattern: RegExp;
  /** PmtId/UETR exists (V09 only). */
  hasUetr: boolean;
  /** The whole ReqdExctnDt element for a date. */
  requestedExecutionDate(date: string): string;
  /** The inside of CdtrAcct for a receiver addressed by proxy. */
  proxyAccount(proxy: ReceiverProxy): string;
}

/**
 * V09's CashAccount38 requires `Id` even when `Prxy` identifies the account, and a proxy value
 * (an e-mail can be 254 characters) need not fit Othr/Id's 34. The usual ISO 20022 filler for a
 * mandatory identifier the sender does not have is NOTPROVIDED; the bank routes on `Prxy`.
 */
const ACCOUNT_BEHIND_PROXY = 'NOTPROVIDED';

function proxyTypeOf(proxy: ReceiverProxy): string {
  // payrail's proxy type names (MOBILE, FPS_ID, UEN…) travel as proprietary codes: the mapping to
  // ISO's external proxy codes (MBNO, EMAL, NIDN…) is bank-specific and unverified (notes §1.4).
  return text(proxy.type, 35, 'receiver.proxy.type');
}

const V09: VersionRules = {
  namespace: 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09',
  bicElement: 'BICFI',
  bicPattern: /^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/,
  hasUetr: true,
  requestedExecutionDate: (date) => `<ReqdExctnDt><Dt>${date}</Dt></ReqdExctnDt>`,
  proxyAccount(proxy) {
    const value = text(proxy.value, 2048, 'receiver.proxy.value');
    return `<Id><Othr><Id>${ACCOUNT_BEHIND_PROXY}</Id></Othr></Id><Prxy><Tp><Prtry>${proxyTypeOf(proxy)}</Prtry></Tp><Id>${value}</Id></Prxy>`;
  },
};

const V03: VersionRules = {
  namespace: 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03',
  bicElement: 'BIC',
  bicPattern: /^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$/,
  hasUetr: false,
  requestedExecutionDate: (date) => `<ReqdExctnDt>${date}</ReqdExctnDt>`,
  proxyAccount(proxy) {
    // CashAccount16 has no Prxy: the proxy travels as the account id, its type as the scheme
    // name (the common V03 convention for FPS and PayNow), so it must fit Max34Text: a longer
    // e-mail proxy cannot be sent in V03 at all.
    const value = text(proxy.value, 34, 'receiver.proxy.value');
    return `<Id><Othr><Id>${value}</Id><SchmeNm><Prtry>${proxyTypeOf(proxy)}</Prtry></SchmeNm></Othr></Id>`;
  },
};

export const VERSION_RULES: Readonly<Record<Pain001Version, VersionRules>> = { '09': V09, '03': V03 };
