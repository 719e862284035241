// Structured logs (pino). Credentials never reach a log line: a field named like a credential is
// redacted wherever it is in the record, at any depth (inside a logged object, an error's own
// properties, a child logger's bindings, a serialized request's headers).
//
// pino's `redact` paths name fixed depths (`*.secret` is one level down), so a secret two levels
// down would slip through. Instead the finished line is checked as it is written: the common case
// (no credential-like field name in the line) costs one regular-expression test; otherwise the
// line is parsed, every such field replaced, and written again.
//
// On a terminal the lines are made readable (formatLogLine: time, level, message, fields) after
// that check; anywhere else (a file, a pipe, a log collector) they stay one JSON object a line.
import pino from 'pino';
import type { DestinationStream, Logger } from 'pino';
import type { LogLevel } from './config.ts';

/** Field names whose value is a credential, compared case-insensitively. */
export const CREDENTIAL_FIELDS = [
  'authorization',
  'authorisation',
  'client_secret',
  'clientSecret',
  'secret',
  'privateKey',
  'private_key',
  'private_jwk',
  'password',
] as const;

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

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields every line has, shown by position rather than as key=value. */
const SHOWN_APART = new Set(['level', 'time', 'msg', 'service', 'err']);

function fieldText(value: unknown): string {
  if (typeof value === 'string' && /^[^\s"=]+$/.test(value)) return value;
  return JSON.stringify(value) ?? 'undefined';
}

/**
 * One JSON log line as a person reads it on a terminal:
 * `11:28:03.123 INFO  payrail is listening  address=http://127.0.0.1:8080 role=all`, and an
 * error's stack on the lines below. A line that is not pino's JSON is passed through.
 */
export function formatLogLine(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = typeof record.time === 'number' ? new Date(record.time).toISOString().slice(11, 23) : '';
  const level = (LEVEL_NAMES[record.level as number] ?? String(record.level)).padEnd(5);
  const fields = Object.entries(record)
    .filter(([key]) => !SHOWN_APART.has(key))
    .map(([key, value]) => `${key}=${fieldText(value)}`);
  const err = record.err as { stack?: unknown; message?: unknown } | undefined;
  const stack = typeof err?.stack === 'string' ? `\n${err.stack.replace(/^/gm, '    ')}` : err ? `  err=${fieldText(err.message ?? err)}` : '';
  return `${time} ${level} ${String(record.msg ?? '')}${fields.length > 0 ? `  ${fields.join(' ')}` : ''}${stack}\n`;
}

/** Standard output, made readable by formatLogLine when it is a terminal. */
function standardOutput(): DestinationStream | undefined {
  if (!process.stdout.isTTY) return undefined; // pino's own fast JSON writer
  return { write: (line: string) => void process.stdout.write(formatLogLine(line)) };
}

/** The process's logger; to standard output unless `destination` is given (tests). */
export function createLogger(level: LogLevel, destination: DestinationStream | undefined = standardOutput()): Logger {
  const options = { level, base: { service: 'payrail' }, hooks: { streamWrite: redactLogLine } };
  return destination ? pino(options, destination) : pino(options);
}
