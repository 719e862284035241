// What a request body must be before any parser reads it (issue #18, points 5 and 8):
//
//   - UTF-8. A body declaring another charset (`charset=utf-16`) is 415; bytes that are not valid
//     UTF-8 are 400 INVALID_ENCODING, never silently turned into U+FFFD. Checked on the raw bytes
//     as they stream in (preParsing), so every parser (JSON, the token endpoint's form,
//     application/jose) gets only valid UTF-8, and a future parser cannot forget it. Except a body
//     of bytes (application/octet-stream) sent to a route that takes one (`config.bytesBody`):
//     the console's upload of a payroll file (an XLSX workbook is a zip), whose reader refuses a
//     CSV that is not UTF-8 by line.
//   - JSON nested at most MAX_JSON_DEPTH deep, checked by an iterative scan before JSON.parse:
//     nothing recursive (validation, the idempotency fingerprint, the control-character check)
//     ever sees a 100,000-deep body.
import { Transform } from 'node:stream';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

/** Deeper than any request payrail takes (a batch is 5: payments[i].receiver.address.line1). */
export const MAX_JSON_DEPTH = 32;

const UTF8_NAMES: ReadonlySet<string> = new Set(['utf-8', 'utf8']);

/** The `charset` parameter of a Content-Type, lower-cased and unquoted; undefined when absent. */
export function declaredCharset(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  for (const param of contentType.split(';').slice(1)) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    return param
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .trim()
      .toLowerCase();
  }
  return undefined;
}

function invalidEncoding(): AppError {
  return new AppError('INVALID_ENCODING', 'Invalid encoding', 'The request body is not valid UTF-8');
}

/** Passes the bytes through unchanged; fails with INVALID_ENCODING at the first byte that is not UTF-8. */
function utf8Validator(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        // stream: a character split across two chunks is completed by the next one.
        decoder.decode(chunk, { stream: true });
        done(null, chunk);
      } catch {
        done(invalidEncoding());
      }
    },
    flush(done) {
      try {
        decoder.decode();
        done();
      } catch {
        done(invalidEncoding());
      }
    },
  });
}

/** True when the JSON text opens more than `max` arrays or objects inside one another. A scan, no recursion. */
export function jsonDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character, a quote included
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

type JsonParser = (request: FastifyRequest, text: string, done: (err: Error | null, value?: unknown) => void) => void;

/**
 * Fastify's own JSON parser (prototype-poisoning checks included) behind the depth check. The
 * API's `application/json` parser, and the one that reads the JSON inside an application/jose body.
 */
export function depthCheckedJsonParser(app: FastifyInstance): JsonParser {
  const parse = app.getDefaultJsonParser('error', 'error') as JsonParser;
  return (request, text, done) => {
    if (jsonDeeperThan(text, MAX_JSON_DEPTH)) {
      done(new AppError('NESTING_TOO_DEEP', 'Nesting too deep', `The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep`));
      return;
    }
    parse(request, text, done);
  };
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes a body of bytes (application/octet-stream), which is not checked as UTF-8 text. */
    bytesBody?: boolean;
  }
}

/** True for a body of bytes, not text, sent to a route that takes one (see the header). */
function isBinary(request: FastifyRequest): boolean {
  return request.routeOptions.config.bytesBody === true && request.headers['content-type']?.split(';')[0]?.trim().toLowerCase() === 'application/octet-stream';
}

/** Registers the UTF-8 check on every text body and the depth-checked JSON parser; call before any route. */
export function registerBodyReading(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, depthCheckedJsonParser(app));
  app.addHook('preParsing', async (request, _reply, payload: Readable) => {
    if (!hasBody(request) || isBinary(request)) return payload;
    const charset = declaredCharset(request.headers['content-type']);
    if (charset !== undefined && !UTF8_NAMES.has(charset)) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported charset', `Request bodies must be UTF-8; this one declares charset=${charset.slice(0, 40)}`);
    }
    const validator = utf8Validator();
    // Not pipeline(): on a bad byte it would destroy the request, and with it the socket the 400
    // is to be written to. The validator's own error is what Fastify's body reader sees.
    payload.on('error', (err) => validator.destroy(err));
    // Fastify stops listening to the validator once it has answered (a 413 mid-body); a client that
    // then hangs up must not become an uncaught 'error' that ends the process.
    validator.on('error', () => {});
    return payload.pipe(validator);
  });
}
