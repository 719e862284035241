// `purpose` (PmtTpInf/CtgyPurp/Cd in the bank file) must be a code of ISO's category purpose list:
// banks reject the file for an unknown one, days later, so it is refused at creation.
import { isCategoryPurposeCode } from '../../payments/purpose.ts';
import type { Rule } from '../rule.ts';
import { fieldError } from '../rule.ts';

export const checkPurpose: Rule = (payment) => {
  const { purpose } = payment;
  if (purpose === undefined || isCategoryPurposeCode(purpose)) return [];
  return [fieldError('purpose', 'INVALID_PURPOSE', 'must be an ISO 20022 category purpose code (ExternalCategoryPurpose1Code), e.g. SALA, SUPP, TRAD, INTC')];
};
