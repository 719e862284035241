// Issue #19, maker-checker: whoever holds a user's one-time set-up link (or reset link) controls
// that account, so the console user who created or last reset an account is recorded with it.
// - console_users.set_up_by: that console user's id (`usr_…`); null when the operator did it with
//   the CLI (or payrail itself). An approver never approves the work of an account they set up.
// - approvals.maker_controllers: for work a console user made, that user and whoever had set up
//   their account then (the set_up_by chain, JSON), kept with the approval: a later reset of the
//   maker's account does not clear who controlled it when the work was made.
// Existing accounts get it from the audit log: the newest `console_user.create` or
// `console_user.reset` of each, when a console user (actor kind `user`) wrote it. Without this,
// a maker an admin had created before the upgrade could still be used to beat the rule.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('console_users').addColumn('set_up_by', 'text').execute();
  await db.schema.alterTable('approvals').addColumn('maker_controllers', 'text').execute();
  // Audit ids are ULIDs (aud_…): the largest id is the newest entry. audit_log_object serves it.
  await sql`update console_users set set_up_by = (
      select case when a.actor_kind = 'user' then a.actor_id end
      from audit_log a
      where a.object_id = console_users.id
        and a.object_type = 'console-user'
        and a.action in ('console_user.create', 'console_user.reset')
      order by a.id desc
      limit 1
    )`.execute(db);
}
