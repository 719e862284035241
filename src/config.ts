// Settings, parsed once at start-up from the environment (and `payrail serve` flags), validated,
// frozen. A bad value is a ConfigError naming the setting; the CLI prints it as one line, exit 1.
import { resolve } from 'node:path';

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
  readonly webhookRetryBaseMs: number;
  readonly logLevel: LogLevel;
  readonly bodyLimitBytes: number;
  readonly accessTokenTtlSeconds: number;
}

export type Role = 'api' | 'worker' | 'all';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

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

/** Parses the environment into a frozen Config, or throws ConfigError. */
export function parseConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 8080, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  const dataDir = resolve(env.PAYRAIL_DATA_DIR || './data');
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  const publicUrl = url(
    'PAYRAIL_PUBLIC_URL',
    env.PAYRAIL_PUBLIC_URL || `http://${hostForUrl}:${port}`,
    ['http:', 'https:'],
  ).replace(/\/+$/, '');
  const redisUrl = env.REDIS_URL ? url('REDIS_URL', env.REDIS_URL, ['redis:', 'rediss:']) : undefined;
  return Object.freeze({
    port,
    host,
    publicUrl,
    dataDir,
    databaseUrl: databaseUrl(env, dataDir),
    redisUrl,
    role: oneOf<Role>(env, 'PAYRAIL_ROLE', ['api', 'worker', 'all'], 'all'),
    sandboxAckDelayMs: integer(env, 'PAYRAIL_SANDBOX_ACK_DELAY_MS', 2000, 0, 86_400_000),
    rateLimitAlgorithm: oneOf(env, 'PAYRAIL_RATE_LIMIT_ALGORITHM', ['sliding', 'fixed'] as const, 'sliding'),
    rateLimitKeyPrefix: env.PAYRAIL_RATE_LIMIT_KEY_PREFIX || 'payrail:rl:',
    webhookRetryBaseMs: integer(env, 'PAYRAIL_WEBHOOK_RETRY_BASE_MS', 5000, 1, 86_400_000),
    logLevel: oneOf<LogLevel>(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    bodyLimitBytes: integer(env, 'PAYRAIL_BODY_LIMIT_BYTES', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    accessTokenTtlSeconds: integer(env, 'PAYRAIL_ACCESS_TOKEN_TTL_SECONDS', 900, 60, 86_400),
  });
}
