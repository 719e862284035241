// DBS Singapore (SG accounts, SG rails and TT). Sources: BANKS.md §3 and
// /work/shared/reference/rails-iso20022-notes.md §7 (PayNow proxies: mobile, NRIC/FIN, UEN, VPA).
// Choices without a source are marked.
import type { Pain001Profile } from './model.ts';

export const DBS_SG: Pain001Profile = {
  name: 'dbs-sg',
  description: 'DBS Singapore: pain.001.001.09, PayNow proxies without a filler account id',
  version: '09',
  rails: ['MEPS', 'FAST', 'PAYNOW', 'ACT', 'TT'],
  // The J.P. Morgan split of BANKS.md §3 (URGP high-value and cross-border, NURG low-value): no
  // DBS value was found. SDVA ("where the bank asks") is not asked for by any bank researched.
  serviceLevel: { MEPS: 'URGP', TT: 'URGP', FAST: 'NURG', PAYNOW: 'NURG', ACT: 'NURG' },
  // payrail's SG type names are the seed's, which names DBS's own payment types (ACT, FAST,
  // MEPS, PAYNOW, TT): here the bank's code is the name. TT carries none (SvcLvl and BIC route it).
  localInstrument: { MEPS: { prtry: 'MEPS' }, FAST: { prtry: 'FAST' }, PAYNOW: { prtry: 'PAYNOW' }, ACT: { prtry: 'ACT' } },
  // Notes §9.2: "SLEV or bank default" for domestic; DEBT chosen [UNVERIFIED].
  domesticChargeBearer: 'DEBT',
  agentCountry: true,
  // No filler account id: the PayNow proxy value itself is the account id beside Prxy (every
  // PayNow proxy format of RAILS.md §1 fits Othr/Id's 34 characters but a long VPA).
  proxyPlacement: 'prxy-and-id',
  proxyCodes: {
    FPS: {},
    // PayNow scheme names of the proxy types (notes §7.1) [UNVERIFIED against DBS's table].
    PAYNOW: { MOBILE: { prtry: 'MSISDN' }, NRIC: { prtry: 'NRIC' }, UEN: { prtry: 'UEN' }, VPA: { prtry: 'VPA' } },
  },
  // Notes §10: keep references to the SWIFT x set (`_` → `-`).
  underscoreInEndToEndId: false,
  fileName: 'DBS-{date}-{messageId}.xml',
  // Notes §9.3: town and country for cross-border beneficiaries (CBPR+ from November 2026).
  requires: { debtorLegalName: true, debtorCountry: true, crossBorderTownAndCountry: true },
};
