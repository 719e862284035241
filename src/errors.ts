// Expected failures are values with closed codes. Every problem code has its HTTP status here, in
// one table; adding a code without a status does not compile. The catalogue is docs/ERRORS.md.

/** Problem codes (the `code` of an RFC 9457 problem) and the HTTP status each answers with. */
export const PROBLEM_STATUS = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  INVALID_ENCODING: 400,
  NESTING_TOO_DEEP: 400,
  BAD_REQUEST: 400,
  JWE_INVALID: 400,
  JOSE_ALGORITHM_NOT_ALLOWED: 400,
  ENCRYPTION_KEY_MISSING: 400,
  UNAUTHENTICATED: 401,
  JWS_INVALID: 401,
  INSUFFICIENT_SCOPE: 403,
  APPROVAL_NOT_ALLOWED: 403,
  FORBIDDEN: 403,
  KEY_CHANGE_NEEDS_CURRENT_CREDENTIAL: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  IDEMPOTENCY_KEY_IN_USE: 409,
  APPROVAL_ALREADY_GIVEN: 409,
  APPROVAL_ALREADY_DECIDED: 409,
  APPROVAL_NOT_REQUIRED: 409,
  WEBHOOK_ENDPOINT_DISABLED: 409,
  WEBHOOK_ENDPOINT_LIMIT: 409,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  ENCRYPTION_REQUIRED: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  BANK_NOT_CONNECTED: 422,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const satisfies Record<string, number>;

export type ProblemCode = keyof typeof PROBLEM_STATUS;

/** One problem with one field of a request, e.g. `payments[3].receiver.bank`. */
export interface FieldError {
  path: string;
  code: string;
  message: string;
}

/** An expected failure: rendered by the HTTP layer as a problem with this code. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? title);
    this.name = 'AppError';
    this.status = PROBLEM_STATUS[code];
  }
}

export function validationFailed(errors: FieldError[], detail?: string): AppError {
  const summary = detail ?? `${errors.length} problem${errors.length === 1 ? '' : 's'} with the request`;
  return new AppError('VALIDATION_FAILED', 'Validation failed', summary, errors);
}

export function notFound(what: string, id: string): AppError {
  return new AppError('NOT_FOUND', 'Not found', `No ${what} with id '${id}'`);
}

/**
 * A live-mode payment or batch whose sender account's bank has no bank connection (SPEC §9): 422
 * BANK_NOT_CONNECTED, naming the sender account; nothing is stored.
 */
export function bankNotConnected(senderAccountId: string, bank: string): AppError {
  return new AppError(
    'BANK_NOT_CONNECTED',
    'Bank not connected',
    `No bank connection serves ${bank}, the bank of sender account '${senderAccountId}'; nothing was created`,
    [{ path: 'senderAccountId', code: 'BANK_NOT_CONNECTED', message: `the bank ${bank} of this account has no connection (live mode)` }],
  );
}
