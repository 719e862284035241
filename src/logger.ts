// Structured logs (pino). Credentials never reach a log line: a field named like a credential is
// redacted wherever it is in the record, at any depth (inside a logged object, an error's own
// properties, a child logger's bindings, a serialized request's headers).
//
// pino's `redact` paths name fixed depths (`*.secret` is one level down), so a secret two levels
// down would slip through. Instead the finished line is checked as it is written: the common case
// (no credential-like field name in the line) costs one regular-expression test; otherwise the
// line is parsed, every such field replaced, and written again.
import pino from 'pino';
import type { DestinationStream, Logger } from 'pino';
import type { LogLevel } from './config.ts';

/** Field names whose value is a credential, compared case-insensitively. */
export const CREDENTIAL_FIELDS = ['authorization', 'authorisation', 'client_secret', 'clientSecret', 'secret', 'privateKey', 'private_key', 'private_jwk', 'password'] as const;

const CENSOR = '[redacted]';
const NAMES = new Set(CREDENTIAL_FIELDS.map((f) => f.toLowerCase()));
const MAY_HOLD_CREDENTIAL = new RegExp(`"(?:${CREDENTIAL_FIELDS.join('|')})"\\s*:`, 'i');

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, NAMES.has(key.toLowerCase()) ? CENSOR : redact(child)]));
}

/** One finished log line (JSON and a newline) with every credential field redacted. */
export function redactLogLine(line: string): string {
  if (!MAY_HOLD_CREDENTIAL.test(line)) return line;
  try {
    return `${JSON.stringify(redact(JSON.parse(line)))}\n`;
  } catch {
    // Not JSON (never from pino): nothing can be parsed out of it safely, so nothing of it is kept.
    return `${JSON.stringify({ msg: 'a log line could not be checked for credentials and was dropped' })}\n`;
  }
}

/** The process's logger; to standard output unless `destination` is given (tests). */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'payrail' }, hooks: { streamWrite: redactLogLine } };
  return destination ? pino(options, destination) : pino(options);
}
