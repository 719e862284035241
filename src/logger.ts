// Structured logs (pino). Credentials never reach a log line: the known places are redacted.
import pino from 'pino';
import type { Logger } from 'pino';
import type { LogLevel } from './config.ts';

export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    base: { service: 'payrail' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.authorisation', 'client_secret', '*.client_secret', 'secret', '*.secret', 'privateKey', '*.private_jwk'],
      censor: '[redacted]',
    },
  });
}
