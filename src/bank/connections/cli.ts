// CLI commands of the live bank connections (SPEC §9, BANKS.md §1):
//
//   payrail banks add --id ID --name NAME --bic BIC[,BIC…] --profile P --sftp-url sftp://user@host:port/folder
//                     --sftp-key-file FILE --sftp-host-key KEY [--pgp-bank-key FILE] [--pgp-armor|--pgp-binary]
//                     [--no-require-signed-acks] [--customer-id ID] [--ack-timeout-minutes N]
//   payrail banks list                 every connection and its state (never a secret)
//   payrail banks update ID …          the same options, only those given change
//   payrail banks remove ID            refused while files sent over it await the bank's answers
//   payrail banks check ID             logs in, lists the inbox, prints what it saw (exit 1 on failure)
//   payrail banks pgp-key              payrail's public OpenPGP key, ASCII-armoured, for the bank
//
// Every running instance picks a change up within a minute. A bad option is one line naming it,
// exit 1, and nothing is stored.
import type { Command } from 'commander';
import { withServices } from '../../cli/context.ts';
import { CliError, printJson } from '../../cli/output.ts';
import { recordOperatorChange } from '../../audit/log.ts';
import type { Services } from '../../services.ts';
import type { DbOrTx } from '../../store/database.ts';
import { oneLine } from '../../acknowledgements/endpoint-pollers.ts';
import { loadPayrailPgpKey } from '../pgp/keys.ts';
import { openSftpTransport } from './transport.ts';
import { BankConnectionError, connectionChanges, connectionToAdd, PROFILE_LIST } from './validation.ts';
import type { ConnectionOptions } from './validation.ts';

/** A refusal of the connections' own becomes the CLI's one line. */
async function asCli<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof BankConnectionError) throw new CliError(err.message);
    throw err;
  }
}

/** The options `add` and `update` share. */
function connectionOptions(command: Command): Command {
  return command
    .option('--name <name>', 'a name for people, e.g. "DBS Singapore"')
    .option('--bic <list>', 'comma-separated BICs this connection serves (8 or 11 characters; routing uses the first 8)')
    .option('--profile <profile>', `the bank's pain.001 profile: ${PROFILE_LIST}`)
    .option('--sftp-url <url>', "the bank's SFTP server and folder: sftp://user@host:port/folder")
    .option('--sftp-key-file <file>', 'the private key payrail logs in with (OpenSSH or PEM, no passphrase)')
    .option('--sftp-host-key <key>', "the server's public key line (ssh-ed25519 AAAA…) or its SHA256: fingerprint")
    .option('--pgp-bank-key <file>', "the bank's OpenPGP public key (files are then signed and encrypted)")
    .option('--pgp-armor', 'send OpenPGP files ASCII-armoured (the default)')
    .option('--pgp-binary', 'send OpenPGP files binary')
    .option('--require-signed-acks', "set acknowledgements aside unless signed by the bank's key (default with a bank key)")
    .option('--no-require-signed-acks', 'apply acknowledgements without a valid signature too')
    .option('--customer-id <id>', "the bank's id for the customer (pain.001 InitgPty); an account may override it")
    .option('--ack-timeout-minutes <n>', 'minutes without ACK1 after which a file is overdue (default 120)');
}

/** The audit entry of an operator's change to a connection (SPEC §11), written in the change's transaction. */
const audited = (services: Services, action: string, id: string, details: Record<string, unknown>) => (tx: DbOrTx) =>
  recordOperatorChange(services.audit, tx, action, { type: 'bank_connection', id }, details);

export function registerBanksCommands(program: Command): void {
  const banks = program.command('banks').description('live bank connections (host-to-host SFTP): routing by BIC, state, OpenPGP key');

  connectionOptions(
    banks.command('add').description('add a bank connection; prints it (never its secrets)').option('--id <id>', 'a short id of your choice, e.g. dbs-sg'),
  ).action(async (opts: ConnectionOptions) => {
    const settings = await asCli(() => connectionToAdd(opts));
    const details = {
      name: settings.name,
      bics: settings.bics,
      profile: settings.profile,
      sftpHost: settings.sftp.host,
      bankKey: settings.pgpBankKey !== null,
    };
    printJson(
      await withServices(({ services }) => asCli(() => services.bankConnections.add(settings, audited(services, 'bank_connection.add', settings.id, details)))),
    );
  });

  banks
    .command('list')
    .description('list the connections and the state of each (last poll, last error, files awaiting ACK1); never a secret')
    .action(async () => printJson(await withServices(({ services }) => services.bankConnections.list())));

  connectionOptions(banks.command('update').description('change a connection; only the options given change').argument('<id>'))
    .option('--no-pgp-bank-key', 'stop using OpenPGP with this bank')
    .action(async (id: string, opts: ConnectionOptions) => {
      const changes = await asCli(() => connectionChanges(opts));
      // The names of what changed, never a value that could be a secret (the SFTP key).
      const details = { changed: Object.keys(changes).sort() };
      printJson(
        await withServices(({ services }) =>
          asCli(() => services.bankConnections.update(id, changes, audited(services, 'bank_connection.update', id, details))),
        ),
      );
    });

  banks
    .command('remove')
    .description("remove a connection (refused while files sent over it await the bank's acknowledgements)")
    .argument('<id>')
    .action(async (id: string) => {
      await withServices(({ services }) => asCli(() => services.bankConnections.remove(id, audited(services, 'bank_connection.remove', id, {}))));
      printJson({ id, removed: true });
    });

  banks
    .command('check')
    .description("log in to the connection's SFTP server, list its inbox and print what was seen (exit 1 with the reason on failure)")
    .argument('<id>')
    .action(async (id: string) => {
      const seen = await withServices(async ({ services }) => {
        const connection = await asCli(() => services.bankConnections.load(id));
        const transport = await openSftpTransport(connection).catch((err: unknown) => {
          throw new CliError(`banks check ${id}: ${oneLine(err)}`);
        });
        try {
          const inbox = await transport.listInbox();
          return { id, ok: true, server: `${connection.sftp.host}:${connection.sftp.port}`, user: connection.sftp.user, root: connection.sftp.root, inbox };
        } catch (err) {
          throw new CliError(`banks check ${id}: ${connection.sftp.host}:${connection.sftp.port}: ${oneLine(err)}`);
        } finally {
          await transport.close().catch(() => {});
        }
      });
      printJson(seen);
    });

  banks
    .command('pgp-key')
    .description("print payrail's public OpenPGP key, ASCII-armoured, to hand to the bank (generated on first use)")
    .action(async () => {
      const key = await withServices(({ config, database }) => loadPayrailPgpKey({ db: database.db, masterKey: config.masterKey }));
      process.stdout.write(key.publicKeyArmored.endsWith('\n') ? key.publicKeyArmored : `${key.publicKeyArmored}\n`);
    });
}
