// Issue #18 point 4: one check of every text a request carries, before anything reaches the
// database or a bank file. PostgreSQL cannot store NUL, and a pain.001 cannot carry control
// characters, lone surrogates or U+FFFE/U+FFFF; such text is refused here with 400
// VALIDATION_FAILED naming each path (code INVALID_CHARACTERS). Which characters: src/text/characters.ts.
//
// It is a preHandler hook on the root instance, so it covers every route, present or future
// (also those registered in a plugin's own scope), after the body is parsed, opened (JOSE) and
// validated, and before the route's own pre-handlers (rate limits) and handler run.
//
// Two kinds of text:
//   - body strings (names, details, URLs…): no Unicode control character (C0, DEL, C1) except
//     tab, CR and LF, as a client may send those in free text (the rail rules and the account
//     check refuse them in what goes into a bank file);
//   - path parameters, query values and field names (ids, filters, cursors, keys): one line, so no
//     control character at all.
// Both: no lone surrogate, no U+FFFE/U+FFFF.
import type { FastifyInstance } from 'fastify';
import { isBodyText, isOneLineText } from '../text/characters.ts';
import type { FieldError } from '../errors.ts';
import { validationFailed } from '../errors.ts';

/** Where a text is: body text may hold tab, CR and LF; an id, a filter or a field name may not. */
export type TextKind = 'body' | 'line';

// A body of a million bad strings must not become a million-line answer.
const MAX_REPORTED = 50;

/** True when `text` may be accepted as a value of that kind. */
export function isAcceptableText(text: string, kind: TextKind): boolean {
  return kind === 'body' ? isBodyText(text) : isOneLineText(text);
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

const MESSAGES: Record<TextKind, string> = {
  body: 'contains a character payrail does not accept (a control character other than tab, CR and LF; a lone surrogate; U+FFFE or U+FFFF)',
  line: 'contains a character payrail does not accept (a control character, tab, CR and LF included; a lone surrogate; U+FFFE or U+FFFF)',
};

/**
 * Every text inside `value` (strings and object keys, at any depth) that is not acceptable, with
 * its path (`payments[2].receiver.proxy.value`). Iterative: the depth is not the stack's problem.
 * Bytes (a Buffer or other typed array) are not text and are not looked into.
 */
export function unacceptableTexts(value: unknown, kind: TextKind, limit = MAX_REPORTED): FieldError[] {
  const errors: FieldError[] = [];
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0 && errors.length < limit) {
    const [item, path] = stack.pop()!;
    if (typeof item === 'string') {
      if (!isAcceptableText(item, kind)) errors.push({ path: path === '' ? '(body)' : path, code: 'INVALID_CHARACTERS', message: MESSAGES[kind] });
    } else if (ArrayBuffer.isView(item)) {
      // Bytes, not text: the console's upload body (application/octet-stream) is a Buffer, read and
      // checked by its own reader. Walked as an object, its every byte was an entry: a 10 MB file
      // held the event loop for 20 s and more.
      continue;
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) stack.push([item[i], join(path, i)]);
    } else if (item !== null && typeof item === 'object') {
      const entries = Object.entries(item);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const at = join(path, key);
        if (!isAcceptableText(key, 'line')) errors.push({ path: at, code: 'INVALID_CHARACTERS', message: `is a field name that ${MESSAGES.line}` });
        else stack.push([child, at]);
      }
    }
  }
  return errors.slice(0, limit);
}

/** Registers the check on every route; call on the root instance before any route. */
export function registerInputTextCheck(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    const errors = [
      ...unacceptableTexts(request.params, 'line'),
      ...unacceptableTexts(request.query, 'line'),
      ...unacceptableTexts(request.body, 'body'),
    ].slice(0, MAX_REPORTED);
    if (errors.length > 0)
      throw validationFailed(
        errors,
        `The request has text payrail does not accept: ${errors.length === MAX_REPORTED ? `at least ${MAX_REPORTED}` : errors.length} field${errors.length === 1 ? '' : 's'}`,
      );
  });
}
