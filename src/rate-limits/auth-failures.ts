// Failed authentications at the token endpoint (issue #18). They are not counted in the client's
// `authorisation` budget (only authenticated requests are, see pre-handler.ts): otherwise anyone
// who knows a client id could spend that client's 10 tokens an hour with wrong secrets and lock
// it out for an hour. They are counted apart, under the `auth-failures` policy, twice:
//
//   per source address — any client id:     5 per 10 s, 20 per minute, 60 per 5 minutes
//   per client id      — from any address:  20 per 10 s, 60 per minute, 200 per 5 minutes
//
// Over the address's limits, that address is answered 429 (Retry-After) before its credentials
// are looked at. The wait grows with the failures — about 10 s after 5, about a minute after 20,
// about 5 minutes after 60 — and never more: the longest window is 5 minutes. (With the sliding
// algorithm a full window weighs on into the next one, so the exact bounds are w + w/quota:
// 12 s, 63 s and 305 s.)
//
// Over a client id's limits (an attack from many addresses), only addresses that failed
// themselves in the last minute or two are refused for that id. An address with a clean record —
// the real client, as a rule — still has its correct secret checked and gets its token at once:
// hammering a victim's id can delay the victim only where the victim shares the attacker's
// address or failed itself, and then for at most the Retry-After (bounded by the windows above).
//
// The limits reuse the stores and algorithms of this folder (memory, or Redis shared by every
// instance): a check before verification peeks, a failure after it is counted. Concurrent
// requests from one address may each pass the peek before the first failure is counted; that
// gives a burst at most its concurrency of extra attempts, after which the limits hold.
import { isIPv4, isIPv6 } from 'node:net';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { sendProblem } from '../http/problem.ts';
import { rateLimitHeaders, rateLimited } from './headers.ts';
import { presentedClientId } from './subject.ts';
import { AUTH_FAILURES } from './model.ts';
import type { Algorithm, Decision, Limit, RateLimitStore, WindowOutcome } from './model.ts';

/** Failures allowed per source address, longest window first. */
export const ADDRESS_FAILURE_LIMITS: readonly Limit[] = Object.freeze([
  { window: '5-minutes', quota: 60 },
  { window: 'minute', quota: 20 },
  { window: '10-seconds', quota: 5 },
]);

/** Failures allowed per presented client id, from every address together. */
export const CLIENT_FAILURE_LIMITS: readonly Limit[] = Object.freeze([
  { window: '5-minutes', quota: 200 },
  { window: 'minute', quota: 60 },
  { window: '10-seconds', quota: 20 },
]);

/**
 * The source an address counts as: an IPv4 address by itself (an IPv4-mapped IPv6 address as
 * that IPv4 address), an IPv6 address by its /64 — one subscriber or host usually holds a whole
 * /64, and counting each /128 apart would give it 2^64 fresh budgets.
 */
export function addressSource(address: string): string {
  const plain = address.replace(/%.*$/, '').toLowerCase();
  if (!isIPv6(plain)) return plain;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(plain);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  const [head = '', tail] = plain.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  // An embedded IPv4 tail (::1.2.3.4) sits in the last 32 bits, never in the /64 prefix.
  const left = groups(head);
  const right = groups(tail);
  const hextets = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${hextets
    .slice(0, 4)
    .map((h) => (/^[0-9a-f]{1,4}$/.test(h) ? h.replace(/^0+(?=.)/, '') : '0'))
    .join(':')}::/64`;
}

const addressKey = (address: string) => `ip:${addressSource(address)}`;
const clientKey = (clientId: string) => `client:${clientId}`;

/** The address failed lately: its minute window (with the previous minute's weight) is not empty. */
function failedLately(byAddress: Decision): boolean {
  return byAddress.windows.some((o: WindowOutcome) => o.limit.window === 'minute' && o.used > 0);
}

/** The failure limits per address and per client id (tests other than these limits' own lift them). */
export interface AuthFailureLimits {
  address: readonly Limit[];
  client: readonly Limit[];
}

export const AUTH_FAILURE_LIMITS: AuthFailureLimits = Object.freeze({ address: ADDRESS_FAILURE_LIMITS, client: CLIENT_FAILURE_LIMITS });

export interface AuthFailuresDeps {
  store: RateLimitStore;
  algorithm: Algorithm;
  limits?: AuthFailureLimits;
  /** Called with every decision (metrics). */
  onDecision?: (decision: Decision) => void;
}

export function createAuthFailures({ store, algorithm, onDecision, limits = AUTH_FAILURE_LIMITS }: AuthFailuresDeps) {
  /**
   * Whether a token request may have its credentials checked: undefined if so, else the refusing
   * decision (whose Retry-After says when to come back).
   */
  async function check(address: string, clientId: string | undefined): Promise<Decision | undefined> {
    const byAddress = await store.peek(AUTH_FAILURES, addressKey(address), limits.address, algorithm);
    if (!byAddress.allowed) return byAddress;
    if (clientId === undefined || !failedLately(byAddress)) return undefined;
    const byClient = await store.peek(AUTH_FAILURES, clientKey(clientId), limits.client, algorithm);
    return byClient.allowed ? undefined : byClient;
  }

  /** Counts one failed authentication from `address` presenting `clientId`. */
  async function recordFailure(address: string, clientId: string | undefined): Promise<void> {
    // Counted first, reported after: `onDecision?.(await …)` would skip the count without a listener.
    const decisions = [await store.consume(AUTH_FAILURES, addressKey(address), limits.address, algorithm)];
    if (clientId !== undefined) decisions.push(await store.consume(AUTH_FAILURES, clientKey(clientId), limits.client, algorithm));
    for (const d of decisions) onDecision?.(d);
  }

  /** The token endpoint's pre-handler: a 429 problem for a caller over its failure limits. */
  const guard: preHandlerAsyncHookHandler = async function guardAuthFailures(request: FastifyRequest, reply: FastifyReply) {
    const refused = await check(request.ip, presentedClientId(request));
    if (!refused) return;
    onDecision?.(refused);
    void reply.headers(rateLimitHeaders(refused));
    return sendProblem(reply, rateLimited(refused));
  };

  return {
    check,
    recordFailure,
    guard,
    /** Counts the failed authentication of a token request. */
    failed: (request: FastifyRequest) => recordFailure(request.ip, presentedClientId(request)),
  };
}

export type AuthFailures = ReturnType<typeof createAuthFailures>;
