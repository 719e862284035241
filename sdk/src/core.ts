// The one way the SDK talks to payrail: every call gets a bearer token (cached, renewed), every
// create an Idempotency-Key that stays the same on every retry, every body is JSON or (for
// encryption clients) JOSE, and every failure becomes a PayrailError carrying the problem.
import { randomUUID } from 'node:crypto';
import { SignJWT, importJWK } from 'jose';
import type { JWK, JSONWebKeySet } from 'jose';
import { PayrailAuthenticationError, PayrailConnectionError, PayrailResponseError, errorFromResponse } from './errors.ts';
import type { Problem } from './errors.ts';
import { JOSE_MEDIA_TYPE, messageCodec } from './messages.ts';
import type { EncryptionKeys, MessageCodec } from './messages.ts';
import { DEFAULT_RETRY_POLICY, delayBeforeRetry, isRetryableAnswer, retryAfterMs, sleep } from './retry.ts';
import type { RetryPolicy } from './retry.ts';
import { tokenCache } from './token.ts';
import type { TokenCache } from './token.ts';

export const SDK_VERSION = '0.1.0';

export interface PayrailOptions {
  /** Where payrail listens, e.g. `https://payrail.example.com` (no `/v1`). */
  baseUrl: string;
  clientId: string;
  /** The client secret (HTTP Basic at the token endpoint). Give this or `clientAssertionKey`. */
  clientSecret?: string;
  /** A private signing JWK (with `alg` and `kid`) registered with the client: authenticates with private_key_jwt (RFC 7523) instead of a secret. */
  clientAssertionKey?: JWK;
  /** Scopes to ask for (space-separated or a list); by default every scope of the client. */
  scope?: string | string[];
  /** Signs and encrypts every body, opens every answer (clients that require encryption). */
  encryption?: EncryptionKeys;
  /** Retries after the first attempt (default 2). */
  maxRetries?: number;
  /** Per-attempt timeout in ms (default 60 000); a timed-out attempt is retried like a network error. */
  timeoutMs?: number;
  /** Backoff tuning (initialDelayMs, maxDelayMs, maxRetryAfterMs). */
  retry?: Partial<Omit<RetryPolicy, 'maxRetries'>>;
  /** The fetch to use (default: the global one); tests and proxies plug in here. */
  fetch?: typeof fetch;
  /** The clock the token cache reads (ms since the epoch); default Date.now. */
  now?: () => number;
}

/** Options of one call. */
export interface RequestOptions {
  /** For creates: the Idempotency-Key (1–255 printable ASCII); generated when absent. Give your own to make a call safe to repeat across processes. */
  idempotencyKey?: string;
  maxRetries?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: object;
  body?: unknown;
  /** A create: gets an Idempotency-Key. */
  idempotent?: boolean;
  options?: RequestOptions;
}

/** An answer as read: its status and headers and the parsed body. */
export interface Received {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface Core {
  request<T>(request: ApiRequest): Promise<T>;
  /** The same, with the answer's status and headers (e.g. `idempotent-replayed`). */
  requestWithResponse<T>(request: ApiRequest): Promise<{ data: T; status: number; headers: Headers }>;
  tokens: TokenCache;
}

const TOKEN_PATH = '/v1.0/auth';

function queryString(query: object | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    params.append(name, value instanceof Date ? value.toISOString() : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** `Bearer error="invalid_token"`: the token is expired or unknown, so a new one may work. */
function isInvalidToken(headers: Headers): boolean {
  return /error="?invalid_token"?/i.test(headers.get('www-authenticate') ?? '');
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError');
}

export function createCore(options: PayrailOptions): Core {
  if (!options.baseUrl) throw new TypeError('baseUrl is required');
  if (!options.clientId) throw new TypeError('clientId is required');
  if (!options.clientSecret && !options.clientAssertionKey) throw new TypeError('clientSecret (or clientAssertionKey) is required');
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry, maxRetries: options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries };
  const defaultTimeoutMs = options.timeoutMs ?? 60_000;
  const userAgent = `payrail-sdk-node/${SDK_VERSION}`;

  // The gateway's public keys and metadata, fetched once (again on request, after a key rotation).
  let jwks: Promise<JSONWebKeySet> | undefined;
  const gatewayJwks = (refresh: boolean): Promise<JSONWebKeySet> => {
    if (!jwks || refresh) {
      jwks = getPublicJson<JSONWebKeySet>('/.well-known/jwks.json');
      jwks.catch(() => (jwks = undefined));
    }
    return jwks;
  };
  let metadata: Promise<{ issuer: string; token_endpoint: string }> | undefined;
  const codec: MessageCodec | undefined = options.encryption && messageCodec(options.encryption, gatewayJwks);

  async function getPublicJson<T>(path: string): Promise<T> {
    const received = await withRetries(policy, undefined, () =>
      attempt(`${baseUrl}${path}`, { method: 'GET', headers: { accept: 'application/json' } }, defaultTimeoutMs),
    );
    if (received.status !== 200) throw errorOf(received, `GET ${path}`);
    return received.body as T;
  }

  /** One HTTP exchange, its body read (and opened, for JOSE); throws only when no answer came. */
  async function attempt(url: string, init: RequestInit, timeoutMs: number, signal?: AbortSignal): Promise<Received> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const res = await fetchImpl(url, { ...init, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    const text = await res.text();
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    let body: unknown = text === '' ? undefined : text;
    try {
      if (type === JOSE_MEDIA_TYPE && codec && text) body = JSON.parse((await codec.open(text)).text);
      else if (type.endsWith('json') && text) body = JSON.parse(text);
    } catch (err) {
      throw new PayrailResponseError({
        status: res.status,
        code: 'UNREADABLE_RESPONSE',
        message: `payrail answered ${res.status} with a body the SDK cannot read`,
        headers: res.headers,
        cause: err,
      });
    }
    return { status: res.status, headers: res.headers, body };
  }

  /**
   * Sends until an answer that is final: success, a 4xx that is not worth repeating, or the last
   * retry. Network errors and timeouts are retried like 5xx; the caller's own abort is not.
   */
  async function withRetries(retryPolicy: RetryPolicy, signal: AbortSignal | undefined, send: () => Promise<Received>): Promise<Received> {
    for (let retry = 0; ; retry++) {
      let received: Received;
      try {
        received = await send();
      } catch (err) {
        if (err instanceof PayrailResponseError || signal?.aborted) throw err;
        const delay = retry < retryPolicy.maxRetries ? delayBeforeRetry(retry, retryPolicy, undefined) : undefined;
        if (delay === undefined) {
          const message = isAbort(err) ? 'payrail did not answer in time' : `could not reach payrail: ${(err as Error).message}`;
          throw new PayrailConnectionError({ code: isAbort(err) ? 'TIMEOUT' : 'CONNECTION_FAILED', message, cause: err });
        }
        await sleep(delay, signal);
        continue;
      }
      const code = (received.body as Problem | undefined)?.code;
      if (!isRetryableAnswer(received.status, typeof code === 'string' ? code : undefined) || retry >= retryPolicy.maxRetries) return received;
      const delay = delayBeforeRetry(retry, retryPolicy, retryAfterMs(received.headers.get('retry-after')));
      if (delay === undefined) return received;
      await sleep(delay, signal);
    }
  }

  function errorOf(received: Received, what: string) {
    const body = received.body as Record<string, unknown> | undefined;
    const isProblem = typeof body === 'object' && body !== null && typeof body.code === 'string';
    return errorFromResponse(received.status, isProblem ? (body as Problem) : undefined, received.headers, `${what}: payrail answered ${received.status}`);
  }

  async function clientAuthentication(): Promise<{ headers: Record<string, string>; fields: Record<string, string> }> {
    if (options.clientSecret !== undefined) {
      const basic = Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64');
      return { headers: { authorization: `Basic ${basic}` }, fields: {} };
    }
    // private_key_jwt: the audience is the token endpoint as the server names it (RFC 8414).
    metadata ??= getPublicJson('/.well-known/oauth-authorization-server');
    const { token_endpoint: audience } = await metadata;
    const key = options.clientAssertionKey!;
    if (!key.alg) throw new TypeError('clientAssertionKey needs an "alg"');
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: key.alg, ...(key.kid && { kid: key.kid }) })
      .setIssuer(options.clientId)
      .setSubject(options.clientId)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime('60s')
      .setJti(randomUUID())
      .sign(await importJWK(key, key.alg));
    return {
      headers: {},
      fields: { client_id: options.clientId, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion },
    };
  }

  async function fetchToken(): Promise<{ accessToken: string; expiresIn: number }> {
    const scope = Array.isArray(options.scope) ? options.scope.join(' ') : options.scope;
    const received = await withRetries(policy, undefined, async () => {
      // A new assertion per attempt: the server accepts each jti once.
      const auth = await clientAuthentication();
      const form = new URLSearchParams({ grant_type: 'client_credentials', ...(scope && { scope }), ...auth.fields });
      return attempt(
        `${baseUrl}${TOKEN_PATH}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'user-agent': userAgent, ...auth.headers },
          body: form.toString(),
        },
        defaultTimeoutMs,
      );
    });
    const body = received.body as { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown } | undefined;
    if (received.status === 200 && typeof body?.access_token === 'string') {
      return { accessToken: body.access_token, expiresIn: typeof body.expires_in === 'number' ? body.expires_in : 300 };
    }
    // RFC 6749 §5.2 errors are not problems: the OAuth `error` becomes the code.
    if (typeof body?.error === 'string') {
      const description = typeof body.error_description === 'string' ? `: ${body.error_description}` : '';
      throw new PayrailAuthenticationError({
        status: received.status,
        code: body.error,
        message: `token request refused (${body.error})${description}`,
        headers: received.headers,
      });
    }
    throw errorOf(received, 'token request');
  }

  const tokens = tokenCache(fetchToken, now);

  async function requestWithResponse<T>(req: ApiRequest): Promise<{ data: T; status: number; headers: Headers }> {
    const opts = req.options ?? {};
    const url = `${baseUrl}${req.path}${queryString(req.query)}`;
    const headers: Record<string, string> = { accept: codec ? `${JOSE_MEDIA_TYPE}, application/json` : 'application/json', 'user-agent': userAgent };
    if (req.idempotent) headers['idempotency-key'] = opts.idempotencyKey ?? randomUUID();
    let body: string | undefined;
    if (req.body !== undefined) {
      // Sealed once: every retry sends the very same bytes.
      const json = JSON.stringify(req.body);
      body = codec ? await codec.seal(json) : json;
      headers['content-type'] = codec ? JOSE_MEDIA_TYPE : 'application/json';
    }
    Object.assign(headers, opts.headers);
    const retryPolicy = opts.maxRetries === undefined ? policy : { ...policy, maxRetries: opts.maxRetries };
    const timeoutMs = opts.timeoutMs ?? defaultTimeoutMs;

    let renewed = false;
    for (;;) {
      let token = '';
      const received = await withRetries(retryPolicy, opts.signal, async () => {
        token = await tokens.get();
        return attempt(url, { method: req.method, headers: { ...headers, authorization: `Bearer ${token}` }, body }, timeoutMs, opts.signal);
      });
      // An expired or revoked token (the server's clock, a key rotation): one new token, once.
      if (received.status === 401 && !renewed && isInvalidToken(received.headers)) {
        renewed = true;
        tokens.invalidate(token);
        continue;
      }
      if (received.status >= 200 && received.status < 300) return { data: received.body as T, status: received.status, headers: received.headers };
      throw errorOf(received, `${req.method} ${req.path}`);
    }
  }

  return {
    requestWithResponse,
    request: async <T>(req: ApiRequest) => (await requestWithResponse<T>(req)).data,
    tokens,
  };
}
