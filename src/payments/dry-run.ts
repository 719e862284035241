// The answer of a dry run (SPEC §12: POST /v1/payments/validate and /v1/payment-batches/validate):
// what create would accept, said without storing anything. The checks themselves are create's own
// (the services' `plan`); this is only the shape of a "yes".
import { Type } from '@sinclair/typebox';
import type { BusinessCalendar } from '../calendars/business-calendar.ts';
import type { RailType } from '../rails/rails.ts';

export interface DryRunSummary {
  type: RailType;
  currency: string;
  /** Payments the request would create: 1 for a single payment. */
  count: number;
  /** Their sum in minor units. */
  totalAmount: number;
  /** True when an approval policy would hold it for approval (SPEC §10). */
  approvalRequired: boolean;
}

export interface DryRunResult {
  valid: true;
  /** The date the request asks for (a single payment's default: today in the rail's time zone). */
  paymentDate: string;
  /** The date the bank would settle it on if it were created now: rolled past holidays, weekends and the cut-off. */
  expectedValueDate: string;
  summary: DryRunSummary;
}

export function dryRunResult(calendar: BusinessCalendar, now: number, paymentDate: string, summary: DryRunSummary): DryRunResult {
  return { valid: true, paymentDate, expectedValueDate: calendar.valueDateFor(summary.type, paymentDate, now), summary };
}

export const DryRunResultSchema = Type.Object(
  {
    valid: Type.Literal(true),
    paymentDate: Type.String({ format: 'date' }),
    expectedValueDate: Type.String({
      format: 'date',
      description:
        'The value date the bank would use if the request were created now: the payment date, or the next business day after a holiday or the cut-off',
    }),
    summary: Type.Object({
      type: Type.String({ examples: ['MEPS'] }),
      currency: Type.String(),
      count: Type.Integer({ description: 'Payments the request would create (1 for a single payment)' }),
      totalAmount: Type.Integer({ description: 'Their sum in minor units' }),
      approvalRequired: Type.Boolean({ description: 'An approval policy would hold it until approved (SPEC §10)' }),
    }),
  },
  { description: 'A dry run that passed: create would accept this body now. Nothing was stored.' },
);
