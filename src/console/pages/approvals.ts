// Approvals (SPEC §10, §11): the queue of what waits for the user's clients, and the decisions —
// approve, or reject with a reason — through the approvals service, as the user (principal kind
// 'user', `by` = the user's id). Whoever created a batch (a client through the API, or a user
// through the console's upload) can never approve it, nor can the user who set up the account of
// a user who created it: APPROVAL_NOT_ALLOWED comes back as a message on the page, as do the other
// refusals (already given, already decided, a bad reason).
import type { ApprovalView } from '../../approvals/model.ts';
import type { ApprovalObjectType } from '../../approvals/model.ts';
import { MAX_REASON_LENGTH } from '../../approvals/model.ts';
import type { Decider } from '../../approvals/service.ts';
import { AppError } from '../../errors.ts';
import { html } from '../html.ts';
import type { Html } from '../html.ts';
import { can } from '../user.ts';
import type { PageContext, PageResult } from './context.ts';
import { csrfField, cursorParam, message, money, pager, status, table, time } from './parts.ts';

const PAGE_SIZE = 25;

/** The path of an object's page. */
export function objectPath(objectType: ApprovalObjectType, id: string): string {
  return objectType === 'payment' ? `/console/payments/${id}` : `/console/batches/${id}`;
}

/** The approve and reject forms of one waiting item (for approvers and admins). */
function decisionForms(ctx: PageContext, objectType: ApprovalObjectType, id: string): Html {
  const base = `/console/approvals/${objectType === 'payment' ? 'payments' : 'batches'}/${id}`;
  return html`<div class="decision">
    <form method="post" action="${base}/approve">
      ${csrfField(ctx.csrfToken)}
      <button type="submit" class="approve">Approve ${id}</button>
    </form>
    <form method="post" action="${base}/reject">
      ${csrfField(ctx.csrfToken)}
      <label for="reason-${id}">Reason for rejecting</label>
      <input id="reason-${id}" name="reason" required maxlength="${MAX_REASON_LENGTH}" />
      <button type="submit" class="reject">Reject ${id}</button>
    </form>
  </div>`;
}

/** An object's approval on its own page: status, who approved, the rejection, the decision forms. */
export function approvalPanel(ctx: PageContext, objectType: ApprovalObjectType, id: string, approval: ApprovalView): Html {
  return html`<section aria-labelledby="approval">
    <h2 id="approval">Approval</h2>
    <p>${status(approval.status)} ${approval.approvals.length} of ${approval.required} approvals</p>
    ${
      approval.approvals.length > 0
        ? html`<ul>
            ${approval.approvals.map((a) => html`<li>Approved by ${a.by} at ${time(a.at)}</li>`)}
          </ul>`
        : ''
    }
    ${approval.rejection ? html`<p>Rejected by ${approval.rejection.by} at ${time(approval.rejection.at)}: ${approval.rejection.reason}</p>` : ''}
    ${approval.status === 'PENDING' && can(ctx.user, 'approve') ? decisionForms(ctx, objectType, id) : ''}
  </section>`;
}

export async function approvalsPage(ctx: PageContext, query: unknown, notice?: Html): Promise<PageResult> {
  const cursor = cursorParam(query);
  const page = await ctx.deps.services.approvals.list(ctx.reader, { status: 'PENDING', limit: PAGE_SIZE, startingAfter: cursor });
  const body = html`<h1>Approvals</h1>
    ${notice ?? ''}
    ${table(
      'Batches and payments waiting for approval, newest first',
      ['What', 'Created by', 'Amount', 'Approvals', 'Expires', ...(can(ctx.user, 'approve') ? ['Decision'] : [])],
      page.data.map(
        (a) =>
          html`<tr>
            <td><a href="${objectPath(a.objectType, a.objectId)}">${a.objectType === 'payment' ? 'Payment' : 'Batch'} ${a.objectId}</a></td>
            <td>${a.clientId}</td>
            <td class="amount">${money(a.amount, a.currency)}</td>
            <td>${a.approvals.length} of ${a.required}</td>
            <td>${time(a.expiresAt)}</td>
            ${can(ctx.user, 'approve') ? html`<td>${decisionForms(ctx, a.objectType, a.objectId)}</td>` : ''}
          </tr>`,
      ),
      'Nothing waits for approval.',
    )}
    ${pager('/console/approvals', {}, page, cursor)}`;
  return { title: 'Approvals', current: 'approvals', body };
}

/** The messages of the refusals a decision can meet, in the words of the page; the others say it in their detail (APPROVAL_NOT_ALLOWED). */
const REFUSALS: Record<string, string> = {
  APPROVAL_ALREADY_GIVEN: 'You have approved it already; another approver must give the next approval.',
  APPROVAL_ALREADY_DECIDED: 'It has been decided already.',
  APPROVAL_NOT_REQUIRED: 'It needs no approval.',
};

/**
 * Approves or rejects as the user; the notice to show on the queue (the decision, or why it was
 * refused). Another client's object is NOT_FOUND (thrown: the 404 page).
 */
export async function decide(
  ctx: PageContext,
  kind: 'approve' | 'reject',
  objectType: ApprovalObjectType,
  id: string,
  reason: string | undefined,
  sourceAddress: string,
): Promise<{ status: number; notice: Html }> {
  const decider: Decider = { principal: { kind: 'user', id: ctx.user.id }, scope: ctx.reader, origin: { sourceAddress } };
  const what = `${objectType === 'payment' ? 'Payment' : 'Batch'} ${id}`;
  try {
    if (kind === 'approve') {
      const object = await ctx.deps.services.approvals.approve(decider, objectType, id, undefined);
      const approval = object.approval;
      const text =
        approval?.status === 'APPROVED'
          ? `${what} is approved.`
          : `${what}: your approval is recorded (${approval?.approvals.length ?? 0} of ${approval?.required ?? 0}).`;
      return { status: 200, notice: message('notice', text) };
    }
    await ctx.deps.services.approvals.reject(decider, objectType, id, reason);
    return { status: 200, notice: message('notice', `${what} is rejected; its payments are FAILED.`) };
  } catch (err) {
    if (!(err instanceof AppError) || err.code === 'NOT_FOUND') throw err;
    const text = err.code === 'VALIDATION_FAILED' ? `The reason ${err.errors?.[0]?.message ?? 'is invalid'}.` : (REFUSALS[err.code] ?? err.detail ?? err.title);
    return { status: err.status, notice: message('error', html`<strong>${err.code}</strong>: ${what}: ${text}`) };
  }
}
