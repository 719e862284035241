// One HTTP POST of a webhook: a timeout over the whole exchange (10 s by default), redirects not
// followed (a 3xx is a failed attempt), and the SSRF guard on every connection. Node's http/https
// with keep-alive agents whose `lookup` is guarded; IP-literal hosts skip `lookup`, so they are
// checked here, and the connected socket's remote address is checked again as a last line.
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
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
  /** Sockets kept per host (also bounds the requests in flight to one receiver). */
  maxSocketsPerHost?: number;
}

function describeError(err: unknown, timeoutMs: number): string {
  if (err instanceof ForbiddenAddressError) return err.message;
  const e = err as NodeJS.ErrnoException;
  if (e.name === 'TimeoutError') return `timeout: no answer within ${timeoutMs} ms`;
  const code = e.code ? ` (${e.code})` : '';
  return `${e.message || 'request failed'}${code}`.slice(0, 500);
}

export function createWebhookSender({ resolve, timeoutMs = DEFAULT_TIMEOUT_MS, maxSocketsPerHost = 16 }: SenderOptions): WebhookSender {
  // One agent per scheme and policy: a socket opened under the test policy (loopback allowed) is
  // never reused for a live-mode endpoint of the same host name.
  const agents = {
    live: {
      http: new http.Agent({ keepAlive: true, maxSockets: maxSocketsPerHost, lookup: guardedLookup(resolve, 'live') } as http.AgentOptions),
      https: new https.Agent({ keepAlive: true, maxSockets: maxSocketsPerHost, lookup: guardedLookup(resolve, 'live') } as https.AgentOptions),
    },
    test: {
      http: new http.Agent({ keepAlive: true, maxSockets: maxSocketsPerHost, lookup: guardedLookup(resolve, 'test') } as http.AgentOptions),
      https: new https.Agent({ keepAlive: true, maxSockets: maxSocketsPerHost, lookup: guardedLookup(resolve, 'test') } as https.AgentOptions),
    },
  };

  // A kept-alive socket was checked when it connected; it is not checked again on every reuse.
  const checked = new WeakSet<Socket>();
  // Nor is an IP-literal host classified again on every attempt (BlockList checks allocate).
  const literals = new Map<string, AddressCategory | null>();
  function refusedLiteral(host: string, policy: AddressPolicy): AddressCategory | undefined {
    const key = `${policy} ${host}`;
    let verdict = literals.get(key);
    if (verdict === undefined) {
      if (literals.size >= 10_000) literals.clear();
      literals.set(key, (verdict = (isIP(host) !== 0 ? refusedAddress(host, policy) : undefined) ?? null));
    }
    return verdict ?? undefined;
  }
  function checkSocket(socket: Socket, policy: AddressPolicy, fail: (err: Error) => void): void {
    if (checked.has(socket)) return;
    const check = () => {
      const address = socket.remoteAddress;
      const category = address ? refusedAddress(address, policy) : 'unspecified';
      if (category) fail(new ForbiddenAddressError(address ?? 'unknown', category));
      else checked.add(socket);
    };
    if (socket.connecting) socket.once('connect', check);
    else check();
  }

  function send(request: WebhookRequest, signal?: AbortSignal): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return Promise.resolve({ error: 'invalid URL', durationMs: 0 });
    }
    const host = hostOf(url);
    const literal = refusedLiteral(host, request.policy);
    if (literal) return Promise.resolve({ error: new ForbiddenAddressError(host, literal).message, durationMs: 0 });
    if (signal?.aborted) return Promise.resolve({ aborted: true, error: 'shutting down', durationMs: 0 });

    return new Promise<SendResult>((resolveResult) => {
      let settled = false;
      const finish = (result: Omit<SendResult, 'durationMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolveResult({ ...result, durationMs: elapsed() });
      };
      const isHttps = url.protocol === 'https:';
      const agent = agents[request.policy][isHttps ? 'https' : 'http'];
      const req = (isHttps ? https : http).request(url, {
        method: 'POST',
        agent,
        headers: { ...request.headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(request.body)) },
      });
      const timer = setTimeout(() => req.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })), timeoutMs);
      const onAbort = () => {
        req.destroy();
        finish({ aborted: true, error: 'shutting down' });
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('socket', (socket: Socket) => checkSocket(socket, request.policy, (err) => req.destroy(err)));
      req.on('error', (err) => finish({ error: describeError(err, timeoutMs) }));
      req.on('close', () => finish({ error: 'connection closed before the answer was complete' }));
      req.on('response', (res) => {
        // The body is not kept; it is read to the end so the connection can be reused.
        res.on('error', (err) => finish({ error: describeError(err, timeoutMs) }));
        res.on('end', () => finish({ statusCode: res.statusCode ?? 0 }));
        res.resume();
      });
      req.end(request.body);
    });
  }

  return {
    send,
    close() {
      for (const byScheme of Object.values(agents)) for (const agent of Object.values(byScheme)) agent.destroy();
    },
  };
}
