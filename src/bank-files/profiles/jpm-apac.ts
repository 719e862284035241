// J.P. Morgan Asia Pacific (HK and SG accounts, host-to-host). Sources: BANKS.md §3 (SvcLvl URGP for
// high-value and cross-border, NURG for low-value, at J.P. Morgan HK/SG) and
// /work/shared/reference/rails-iso20022-notes.md. Where those give no value the choice is marked.
import type { Pain001Profile } from './model.ts';

export const JPM_APAC: Pain001Profile = {
  name: 'jpm-apac',
  description: 'J.P. Morgan HK and SG: pain.001.001.03, URGP/NURG, customer id in InitgPty',
  // Notes §11.6: pain.001.001.03 is the CGI-MP baseline most banks accept; no J.P. Morgan APAC MIG
  // was found, so the baseline is chosen. (V03 has no Prxy: proxies go in Othr/Id, below.)
  version: '03',
  rails: ['ACH', 'FPS', 'RTGS', 'CBFT', 'MEPS', 'FAST', 'PAYNOW', 'ACT', 'TT'],
  // BANKS.md §3. FPS is not named there: it is a low-value instant scheme like FAST, so NURG.
  serviceLevel: { RTGS: 'URGP', MEPS: 'URGP', CBFT: 'URGP', TT: 'URGP', ACH: 'NURG', FPS: 'NURG', FAST: 'NURG', PAYNOW: 'NURG', ACT: 'NURG' },
  // Notes §1.3 and §11.2: the codes are bank-specific and unpublished [UNVERIFIED]. Chosen: the
  // clearing systems' own names (HK CHATS for RTGS, MEPS+ — notes §6.3, §7.1), BOOK for an in-house
  // transfer; cross-border wires carry no local instrument (SvcLvl URGP and the BIC route them).
  localInstrument: {
    ACH: { prtry: 'ACH' },
    FPS: { prtry: 'FPS' },
    RTGS: { prtry: 'CHATS' },
    MEPS: { prtry: 'MEPS+' },
    FAST: { prtry: 'FAST' },
    PAYNOW: { prtry: 'PAYNOW' },
    ACT: { prtry: 'BOOK' },
  },
  // Notes §9.2: domestic HK/SG rails are "typically SLEV or bank default"; J.P. Morgan's debtor
  // pays its own bank's fees, so DEBT [UNVERIFIED].
  domesticChargeBearer: 'DEBT',
  agentCountry: true,
  proxyPlacement: 'scheme-name',
  proxyCodes: {
    // BANKS.md §3: HK FPS proxy codes MOBN, EMAL, SVID (FPS id); HKID as the scheme names it.
    FPS: { MOBILE: { prtry: 'MOBN' }, EMAIL: { prtry: 'EMAL' }, FPS_ID: { prtry: 'SVID' }, HKID: { prtry: 'HKID' } },
    // Notes §1.4: ISO ExternalProxyAccountType1Code — MBNO mobile, NIDN national id (NRIC/FIN),
    // CINC corporate id (UEN), EWAL e-wallet (a PayNow VPA is a wallet address). The mapping is
    // bank-specific [UNVERIFIED].
    PAYNOW: { MOBILE: { prtry: 'MBNO' }, NRIC: { prtry: 'NIDN' }, UEN: { prtry: 'CINC' }, VPA: { prtry: 'EWAL' } },
  },
  // No source says J.P. Morgan refuses `_` in EndToEndId; a bank that strips it is matched anyway
  // (BANKS.md §4.6), so the reference is sent as the client gave it.
  underscoreInEndToEndId: true,
  fileName: 'PAIN001.{messageId}.xml',
  requires: { debtorLegalName: true, debtorCountry: true, crossBorderTownAndCountry: true },
};
