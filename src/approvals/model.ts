// The approval object (SPEC §10) and the rules of a decision that need no database: who may
// approve, when a late approval rolls the payment date, what a reason may hold.
import type { BusinessCalendar } from '../calendars/business-calendar.ts';
import { valueDate } from '../calendars/value-date.ts';
import { minutesOf, zonedTime } from '../calendars/zoned-time.ts';
import type { FieldError } from '../errors.ts';
import { RAILS } from '../rails/rails.ts';
import type { RailType } from '../rails/rails.ts';
import { isOneLineText } from '../text/characters.ts';
import type { ApprovalStatus } from './hold.ts';

/**
 * Who decides (and who created): an API client with scope `payments:approve`, or a console user
 * with role approver or admin (SPEC §11). Shown as its id — `cli_…` or `usr_…`, which names its
 * kind by its prefix; a user's id, not their email: it never changes, and an email is personal
 * data the API's clients need not see.
 */
export interface Principal {
  kind: 'client' | 'user';
  id: string;
}

/** One approval given. */
export interface ApprovalGiven {
  by: string;
  at: string;
}

/** The rejection, once rejected. */
export interface ApprovalRejection {
  by: string;
  at: string;
  reason: string;
}

/** The `approval` of a batch or payment that needs one, as the API shows it. */
export interface ApprovalView {
  status: ApprovalStatus;
  required: number;
  approvals: ApprovalGiven[];
  rejection?: ApprovalRejection;
}

/** What is held: a batch or a single payment (the outbox's object types). */
export type ApprovalObjectType = 'payment-batch' | 'payment';

export function approvalView(status: ApprovalStatus, required: number, approvals: ApprovalGiven[], rejection?: ApprovalRejection | null): ApprovalView {
  const view: ApprovalView = { status, required, approvals };
  if (rejection) view.rejection = rejection;
  return view;
}

/** The stored `approval` column of a payment or batch, parsed (undefined: no approval needed). */
export function storedApproval(json: string | null): ApprovalView | undefined {
  return json === null ? undefined : (JSON.parse(json) as ApprovalView);
}

/** The longest reason a rejection (or an approval) may carry. */
export const MAX_REASON_LENGTH = 500;

/**
 * The problems of a decision's reason: at most 500 characters, one line of text without control
 * characters (it is shown in histories and logs, and may reach a console page).
 */
export function reasonProblems(reason: string | undefined, { required }: { required: boolean }): FieldError[] {
  if (reason === undefined) return required ? [{ path: 'reason', code: 'REQUIRED', message: 'a rejection needs a reason' }] : [];
  if (reason.trim() === '') return [{ path: 'reason', code: 'REQUIRED', message: 'must not be empty' }];
  if ([...reason].length > MAX_REASON_LENGTH) return [{ path: 'reason', code: 'INVALID_LENGTH', message: `must be at most ${MAX_REASON_LENGTH} characters` }];
  if (!isOneLineText(reason))
    return [
      {
        path: 'reason',
        code: 'INVALID_CHARACTERS',
        message: 'must be one line without control characters (line breaks and tabs included), lone surrogates, U+FFFE or U+FFFF',
      },
    ];
  return [];
}

/**
 * The date a payment approved at `nowMs` is paid on, when the approval came too late for its
 * `paymentDate`: after the rail's cut-off on that day, or on a later day. Then it is the first day
 * the rail can still settle it (the rule the bank applies, src/calendars/value-date.ts): today
 * before the cut-off on a business day, else the next business day; a 24x7 rail pays today.
 * Undefined when the approval was in time.
 */
export function rolledPaymentDate(calendar: BusinessCalendar, rail: RailType, paymentDate: string, nowMs: number): string | undefined {
  const { valueDates, timeZone } = RAILS[rail];
  const now = zonedTime(timeZone, nowMs);
  const afterCutOff = valueDates.kind === 'business-days' && now.minutes >= minutesOf(valueDates.cutOff);
  const late = now.date > paymentDate || (now.date === paymentDate && afterCutOff);
  if (!late) return undefined;
  const date = valueDate(calendar, rail, paymentDate, nowMs);
  return date === paymentDate ? undefined : date;
}
