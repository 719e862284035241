// What an operator gives `payrail banks add|update`, checked before anything is stored: every
// problem is one line naming the option (BankConnectionError), and a connection is saved whole or
// not at all. Files named by options (the SFTP private key, the bank's OpenPGP key) are read here.
import { isBankFileText, isOneLineText } from '../../text/characters.ts';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Ssh2 from 'ssh2';
import { isProfileName, PROFILE_NAMES } from '../../bank-files/profiles/index.ts';
import type { ProfileName } from '../../bank-files/profiles/index.ts';
import { PgpKeyError, readBankPublicKey } from '../pgp/keys.ts';
import { HostKeySettingError, parseHostKey } from '../transports/sftp-host-key.ts';

/** A connection setting that cannot be used, or a change the connections refuse; one line. */
export class BankConnectionError extends Error {
  override name = 'BankConnectionError';
}

/** The id of the test-mode endpoint; no connection may take it. */
export const SANDBOX_ENDPOINT_ID = 'sandbox';

/** A connection's settings, checked, with its secrets in clear (sealed only when stored). */
export interface ConnectionSettings {
  id: string;
  name: string;
  /** As given, upper-cased: 8 or 11 characters each. */
  bics: string[];
  profile: ProfileName;
  sftp: { host: string; port: number; user: string; root: string };
  /** payrail's SFTP private key (PEM or OpenSSH text). */
  sftpPrivateKey: string;
  /** The pinned host key: an OpenSSH public key line or a `SHA256:` fingerprint. */
  sftpHostKey: string;
  /** The bank's OpenPGP public key, ASCII-armoured; null without OpenPGP. */
  pgpBankKey: string | null;
  pgpArmor: boolean;
  requireSignedAcks: boolean;
  customerId: string | null;
  ackTimeoutMinutes: number;
}

/** The options of `banks add` / `banks update`, as commander hands them over (all text). */
export interface ConnectionOptions {
  id?: string;
  name?: string;
  bic?: string;
  profile?: string;
  sftpUrl?: string;
  sftpKeyFile?: string;
  sftpHostKey?: string;
  /** A file; `false` (`--no-pgp-bank-key`, update only): stop using OpenPGP. */
  pgpBankKey?: string | false;
  pgpArmor?: boolean;
  pgpBinary?: boolean;
  requireSignedAcks?: boolean;
  customerId?: string;
  ackTimeoutMinutes?: string;
}

export const DEFAULT_ACK_TIMEOUT_MINUTES = 120;
export const PROFILE_LIST = PROFILE_NAMES.join(', ');
const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
// ISO 9362: 4 letters (bank), 2 letters (country), 2 letters or digits (location), optionally 3 (branch).
const BIC = /^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/;

/** The 8-character prefix that routes a BIC (`DBSSSGSG` serves `DBSSSGSGXXX`). */
export function bicPrefix(bic: string): string {
  return bic.trim().toUpperCase().slice(0, 8);
}

function checkId(id: string): string {
  if (!ID.test(id)) throw new BankConnectionError(`--id: '${id}' must be lower-case letters, digits and '-' (at most 63), e.g. dbs-sg`);
  if (id === SANDBOX_ENDPOINT_ID) throw new BankConnectionError(`--id: '${SANDBOX_ENDPOINT_ID}' is the test-mode bank's; choose another id`);
  return id;
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 140 || !isOneLineText(trimmed))
    throw new BankConnectionError('--name: must be 1 to 140 characters without control characters');
  return trimmed;
}

function checkBics(list: string): string[] {
  const bics = list
    .split(',')
    .map((b) => b.trim().toUpperCase())
    .filter(Boolean);
  if (bics.length === 0) throw new BankConnectionError('--bic: give at least one BIC (8 or 11 characters, e.g. DBSSSGSG)');
  for (const bic of bics) {
    if (!BIC.test(bic)) throw new BankConnectionError(`--bic: '${bic}' is not a BIC (8 or 11 letters and digits, e.g. DBSSSGSG or DBSSSGSGXXX)`);
  }
  return [...new Set(bics)];
}

function checkProfile(profile: string): ProfileName {
  if (!isProfileName(profile)) throw new BankConnectionError(`--profile: '${profile}' is not a profile (one of ${PROFILE_NAMES.join(', ')})`);
  return profile;
}

/** `sftp://user@host:port/folder`; the folder is absolute on the server. */
export function parseSftpUrl(raw: string): ConnectionSettings['sftp'] {
  const usage = 'must look like sftp://user@host:port/folder';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BankConnectionError(`--sftp-url: '${raw}' is not a URL (${usage})`);
  }
  if (url.protocol !== 'sftp:') throw new BankConnectionError(`--sftp-url: the scheme must be sftp, not '${url.protocol.replace(/:$/, '')}'`);
  if (!url.username) throw new BankConnectionError(`--sftp-url: needs a user name (${usage})`);
  if (!url.hostname) throw new BankConnectionError(`--sftp-url: needs a host (${usage})`);
  if (url.password) throw new BankConnectionError('--sftp-url: must not hold a password (payrail logs in with --sftp-key-file)');
  if (url.search || url.hash) throw new BankConnectionError(`--sftp-url: must not have a query or fragment (${usage})`);
  const root = decodeURIComponent(url.pathname) || '/';
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port ? Number(url.port) : 22, user: decodeURIComponent(url.username), root };
}

function readOptionFile(option: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new BankConnectionError(`${option}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** The SFTP private key file: readable, an unencrypted private key ssh2 can use. */
export function readSftpPrivateKey(path: string): string {
  const text = readOptionFile('--sftp-key-file', path).toString('utf8');
  // ssh2 is what logs in with it: its parser is the test of whether the key will work.
  const { utils } = createRequire(import.meta.url)('ssh2') as typeof Ssh2;
  const parsed = utils.parseKey(text);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key instanceof Error || !key)
    throw new BankConnectionError(`--sftp-key-file: ${path} is not a usable SSH private key (${key instanceof Error ? key.message : 'empty'})`);
  if (!key.isPrivateKey()) throw new BankConnectionError(`--sftp-key-file: ${path} holds a public key; give the private key`);
  return text;
}

function checkHostKey(value: string): string {
  try {
    parseHostKey(value);
  } catch (err) {
    if (err instanceof HostKeySettingError) throw new BankConnectionError(`--sftp-host-key: ${err.message}`);
    throw err;
  }
  return value.trim();
}

async function readPgpBankKey(path: string): Promise<string> {
  const bytes = readOptionFile('--pgp-bank-key', path);
  try {
    return await readBankPublicKey(new Uint8Array(bytes));
  } catch (err) {
    if (err instanceof PgpKeyError) throw new BankConnectionError(`--pgp-bank-key: ${path}: ${err.message}`);
    throw err;
  }
}

function checkAckTimeout(raw: string): number {
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || Number(raw) > 10_080)
    throw new BankConnectionError(`--ack-timeout-minutes: '${raw}' must be a whole number of minutes from 1 to 10080 (a week)`);
  return Number(raw);
}

function checkCustomerId(raw: string): string {
  // pain.001 InitgPty/Id/OrgId/Othr/Id is Max35Text.
  // It goes into every file of the connection: the bank-file character rule (src/text/characters.ts).
  if (raw.trim() === '' || raw.length > 35 || !isBankFileText(raw))
    throw new BankConnectionError('--customer-id: must be 1 to 35 characters without control characters');
  return raw;
}

function checkArmor(options: ConnectionOptions): boolean | undefined {
  if (options.pgpArmor && options.pgpBinary) throw new BankConnectionError('--pgp-armor and --pgp-binary: give one of them');
  return options.pgpArmor ? true : options.pgpBinary ? false : undefined;
}

/** `banks add`: every required option present and valid; the defaults filled in. */
export async function connectionToAdd(options: ConnectionOptions): Promise<ConnectionSettings> {
  for (const [key, flag] of [
    ['id', '--id'],
    ['name', '--name'],
    ['bic', '--bic'],
    ['profile', '--profile'],
    ['sftpUrl', '--sftp-url'],
    ['sftpKeyFile', '--sftp-key-file'],
    ['sftpHostKey', '--sftp-host-key'],
  ] as const) {
    if (options[key] === undefined) throw new BankConnectionError(`${flag} is required`);
  }
  const pgpBankKey = typeof options.pgpBankKey === 'string' ? await readPgpBankKey(options.pgpBankKey) : null;
  if (options.requireSignedAcks === true && pgpBankKey === null)
    throw new BankConnectionError("--require-signed-acks: needs the bank's OpenPGP key to check signatures with; give --pgp-bank-key FILE");
  return {
    id: checkId(options.id!),
    name: checkName(options.name!),
    bics: checkBics(options.bic!),
    profile: checkProfile(options.profile!),
    sftp: parseSftpUrl(options.sftpUrl!),
    sftpPrivateKey: readSftpPrivateKey(options.sftpKeyFile!),
    sftpHostKey: checkHostKey(options.sftpHostKey!),
    pgpBankKey,
    pgpArmor: checkArmor(options) ?? true,
    // BANKS.md §2: on by default when there is a bank key to check signatures with.
    requireSignedAcks: options.requireSignedAcks ?? pgpBankKey !== null,
    customerId: options.customerId === undefined ? null : checkCustomerId(options.customerId),
    ackTimeoutMinutes: options.ackTimeoutMinutes === undefined ? DEFAULT_ACK_TIMEOUT_MINUTES : checkAckTimeout(options.ackTimeoutMinutes),
  };
}

/** `banks update ID`: only the options given, each checked; `--id` cannot change. */
export async function connectionChanges(options: ConnectionOptions): Promise<Partial<ConnectionSettings>> {
  if (options.id !== undefined) throw new BankConnectionError("--id: a connection's id cannot change (remove it and add it again)");
  const changes: Partial<ConnectionSettings> = {};
  if (options.name !== undefined) changes.name = checkName(options.name);
  if (options.bic !== undefined) changes.bics = checkBics(options.bic);
  if (options.profile !== undefined) changes.profile = checkProfile(options.profile);
  if (options.sftpUrl !== undefined) changes.sftp = parseSftpUrl(options.sftpUrl);
  if (options.sftpKeyFile !== undefined) changes.sftpPrivateKey = readSftpPrivateKey(options.sftpKeyFile);
  if (options.sftpHostKey !== undefined) changes.sftpHostKey = checkHostKey(options.sftpHostKey);
  if (options.pgpBankKey !== undefined) changes.pgpBankKey = options.pgpBankKey === false ? null : await readPgpBankKey(options.pgpBankKey);
  const armor = checkArmor(options);
  if (armor !== undefined) changes.pgpArmor = armor;
  if (options.requireSignedAcks !== undefined) changes.requireSignedAcks = options.requireSignedAcks;
  if (options.customerId !== undefined) changes.customerId = options.customerId === '' ? null : checkCustomerId(options.customerId);
  if (options.ackTimeoutMinutes !== undefined) changes.ackTimeoutMinutes = checkAckTimeout(options.ackTimeoutMinutes);
  if (Object.keys(changes).length === 0) throw new BankConnectionError('nothing to change: give at least one option (see payrail banks update --help)');
  return changes;
}
