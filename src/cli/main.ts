// The `payrail` command: a thin shell over the same services as the server (SPEC §1).
import { readFileSync } from 'node:fs';
import { Command, Help, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_SCOPES } from '../auth/scopes.ts';
import { clientJson, clientNameProblem, organisationProblem, scopesOption } from '../clients/cli-view.ts';
import { registerApprovalCommands } from '../approvals/cli.ts';
import { operatorActor, recordOperatorChange } from '../audit/log.ts';
import { registerAuditCommands } from '../audit/cli.ts';
import { registerUserCommands } from '../console/auth/cli.ts';
import type { Revocation } from '../clients/service.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { openDatabase } from '../store/database.ts';
import { parseConfig } from '../config.ts';
import { registerSetLimitsCommand } from '../rate-limits/cli.ts';
import { registerClientKeysCommands, registerGatewayKeysCommands } from '../jose/cli.ts';
import { registerBanksCommands } from '../bank/connections/cli.ts';
import { registerImportCommand } from '../import/cli.ts';
import { withServices } from './context.ts';
import { CliError, fail, printJson } from './output.ts';
import type { ServeFlags } from './serve.ts';

/**
 * What a rotation or a disable revoked, for the printed JSON, and the webhook endpoints created or
 * re-keyed in the last 24 h: what a thief with a token could have added (docs/SECURITY.md).
 */
function revocationJson(r: Revocation) {
  return {
    keys_revoked: r.keysRevoked,
    revoked_kids: r.keyChange?.revoked.map((k) => k.kid) ?? [],
    recent_webhook_endpoints: r.recentWebhookEndpoints.map((e) => ({ id: e.id, url: e.url, createdAt: e.createdAt })),
  };
}

function nonNegativeInt(raw: string): number {
  if (!/^\d+$/.test(raw)) throw new InvalidArgumentError('must be a whole number of seconds');
  return Number(raw);
}

/** Help marks the options a command cannot run without. */
function optionDescription(this: Help, option: Option): string {
  const description = Help.prototype.optionDescription.call(this, option);
  return option.mandatory ? `${description} (required)` : description;
}

/**
 * Usage errors are one line: the problem and where that command's help is, never the whole help
 * (#17). Applied to the whole tree once every command is registered, so each gets its own hint.
 */
function configureUsage(command: Command, parents: string[] = []): void {
  const path = [...parents, command.name()];
  command
    .showHelpAfterError(false)
    .configureHelp({ optionDescription })
    .configureOutput({
      outputError: (str, write) =>
        write(
          `payrail: ${str
            .replace(/^error: /, '')
            .replace(/\s*\n\s*/g, ' ')
            .trim()} (see '${path.join(' ')} --help')\n`,
        ),
    });
  for (const sub of command.commands) configureUsage(sub, path);
}

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('payrail')
  .description('payrail: payments gateway for Hong Kong and Singapore bank rails')
  .version(version, '-V, --version', 'print the version of payrail');

program
  .command('serve')
  .description('run the gateway: API, background workers and sandbox bank in one process')
  .option('--port <port>', 'where the API listens (PORT)')
  .option('--host <host>', 'interface to bind (HOST)')
  .option('--public-url <url>', 'base URL clients use; the OAuth issuer (PAYRAIL_PUBLIC_URL)')
  .option('--data-dir <dir>', 'embedded database and local bank folders (PAYRAIL_DATA_DIR)')
  .option('--database-url <url>', 'sqlite:PATH or postgres://… (DATABASE_URL)')
  .option('--redis-url <url>', 'shared rate-limit counters (REDIS_URL)')
  .option('--role <role>', 'api, worker or all (PAYRAIL_ROLE)')
  .option('--log-level <level>', 'pino level (LOG_LEVEL)')
  .option('--sandbox-bank <on|off>', 'off: this process does not play the bank for batch files (PAYRAIL_SANDBOX_BANK)')
  .option('--sandbox-ack-delay-ms <ms>', 'sandbox bank delay per acknowledgement stage (PAYRAIL_SANDBOX_ACK_DELAY_MS)')
  .option('--sandbox-style <style>', 'how the sandbox bank answers: textbook, jpm, gs, nordea or crossriver (PAYRAIL_SANDBOX_STYLE)')
  .option('--rate-limit-algorithm <name>', 'sliding or fixed (PAYRAIL_RATE_LIMIT_ALGORITHM)')
  .option('--webhook-retry-base-ms <ms>', 'wait before the first webhook retry (PAYRAIL_WEBHOOK_RETRY_BASE_MS)')
  // Imported on use: the other commands need neither Fastify nor the docs UI.
  .action(async (flags: ServeFlags) => (await import('./serve.ts')).serve(flags));

program
  .command('sandbox-bank')
  .description("run the sandbox bank alone against the bank's folders (SFTP server, or local)")
  .option('--style <style>', 'answer in the manner of textbook, jpm, gs, nordea or crossriver (PAYRAIL_SANDBOX_STYLE)')
  .action(async (opts: { style?: string }) => (await import('./sandbox-bank.ts')).runSandboxBank(opts));

program
  .command('migrate')
  .description('apply database migrations (the server also applies them on start)')
  .action(async () => {
    const config = parseConfig(process.env);
    const database = await openDatabase(config.databaseUrl);
    try {
      printJson({ applied: await migrateToLatest(database.db) });
    } finally {
      await database.close();
    }
  });

const clients = program.command('clients').description('API clients (OAuth client credentials)');

clients
  .command('create')
  .description('create a client; prints its id and secret (the secret is shown once)')
  .requiredOption('--name <name>', 'a name for the client')
  .addOption(new Option('--mode <mode>', 'test (sandbox bank) or live').choices(['test', 'live']).default('test'))
  .option('--scopes <scopes>', `comma-separated scopes (default: ${DEFAULT_SCOPES.join(',')}; keys:write only when asked for)`, scopesOption)
  .option('--unlimited', 'lift the default rate limits for this client', false)
  .option(
    '--organisation <org>',
    "group it with other clients (a name, or another client's id): they approve each other's payments; default: an organisation of its own",
  )
  .action(async (opts: { name: string; mode: 'test' | 'live'; scopes?: ReturnType<typeof scopesOption>; unlimited: boolean; organisation?: string }) => {
    const problem = clientNameProblem(opts.name) ?? (opts.organisation === undefined ? undefined : organisationProblem(opts.organisation));
    if (problem) throw new CliError(problem);
    // The audit entry is written in the client's creating transaction: both or neither.
    const { client, secret } = await withServices(({ services }) =>
      services.clients.create(
        { name: opts.name, mode: opts.mode, scopes: opts.scopes, unlimited: opts.unlimited, organisation: opts.organisation },
        async (tx, c) => {
          await services.audit.record(tx, {
            actor: operatorActor(),
            action: 'client.create',
            object: { type: 'client', id: c.id },
            details: { name: c.name, mode: c.mode, scopes: c.scopes, organisation: c.organisationId, unlimited: c.unlimited },
          });
        },
      ),
    );
    // The organisation is printed only when one was asked for: the answer stays SPEC §1's otherwise.
    printJson({
      client_id: client.id,
      client_secret: secret,
      mode: client.mode,
      scopes: client.scopes,
      ...(opts.organisation !== undefined && { organisation: client.organisationId }),
    });
  });

clients
  .command('list')
  .description('list clients (never their secrets)')
  .action(async () => printJson((await withServices(({ services }) => services.clients.list())).map(clientJson)));

clients
  .command('rotate-secret')
  .description(
    'issue a new secret; the old one stops working (after --grace-seconds); registered keys are revoked, and without grace so are access tokens issued before',
  )
  .argument('<client_id>')
  .option('--grace-seconds <n>', 'how long the old secret (and tokens issued before) keep working', nonNegativeInt, 0)
  .option('--keep-keys', "keep the client's registered public keys (private_key_jwt keeps working)", false)
  .action(async (clientId: string, opts: { graceSeconds: number; keepKeys: boolean }) => {
    const rotated = await withServices(({ services }) =>
      services.clients.rotateSecret(clientId, opts.graceSeconds, {
        keepKeys: opts.keepKeys,
        record: async (tx, r) => {
          await services.audit.record(tx, {
            actor: operatorActor(),
            action: 'client.rotate_secret',
            object: { type: 'client', id: clientId },
            details: { graceSeconds: opts.graceSeconds, keysRevoked: r.keysRevoked },
          });
        },
      }),
    );
    const { client, secret } = rotated;
    printJson({
      client_id: client.id,
      client_secret: secret,
      mode: client.mode,
      scopes: client.scopes,
      ...revocationJson(rotated),
      // Without grace, the client's access tokens issued before this instant are refused.
      tokens_revoked_before: opts.graceSeconds === 0 ? client.tokensNotBefore : null,
    });
  });

clients
  .command('disable')
  .description('disable a client: no new tokens, existing tokens refused, registered keys revoked')
  .argument('<client_id>')
  .option('--keep-keys', "keep the client's registered public keys", false)
  .action(async (clientId: string, opts: { keepKeys: boolean }) => {
    const disabled = await withServices(({ services }) =>
      services.clients.disable(clientId, {
        keepKeys: opts.keepKeys,
        record: async (tx, d) => {
          await services.audit.record(tx, {
            actor: operatorActor(),
            action: 'client.disable',
            object: { type: 'client', id: clientId },
            details: { keysRevoked: d.keysRevoked },
          });
        },
      }),
    );
    printJson({ ...clientJson(disabled.client), ...revocationJson(disabled) });
  });

registerSetLimitsCommand(clients);
registerClientKeysCommands(clients);
registerGatewayKeysCommands(program);
registerApprovalCommands(program);
registerAuditCommands(program);
registerUserCommands(program);

const calendar = program.command('calendar').description('business-day calendars: operator closures (typhoon days)');

calendar
  .command('close')
  .description('declare a market closed on a date (every running instance picks it up within a minute)')
  .addOption(new Option('--market <market>', 'HK or SG').choices(['HK', 'SG']).makeOptionMandatory())
  .requiredOption('--date <date>', 'YYYY-MM-DD')
  .option('--reason <text>', 'e.g. "typhoon signal 8"')
  .action(async (opts: { market: 'HK' | 'SG'; date: string; reason?: string }) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.date)) throw new CliError(`--date must be YYYY-MM-DD, not '${opts.date}'`);
    printJson(
      await withServices(async ({ services, database }) => {
        const closure = await services.closures.close(opts.market, opts.date, opts.reason).catch((err: Error) => {
          throw new CliError(err.message);
        });
        // Audited once the change is in (SPEC §11), with what was declared.
        await recordOperatorChange(
          services.audit,
          database.db,
          'calendar.close',
          { type: 'market', id: opts.market },
          { date: opts.date, ...(opts.reason !== undefined && { reason: opts.reason }) },
        );
        return closure;
      }),
    );
  });

calendar
  .command('closures')
  .description('list the declared closures')
  .action(async () => printJson(await withServices(({ services }) => services.closures.list())));

const accounts = program.command('accounts').description('sender (source) accounts of clients');

accounts
  .command('create')
  .description('register a sender account for a client')
  .requiredOption('--client <client_id>', 'the owning client')
  .requiredOption('--name <name>', 'account name')
  .requiredOption('--bank <bank>', 'BIC or 3-digit HK bank code')
  .requiredOption('--number <number>', 'account number')
  .requiredOption('--currencies <list>', 'comma-separated ISO 4217 codes, e.g. SGD,USD')
  .option('--legal-name <name>', "the holder's legal name as the bank knows it (the debtor name of bank files)")
  .option('--country <code>', "ISO 3166-1 alpha-2 of the holder's address")
  .option('--address-line <line>', "a line of the holder's address (repeat for up to 3)", (line: string, lines: string[] = []) => [...lines, line])
  .option('--bank-customer-id <id>', "the bank's id for the customer (pain.001 InitgPty), overriding the bank connection's")
  .action(
    async (opts: {
      client: string;
      name: string;
      bank: string;
      number: string;
      currencies: string;
      legalName?: string;
      country?: string;
      addressLine?: string[];
      bankCustomerId?: string;
    }) => {
      const account = await withServices(async ({ services, database }) => {
        if (!(await services.clients.get(opts.client))) throw new CliError(`no client with id '${opts.client}'`);
        const created = await services.accounts.create(opts.client, {
          name: opts.name,
          bank: opts.bank,
          accountNumber: opts.number,
          currencies: opts.currencies
            .split(',')
            .map((c) => c.trim().toUpperCase())
            .filter(Boolean),
          ...(opts.legalName !== undefined && { legalName: opts.legalName }),
          ...(opts.country !== undefined && { country: opts.country }),
          ...(opts.addressLine !== undefined && { address: opts.addressLine }),
          ...(opts.bankCustomerId !== undefined && { bankCustomerId: opts.bankCustomerId }),
        });
        // Audited once the account exists (SPEC §11): an operator's change.
        await recordOperatorChange(
          services.audit,
          database.db,
          'account.create',
          { type: 'account', id: created.id },
          { clientId: opts.client, bank: created.bank },
        );
        return created;
      });
      printJson(account);
    },
  );

accounts
  .command('list')
  .description("list a client's sender accounts")
  .requiredOption('--client <client_id>', 'the owning client')
  .action(async (opts: { client: string }) => {
    const page = await withServices(async ({ services }) => {
      if (!(await services.clients.get(opts.client))) throw new CliError(`no client with id '${opts.client}'`);
      return services.accounts.list(opts.client, { limit: 100 });
    });
    printJson(page.data);
  });

registerBanksCommands(program);
registerImportCommand(program);

configureUsage(program);
program.parseAsync(process.argv).catch(fail);
