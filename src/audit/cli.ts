// `payrail audit list`: the audit log, newest first, as a JSON array (SPEC §11).
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { withServices } from '../cli/context.ts';
import { printJson } from '../cli/output.ts';

function pageSize(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 1000) throw new InvalidArgumentError('must be 1 to 1000');
  return Number(raw);
}

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the audit log: who changed what, when and from where (append-only)');
  audit
    .command('list')
    .description('print audit log entries, newest first, as a JSON array')
    .option('--limit <n>', 'at most this many entries (1 to 1000)', pageSize, 100)
    .option('--object <id>', 'only entries about this object (a batch, payment, client or policy id)')
    .option('--action <action>', 'only this action, e.g. approval.approve, approval.reject, approval_policy.set, client.create')
    .option('--starting-after <id>', 'the last entry id of the previous page')
    .action(async (opts: { limit: number; object?: string; action?: string; startingAfter?: string }) => {
      const page = await withServices(({ services }) =>
        services.audit.list({ limit: opts.limit, objectId: opts.object, action: opts.action, startingAfter: opts.startingAfter }),
      );
      printJson(page.data);
    });
}
