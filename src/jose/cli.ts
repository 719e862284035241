// CLI commands of message-level security:
//
//   payrail clients keys set CLIENT_ID --jwks FILE        register a client's public keys
//   payrail clients keys show CLIENT_ID                   what is registered
//   payrail clients keys changes CLIENT_ID                who changed the keys, when, and how
//   payrail clients update CLIENT_ID [--scopes S1,S2] [--require-encryption | --no-require-encryption]
//   payrail keys rotate                                   new gateway signing and encryption keys
//   payrail keys list                                     the gateway's keys (no private parts)
//
// A running server sees client changes on the next request, and a gateway rotation within a
// minute (it re-reads the keys when its cache is older than that).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { operatorActor, recordOperatorChange } from '../audit/log.ts';
import { withServices } from '../cli/context.ts';
import { CliError, printJson } from '../cli/output.ts';
import type { ClientsService } from '../clients/service.ts';
import { clientJson, scopesOption } from '../clients/cli-view.ts';
import { SCOPES } from '../auth/scopes.ts';
import type { Scope } from '../auth/scopes.ts';
import type { ClientJwks } from './client-keys.ts';
import { validateClientJwks } from './client-keys.ts';

function readJwks(file: string): ClientJwks {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(`${file} is not JSON`);
  }
  const result = validateClientJwks(parsed);
  if (!result.ok) throw new CliError(`${file} is not a usable JWKS: ${result.errors.map((e) => `${e.path}: ${e.message} (${e.code})`).join('; ')}`);
  return result.jwks;
}

function keysJson(clientId: string, jwks: ClientJwks | null) {
  return { client_id: clientId, keys: (jwks?.keys ?? []).map(({ kid, use, alg, kty }) => ({ kid, use, alg, kty })) };
}

async function mustExist(clients: ClientsService, clientId: string): Promise<void> {
  if (!(await clients.get(clientId))) throw new CliError(`no client with id '${clientId}'`);
}

/** `clients keys set|show` and `clients update`. */
export function registerClientKeysCommands(clients: Command): void {
  const keys = clients.command('keys').description("a client's public keys (private_key_jwt, application/jose)");
  keys
    .command('set')
    .description("replace a client's public keys with a JWKS file (public keys only)")
    .argument('<client_id>')
    .requiredOption('--jwks <file>', 'JWKS JSON file: {"keys": [...]}, each key with kid, use (sig|enc) and alg')
    .action(async (clientId: string, opts: { jwks: string }) => {
      const jwks = readJwks(opts.jwks);
      await withServices(async ({ services }) => {
        await mustExist(services.clients, clientId);
        await services.clients.setKeys(clientId, jwks, 'operator');
      });
      printJson(keysJson(clientId, jwks));
    });
  keys
    .command('show')
    .description("print a client's registered public keys")
    .argument('<client_id>')
    .action(async (clientId: string) => {
      const jwks = await withServices(async ({ services }) => {
        await mustExist(services.clients, clientId);
        return services.clients.keysOf(clientId);
      });
      printJson({ client_id: clientId, jwks: jwks ?? { keys: [] } });
    });

  keys
    .command('changes')
    .description("every change of a client's keys, newest first: who (operator or client), when, which keys")
    .argument('<client_id>')
    .action(async (clientId: string) => {
      const changes = await withServices(async ({ services }) => {
        await mustExist(services.clients, clientId);
        return services.clients.keyChangesOf(clientId);
      });
      printJson(changes);
    });

  clients
    .command('update')
    .description("change a client's settings")
    .argument('<client_id>')
    .option(
      '--scopes <scopes>',
      `replace the client's scopes, comma-separated (${SCOPES.join(', ')}); its current tokens keep theirs until they expire`,
      scopesOption,
    )
    .option('--require-encryption', 'refuse plain JSON request bodies (415): application/jose only')
    .option('--no-require-encryption', 'accept plain JSON request bodies again')
    .action(async (clientId: string, opts: { requireEncryption?: boolean; scopes?: Scope[] }) => {
      if (opts.requireEncryption === undefined && opts.scopes === undefined)
        throw new CliError('nothing to update: give --scopes, --require-encryption or --no-require-encryption');
      const client = await withServices(async ({ services }) => {
        await mustExist(services.clients, clientId);
        // The change and its audit entry in one transaction.
        return services.clients.update(clientId, { scopes: opts.scopes, requireEncryption: opts.requireEncryption }, async (tx, updated) => {
          const details = {
            ...(opts.scopes !== undefined && { scopes: updated.scopes }),
            ...(opts.requireEncryption !== undefined && { requireEncryption: opts.requireEncryption }),
          };
          await services.audit.record(tx, { actor: operatorActor(), action: 'client.update', object: { type: 'client', id: clientId }, details });
        });
      });
      // The encryption switch alone keeps its short answer; a scope change prints the client.
      printJson(opts.scopes === undefined ? { client_id: client!.id, require_encryption: client!.requireEncryption } : clientJson(client!));
    });
}

/** `keys rotate|list`: the gateway's own keys. */
export function registerGatewayKeysCommands(program: Command): void {
  const keys = program.command('keys').description("the gateway's signing and encryption keys");
  keys
    .command('rotate')
    .description('add new signing and encryption keys; old ones keep verifying (until tokens expire) and decrypting (7 days)')
    .action(async () => {
      const { signingKid, encryptionKids } = await withServices(async ({ services, database }) => {
        const rotated = await services.keys.rotate();
        // Audited once the new keys exist (SPEC §11): an operator's change.
        await recordOperatorChange(
          services.audit,
          database.db,
          'gateway_keys.rotate',
          { type: 'gateway_keys', id: rotated.signingKid },
          { signingKid: rotated.signingKid, encryptionKids: rotated.encryptionKids },
        );
        return rotated;
      });
      printJson({ signing_kid: signingKid, encryption_kids: encryptionKids });
    });
  keys
    .command('list')
    .description("list the gateway's keys, oldest first (never a private part)")
    .action(async () => {
      const list = await withServices(async ({ services }) => {
        await services.keys.reload();
        return services.keys.list();
      });
      printJson(
        list.map((k) => ({ kid: k.kid, use: k.use, alg: k.alg, created_at: k.createdAt, retired_at: k.retiredAt, encrypted_at_rest: k.encryptedAtRest })),
      );
    });
}
