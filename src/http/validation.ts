// Request validation. Bodies are validated strictly (no type coercion, unknown fields refused,
// every error reported); query strings and path parameters coerce from text. Ajv's errors become
// field errors with paths in the form `payments[3].receiver.bank`.
import { Ajv } from 'ajv';
import type { ErrorObject, Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { AppError } from '../errors.ts';
import type { FieldError } from '../errors.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function makeAjv(options: Options): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, removeAdditional: false, useDefaults: true, ...options });
  addFormats(ajv);
  return ajv;
}

export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const strict = makeAjv({ coerceTypes: false });
  const coercing = makeAjv({ coerceTypes: 'array' });
  return ({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema as object);
}

/** `/payments/3/receiver/bank` → `payments[3].receiver.bank` */
export function pointerToPath(pointer: string): string {
  let path = '';
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path += /^\d+$/.test(segment) ? `[${segment}]` : path === '' ? segment : `.${segment}`;
  }
  return path;
}

function join(path: string, field: string): string {
  return path === '' ? field : `${path}.${field}`;
}

const KEYWORD_CODES: Record<string, string> = {
  required: 'REQUIRED',
  additionalProperties: 'UNKNOWN_FIELD',
  type: 'INVALID_TYPE',
  pattern: 'INVALID_FORMAT',
  format: 'INVALID_FORMAT',
  minLength: 'INVALID_LENGTH',
  maxLength: 'INVALID_LENGTH',
  enum: 'INVALID_VALUE',
  const: 'INVALID_VALUE',
  minimum: 'OUT_OF_RANGE',
  maximum: 'OUT_OF_RANGE',
  exclusiveMinimum: 'OUT_OF_RANGE',
  exclusiveMaximum: 'OUT_OF_RANGE',
  multipleOf: 'OUT_OF_RANGE',
  minItems: 'INVALID_COUNT',
  maxItems: 'INVALID_COUNT',
  uniqueItems: 'DUPLICATE_ITEMS',
  minProperties: 'INVALID_COUNT',
};

/** Ajv errors as field errors, one per problem, duplicates removed. */
export function toFieldErrors(errors: ErrorObject[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    let path = pointerToPath(e.instancePath);
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') {
      path = join(path, String((e.params as { missingProperty: string }).missingProperty));
      message = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      path = join(path, String((e.params as { additionalProperty: string }).additionalProperty));
      message = 'is not a known field';
    } else if (e.keyword === 'enum') {
      message = `must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).join(', ')}`;
    }
    if (prefix) path = path === '' ? prefix : path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
    const code = KEYWORD_CODES[e.keyword] ?? 'INVALID_VALUE';
    const key = `${path}|${code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, code, message });
  }
  return out;
}

/** A validator that returns field errors (paths under `prefix`) instead of throwing. */
export function compileFieldValidator(schema: object): (value: unknown, prefix?: string) => FieldError[] {
  const validate = makeAjv({ coerceTypes: false }).compile(schema);
  return (value, prefix = '') => (validate(value) ? [] : toFieldErrors(validate.errors ?? [], prefix));
}

/** The 400 for a request body with these problems (the schema's, and the rules' with them). */
export function bodyInvalid(errors: FieldError[]): AppError {
  return new AppError(
    'VALIDATION_FAILED',
    'Validation failed',
    `The request body is invalid: ${errors.length} problem${errors.length === 1 ? '' : 's'}`,
    errors,
  );
}
