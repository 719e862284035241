// The steps of `payrail import` against a fake API (the CLI test covers the real one): what is
// validated, when a create is sent, and how refusals map back to the file.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BatchInput } from '../../src/batches/schemas.ts';
import { chunkKey } from '../../src/import/chunks.ts';
import { silentProgress } from '../../src/import/progress.ts';
import { runImport } from '../../src/import/run.ts';
import type { ApiAnswer, ImportApi, ImportOptions } from '../../src/import/run.ts';

const csv = (rows: number, withReferences = true) =>
  new TextEncoder().encode(
    `name,bank,accountNumber,amount${withReferences ? ',reference' : ''}\n` +
      Array.from({ length: rows }, (_, i) => `P${i},DBSSSGSGXXX,0123456789,1.00${withReferences ? `,R-${i}` : ''}`).join('\n'),
  );

const options = (bytes: Uint8Array, o: Partial<ImportOptions> = {}): ImportOptions => ({
  fileName: 'pay.csv',
  bytes,
  type: 'FAST',
  account: 'intacct_1',
  currency: 'SGD',
  paymentDate: '2030-01-02',
  dryRun: false,
  concurrency: 2,
  ...o,
});

/** A fake payrail: batches by key; references used; `validateWith` overrides validation. */
function fakeApi(o: { validateWith?: (body: BatchInput) => ApiAnswer } = {}) {
  const byKey = new Map<string, { id: string; body: string }>();
  const used = new Set<string>();
  const calls: string[] = [];
  const duplicates = (body: BatchInput) =>
    body.payments.flatMap((p, i) =>
      p.customerReference && used.has(p.customerReference)
        ? [{ path: `payments[${i}].customerReference`, code: 'DUPLICATE_CUSTOMER_REFERENCE', message: 'used' }]
        : [],
    );
  const refused = (errors: { path: string; code: string; message: string }[]): ApiAnswer => ({
    ok: false,
    status: 400,
    code: 'VALIDATION_FAILED',
    message: 'invalid',
    errors,
  });
  const api: ImportApi = {
    async validate(body) {
      calls.push('validate');
      if (o.validateWith) return o.validateWith(body);
      const errors = duplicates(body);
      return errors.length > 0 ? refused(errors) : { ok: true, replayed: false };
    },
    async create(body, key) {
      calls.push('create');
      const earlier = byKey.get(key);
      if (earlier) {
        return earlier.body === JSON.stringify(body)
          ? { ok: true, batchId: earlier.id, replayed: true }
          : { ok: false, status: 422, code: 'IDEMPOTENCY_KEY_REUSED', message: 'reused', errors: [] };
      }
      const errors = duplicates(body);
      if (errors.length > 0) return refused(errors);
      for (const p of body.payments) if (p.customerReference) used.add(p.customerReference);
      const id = `pymtb_${byKey.size + 1}`;
      byKey.set(key, { id, body: JSON.stringify(body) });
      return { ok: true, batchId: id, replayed: false };
    },
  };
  return { api, calls, byKey };
}

describe('payrail import steps', () => {
  it('keys depend on the file, the options and the index; not on a default date', () => {
    const base = { type: 'FAST', account: 'intacct_1', currency: 'SGD' };
    const keys = new Set([
      chunkKey('a', base, 0),
      chunkKey('a', base, 1),
      chunkKey('b', base, 0),
      chunkKey('a', { ...base, purpose: 'SALA' }, 0),
      chunkKey('a', { ...base, date: '2030-01-02' }, 0),
    ]);
    assert.equal(keys.size, 5, 'each differs');
    assert.equal(chunkKey('a', base, 0), chunkKey('a', { ...base }, 0), 'and is stable');
    assert.ok(chunkKey('a', base, 99).length <= 255, 'within the API limit');
  });

  it('validates every chunk before the first create; a rerun finds every batch by its key', async () => {
    const { api, calls } = fakeApi();
    const first = await runImport(options(csv(2500)), api, silentProgress);
    assert.deepEqual(calls, ['validate', 'validate', 'validate', 'create', 'create', 'create'], 'all validated, then all created');
    assert.equal(first.kind, 'done', 'done');
    const ids = first.kind === 'done' ? first.batches.map((b) => [b.id, b.status, b.count]) : [];
    assert.deepEqual(ids, [
      ['pymtb_1', 'created', 1000],
      ['pymtb_2', 'created', 1000],
      ['pymtb_3', 'created', 500],
    ]);
    calls.length = 0;
    const again = await runImport(options(csv(2500)), api, silentProgress);
    assert.deepEqual(
      again.kind === 'done' ? again.batches.map((b) => [b.id, b.status]) : again,
      [
        ['pymtb_1', 'existing'],
        ['pymtb_2', 'existing'],
        ['pymtb_3', 'existing'],
      ],
      'the references are used by the earlier batches: the keys replay them',
    );
  });

  it('a dry run sends no create; a changed file with used references is refused by line', async () => {
    const { api, calls } = fakeApi();
    await runImport(options(csv(3)), api, silentProgress);
    calls.length = 0;
    const dry = await runImport(options(csv(3), { dryRun: true }), api, silentProgress);
    assert.deepEqual(calls, ['validate'], 'no create in a dry run');
    assert.equal(dry.kind, 'file-errors', 'the used references are reported');
    const changed = new Uint8Array([...csv(3), ...new TextEncoder().encode('\nP9,DBSSSGSGXXX,0123456789,2.00,R-9')]);
    const r = await runImport(options(changed), api, silentProgress);
    assert.deepEqual(r.kind === 'file-errors' ? r.errors.map((e) => `${e.line} ${e.field} ${e.code}`) : r, [
      '2 reference DUPLICATE_CUSTOMER_REFERENCE',
      '3 reference DUPLICATE_CUSTOMER_REFERENCE',
      '4 reference DUPLICATE_CUSTOMER_REFERENCE',
    ]);
  });

  it('without references, the same file on another day (default date) is ALREADY_IMPORTED, not paid twice', async () => {
    const { api, byKey } = fakeApi();
    await runImport(options(csv(3, false)), api, silentProgress);
    const r = await runImport(options(csv(3, false), { paymentDate: '2030-01-03' }), api, silentProgress);
    assert.deepEqual(r.kind === 'file-errors' ? r.errors.map((e) => `${e.line} ${e.code}`) : r, ['2 ALREADY_IMPORTED']);
    assert.equal(byKey.size, 1, 'no second batch');
  });

  it('errors of the options come back apart (exit 2), once however many chunks report them', async () => {
    const { api } = fakeApi({
      validateWith: () => ({
        ok: false,
        status: 400,
        code: 'VALIDATION_FAILED',
        message: 'x',
        errors: [{ path: 'paymentDate', code: 'PAYMENT_DATE_IN_PAST', message: 'past' }],
      }),
    });
    const r = await runImport(options(csv(1500)), api, silentProgress);
    assert.deepEqual(r, { kind: 'option-errors', errors: [{ path: 'paymentDate', code: 'PAYMENT_DATE_IN_PAST', message: 'past' }] });
  });
});
