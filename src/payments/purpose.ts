// The payment's `purpose`: an ISO 20022 ExternalCategoryPurpose1Code (BANKS.md §3), written to the
// pain.001 as PmtTpInf/CtgyPurp/Cd. Banks reject a code outside the published list, so payrail
// checks it at creation. The list is data: the external code set as published by ISO (2025
// release; /work/shared/reference/rails-iso20022-notes.md §1.4 names its source), with a short
// meaning of our own for each code.

export const CATEGORY_PURPOSE_CODES: Readonly<Record<string, string>> = {
  BONU: 'bonus payment',
  CASH: 'cash management transfer',
  CBLK: 'card bulk clearing',
  CCRD: 'credit card payment',
  CGWV: 'payment to a cash-in-transit company',
  CIPC: 'cash order (direct debit)',
  CONC: 'cash order (direct debit)',
  CORT: 'trade settlement (FX or securities deal)',
  CTDF: 'US Dodd-Frank 1073 cross-border remittance',
  DCRD: 'debit card payment',
  DIVI: 'dividend',
  DVPM: 'pre-advice of a deliver-against-payment',
  EPAY: 'e-payment',
  FCDT: 'foreign-currency transfer between two domestic banks',
  FCIN: 'fees and interest',
  FCOL: 'card fee settlement',
  GOVT: 'payment to or from a government department',
  GP2P: 'person-to-person payment',
  HEDG: 'hedging',
  ICCP: 'credit card reimbursement',
  IDCP: 'debit card reimbursement',
  INTC: 'intra-company payment',
  INTE: 'interest',
  LBOX: 'lockbox or night safe cash handling',
  LOAN: 'loan to a borrower',
  MP2B: 'mobile person-to-business payment',
  MP2P: 'mobile person-to-person payment',
  OTHR: 'other',
  PENS: 'pension',
  RPRE: 're-presented direct debit',
  RRCT: 'reimbursement of a received credit transfer',
  RVPM: 'pre-advice of a receive-against-payment',
  SALA: 'salaries (payroll)',
  SAVG: 'savings or retirement account transfer',
  SECU: 'securities',
  SSBE: 'social security benefit',
  SUPP: 'supplier payment',
  SWEP: 'cash pooling sweep',
  TAXS: 'tax payment',
  TOPG: 'cash pooling top-up',
  TRAD: 'trade finance',
  TREA: 'treasury operation',
  VATX: 'value added tax',
  VOST: 'domestic payment originated by a foreign bank',
  WHLD: 'withholding tax',
  ZABA: 'cash pooling zero balancing',
};

export const CATEGORY_PURPOSE_CODE_LIST: readonly string[] = Object.keys(CATEGORY_PURPOSE_CODES);

export function isCategoryPurposeCode(code: string): boolean {
  return Object.hasOwn(CATEGORY_PURPOSE_CODES, code);
}
