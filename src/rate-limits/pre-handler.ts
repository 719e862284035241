// `rateLimit(policy)`: the pre-handler a route adds to be limited. On API routes it goes after
// requireAuth, which identifies the client (a request that fails authentication is refused
// before it can consume anyone's quota):
//
//   app.post('/v1/payments', { preHandler: [requireAuth('payments:write'), rateLimit('payments')] }, …)
//   app.get('/v1/payments/:id', { preHandler: [requireAuth('payments:read'), rateLimit('payment-enquiry')] }, …)
//
// POSTs creating payments or batches use `payments`; GETs of payments, batches and events, and the
// dry runs (POST …/validate, which create nothing), use `payment-enquiry`; the rest of a client's
// calls (accounts, webhook endpoints, keys, approvals) use `management`, so that setting up never
// spends the budget SPEC §5 gives to payments. The token endpoint
// counts `authorisation` itself, with `rateLimit.charge`, once the client has authenticated: a
// wrong secret sent with a client's id must not spend that client's budget (failed attempts are
// limited apart, by auth-failures.ts). Allowed answers carry the RateLimit fields; refused ones
// are a 429 problem (RATE_LIMITED) with them and Retry-After.
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { clientOf } from '../auth/bearer.ts';
import type { Client } from '../clients/service.ts';
import { sendProblem } from '../http/problem.ts';
import { rateLimitHeaders, rateLimited } from './headers.ts';
import { limitsFor } from './policies.ts';
import { subjectOf } from './subject.ts';
import type { Algorithm, ClientPolicyName, Decision, RateLimitStore } from './model.ts';

export interface RateLimitPreHandlerDeps {
  store: RateLimitStore;
  algorithm: Algorithm;
  /** Called with every decision (metrics). */
  onDecision?: (decision: Decision) => void;
}

export function createRateLimitPreHandler({ store, algorithm, onDecision }: RateLimitPreHandlerDeps) {
  /** Counts one call of `client` under `policy`; false when refused (the 429 has been sent). */
  async function charge(policy: ClientPolicyName, client: Client, reply: FastifyReply): Promise<boolean> {
    const subject = subjectOf(client);
    if (subject.unlimited) return true;
    const decision = await store.consume(policy, subject.key, limitsFor(policy, subject.overrides), algorithm);
    onDecision?.(decision);
    void reply.headers(rateLimitHeaders(decision));
    // Sent here rather than thrown: the token endpoint's own error handler would otherwise
    // turn it into an OAuth error. RFC 6749 has no error for this, so it is a problem there too.
    if (!decision.allowed) void sendProblem(reply, rateLimited(decision));
    return decision.allowed;
  }

  function rateLimit(policy: ClientPolicyName): preHandlerAsyncHookHandler {
    return async function limitRate(request: FastifyRequest, reply: FastifyReply) {
      // A hook that has sent the answer returns the reply, so Fastify stops there.
      if (!(await charge(policy, clientOf(request), reply))) return reply;
    };
  }

  return Object.assign(rateLimit, { charge });
}

/** The pre-handler factory routes receive: `rateLimit('payments')`, and `rateLimit.charge`. */
export type RateLimit = ReturnType<typeof createRateLimitPreHandler>;
