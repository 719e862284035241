// What differs between pain.001.001.09 (2019) and pain.001.001.03 (2009) for the elements payrail
// writes (notes §1.2). Everything else in the layout is shared.
import type { Pain001Version } from './model.ts';

export interface VersionRules {
  namespace: string;
  /** The agent's BIC element: BICFI (V09) or BIC (V03). */
  bicElement: 'BICFI' | 'BIC';
  /** The schema's BIC pattern: V03 keeps ISO 9362:2009's, which refuses some 2014 BICs. */
  bicPattern: RegExp;
  /** PmtId/UETR exists (V09 only). */
  hasUetr: boolean;
  /** CdtrAcct/Prxy exists (V09's CashAccount38); V03's CashAccount16 has none. */
  hasProxy: boolean;
  /** The whole ReqdExctnDt element for a date. */
  requestedExecutionDate(date: string): string;
}

const V09: VersionRules = {
  namespace: 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09',
  bicElement: 'BICFI',
  bicPattern: /^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/,
  hasUetr: true,
  hasProxy: true,
  requestedExecutionDate: (date) => `<ReqdExctnDt><Dt>${date}</Dt></ReqdExctnDt>`,
};

const V03: VersionRules = {
  namespace: 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03',
  bicElement: 'BIC',
  bicPattern: /^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$/,
  hasUetr: false,
  hasProxy: false,
  requestedExecutionDate: (date) => `<ReqdExctnDt>${date}</ReqdExctnDt>`,
};

export const VERSION_RULES: Readonly<Record<Pain001Version, VersionRules>> = { '09': V09, '03': V03 };
