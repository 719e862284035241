// Wires idempotency into a creating route: claim the key, run the work (which completes the key in
// its own transaction through the `complete` hook), or replay the stored response.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientOf } from '../auth/bearer.ts';
import { AppError } from '../errors.ts';
import type { DbOrTx } from '../store/database.ts';
import { fingerprintOf } from './service.ts';
import type { IdempotencyService } from './service.ts';

/** Called by a service inside its creating transaction with the response body it will return. */
export type CompleteHook = (tx: DbOrTx, body: unknown) => Promise<void>;

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export function createIdempotentRunner(idempotency: IdempotencyService) {
  /** Runs `work` at most once per Idempotency-Key and answers `status` with its result. */
  return async function idempotent<T>(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    work: (complete?: CompleteHook) => Promise<T>,
  ): Promise<FastifyReply> {
    const header = request.headers['idempotency-key'];
    if (header === undefined) return reply.code(status).send(await work());
    if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
      throw new AppError('VALIDATION_FAILED', 'Validation failed', 'Idempotency-Key must be 1–255 printable ASCII characters', [
        { path: 'Idempotency-Key', code: 'INVALID_FORMAT', message: 'must be 1–255 printable ASCII characters' },
      ]);
    }
    const clientId = clientOf(request).id;
    // The concrete path (without the query): /payment/hk/v1.0/fps and /rtgs are different requests.
    const route = `${request.method} ${request.url.split('?')[0]}`;
    const claim = await idempotency.claim(clientId, header, fingerprintOf(route, request.body));
    if (claim.kind === 'replay') return reply.code(claim.status).header('idempotent-replayed', 'true').send(claim.body);
    let result: T;
    try {
      result = await work((tx, body) => idempotency.complete(tx, clientId, header, status, body));
    } catch (err) {
      await idempotency.release(clientId, header).catch(() => undefined);
      throw err;
    }
    return reply.code(status).send(result);
  };
}

export type IdempotentRunner = ReturnType<typeof createIdempotentRunner>;
