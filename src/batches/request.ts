// Reading a batch request: the envelope (shared fields, 1–1,000 items) and then each payment on
// its own, so the answer lists every problem of every payment — schema problems and rail-rule
// problems together — rather than stopping at the first schema error.
import type { FieldError } from '../errors.ts';
import { validationFailed } from '../errors.ts';
import { compileFieldValidator } from '../http/validation.ts';
import { BatchItemSchema } from './schemas.ts';

const checkItem = compileFieldValidator(BatchItemSchema);

/** What the schema found: its errors, and which items are well-formed enough for the rules. */
export interface BatchSchemaResult {
  errors: FieldError[];
  /** Indexes of the items the schema refused (the rail rules skip them). */
  malformed: Set<number>;
}

/**
 * Checks a batch body against the envelope and item schemas. Throws the 400 at once when the
 * envelope itself is wrong (no rule can run without its shared fields); otherwise returns the
 * item problems for the service to list beside the rule problems.
 */
export function checkBatchShape<T extends { payments: unknown[] }>(
  body: unknown,
  checkEnvelope: (value: unknown) => FieldError[],
): { input: T; schema: BatchSchemaResult } {
  const envelope = checkEnvelope(body);
  const items = Array.isArray((body as { payments?: unknown } | null)?.payments) ? (body as { payments: unknown[] }).payments : [];
  const malformed = new Set<number>();
  const itemErrors: FieldError[] = [];
  items.forEach((item, i) => {
    const errors = checkItem(item, `payments[${i}]`);
    if (errors.length > 0) malformed.add(i);
    itemErrors.push(...errors);
  });
  if (envelope.length > 0) {
    const bad = malformed.size;
    throw validationFailed(
      [...envelope, ...itemErrors],
      bad > 0 ? `${bad} of ${items.length} payments are invalid; nothing was created` : 'The batch is invalid; nothing was created',
    );
  }
  return { input: body as T, schema: { errors: itemErrors, malformed } };
}
