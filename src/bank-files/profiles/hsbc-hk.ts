// HSBC Hong Kong (HK accounts, HK rails and cross-border CBFT). Sources: BANKS.md §3 (structured or
// hybrid creditor address with TwnNm and Ctry for cross-border from November 2026) and
// /work/shared/reference/rails-iso20022-notes.md §9.3 (HSBC HK outward-payment sheet: purpose
// required to some countries, MYR and IDR not sent). Choices without a source are marked.
import type { Pain001Profile } from './model.ts';

/** HKICL's FPS proxy type codes (BANKS.md §3), as proprietary codes: they are not ISO's. */
const FPS_PROXIES = { MOBILE: { prtry: 'MOBN' }, EMAIL: { prtry: 'EMAL' }, FPS_ID: { prtry: 'SVID' }, HKID: { prtry: 'HKID' } } as const;

export const HSBC_HK: Pain001Profile = {
  name: 'hsbc-hk',
  description: 'HSBC Hong Kong: pain.001.001.09, hybrid creditor address for CBFT, FPS proxy codes',
  // The 2019 version: PostalAddress24 and Prxy, for the structured-address requirement.
  version: '09',
  rails: ['ACH', 'FPS', 'RTGS', 'CBFT'],
  serviceLevel: { ACH: 'NURG', FPS: 'NURG', RTGS: 'URGP', CBFT: 'URGP' },
  // Notes §11.2: bank-specific and unpublished [UNVERIFIED]. Chosen: HSBC HK's product names —
  // AUTOPAY for bulk autocredit (HKICL ECG, notes §6.4), CHATS for RTGS (notes §6.3).
  localInstrument: { ACH: { prtry: 'AUTOPAY' }, FPS: { prtry: 'FPS' }, RTGS: { prtry: 'CHATS' } },
  // Notes §9.2: SLEV is the common domestic value.
  domesticChargeBearer: 'SLEV',
  agentCountry: true,
  // No source for a no-filler rule at HSBC; an FPS e-mail proxy (up to 254 characters) cannot be
  // an account id, so the ISO filler stays.
  proxyPlacement: 'prxy-with-filler',
  // HSBC HK has no PayNow; the table is there for the type's sake and never used.
  proxyCodes: { FPS: FPS_PROXIES, PAYNOW: {} },
  // Notes §10: keep references to the SWIFT x set for bank compatibility (`_` → `-`).
  underscoreInEndToEndId: false,
  fileName: 'HSBC-PAIN001-{created}-{messageId}.xml',
  requires: {
    debtorLegalName: true,
    debtorCountry: true,
    crossBorderTownAndCountry: true,
    // CBPR+ hybrid address: TwnNm and Ctry structured, at most two AdrLine beside them (notes §9.3).
    crossBorderMaxAddressLines: 2,
    purposeRequiredTo: ['CN', 'EG', 'IN', 'ID', 'JO', 'MO', 'MG', 'MU', 'TH'],
    crossBorderCurrenciesRefused: ['MYR', 'IDR'],
  },
};
