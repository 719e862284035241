// The OpenAPI document as tools read it (SPEC §12): @redocly/cli lint passes with no error
// (recommended ruleset, redocly.yaml says what is off and why); every operation has a unique
// camelCase operationId; the named schemas exist and operations $ref them; public routes say
// `security: []`; the problems each operation can answer are documented; /console never shows.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { RouteOptions } from 'fastify';
import { documentRoute } from '../../src/http/openapi.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const sqlite = databaseKinds().find((k) => k.name === 'sqlite')!;

interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  parameters?: { in: string; name: string }[];
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

describe('the OpenAPI document', () => {
  let db: TestDatabase;
  let app: TestApp;
  let doc: Document;
  const operations: { method: string; path: string; op: Operation }[] = [];
  const byId = (id: string): Operation => {
    const found = operations.find((o) => o.op.operationId === id);
    assert.ok(found, `no operation ${id}`);
    return found.op;
  };

  before(async () => {
    db = await sqlite.create();
    app = await startTestApp(db);
    const res = await app.inject({ method: 'GET', url: '/docs/json' });
    assert.equal(res.statusCode, 200, res.body);
    doc = res.json();
    for (const [path, item] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(item)) operations.push({ method, path, op });
  });
  after(async () => {
    await app?.close();
    await db?.drop();
  });

  it('@redocly/cli lint (recommended, redocly.yaml) finds no error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'payrail-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(doc));
      // Exit status 1 on an error; the JSON report says which. (Node 20 gets a deprecation banner on stderr.)
      const result = await run(join(ROOT, 'node_modules/.bin/redocly'), ['lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format=json'], {
        cwd: dir,
        timeout: 60_000,
      }).catch((err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? '', stderr: err.stderr ?? '' }));
      const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as {
        totals: { errors: number };
        problems: { ruleId: string; severity: string; message: string }[];
      };
      const errors = report.problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message}`);
      assert.deepEqual(errors, [], 'lint errors');
      assert.equal(report.totals.errors, 0, 'lint error count');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every operation has a unique camelCase operationId, the dry runs included', () => {
    const missing = operations.filter((o) => !o.op.operationId).map((o) => `${o.method.toUpperCase()} ${o.path}`);
    assert.deepEqual(missing, [], 'operations without an operationId');
    const ids = operations.map((o) => o.op.operationId!);
    assert.equal(new Set(ids).size, ids.length, `duplicate operationIds: ${ids.join(', ')}`);
    for (const id of ids) assert.match(id, /^[a-z][A-Za-z0-9]*$/, `${id} is camelCase`);
    for (const id of ['createPayment', 'listPayments', 'getPayment', 'validatePayment', 'createPaymentBatch', 'validatePaymentBatch', 'listWebhookEndpoints'])
      assert.ok(ids.includes(id), `${id} is an operationId`);
  });

  it('named schemas are components, and operations $ref them rather than copying them', () => {
    const names = Object.keys(doc.components.schemas);
    for (const name of [
      'Payment',
      'PaymentBatch',
      'PaymentBatchSummary',
      'Problem',
      'WebhookEndpoint',
      'Account',
      'Event',
      'Approval',
      'DryRunResult',
      'PaymentInput',
      'PaymentBatchInput',
    ])
      assert.ok(names.includes(name), `components.schemas.${name} exists`);
    assert.deepEqual(byId('getPayment').responses['200']!.content!['application/json']!.schema, ref('Payment'));
    assert.deepEqual(byId('createPaymentBatch').requestBody!.content['application/json']!.schema, ref('PaymentBatchInput'));
    assert.deepEqual(byId('validatePaymentBatch').responses['200']!.content!['application/json']!.schema, ref('DryRunResult'));
    assert.deepEqual(byId('listPayments').responses['200']!.content!['application/json']!.schema, ref('PaymentList'));
    // Nested: a batch's approval state is the named schema too; no title is left inline anywhere.
    assert.match(JSON.stringify(doc.components.schemas.PaymentBatch), /"\$ref":"#\/components\/schemas\/ApprovalState"/);
    assert.doesNotMatch(JSON.stringify(doc.paths), /"title":"/, 'a titled schema left inline in paths');
  });

  it('every request body and every answer of every operation is a named schema (SPEC §12)', () => {
    const inline: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        const bodies = Object.values(op.requestBody?.content ?? {}).map((c) => ['requestBody', c.schema] as const);
        const answers = Object.entries(op.responses ?? {}).flatMap(([status, r]) => Object.values(r.content ?? {}).map((c) => [status, c.schema] as const));
        for (const [where, schema] of [...bodies, ...answers])
          if (!(schema as { $ref?: string })?.$ref) inline.push(`${method.toUpperCase()} ${path} ${where}`);
      }
    }
    assert.deepEqual(inline, []);
  });

  it("public routes declare security: []; an admin user's routes the console session; the others a bearer token", () => {
    const publicPaths = ['/healthz', '/readyz', '/.well-known/jwks.json', '/.well-known/oauth-authorization-server', '/v1.0/auth'];
    // SPEC §10/§11: for an admin user, not an API client (docs/CONSOLE.md).
    const adminPaths = ['/v1/approval-policy', '/v1/audit-log'];
    for (const { method, path, op } of operations) {
      if (publicPaths.includes(path)) assert.deepEqual(op.security, [], `${method} ${path} is public`);
      else if (adminPaths.includes(path)) assert.deepEqual(op.security, [{ consoleSession: [] }], `${method} ${path} declares the console session`);
      else
        assert.ok(
          op.security?.some((s) => 'bearer' in s),
          `${method} ${path} declares bearer security`,
        );
    }
  });

  it('the problems an operation can answer are documented with the Problem schema', () => {
    const problem = (op: Operation, status: string) => op.responses[status]?.content?.['application/problem+json']?.schema;
    for (const status of ['400', '401', '403', '409', '422', '429'])
      assert.deepEqual(problem(byId('createPayment'), status), ref('Problem'), `createPayment ${status}`);
    for (const status of ['401', '403', '404', '429']) assert.deepEqual(problem(byId('getPaymentBatch'), status), ref('Problem'), `getPaymentBatch ${status}`);
    assert.deepEqual(problem(byId('validatePayment'), '422'), ref('Problem'), 'validatePayment 422 (BANK_NOT_CONNECTED)');
    assert.equal(byId('validatePayment').responses['409'], undefined, 'a dry run takes no Idempotency-Key: no 409');
    assert.equal(problem(byId('createAccessToken'), '429') !== undefined, true, 'the token endpoint is rate limited');
    const header = (op: Operation) => op.parameters?.find((p) => p.in === 'header' && p.name === 'Idempotency-Key');
    assert.ok(header(byId('createPaymentBatch')), 'createPaymentBatch documents its Idempotency-Key header');
    assert.equal(header(byId('validatePaymentBatch')), undefined, 'a dry run has no Idempotency-Key');
  });

  it('routes under /console never show', () => {
    assert.deepEqual(
      Object.keys(doc.paths).filter((p) => p.startsWith('/console')),
      [],
    );
    // The console's routes are another engineer's: the exclusion is by prefix, whatever they declare.
    const route = { method: 'GET', url: '/console/payments', handler: () => undefined } as unknown as RouteOptions;
    assert.equal(documentRoute({ schema: { summary: 'Payments', tags: ['console'] }, url: '/console/payments', route }).schema.hide, true, '/console/… hidden');
    assert.equal(documentRoute({ schema: {}, url: '/console', route }).schema.hide, true, '/console hidden');
    assert.notEqual(documentRoute({ schema: {}, url: '/consoles', route }).schema.hide, true, 'only the /console prefix');
  });
});
