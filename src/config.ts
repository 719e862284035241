// Settings, parsed once at start-up from the environment (and `payrail serve` flags), validated,
// frozen. A bad value is a ConfigError naming the setting; the CLI prints it as one line, exit 1.
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { SANDBOX_STYLES } from './sandbox-bank/style-names.ts';
import type { SandboxStyle } from './sandbox-bank/style-names.ts';

/** The whole of payrail's configuration (SPEC §1). */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** Base URL clients use; the OAuth issuer. */
  readonly publicUrl: string;
  readonly dataDir: string;
  readonly databaseUrl: string;
  readonly redisUrl: string | undefined;
  readonly role: Role;
  readonly sandboxAckDelayMs: number;
  readonly rateLimitAlgorithm: 'sliding' | 'fixed';
  /** Prefix of every rate-limit key in Redis, so deployments (or test runs) can share one Redis. */
  readonly rateLimitKeyPrefix: string;
  /** The bank's SFTP server (host-to-host); undefined: local folders under <data dir>/bank. */
  readonly bankSftp: BankSftpConfig | undefined;
  /** Run the sandbox bank inside `payrail serve` (test mode's bank). */
  readonly sandboxBank: boolean;
  /** How the sandbox bank writes its acknowledgements: in the manner of which bank (BANKS.md §4). */
  readonly sandboxStyle: SandboxStyle;
  /** How long a worker's claim on a batch or payment lasts before another worker may take it over. */
  readonly workerLeaseMs: number;
  /**
   * The longest an idle worker waits before it looks for work again (PAYRAIL_WORKER_IDLE_POLL_MS;
   * 2,000 on PostgreSQL, where committed work wakes it at once, 100 on SQLite). The wait starts at
   * 100 ms and doubles while nothing is found.
   */
  readonly workerIdlePollMs: number;
  /** The pain.001 version the bank profile wants. */
  readonly pain001Version: '09' | '03';
  /**
   * How long a live single payment waits for others to share its pain.001 file (one file per
   * connection, type, date, sender account, currency and charge bearer); 1,000 waiting send at once.
   */
  readonly singleFileIntervalMs: number;
  readonly webhookRetryBaseMs: number;
  /** How long a batch or payment may wait for approval before it expires (PAYRAIL_APPROVAL_EXPIRY_HOURS). */
  readonly approvalExpiryHours: number;
  /** Console sessions end after this many minutes without a request (SPEC §11: 30). */
  readonly consoleIdleMinutes: number;
  readonly logLevel: LogLevel;
  readonly bodyLimitBytes: number;
  /**
   * The reverse proxies whose X-Forwarded-For is believed (PAYRAIL_TRUST_PROXY): addresses, CIDR
   * ranges or loopback/linklocal/uniquelocal. Unset: the caller is the TCP peer. Behind a proxy it
   * must be set, or every caller shares the proxy's address in the failed-authentication limits.
   */
  readonly trustProxy: string[] | undefined;
  readonly accessTokenTtlSeconds: number;
  /** 32 bytes that seal the gateway's private keys at rest (PAYRAIL_MASTER_KEY), or undefined. */
  readonly masterKey: Uint8Array | undefined;
}

export type Role = 'api' | 'worker' | 'all';

/** Where the bank's SFTP server is and how to trust it. */
export interface BankSftpConfig {
  host: string;
  port: number;
  username: string;
  /** Folder on the server holding outbox/, inbox/, archive/, error/. */
  root: string;
  /** Path of the private key payrail authenticates with. */
  privateKeyFile: string;
  /** The server's host key, pinned: an OpenSSH public key line or a SHA256: fingerprint. */
  hostKey: string;
}
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

const PROXY_KEYWORDS = ['loopback', 'linklocal', 'uniquelocal'];

/** PAYRAIL_TRUST_PROXY: a comma-separated list of addresses, CIDR ranges or keywords. */
function trustProxy(env: NodeJS.ProcessEnv): string[] | undefined {
  const entries = (env.PAYRAIL_TRUST_PROXY ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address = '', bits] = entry.split('/');
    const version = isIP(address);
    const maxBits = version === 4 ? 32 : 128;
    const valid = PROXY_KEYWORDS.includes(entry) || (version !== 0 && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits)));
    if (!valid) throw new ConfigError('PAYRAIL_TRUST_PROXY', `'${entry}' is not an IP address, a CIDR range or one of ${PROXY_KEYWORDS.join(', ')}`);
  }
  return entries.length > 0 ? entries : undefined;
}

/** A setting that cannot be used; `setting` is the variable's name. */
export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `'${raw}' is not a whole number`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(name, `${value} is outside ${min}..${max}`);
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `'${raw}' is not one of ${allowed.join(', ')}`);
  }
  return raw as T;
}

function url(name: string, raw: string, schemes: readonly string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `'${raw}' is not a URL`);
  }
  if (!schemes.includes(parsed.protocol)) {
    throw new ConfigError(name, `scheme '${parsed.protocol}' is not supported (use ${schemes.join(' or ')})`);
  }
  return raw;
}

function databaseUrl(env: Env, dataDir: string): string {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return `sqlite:${resolve(dataDir, 'payrail.db')}`;
  if (raw.startsWith('sqlite:')) {
    if (raw.length === 'sqlite:'.length) throw new ConfigError('DATABASE_URL', 'sqlite: needs a file path');
    return raw;
  }
  return url('DATABASE_URL', raw, ['postgres:', 'postgresql:']);
}

function bankSftp(env: Env): BankSftpConfig | undefined {
  const raw = env.PAYRAIL_BANK_SFTP_URL;
  if (!raw) return undefined;
  const u = new URL(url('PAYRAIL_BANK_SFTP_URL', raw, ['sftp:']));
  if (!u.username) throw new ConfigError('PAYRAIL_BANK_SFTP_URL', 'needs a user name (sftp://user@host:port/folder)');
  const privateKeyFile = env.PAYRAIL_BANK_SFTP_KEY_FILE;
  if (!privateKeyFile) throw new ConfigError('PAYRAIL_BANK_SFTP_KEY_FILE', 'is required with PAYRAIL_BANK_SFTP_URL');
  const hostKey = env.PAYRAIL_BANK_SFTP_HOST_KEY;
  if (!hostKey)
    throw new ConfigError('PAYRAIL_BANK_SFTP_HOST_KEY', "is required with PAYRAIL_BANK_SFTP_URL (the server's public key line or SHA256: fingerprint)");
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 22,
    username: decodeURIComponent(u.username),
    root: decodeURIComponent(u.pathname) || '/',
    privateKeyFile,
    hostKey,
  };
}

/** PAYRAIL_MASTER_KEY: base64 (standard or URL-safe) of exactly 32 bytes, e.g. `openssl rand -base64 32`. */
function masterKey(env: Env): Uint8Array | undefined {
  const raw = env.PAYRAIL_MASTER_KEY?.trim();
  if (!raw) return undefined;
  const hint = 'generate one with: openssl rand -base64 32';
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(raw)) throw new ConfigError('PAYRAIL_MASTER_KEY', `is not base64 (${hint})`);
  const key = Buffer.from(raw, 'base64');
  if (key.length !== 32) throw new ConfigError('PAYRAIL_MASTER_KEY', `decodes to ${key.length} bytes, not 32 (${hint})`);
  return new Uint8Array(key);
}

/** True when `dir` is the payrail project (its package.json is payrail's) or holds payrail's data. */
function isPayrailHome(dir: string): boolean {
  if (existsSync(join(dir, 'data', 'payrail.db'))) return true;
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === 'payrail';
  } catch {
    return false; // no package.json, or not JSON: not payrail's
  }
}

/**
 * The data folder when PAYRAIL_DATA_DIR is unset: `./data` (SPEC §1), except that run from inside
 * payrail's project folder (`cd docs && npx payrail clients list`) a command uses that folder's
 * `data/`: the nearest folder at or above `cwd` that is payrail's project folder or already holds
 * data/payrail.db. Run from anywhere else, `./data` of the current folder.
 */
export function findDataDir(cwd: string): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (isPayrailHome(dir)) return join(dir, 'data');
    if (dirname(dir) === dir) break;
  }
  return resolve(cwd, 'data');
}

/** Parses the environment into a frozen Config, or throws ConfigError. */
export function parseConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 8080, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  const dataDir = env.PAYRAIL_DATA_DIR ? resolve(env.PAYRAIL_DATA_DIR) : findDataDir(process.cwd());
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  const publicUrl = url('PAYRAIL_PUBLIC_URL', env.PAYRAIL_PUBLIC_URL || `http://${hostForUrl}:${port}`, ['http:', 'https:']).replace(/\/+$/, '');
  const redisUrl = env.REDIS_URL ? url('REDIS_URL', env.REDIS_URL, ['redis:', 'rediss:']) : undefined;
  const database = databaseUrl(env, dataDir);
  return Object.freeze({
    port,
    host,
    publicUrl,
    dataDir,
    databaseUrl: database,
    redisUrl,
    role: oneOf<Role>(env, 'PAYRAIL_ROLE', ['api', 'worker', 'all'], 'all'),
    sandboxAckDelayMs: integer(env, 'PAYRAIL_SANDBOX_ACK_DELAY_MS', 2000, 0, 86_400_000),
    rateLimitAlgorithm: oneOf(env, 'PAYRAIL_RATE_LIMIT_ALGORITHM', ['sliding', 'fixed'] as const, 'sliding'),
    rateLimitKeyPrefix: env.PAYRAIL_RATE_LIMIT_KEY_PREFIX || 'payrail:rl:',
    bankSftp: bankSftp(env),
    sandboxBank: oneOf(env, 'PAYRAIL_SANDBOX_BANK', ['on', 'off'] as const, 'on') === 'on',
    sandboxStyle: oneOf<SandboxStyle>(env, 'PAYRAIL_SANDBOX_STYLE', SANDBOX_STYLES, 'textbook'),
    pain001Version: oneOf(env, 'PAYRAIL_PAIN001_VERSION', ['09', '03'] as const, '09'),
    workerLeaseMs: integer(env, 'PAYRAIL_WORKER_LEASE_MS', 30_000, 100, 3_600_000),
    workerIdlePollMs: integer(env, 'PAYRAIL_WORKER_IDLE_POLL_MS', database.startsWith('postgres') ? 2000 : 100, 10, 600_000),
    singleFileIntervalMs: integer(env, 'PAYRAIL_SINGLE_FILE_INTERVAL_MS', 1000, 0, 3_600_000),
    webhookRetryBaseMs: integer(env, 'PAYRAIL_WEBHOOK_RETRY_BASE_MS', 5000, 1, 86_400_000),
    approvalExpiryHours: integer(env, 'PAYRAIL_APPROVAL_EXPIRY_HOURS', 72, 1, 8760),
    consoleIdleMinutes: integer(env, 'PAYRAIL_CONSOLE_IDLE_MINUTES', 30, 1, 1440),
    logLevel: oneOf<LogLevel>(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    bodyLimitBytes: integer(env, 'PAYRAIL_BODY_LIMIT_BYTES', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    trustProxy: trustProxy(env),
    accessTokenTtlSeconds: integer(env, 'PAYRAIL_ACCESS_TOKEN_TTL_SECONDS', 900, 60, 86_400),
    masterKey: masterKey(env),
  });
}
