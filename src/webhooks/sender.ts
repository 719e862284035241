// One HTTP POST of a webhook: a timeout over the whole exchange (10 s by default), redirects not
// followed (a 3xx is a failed attempt), and the SSRF guard on every connection. undici's Pool (one
// per origin and address policy, kept-alive connections) costs about half the CPU of node:http per
// request (docs/PERFORMANCE.md); its connector resolves through `guardedLookup`, and the connected
// socket's remote address is checked again (IP-literal hosts skip `lookup`) before any byte is sent.
import { isIP } from 'node:net';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Pool, buildConnector } from 'undici';
import { refusedAddress } from './address-policy.ts';
import type { AddressCategory, AddressPolicy } from './address-policy.ts';
import { ForbiddenAddressError, guardedLookup } from './resolver.ts';
import type { Resolver } from './resolver.ts';
import { hostOf } from './url-policy.ts';

export const DEFAULT_TIMEOUT_MS = 10_000;

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The endpoint's client mode: which addresses may be connected to. */
  policy: AddressPolicy;
}

/** What one attempt came to: the receiver's status, or why there was none. */
export interface SendResult {
  statusCode?: number;
  error?: string;
  /** Set when the attempt was cut short by shutdown: not the receiver's fault, not recorded. */
  aborted?: boolean;
  durationMs: number;
}

export interface WebhookSender {
  send(request: WebhookRequest, signal?: AbortSignal): Promise<SendResult>;
  close(): void;
}

export interface SenderOptions {
  resolve: Resolver;
  timeoutMs?: number;
  /** Connections kept per origin (also bounds the requests in flight to one receiver). */
  maxSocketsPerHost?: number;
}

/** Origins with a pool of their own at a time; the least recently used is closed beyond it. */
const POOLS_KEPT = 1000;
/** A parsed endpoint URL, or why it cannot be sent to. */
type Target = { url: URL } | { error: string };

function describeError(err: unknown): string {
  if (err instanceof ForbiddenAddressError) return err.message;
  const e = err as NodeJS.ErrnoException & { cause?: unknown };
  if (e.cause instanceof ForbiddenAddressError) return e.cause.message;
  const code = e.code ? ` (${e.code})` : '';
  return `${e.message || 'request failed'}${code}`.slice(0, 500);
}

export function createWebhookSender({ resolve, timeoutMs = DEFAULT_TIMEOUT_MS, maxSocketsPerHost = 16 }: SenderOptions): WebhookSender {
  // One pool per policy and origin: a connection opened under the test policy (loopback allowed)
  // is never reused for a live-mode endpoint of the same host.
  const pools = new Map<string, Pool>();

  function connectorFor(policy: AddressPolicy): buildConnector.connector {
    const connect = buildConnector({ lookup: guardedLookup(resolve, policy), timeout: timeoutMs });
    return (options, callback) =>
      connect(options, (...args) => {
        const [err, socket] = args;
        if (err) return callback(err, null);
        // The address actually connected to: covers IP-literal hosts and any resolver surprise.
        const address = (socket as Socket).remoteAddress;
        const category = address ? refusedAddress(address, policy) : 'unspecified';
        if (category) {
          socket.destroy();
          return callback(new ForbiddenAddressError(address ?? 'unknown', category), null);
        }
        callback(null, socket);
      });
  }
  const connectors = { live: connectorFor('live'), test: connectorFor('test') };

  function poolFor(url: URL, policy: AddressPolicy): Pool {
    const key = `${policy} ${url.origin}`;
    let pool = pools.get(key);
    if (pool) {
      pools.delete(key); // re-inserted below: most recently used last
    } else {
      if (pools.size >= POOLS_KEPT) {
        const [oldest, idle] = pools.entries().next().value!;
        pools.delete(oldest);
        void idle.close().catch(() => undefined);
      }
      pool = new Pool(url.origin, {
        connections: maxSocketsPerHost,
        connect: connectors[policy],
        keepAliveTimeout: 30_000,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
    }
    pools.set(key, pool);
    return pool;
  }

  // Endpoint URLs are few and sent to often: parsed (and an IP-literal host classified) once.
  const targets = new Map<string, Target>();
  function targetOf(raw: string, policy: AddressPolicy): Target {
    const key = `${policy} ${raw}`;
    let target = targets.get(key);
    if (target === undefined) {
      if (targets.size >= 10_000) targets.clear();
      try {
        const url = new URL(raw);
        const host = hostOf(url);
        const literal: AddressCategory | undefined = isIP(host) !== 0 ? refusedAddress(host, policy) : undefined;
        target = literal ? { error: new ForbiddenAddressError(host, literal).message } : { url };
      } catch {
        target = { error: 'invalid URL' };
      }
      targets.set(key, target);
    }
    return target;
  }

  async function send(request: WebhookRequest, signal?: AbortSignal): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const target = targetOf(request.url, request.policy);
    if ('error' in target) return { error: target.error, durationMs: 0 };
    if (signal?.aborted) return { aborted: true, error: 'shutting down', durationMs: 0 };

    const { url } = target;
    // One signal for the request: the whole-exchange timeout or shutdown, whichever comes first.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await poolFor(url, request.policy).request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: 'POST',
        headers: { ...request.headers, 'content-type': 'application/json' },
        body: request.body,
        signal: controller.signal,
      });
      // The body is not kept; it is read (up to a bound) so the connection can be reused.
      await res.body.dump();
      return { statusCode: res.statusCode, durationMs: elapsed() };
    } catch (err) {
      if (signal?.aborted) return { aborted: true, error: 'shutting down', durationMs: elapsed() };
      if (timedOut) return { error: `timeout: no answer within ${timeoutMs} ms`, durationMs: elapsed() };
      return { error: describeError(err), durationMs: elapsed() };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    send,
    close() {
      for (const pool of pools.values()) void pool.destroy().catch(() => undefined);
      pools.clear();
    },
  };
}
