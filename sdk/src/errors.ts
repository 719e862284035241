// Every failure the SDK throws is a PayrailError. An answer from payrail carries its RFC 9457
// problem (`status`, `code`, `errors` with field paths); the token endpoint answers RFC 6749
// errors, mapped to the same shape (`code` = the OAuth `error`). Subclasses per kind, as in
// stripe-node and the OpenAI SDK, so a caller can `catch (e) { if (e instanceof
// PayrailRateLimitError) … }`; `type` says the same as a string for `switch`.

/** One problem with one field of a request, e.g. `payments[3].receiver.bank`. */
export interface FieldError {
  path: string;
  code: string;
  message: string;
}

/** An RFC 9457 problem as payrail sends it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  errors?: FieldError[];
  requestId?: string;
  [extra: string]: unknown;
}

export type PayrailErrorType =
  | 'invalid_request' // 400, 413, 414, 415 and other 4xx without a class of their own
  | 'authentication' // 401, and OAuth errors of the token endpoint
  | 'permission' // 403
  | 'not_found' // 404
  | 'conflict' // 409 (approvals, endpoints)
  | 'idempotency' // 409 IDEMPOTENCY_KEY_IN_USE, 422 IDEMPOTENCY_KEY_REUSED
  | 'unprocessable' // 422 other than idempotency (e.g. BANK_NOT_CONNECTED)
  | 'rate_limit' // 429
  | 'api' // 5xx
  | 'connection' // no answer: network error or timeout
  | 'response' // an answer the SDK cannot read (not JSON, bad JOSE signature)
  | 'webhook_verification'; // Payrail.webhooks.verify refused a delivery

export interface PayrailErrorInit {
  status?: number;
  code: string;
  message: string;
  errors?: FieldError[];
  problem?: Problem;
  headers?: Headers;
  requestId?: string;
  cause?: unknown;
}

export class PayrailError extends Error {
  readonly type: PayrailErrorType = 'invalid_request';
  /** The HTTP status; undefined when no answer came (connection errors). */
  readonly status: number | undefined;
  /** The problem's stable code (`VALIDATION_FAILED`, `RATE_LIMITED`, …) or the OAuth error. */
  readonly code: string;
  /** Field errors, each with its path; empty when the problem has none. */
  readonly errors: FieldError[];
  /** The RFC 9457 body as it came, when there was one. */
  readonly problem: Problem | undefined;
  readonly headers: Headers | undefined;
  /** Quote it to support: payrail logs every request under it. */
  readonly requestId: string | undefined;

  constructor(init: PayrailErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.status = init.status;
    this.code = init.code;
    this.errors = init.errors ?? [];
    this.problem = init.problem;
    this.headers = init.headers;
    this.requestId = init.requestId ?? init.problem?.requestId;
  }
}

export class PayrailInvalidRequestError extends PayrailError {
  override readonly type = 'invalid_request' as const;
}
export class PayrailAuthenticationError extends PayrailError {
  override readonly type = 'authentication' as const;
}
export class PayrailPermissionError extends PayrailError {
  override readonly type = 'permission' as const;
}
export class PayrailNotFoundError extends PayrailError {
  override readonly type = 'not_found' as const;
}
export class PayrailConflictError extends PayrailError {
  override readonly type = 'conflict' as const;
}
export class PayrailIdempotencyError extends PayrailError {
  override readonly type = 'idempotency' as const;
}
export class PayrailUnprocessableError extends PayrailError {
  override readonly type = 'unprocessable' as const;
}
export class PayrailRateLimitError extends PayrailError {
  override readonly type = 'rate_limit' as const;
  /** Seconds to wait, from Retry-After. */
  get retryAfter(): number | undefined {
    const value = Number(this.headers?.get('retry-after'));
    return Number.isFinite(value) ? value : undefined;
  }
}
export class PayrailAPIError extends PayrailError {
  override readonly type = 'api' as const;
}
export class PayrailConnectionError extends PayrailError {
  override readonly type = 'connection' as const;
}
export class PayrailResponseError extends PayrailError {
  override readonly type = 'response' as const;
}
export class WebhookVerificationError extends PayrailError {
  override readonly type = 'webhook_verification' as const;
}

/** The error for an answer with this status and problem. */
export function errorFromResponse(status: number, problem: Problem | undefined, headers: Headers, fallbackMessage: string): PayrailError {
  const code = problem?.code ?? `HTTP_${status}`;
  const init: PayrailErrorInit = {
    status,
    code,
    message: problem ? [problem.title, problem.detail].filter(Boolean).join(': ') : fallbackMessage,
    errors: problem?.errors,
    problem,
    headers,
  };
  if (code === 'IDEMPOTENCY_KEY_IN_USE' || code === 'IDEMPOTENCY_KEY_REUSED') return new PayrailIdempotencyError(init);
  if (status === 401) return new PayrailAuthenticationError(init);
  if (status === 403) return new PayrailPermissionError(init);
  if (status === 404) return new PayrailNotFoundError(init);
  if (status === 409) return new PayrailConflictError(init);
  if (status === 422) return new PayrailUnprocessableError(init);
  if (status === 429) return new PayrailRateLimitError(init);
  if (status >= 500) return new PayrailAPIError(init);
  return new PayrailInvalidRequestError(init);
}
