// What the `payrail clients …` commands print and accept, shared by src/cli/main.ts and
// src/jose/cli.ts so that every client command shows a client the same way.
import { InvalidArgumentError } from 'commander';
import { parseScopes } from '../auth/scopes.ts';
import { isAcceptableText } from '../http/input-text.ts';
import { charCount } from '../rails/formats/text.ts';
import type { Scope } from '../auth/scopes.ts';
import type { Client, ClientsService } from './service.ts';

/** A client as the CLI prints it (never a secret). */
export function clientJson(c: Client) {
  return {
    client_id: c.id,
    name: c.name,
    mode: c.mode,
    scopes: c.scopes,
    unlimited: c.unlimited,
    require_encryption: c.requireEncryption,
    disabled: c.disabled,
    created_at: c.createdAt,
    organisation: c.organisationId,
  };
}

/** A `--scopes` value: comma- or space-separated known scopes, at least one. */
export function scopesOption(raw: string): Scope[] {
  const { scopes, unknown } = parseScopes(raw);
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown scope ${unknown.map((u) => `'${u}'`).join(', ')}`);
  if (scopes.length === 0) throw new InvalidArgumentError('give at least one scope');
  return scopes;
}

/** Why an `--organisation` value (a name or another client's id) cannot be one, or undefined when it can. */
export function organisationProblem(raw: string): string | undefined {
  return /^[A-Za-z0-9._-]{1,64}$/.test(raw)
    ? undefined
    : "--organisation must be 1 to 64 letters, digits, dots, underscores or hyphens (a name, or another client's id)";
}

/** A client's name becomes the pain.001 InitgPty/Nm (ISO 20022 Max140Text) of its batches. */
export const MAX_CLIENT_NAME = 140;

/**
 * Why a `--name` cannot be a client's name, or undefined when it can: it must be something the
 * bank file can carry (the one text check of every input, on one line) and fit Max140Text, or the
 * client's batches could never be written.
 */
export function clientNameProblem(name: string): string | undefined {
  if (name.trim() === '') return '--name must not be empty';
  if (!isAcceptableText(name, 'line'))
    return '--name contains a character a bank file cannot carry (a control character, a line break, a lone surrogate, U+FFFE or U+FFFF)';
  if (charCount(name) > MAX_CLIENT_NAME) return `--name must be at most ${MAX_CLIENT_NAME} characters (it is the initiating party name of the bank files)`;
  return undefined;
}

/** The part of a logger the start-up warning needs. */
export interface WarnLogger {
  warn(object: Record<string, unknown>, message: string): void;
}

/**
 * `payrail serve` warns once at start about the enabled clients holding `keys:write`: clients
 * created before it stopped being a default scope may still have it, and a token with it can
 * register a key (`payrail clients update CLIENT_ID --scopes …` takes it away). Ids only.
 */
export async function warnAboutKeysWrite(clients: Pick<ClientsService, 'withScope'>, logger: WarnLogger): Promise<number> {
  const holders = await clients.withScope('keys:write');
  if (holders.length > 0) {
    logger.warn(
      { count: holders.length, clientIds: holders.map((c) => c.id) },
      `${holders.length} client${holders.length === 1 ? ' holds' : 's hold'} keys:write (a token of theirs can register keys); remove it where not needed with payrail clients update CLIENT_ID --scopes …`,
    );
  }
  return holders.length;
}
