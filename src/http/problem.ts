// One error handler for the whole API: every failure leaves as an RFC 9457 problem with a stable
// `code`. Unknown errors become a generic 500 with the request id and nothing internal.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, PROBLEM_STATUS } from '../errors.ts';
import type { FieldError, ProblemCode } from '../errors.ts';
import { toFieldErrors } from './validation.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The body of a problem response. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail?: string;
  errors?: FieldError[];
  requestId: string;
}

function problemType(code: ProblemCode): string {
  return `urn:payrail:problem:${code.toLowerCase().replace(/_/g, '-')}`;
}

export function sendProblem(reply: FastifyReply, error: AppError): FastifyReply {
  const body: Problem = {
    type: problemType(error.code),
    title: error.title,
    status: error.status,
    code: error.code,
    ...(error.detail !== undefined && { detail: error.detail }),
    ...(error.errors !== undefined && { errors: error.errors }),
    requestId: String(reply.request.id),
  };
  if (error.headers) void reply.headers(error.headers);
  return reply.code(error.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

// Fastify's own 4xx errors (body parsing, content type, size) mapped to our codes.
const FASTIFY_CODES: Record<string, [ProblemCode, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ['PAYLOAD_TOO_LARGE', 'Request body too large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['UNSUPPORTED_MEDIA_TYPE', 'Unsupported content type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['BAD_REQUEST', 'Invalid Content-Length'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['INVALID_JSON', 'Empty JSON body'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['INVALID_JSON', 'Malformed JSON'],
};

/** Converts anything thrown in a request into the AppError to render. */
export function toAppError(err: FastifyError | Error, log: FastifyRequest['log']): AppError {
  if (err instanceof AppError) return err;
  const fe = err as FastifyError;
  if (fe.validation) {
    const errors = toFieldErrors(fe.validation as never);
    const where = fe.validationContext === 'body' ? 'request body' : (fe.validationContext ?? 'request');
    return new AppError('VALIDATION_FAILED', 'Validation failed', `The ${where} is invalid: ${errors.length} problem${errors.length === 1 ? '' : 's'}`, errors);
  }
  const mapped = fe.code ? FASTIFY_CODES[fe.code] : undefined;
  if (mapped) return new AppError(mapped[0], mapped[1], fe.message);
  if (err instanceof SyntaxError || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new AppError('INVALID_JSON', 'Malformed JSON', 'The request body is not valid JSON');
  }
  const status = fe.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code = (Object.entries(PROBLEM_STATUS).find(([, s]) => s === status)?.[0] ?? 'BAD_REQUEST') as ProblemCode;
    return new AppError(code, 'Bad request', fe.message);
  }
  log.error({ err }, 'unhandled error');
  return new AppError('INTERNAL_ERROR', 'Internal error', 'Something went wrong on our side; quote the requestId when you contact support');
}

export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => sendProblem(reply, toAppError(err as FastifyError, request.log)));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, new AppError('ROUTE_NOT_FOUND', 'Not found', `No route ${request.method} ${request.url.split('?')[0]}`)),
  );
}
