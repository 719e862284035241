// Listing every problem of a request (SPEC §4: "every problem is listed"), when some of them are
// the schema's. A body the schema refuses never reaches the rail rules on its own: the rules are
// written for well-typed input. Here the fields the schema refused are taken out of a copy, and the
// rules run on what is left, so an answer names a 141-character paymentDetails (schema) and a
// receiver bank of the wrong market (rule) together. A rule's finding at or under a field the
// schema refused is dropped (the schema's says it already), and a rule that cannot run on what is
// left (it needed a field that was taken out) adds nothing: the schema's problems are listed as before.
import type { FieldError } from '../errors.ts';
import { AppError } from '../errors.ts';

/** `payments[3].receiver.bank` → ['payments', 3, 'receiver', 'bank'] */
function segments(path: string): (string | number)[] {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

/** A deep copy of `body` without the fields at `paths` (field-error paths, relative to the body). */
export function withoutFields(body: unknown, paths: readonly string[]): unknown {
  const copy: unknown = structuredClone(body);
  for (const path of paths) {
    const keys = segments(path);
    if (keys.length === 0) return undefined; // the body itself is wrong: nothing is left
    let parent: unknown = copy;
    for (const key of keys.slice(0, -1)) parent = parent !== null && typeof parent === 'object' ? (parent as Record<string | number, unknown>)[key] : undefined;
    if (parent !== null && typeof parent === 'object') delete (parent as Record<string | number, unknown>)[keys.at(-1)!];
  }
  return copy;
}

/** Whether `path` is `at` itself or a field under it. */
export function isAtOrUnder(path: string, at: string): boolean {
  return path === at || path.startsWith(`${at}.`) || path.startsWith(`${at}[`);
}

/**
 * The schema's problems, and the rules' problems with what the schema refused taken out. `rules`
 * gets the body without the refused fields and returns (or throws, as VALIDATION_FAILED) its
 * problems; one that cannot run on that body adds nothing.
 */
export async function everyProblem(
  body: unknown,
  schemaErrors: readonly FieldError[],
  rules: (rest: unknown) => Promise<FieldError[]> | FieldError[],
): Promise<FieldError[]> {
  const rest = withoutFields(
    body,
    schemaErrors.map((e) => e.path),
  );
  if (rest === null || typeof rest !== 'object' || Array.isArray(rest)) return [...schemaErrors];
  let found: FieldError[];
  try {
    found = await rules(rest);
  } catch (err) {
    // A rule's own refusal carries its problems; anything else (a TypeError on a missing field,
    // another refusal such as 422) means the rules could not judge this body: nothing to add.
    found = err instanceof AppError && err.code === 'VALIDATION_FAILED' ? (err.errors ?? []) : [];
  }
  const extra = found.filter((e) => !schemaErrors.some((s) => isAtOrUnder(e.path, s.path)));
  return [...schemaErrors, ...extra];
}
