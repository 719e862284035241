// Issue #18's fuzz suite: every field of every write endpoint, every path id and list filter, gets
// hostile values (NUL and other control characters, lone surrogates, U+FFFE/U+FFFF, 10,000-character
// strings, huge and fractional numbers, wrong types, deep nesting) on SQLite and PostgreSQL. No
// answer is ever a 5xx, and whatever was accepted can be sent: after the run, the workers leave no
// batch or payment PROCESSING, and none failed because its bank file could not be written.
// (test/http/malformed-input.test.ts covers malformed requests as a whole; test/payments/
// payments-fuzz.test.ts random payment shapes; this one aims at each field.)
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { BANK_FILE_NOT_WRITABLE } from '../../src/batches/dispatcher.ts';
import { NOT_SUBMITTABLE } from '../../src/payments/submit-worker.ts';
import { SCOPES } from '../../src/auth/scopes.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { NOW } from '../rails/builders.ts';

const RUNS = 60;

// ---- hostile values ----
const nasty = fc.constantFrom(
  '\u0000',
  '\u0001',
  '\u0008',
  '\u000B',
  '\u001B',
  '\u001F',
  '\u007F',
  '\u0080',
  '\u0085',
  '\u009F',
  '\uD800',
  '\uDBFF',
  '\uDC00',
  '\uDFFF',
  '\uFFFE',
  '\uFFFF',
  '\t',
  '\n',
  '\r',
);
const hostileString = fc.oneof(
  fc.tuple(fc.string({ maxLength: 6 }), nasty, fc.string({ maxLength: 6 })).map(([a, b, c]) => `${a}${b}${c}`),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('x'.repeat(10_000), '陳'.repeat(10_000), '🍩'.repeat(5_000), '', ' ', '__proto__', 'constructor', 'a@b.c\u0000', '+85291234567\u0001'),
);
const hostileNumber = fc.oneof(
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 63, 1e21, 0.5, -0.01, 0, -1, Number.MIN_VALUE),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);
const wrongType = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
);
const nested = fc.integer({ min: 2, max: 60 }).map((n) => {
  let v: unknown = 'x';
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { a: v };
  return v;
});
const hostile = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 2, arbitrary: wrongType },
  { weight: 1, arbitrary: nested },
);

// The sweep: each of these inside every text field (after its first character, so an e-mail or
// an account number keeps its shape), then each fixed hostile value in place of every field.
const BAD_CHARS = ['\u0000', '\u0001', '\u001F', '\u007F', '\u0085', '\u009F', '\uD800', '\uDC00', '\uFFFE', '\uFFFF', '\t', '\n', '\r'];
const FIXED: unknown[] = [
  'x'.repeat(10_000),
  1e308,
  Number.MAX_SAFE_INTEGER + 2,
  0.5,
  -1,
  true,
  null,
  [],
  {},
  [[['x']]],
  JSON.parse(`${'['.repeat(40)}${']'.repeat(40)}`),
];

function valueAt(body: unknown, path: string): unknown {
  let at: unknown = body;
  for (const key of path.split('.')) at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
  return at;
}

/** Every string inside a row, the JSON columns' (the receiver) included. */
function textsIn(value: unknown): string[] {
  if (typeof value === 'string') {
    if (!value.startsWith('{')) return [value];
    try {
      return textsIn(JSON.parse(value));
    } catch {
      return [value];
    }
  }
  return value !== null && typeof value === 'object' ? Object.values(value).flatMap(textsIn) : [];
}

/** Every variant of the sweep for one field. */
function sweepValues(current: unknown): unknown[] {
  const text = typeof current === 'string' && current.length > 0 ? current : 'A1';
  return [...BAD_CHARS.map((bad) => `${text.slice(0, 1)}${bad}${text.slice(1)}`), ...FIXED];
}

/** A URL-safe form of any string: a lone surrogate goes as the bytes a careless encoder writes. */
function urlEncode(s: string): string {
  return s
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .split('\uFFFD')
    .map(encodeURIComponent)
    .join('%ED%A0%80');
}

/** `body` with `value` set at a dotted path (`payments.1.receiver.name`); undefined deletes it. */
function withValue(body: unknown, path: string, value: unknown): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  const keys = path.split('.');
  let at: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    if (at[key] === null || typeof at[key] !== 'object') at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  if (value === undefined) delete at[keys.at(-1)!];
  else at[keys.at(-1)!] = value;
  return copy;
}

const RECEIVER_FIELDS = [
  'name',
  'bank',
  'branchCode',
  'bankAccountNumber',
  'proxy',
  'proxy.type',
  'proxy.value',
  'country',
  'address',
  'address.line1',
  'address.line2',
  'address.line3',
  'extra',
];
const PAYMENT_FIELDS = [
  'amount',
  'currency',
  'senderAccountId',
  'senderAccountCurrency',
  'paymentDate',
  'customerReference',
  'paymentDetails',
  'bankChargeBearer',
  'receiver',
  ...RECEIVER_FIELDS.map((f) => `receiver.${f}`),
  'extra',
];

for (const kind of databaseKinds()) {
  describe(`fuzz: hostile values in every field never give a 5xx or a stuck payment (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let alice: Awaited<ReturnType<TestApp['authed']>>;
    let sg: string;
    let hk: string;
    let jwk: Record<string, unknown>;
    let n = 0;
    const ref = () => `FZ${kind.name.slice(0, 2)}${n++}`;

    before(async () => {
      db = await kind.create();
      app = await startTestApp(db, { clock: () => NOW });
      alice = await app.authed({ scopes: [...SCOPES] });
      const account = async (name: string, bank: string, currencies: string[]) =>
        (
          await app.inject({ method: 'POST', url: '/v1/accounts', headers: alice.headers, payload: { name, bank, accountNumber: '0123456789', currencies } })
        ).json().id as string;
      sg = await account('SG', 'DBSSSGSGXXX', ['SGD']);
      hk = await account('HK', 'HSBCHKHHXXX', ['HKD']);
      jwk = { ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }), kid: 'fuzz-1', use: 'sig', alg: 'ES256' };
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    function assertNo5xx(res: LightMyRequestResponse, what: string) {
      assert.ok(res.statusCode < 500, `${res.statusCode} for ${what.slice(0, 400)}: ${res.body.slice(0, 400)}`);
    }
    const send = (method: 'POST' | 'PUT', url: string, payload: unknown, key?: string) =>
      app.inject({
        method,
        url,
        headers: { ...alice.headers, 'content-type': 'application/json', ...(key && { 'idempotency-key': key }) },
        payload: JSON.stringify(payload),
      });

    /**
     * The sweep (every field × every bad character and fixed hostile value), then random: 1–3
     * fields of a valid body (from `fresh()`) set to hostile values or deleted. Every other
     * request carries an Idempotency-Key (its body is fingerprinted).
     */
    async function fuzzFields(method: 'POST' | 'PUT', url: string, fresh: () => unknown, paths: string[]) {
      let i = 0;
      for (const path of paths) {
        for (const value of sweepValues(valueAt(fresh(), path))) {
          const res = await send(method, url, withValue(fresh(), path, value), i++ % 2 ? `sweep-${kind.name}-${i}` : undefined);
          assertNo5xx(res, `${method} ${url} ${path}=${JSON.stringify(value).slice(0, 80)}`);
        }
      }
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.constantFrom(...paths), fc.option(hostile, { freq: 8 })), { minLength: 1, maxLength: 3 }),
          fc.option(fc.string({ minLength: 1, maxLength: 8 }).map((k) => `k-${k.replace(/[^\x21-\x7e]/g, 'x')}`)),
          async (changes, key) => {
            let body = fresh();
            for (const [path, value] of changes) body = withValue(body, path, value ?? undefined);
            assertNo5xx(await send(method, url, body, key ?? undefined), `${method} ${url} ${JSON.stringify(changes)}`);
          },
        ),
        { numRuns: RUNS },
      );
    }

    const fast = () => ({
      type: 'FAST',
      amount: 100,
      currency: 'SGD',
      senderAccountId: sg,
      customerReference: ref(),
      paymentDetails: 'Invoice 1',
      receiver: { name: 'Tan', bank: 'OCBCSGSGXXX', bankAccountNumber: '123456789' },
    });
    const fps = () => ({
      amount: 100,
      currency: 'HKD',
      senderAccountId: hk,
      customerReference: ref(),
      receiver: { name: '陳大文', proxy: { type: 'EMAIL', value: 'chan@example.com' }, address: { line1: '1 Queen’s Road' } },
    });
    const ach = () => ({
      amount: 100,
      currency: 'HKD',
      senderAccountId: hk,
      customerReference: ref(),
      receiver: { name: 'Chan', bank: '004', branchCode: '123', bankAccountNumber: '456789012' },
    });

    it('POST /v1/payments', () => fuzzFields('POST', '/v1/payments', fast, ['type', ...PAYMENT_FIELDS]));
    it('POST /payment/hk/v1.0/fps (proxy) and /ach (single)', async () => {
      await fuzzFields('POST', '/payment/hk/v1.0/fps', fps, PAYMENT_FIELDS);
      await fuzzFields('POST', '/payment/hk/v1.0/ach', ach, PAYMENT_FIELDS);
    });
    it('POST /v1/payment-batches and the HK ACH bulk', async () => {
      const item = (p: Record<string, unknown>) => {
        const { type: _t, currency: _c, senderAccountId: _s, ...own } = p;
        return own;
      };
      const batch = () => ({ type: 'FPS', currency: 'HKD', senderAccountId: hk, paymentDate: '2026-03-10', payments: [item(fps()), item(fps())] });
      const bulk = () => ({ currency: 'HKD', senderAccountId: hk, paymentDate: '2026-03-10', payments: [item(ach()), item(ach())] });
      const shared = ['type', 'currency', 'senderAccountId', 'senderAccountCurrency', 'paymentDate', 'payments', 'payments.0', 'extra'];
      const own = PAYMENT_FIELDS.filter((f) => !['currency', 'senderAccountId', 'senderAccountCurrency'].includes(f)).map((f) => `payments.1.${f}`);
      await fuzzFields('POST', '/v1/payment-batches', batch, [...shared, ...own]);
      await fuzzFields('POST', '/payment/hk/v1.0/ach', bulk, [...shared.filter((f) => f !== 'type'), ...own]);
    });
    it('POST /v1/accounts', () =>
      fuzzFields('POST', '/v1/accounts', () => ({ name: 'Operating', bank: 'DBSSSGSGXXX', accountNumber: '0123456789', currencies: ['SGD'] }), [
        'name',
        'bank',
        'accountNumber',
        'currencies',
        'currencies.0',
        'extra',
      ]));
    it('POST /v1/webhook-endpoints and POST /v1/events/{id}/redeliver', async () => {
      await fuzzFields('POST', '/v1/webhook-endpoints', () => ({ url: 'http://127.0.0.1:9/hook', events: ['payments.failed'] }), [
        'url',
        'events',
        'events.0',
        'extra',
      ]);
      await fuzzFields('POST', '/v1/events/evt_01J00000000000000000000000/redeliver', () => ({ endpointId: 'we_01J00000000000000000000000' }), [
        'endpointId',
        'extra',
      ]);
    });
    it('PUT /v1/clients/me/jwks', () =>
      fuzzFields('PUT', '/v1/clients/me/jwks', () => ({ keys: [jwk] }), [
        'keys',
        'keys.0',
        ...['kty', 'kid', 'use', 'alg', 'crv', 'x', 'y', 'd', 'extra'].map((f) => `keys.0.${f}`),
      ]));

    it('POST /v1.0/auth: JSON, form and Basic', async () => {
      const { clientId, secret } = await app.createClient();
      const fields = ['grant_type', 'client_id', 'client_secret', 'scope', 'client_assertion', 'client_assertion_type', 'extra'];
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...fields), hostile, fc.constantFrom('json', 'form', 'basic'), async (field, value, as) => {
          const body = withValue({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }, field, value) as Record<string, unknown>;
          let res: LightMyRequestResponse;
          if (as === 'json') {
            res = await app.inject({ method: 'POST', url: '/v1.0/auth', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
          } else {
            const { client_id: id, client_secret: pw, ...rest } = body;
            const text = (v: unknown) => urlEncode(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
            const form = Object.entries(as === 'form' ? body : rest)
              .map(([k, v]) => `${urlEncode(k)}=${text(v)}`)
              .join('&');
            const basic = as === 'basic' ? { authorization: `Basic ${Buffer.from(`${text(id)}:${text(pw)}`).toString('base64')}` } : {};
            res = await app.inject({
              method: 'POST',
              url: '/v1.0/auth',
              headers: { 'content-type': 'application/x-www-form-urlencoded', ...basic },
              payload: form,
            });
          }
          assertNo5xx(res, `${as} ${field}=${JSON.stringify(value)?.slice(0, 100)}`);
          if (res.statusCode >= 400 && res.statusCode !== 429)
            assert.ok(typeof res.json().error === 'string', `RFC 6749 error body: ${res.body.slice(0, 200)}`);
        }),
        { numRuns: RUNS * 2 },
      );
    });

    it('every path id and list filter', async () => {
      const ids = [
        '/v1/payments/{}',
        '/v1/payments/{}/events',
        '/v1/payment-batches/{}',
        '/v1/accounts/{}',
        '/v1/events/{}',
        '/v1/webhook-endpoints/{}',
        '/v1/webhook-endpoints/{}/deliveries',
        '/payment/hk/v1.0/fps/{}',
        '/payment/hk/v1.0/{}/pymt_01J00000000000000000000000',
      ];
      const writes = ['/v1/webhook-endpoints/{}/rotate-secret', '/v1/events/{}/redeliver'];
      const filters: [string, string][] = [
        ...['status', 'type', 'batchId', 'customerReference', 'createdFrom', 'createdTo', 'limit', 'startingAfter'].map((f): [string, string] => [
          '/v1/payments',
          f,
        ]),
        ['/v1/events', 'type'],
        ['/v1/events', 'objectId'],
        ['/v1/events', 'startingAfter'],
        ['/v1/payment-batches', 'startingAfter'],
        ['/v1/accounts', 'limit'],
        ['/v1/webhook-endpoints', 'startingAfter'],
      ];
      const asText = hostile.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
      await fc.assert(
        fc.asyncProperty(asText, fc.constantFrom(...ids, ...writes), fc.constantFrom(...filters), async (value, template, [list, filter]) => {
          const url = template.replace('{}', urlEncode(value).slice(0, 3000));
          const res = await app.inject({ method: writes.includes(template) ? 'POST' : 'GET', url, headers: alice.headers });
          assertNo5xx(res, url);
          const listed = await app.inject({ method: 'GET', url: `${list}?${filter}=${urlEncode(value).slice(0, 3000)}`, headers: alice.headers });
          assertNo5xx(listed, `${list}?${filter}=${JSON.stringify(value).slice(0, 100)}`);
          if (value.includes('\u0000')) assert.equal(listed.statusCode, 400, `${list}?${filter} with a NUL`);
        }),
        { numRuns: RUNS * 2 },
      );
    });

    // Last (node:test runs a suite's tests in order): what the fuzzing left in the database.
    it('nothing accepted is left unfinished: every batch and payment leaves PROCESSING, none because it could not be sent', async () => {
      const sql = app.payrail.database.db;
      const processing = async () =>
        Number(
          (
            await sql
              .selectFrom('payments')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('status', '=', 'PROCESSING')
              .executeTakeFirstOrThrow()
          ).n,
        ) +
        Number(
          (
            await sql
              .selectFrom('batches')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('status', '=', 'PROCESSING')
              .executeTakeFirstOrThrow()
          ).n,
        );
      const accepted = Number(
        (
          await sql
            .selectFrom('payments')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      assert.ok(accepted >= 5, `the fuzzing should get some payments accepted (${accepted})`);
      for (let i = 0; i < 100 && (await processing()) > 0; i++) await app.payrail.workers.tick();
      assert.equal(await processing(), 0);
      const unsendable = await sql
        .selectFrom('payments')
        .select(['id', 'failure_code', 'failure_message'])
        .where('failure_code', 'in', [BANK_FILE_NOT_WRITABLE, NOT_SUBMITTABLE])
        .execute();
      assert.deepEqual(unsendable, [], 'the request checks let through something the bank file cannot carry');
    });

    it('no text stored for a bank file holds a control character (C0 with tab/CR/LF, DEL, C1)', async () => {
      const sql = app.payrail.database.db;
      const payments = await sql.selectFrom('payments').select(['id', 'customer_reference', 'payment_details', 'receiver']).execute();
      const accounts = await sql.selectFrom('accounts').select(['id', 'name', 'bank', 'account_number']).execute();
      const controlled = [...payments, ...accounts].filter((row) => textsIn(row).some((t) => /\p{Cc}/u.test(t)));
      assert.deepEqual(
        controlled.map((row) => row.id),
        [],
      );
    });
  });
}
