// Failed authentications at the token endpoint (issue #18). They are not counted in the client's
// `authorisation` budget (only authenticated requests are, see pre-handler.ts): otherwise anyone
// who knows a client id could spend that client's 10 tokens an hour with wrong secrets and lock
// it out for an hour. They are counted apart, under the `auth-failures` policy, twice:
//
//   per source address — any client id:     5 per 10 s, 20 per minute, 60 per 5 minutes
//   per client id      — from any address:  20 per 10 s, 60 per minute, 200 per 5 minutes
//
// Credentials are always checked first, and right ones get their token: the limits only decide how
// a failure is answered. Over the address's limits, a failure from it is answered 429
// (Retry-After) instead of 401, and not counted again. The wait grows with the failures — about 10 s after 5, about a minute after 20,
// about 5 minutes after 60 — and never more: the longest window is 5 minutes. (With the sliding
// algorithm a full window weighs on into the next one, so the exact bounds are w + w/quota:
// 12 s, 63 s and 305 s.)
//
// Over a client id's limits (an attack from many addresses), failures for that id are answered
// 429 only from addresses that failed themselves in the last minute or two. Nobody is refused a
// token for a right secret: hammering a victim's id, from any address (the victim's own
// included), never delays the victim. Client secrets are 256-bit random values and assertions
// are signatures: the limits are there to slow and show a guesser, not to make guessing
// infeasible, which it is already.
//
// The limits reuse the stores and algorithms of this folder (memory, or Redis shared by every
// instance): a failure peeks, and is counted when it is answered 401. Concurrent failures from
// one address may each pass the peek before the first is counted; that gives a burst at most
// its concurrency of extra 401s, after which the limits hold.
import { isIPv4, isIPv6 } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
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

  /**
   * A token request whose authentication failed: over the failure limits, answers it with a 429
   * problem (Retry-After) and returns true; else counts the failure and returns false (the caller
   * answers 401).
   */
  async function refuseOrCount(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const address = request.ip;
    const clientId = presentedClientId(request);
    const refused = await check(address, clientId);
    if (!refused) {
      await recordFailure(address, clientId);
      return false;
    }
    onDecision?.(refused);
    void reply.headers(rateLimitHeaders(refused));
    await sendProblem(reply, rateLimited(refused));
    return true;
  }

  return { check, recordFailure, refuseOrCount };
}

export type AuthFailures = ReturnType<typeof createAuthFailures>;
