// `payrail approvals …`: the operator sets who must approve what (SPEC §10). Every change is in
// the audit log with the operating-system user who made it.
import type { Command } from 'commander';
import { operatorActor } from '../audit/log.ts';
import { withServices } from '../cli/context.ts';
import { CliError, printJson } from '../cli/output.ts';

// Checked in the action, not as commander argument parsers: bad input is one line (CliError),
// without the command's help after it.
function minorUnits(raw: string): number {
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw)))
    throw new CliError(`--above must be a whole number of minor units, 0 or more (0 = every payment), not '${raw}'`);
  return Number(raw);
}

function approverCount(raw: string): number {
  if (raw !== '1' && raw !== '2') throw new CliError(`--approvers must be 1 or 2, not '${raw}'`);
  return Number(raw);
}

export function registerApprovalCommands(program: Command): void {
  const approvals = program.command('approvals').description('maker-checker: which batches and payments need approval, and by how many');

  approvals
    .command('set-policy')
    .description("set a client's approval policy, or a sender account's (which replaces the client's for that account)")
    .requiredOption('--client <client_id>', 'the client whose batches and payments are held')
    .option('--account <account_id>', "a sender account of the client: this account's own policy")
    .requiredOption('--above <amount>', "minor units: a single payment's amount or a batch's total above this needs approval (0: everything)")
    .requiredOption('--approvers <n>', 'how many distinct approvers: 1 or 2')
    .action(async (opts: { client: string; account?: string; above: string; approvers: string }) => {
      const above = minorUnits(opts.above);
      const approvers = approverCount(opts.approvers);
      const policy = await withServices(({ services }) =>
        services.approvalPolicies.set(
          { clientId: opts.client, ...(opts.account !== undefined && { accountId: opts.account }), above, approvers },
          operatorActor(),
        ),
      );
      printJson(policy);
    });

  approvals
    .command('remove-policy')
    .description("remove a client's (or a sender account's) approval policy; what is already held stays held")
    .requiredOption('--client <client_id>', 'the client')
    .option('--account <account_id>', 'the sender account whose own policy is removed')
    .action(async (opts: { client: string; account?: string }) => {
      printJson(await withServices(({ services }) => services.approvalPolicies.remove(opts.client, opts.account, operatorActor())));
    });

  approvals
    .command('policies')
    .description('list the approval policies (of one client with --client)')
    .option('--client <client_id>', 'only this client')
    .action(async (opts: { client?: string }) => {
      printJson(await withServices(({ services }) => services.approvalPolicies.list(opts.client)));
    });
}
