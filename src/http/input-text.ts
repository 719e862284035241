// Issue #18 point 4: one check of every text a request carries, before anything reaches the
// database or a bank file. PostgreSQL cannot store NUL, and a pain.001 cannot carry control
// characters, lone surrogates or U+FFFE/U+FFFF; such text is refused here with 400
// VALIDATION_FAILED naming each path (code INVALID_CHARACTERS).
//
// It is a preHandler hook on the root instance, so it covers every route, present or future
// (also those registered in a plugin's own scope), after the body is parsed, opened (JOSE) and
// validated, and before the route's own pre-handlers (rate limits) and handler run.
//
// Two kinds of text:
//   - body text (names, details, URLs…): what an XML 1.0 document can carry — tab, CR and LF are
//     allowed, as a client may send them in free text (the rail rules decide where they fit);
//   - path parameters and query strings (ids, filters, cursors): one line, so no C0 control at all.
import type { FastifyInstance } from 'fastify';
import { isXmlText } from '../bank-files/xml/escape.ts';
import type { FieldError } from '../errors.ts';
import { validationFailed } from '../errors.ts';

/** Where a text is: body text may hold tab, CR and LF; an id or a filter may not. */
export type TextKind = 'body' | 'line';

const LINE_BREAK_OR_TAB = /[\t\n\r]/;
// A body of a million bad strings must not become a million-line answer.
const MAX_REPORTED = 50;

/** True when `text` may be accepted as a value of that kind (the bank file's own test, plus one-line for ids). */
export function isAcceptableText(text: string, kind: TextKind): boolean {
  return isXmlText(text) && (kind === 'body' || !LINE_BREAK_OR_TAB.test(text));
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

const MESSAGE = 'contains a character payrail does not accept (a control character, a lone surrogate, U+FFFE or U+FFFF)';

/**
 * Every text inside `value` (strings and object keys, at any depth) that is not acceptable, with
 * its path (`payments[2].receiver.proxy.value`). Iterative: the depth is not the stack's problem.
 */
export function unacceptableTexts(value: unknown, kind: TextKind, limit = MAX_REPORTED): FieldError[] {
  const errors: FieldError[] = [];
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0 && errors.length < limit) {
    const [item, path] = stack.pop()!;
    if (typeof item === 'string') {
      if (!isAcceptableText(item, kind)) errors.push({ path: path === '' ? '(body)' : path, code: 'INVALID_CHARACTERS', message: MESSAGE });
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) stack.push([item[i], join(path, i)]);
    } else if (item !== null && typeof item === 'object') {
      const entries = Object.entries(item);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const at = join(path, key);
        if (!isAcceptableText(key, 'line')) errors.push({ path: at, code: 'INVALID_CHARACTERS', message: `is a field name that ${MESSAGE}` });
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
    if (errors.length > 0) throw validationFailed(errors, `The request has text payrail does not accept: ${errors.length === MAX_REPORTED ? `at least ${MAX_REPORTED}` : errors.length} field${errors.length === 1 ? '' : 's'}`);
  });
}
