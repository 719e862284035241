// `rateLimit(policy)`: the pre-handler a route adds to be limited. On API routes it goes after
// requireAuth, which identifies the client (a request that fails authentication is refused
// before it can consume anyone's quota):
//
//   app.post('/v1/payments', { preHandler: [requireAuth('payments:write'), rateLimit('payments')] }, …)
//   app.get('/v1/payments/:id', { preHandler: [requireAuth('payments:read'), rateLimit('payment-enquiry')] }, …)
//
// POSTs creating payments or batches use `payments`; GETs of payments, batches and events use
// `payment-enquiry`; the token endpoint uses `authorisation`. Allowed answers carry the RateLimit
// fields; refused ones are a 429 problem (RATE_LIMITED) with them and Retry-After.
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { sendProblem } from '../http/problem.ts';
import { rateLimitHeaders, rateLimited } from './headers.ts';
import { limitsFor } from './policies.ts';
import { subjectOf } from './subject.ts';
import type { FindClient } from './subject.ts';
import type { Algorithm, Decision, PolicyName, RateLimitStore } from './model.ts';

export interface RateLimitPreHandlerDeps {
  store: RateLimitStore;
  algorithm: Algorithm;
  findClient: FindClient;
  /** Called with every decision (metrics). */
  onDecision?: (decision: Decision) => void;
}

export function createRateLimitPreHandler({ store, algorithm, findClient, onDecision }: RateLimitPreHandlerDeps) {
  return function rateLimit(policy: PolicyName): preHandlerAsyncHookHandler {
    return async function limitRate(request: FastifyRequest, reply: FastifyReply) {
      const subject = await subjectOf(policy, request, findClient);
      if (subject.unlimited) return;
      const decision = await store.consume(policy, subject.key, limitsFor(policy, subject.overrides), algorithm);
      onDecision?.(decision);
      void reply.headers(rateLimitHeaders(decision));
      // Sent here rather than thrown: the token endpoint's own error handler would otherwise
      // turn it into an OAuth error. RFC 6749 has no error for this, so it is a problem there too.
      if (!decision.allowed) return sendProblem(reply, rateLimited(decision));
    };
  };
}

/** The pre-handler factory routes receive: `rateLimit('payments')`. */
export type RateLimit = ReturnType<typeof createRateLimitPreHandler>;
