// The SDK's retry rules, with a scripted fetch (answers payrail cannot be made to give on demand:
// a 503, a 409 IDEMPOTENCY_KEY_IN_USE, an hour-long Retry-After, a dead network). The real 429 and
// the lost answer are in sdk.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Payrail, PayrailAPIError, PayrailConnectionError, PayrailInvalidRequestError, PayrailRateLimitError } from '../../sdk/src/index.ts';
import { delayBeforeRetry, retryAfterMs, DEFAULT_RETRY_POLICY } from '../../sdk/src/retry.ts';

type Script = (call: { path: string; method: string; headers: Headers }) => Response | Error;

const problem = (status: number, code: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ type: 'urn:x', title: code, status, code, requestId: 'req-1' }), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const TOKEN = json(200, { access_token: 't1', token_type: 'Bearer', expires_in: 900, scope: '' });

function scripted(answers: Script) {
  const calls: { path: string; method: string; headers: Headers }[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    if (url.pathname === '/v1.0/auth') return TOKEN.clone();
    const call = { path: url.pathname, method: init?.method ?? 'GET', headers: new Headers(init?.headers) };
    calls.push(call);
    const answer = answers(call);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  const payrail = new Payrail({ baseUrl: 'http://payrail.test', clientId: 'cli_1', clientSecret: 's', fetch: fetchImpl, retry: { initialDelayMs: 1 } });
  return { payrail, calls };
}

const body = { name: 'SG', bank: 'DBSSSGSGXXX', accountNumber: '1', currencies: ['SGD'] };
const ACCOUNT = { id: 'intacct_1', ...body };

describe('SDK retries', () => {
  it('retries 5xx, network errors and 409 IDEMPOTENCY_KEY_IN_USE with the same Idempotency-Key', async () => {
    const answers = [problem(503, 'SERVICE_UNAVAILABLE'), new TypeError('fetch failed'), problem(409, 'IDEMPOTENCY_KEY_IN_USE'), json(201, ACCOUNT)];
    const { payrail, calls } = scripted(() => answers.shift()!);
    const account = await payrail.accounts.create(body, { maxRetries: 3 });
    assert.equal(account.id, 'intacct_1');
    assert.equal(calls.length, 4, 'four attempts');
    assert.equal(new Set(calls.map((c) => c.headers.get('idempotency-key'))).size, 1, 'one key for all of them');
  });

  it('gives up after maxRetries with the last error', async () => {
    const { payrail, calls } = scripted(() => problem(500, 'INTERNAL_ERROR'));
    const err = await payrail.accounts.get('intacct_1').catch((e: unknown) => e);
    assert.ok(err instanceof PayrailAPIError && err.status === 500, `a PayrailAPIError, got ${String(err)}`);
    assert.equal(calls.length, 3, 'the first attempt and 2 retries (the default)');
    const down = scripted(() => new TypeError('fetch failed'));
    const lost = await down.payrail.accounts.get('intacct_1', { maxRetries: 1 }).catch((e: unknown) => e);
    assert.ok(lost instanceof PayrailConnectionError && lost.code === 'CONNECTION_FAILED', `a PayrailConnectionError, got ${String(lost)}`);
    assert.equal(down.calls.length, 2);
  });

  it('retries an attempt that times out; a call the caller aborts is not retried', async () => {
    const hang = (signal: AbortSignal) => new Promise<Response>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    let calls = 0;
    const hanging: typeof fetch = async (input, init) => {
      if (new URL(String(input)).pathname === '/v1.0/auth') return TOKEN.clone();
      calls++;
      return hang(init!.signal!);
    };
    const payrail = new Payrail({
      baseUrl: 'http://payrail.test',
      clientId: 'c',
      clientSecret: 's',
      fetch: hanging,
      timeoutMs: 20,
      retry: { initialDelayMs: 1 },
    });
    const timedOut = await payrail.accounts.get('intacct_1', { maxRetries: 1 }).catch((e: unknown) => e);
    assert.ok(timedOut instanceof PayrailConnectionError && timedOut.code === 'TIMEOUT', `a TIMEOUT, got ${String(timedOut)}`);
    assert.equal(calls, 2, 'the timed-out attempt was retried once');

    calls = 0;
    const controller = new AbortController();
    const aborted = payrail.accounts.get('intacct_1', { signal: controller.signal, timeoutMs: 60_000 }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(new Error('caller gave up')), 20);
    const err = await aborted;
    assert.ok(err instanceof Error && err.message === 'caller gave up', `the caller's abort reason, got ${String(err)}`);
    assert.equal(calls, 1, 'not retried');
  });

  it('never retries other 4xx, nor a 409 of another code, nor a 429 whose Retry-After is beyond the limit', async () => {
    for (const [answer, type] of [
      [() => problem(400, 'VALIDATION_FAILED'), PayrailInvalidRequestError],
      [() => problem(409, 'APPROVAL_ALREADY_GIVEN'), Error],
      [() => problem(422, 'IDEMPOTENCY_KEY_REUSED'), Error],
      [() => problem(429, 'RATE_LIMITED', { 'retry-after': '3600' }), PayrailRateLimitError],
    ] as const) {
      const { payrail, calls } = scripted(answer);
      const err = await payrail.accounts.create(body).catch((e: unknown) => e);
      assert.ok(err instanceof type, `${String(err)} is a ${type.name}`);
      assert.equal(calls.length, 1, `${(err as Error).message}: not retried`);
    }
  });

  it('backs off exponentially with jitter, caps the step, and reads Retry-After as seconds or a date', () => {
    const p = DEFAULT_RETRY_POLICY;
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5].map((n) => delayBeforeRetry(n, p, undefined, () => 1)),
      [500, 1000, 2000, 4000, 8000, 8000],
    );
    assert.equal(
      delayBeforeRetry(0, p, undefined, () => 0),
      375,
      'at most a quarter less',
    );
    assert.equal(
      delayBeforeRetry(0, p, 2000, () => 0),
      2000,
      'Retry-After is a floor',
    );
    assert.equal(
      delayBeforeRetry(0, p, 2000, () => 1),
      2200,
      'plus up to 10%',
    );
    assert.equal(
      delayBeforeRetry(0, p, 61_000, () => 0),
      undefined,
      'beyond maxRetryAfterMs: no retry',
    );
    assert.equal(retryAfterMs('7'), 7000);
    assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4_000), 6000);
    assert.equal(retryAfterMs(null), undefined);
  });
});
