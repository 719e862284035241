// `payrail users …`: console users (SPEC §11). `create` and `reset` print the user with a one-time
// set-up link (PAYRAIL_PUBLIC_URL/console/setup/TOKEN, valid 24 hours): hand it to the person
// over a channel you trust; it is shown once and only its hash is stored. Every change is in the
// audit log with the operating-system user who made it.
import type { Command } from 'commander';
import { operatorActor } from '../../audit/log.ts';
import { withServices } from '../../cli/context.ts';
import { CliError, printJson } from '../../cli/output.ts';
import type { UserView } from './users.ts';
import { ROLES, SETUP_LINK_HOURS } from './users.ts';

function withLink(user: UserView, publicUrl: string, token: string, now: number) {
  return { ...user, setupLink: `${publicUrl}/console/setup/${token}`, setupLinkExpiresAt: new Date(now + SETUP_LINK_HOURS * 3600_000).toISOString() };
}

export function registerUserCommands(program: Command): void {
  const users = program.command('users').description('people who sign in to the console at /console (roles viewer, maker, approver, admin)');

  users
    .command('create')
    .description('create a console user; prints a one-time set-up link (valid 24 h) where they choose a password (and enrol TOTP)')
    .requiredOption('--email <email>', 'their email address (signs them in; unique, case-insensitive)')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .requiredOption('--client <ids>', 'the client ids (cli_…, comma-separated) whose objects they see and act on')
    .action(async (opts: { email: string; role: string; client: string }) => {
      if (!(ROLES as readonly string[]).includes(opts.role)) throw new CliError(`--role must be one of ${ROLES.join(', ')}, not '${opts.role}'`);
      const out = await withServices(async ({ services, config }) => {
        const { user, setupToken } = await services.consoleUsers.create(
          { email: opts.email, role: opts.role, clientIds: opts.client.split(',') },
          operatorActor(),
        );
        return withLink(user, config.publicUrl, setupToken, Date.now());
      });
      printJson(out);
    });

  users
    .command('list')
    .description('list console users (never a password or TOTP secret)')
    .action(async () => {
      printJson(await withServices(({ services }) => services.consoleUsers.list()));
    });

  users
    .command('disable')
    .description('disable a user: their sessions end and they cannot sign in (reset gives a new set-up link)')
    .argument('<user>', 'the user id (usr_…) or email')
    .action(async (who: string) => {
      printJson(await withServices(async ({ services }) => services.consoleUsers.disable(await services.consoleUsers.idOf(who), operatorActor())));
    });

  users
    .command('reset')
    .description('clear the password and authenticator, end the sessions, unlock, and print a new set-up link')
    .argument('<user>', 'the user id (usr_…) or email')
    .action(async (who: string) => {
      const out = await withServices(async ({ services, config }) => {
        const { user, setupToken } = await services.consoleUsers.reset(await services.consoleUsers.idOf(who), operatorActor());
        return withLink(user, config.publicUrl, setupToken, Date.now());
      });
      printJson(out);
    });
}
