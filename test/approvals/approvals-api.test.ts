// Approvals (SPEC §10) through the API on both databases: the hold (nothing reaches the bank before
// APPROVED), two distinct approvers, the creator refused, rejection and expiry failing every
// payment at stage APPROVAL with the seed's events in order, the late-approval date roll, the
// queue, bad input (unknown or foreign ids, bad reasons), histories and the audit log.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { NOW } from '../rails/builders.ts';

const HOUR = 3600_000;
const OPERATOR = { kind: 'operator' as const, id: 'test-operator' };
type Authed = Awaited<ReturnType<TestApp['authed']>>;

for (const kind of databaseKinds()) {
  describe(`approvals (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let now = NOW;
    let dataDir: string;
    let maker: Authed;
    let checker1: Authed;
    let checker2: Authed;
    let outsider: Authed;
    let sg: string;
    let sgSmall: string;
    let n = 0;

    before(async () => {
      db = await kind.create();
      dataDir = mkdtempSync(join(tmpdir(), 'payrail-approvals-'));
      app = await startTestApp(db, { clock: () => now, env: { PAYRAIL_DATA_DIR: dataDir, PAYRAIL_SANDBOX_ACK_DELAY_MS: '1000' } });
      // The maker may approve too (scope), to show that being the creator is what is refused.
      maker = await app.authed({ scopes: ['payments:write', 'payments:read', 'accounts:write', 'webhooks:write', 'payments:approve'] });
      checker1 = await app.authed({ scopes: ['payments:approve', 'payments:read'], organisation: maker.clientId });
      checker2 = await app.authed({ scopes: ['payments:approve'], organisation: maker.clientId });
      outsider = await app.authed({ scopes: ['payments:approve', 'payments:read'] });
      const account = async (name: string) =>
        app.inject({
          method: 'POST',
          url: '/v1/accounts',
          headers: maker.headers,
          payload: { name, bank: 'DBSSSGSGXXX', accountNumber: '0123456789', currencies: ['SGD'] },
        });
      sg = (await account('SG Payroll')).json().id;
      sgSmall = (await account('SG Petty cash')).json().id;
      await app.payrail.services.approvalPolicies.set({ clientId: maker.clientId, above: 0, approvers: 2 }, OPERATOR);
      await app.payrail.services.approvalPolicies.set({ clientId: maker.clientId, accountId: sgSmall, above: 10_000, approvers: 1 }, OPERATOR);
    });
    // Tests that move the clock by days put it back (the access tokens live 15 minutes of it).
    afterEach(() => {
      now = NOW;
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    const item = (amount = 5000) => ({
      amount,
      customerReference: `APR-${kind.name}-${++n}`,
      receiver: { name: `Employee ${n}`, bank: 'OCBCSGSGXXX', bankAccountNumber: '0123456789', address: { line1: '1 Main Street' } },
    });
    const createBatch = async (over: Record<string, unknown> = {}, count = 3) => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/payment-batches',
        headers: await h(maker),
        payload: {
          type: 'FAST',
          paymentDate: '2026-03-10',
          senderAccountId: sg,
          currency: 'SGD',
          payments: Array.from({ length: count }, () => item()),
          ...over,
        },
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    };
    // Tokens are issued at the test clock's time: a test that moves it by days asks for new ones.
    const tokens = new Map<string, { at: number; headers: Record<string, string> }>();
    async function h(who: Authed): Promise<Record<string, string>> {
      const cached = tokens.get(who.clientId);
      if (cached?.at === now) return cached.headers;
      const res = await app.inject({
        method: 'POST',
        url: '/v1.0/auth',
        payload: { grant_type: 'client_credentials', client_id: who.clientId, client_secret: who.secret },
      });
      const headers = { authorization: `Bearer ${res.json().access_token}` };
      tokens.set(who.clientId, { at: now, headers });
      return headers;
    }
    const get = async (who: Authed, url: string) => app.inject({ method: 'GET', url, headers: await h(who) });
    const decide = async (who: Authed, path: string, action: 'approve' | 'reject', payload?: object) =>
      app.inject({ method: 'POST', url: `${path}/${action}`, headers: await h(who), ...(payload !== undefined && { payload }) });
    const outbox = () => join(dataDir, 'bank', 'outbox');
    const sentFiles = () => (existsSync(outbox()) ? readdirSync(outbox()).filter((f) => f.endsWith('.xml')) : []);
    const eventsAbout = async (ids: string[]) => {
      const rows = await app.payrail.database.db
        .selectFrom('events')
        .select(['id', 'type', 'object_id', 'data'])
        .where('object_id', 'in', ids)
        .orderBy('id')
        .execute();
      return rows;
    };
    async function tick(ms = 0) {
      now += ms;
      await app.payrail.workers.tick();
    }

    it('a held batch carries its approval, is never dispatched, and leaves once two distinct approvers approved', async () => {
      const batch = await createBatch();
      assert.equal(batch.status, 'PROCESSING');
      assert.deepEqual(batch.approval, { status: 'PENDING', required: 2, approvals: [] });
      const before = sentFiles().length;
      await tick(5000);
      assert.equal(sentFiles().length, before, 'nothing reaches the bank before APPROVED');
      const path = `/v1/payment-batches/${batch.id}`;

      const own = await decide(maker, path, 'approve');
      assert.equal(own.statusCode, 403, own.body);
      assert.equal(own.json().code, 'APPROVAL_NOT_ALLOWED');

      const first = await decide(checker1, path, 'approve', {});
      assert.equal(first.statusCode, 200, first.body);
      assert.equal(first.json().approval.status, 'PENDING');
      assert.deepEqual(
        first.json().approval.approvals.map((a: { by: string }) => a.by),
        [checker1.clientId],
      );
      const twice = await decide(checker1, path, 'approve');
      assert.equal(twice.statusCode, 409);
      assert.equal(twice.json().code, 'APPROVAL_ALREADY_GIVEN');
      await tick(5000);
      assert.equal(sentFiles().length, before, 'one approval of two is not enough');

      const second = await decide(checker2, path, 'approve');
      assert.equal(second.statusCode, 200, second.body);
      assert.equal(second.json().approval.status, 'APPROVED');
      assert.equal(second.json().status, 'PROCESSING');
      assert.equal(second.json().actualPaymentDate, undefined, 'approved in time: no roll');
      const late = await decide(outsider, path, 'approve');
      assert.equal(late.statusCode, 404, 'another organisation: not found');
      const again = await decide(checker1, path, 'reject', { reason: 'too late' });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().code, 'APPROVAL_ALREADY_DECIDED');

      await tick(100);
      assert.equal(sentFiles().length, before + 1);
      const got = (await get(maker, path)).json();
      assert.equal(got.status, 'SUBMITTED');
      assert.equal(got.approval.status, 'APPROVED');
      const events = (await eventsAbout([batch.id])).map((e) => e.type);
      assert.deepEqual(events, ['payment-batches.approval_required', 'payment-batches.approved', 'payment-batches.submitted']);

      // The decisions are in every payment's history: who, when, what.
      const history = (await get(maker, `/v1/payments/${batch.payments[0].id}/events`)).json().data;
      const stages = history.map((h: { stage: string }) => h.stage);
      assert.deepEqual(stages.slice(0, 4), ['CREATED', 'APPROVAL_GIVEN', 'APPROVAL', 'SUBMITTED']);
      assert.match(history[1].message, new RegExp(checker1.clientId));
      assert.match(history[2].message, new RegExp(`${checker1.clientId} and ${checker2.clientId}`));

      const audit = await app.payrail.services.audit.list({ objectId: batch.id });
      assert.deepEqual(audit.data.map((e) => [e.action, e.actor.id]).reverse(), [
        ['approval.approve', checker1.clientId],
        ['approval.approve', checker2.clientId],
      ]);
    });

    it('the approval events are delivered by webhooks like the others', async () => {
      const types = ['payment-batches.approval_required', 'payment-batches.approved', 'payments.approval_required', 'payments.approved'];
      const endpoint = await app.inject({
        method: 'POST',
        url: '/v1/webhook-endpoints',
        headers: await h(maker),
        payload: { url: 'http://127.0.0.1:9/hook', events: types },
      });
      assert.equal(endpoint.statusCode, 201, endpoint.body);
      const batch = await createBatch({}, 1);
      await decide(checker1, `/v1/payment-batches/${batch.id}`, 'approve');
      await decide(checker2, `/v1/payment-batches/${batch.id}`, 'approve');
      const deliveries = await app.payrail.database.db
        .selectFrom('webhook_deliveries')
        .innerJoin('events', 'events.id', 'webhook_deliveries.event_id')
        .select('events.type')
        .where('webhook_deliveries.endpoint_id', '=', endpoint.json().id)
        .where('events.object_id', '=', batch.id)
        .orderBy('events.id')
        .execute();
      assert.deepEqual(
        deliveries.map((d) => d.type),
        ['payment-batches.approval_required', 'payment-batches.approved'],
      );
      await app.inject({ method: 'DELETE', url: `/v1/webhook-endpoints/${endpoint.json().id}`, headers: await h(maker) });
    });

    it('rejection: the batch and every payment FAILED at stage APPROVAL, rejected then failed per payment, in that order', async () => {
      const batch = await createBatch();
      const path = `/v1/payment-batches/${batch.id}`;
      assert.equal((await decide(checker1, path, 'approve')).statusCode, 200);
      const res = await decide(checker2, path, 'reject', { reason: 'wrong month' });
      assert.equal(res.statusCode, 200, res.body);
      const b = res.json();
      assert.equal(b.status, 'FAILED');
      assert.deepEqual(b.failure, { stage: 'APPROVAL', code: 'APPROVAL_REJECTED', message: `rejected in approval by ${checker2.clientId}: wrong month` });
      assert.equal(b.approval.status, 'REJECTED');
      assert.equal(b.approval.rejection.by, checker2.clientId);
      assert.equal(b.approval.rejection.reason, 'wrong month');
      assert.deepEqual(b.summary.failed, 3);
      for (const p of b.payments) {
        const payment = (await get(maker, `/v1/payments/${p.id}`)).json();
        assert.equal(payment.status, 'FAILED');
        assert.equal(payment.failure.stage, 'APPROVAL');
        assert.equal(payment.failure.code, 'APPROVAL_REJECTED');
      }
      const ids = [batch.id, ...b.payments.map((p: { id: string }) => p.id)];
      const events = (await eventsAbout(ids)).map((e) => e.type);
      assert.deepEqual(events, ['payment-batches.approval_required', 'payment-batches.rejected', 'payments.failed', 'payments.failed', 'payments.failed']);
      await tick(5000);
      assert.equal((await app.payrail.database.db.selectFrom('bank_files').select('id').where('batch_id', '=', batch.id).execute()).length, 0);
      const afterwards = await decide(checker1, path, 'approve');
      assert.equal(afterwards.json().code, 'APPROVAL_ALREADY_DECIDED');
    });

    it('expiry after PAYRAIL_APPROVAL_EXPIRY_HOURS (72): EXPIRED, every payment FAILED (APPROVAL_EXPIRED); a late approval is 409', async () => {
      const batch = await createBatch({}, 2);
      const path = `/v1/payment-batches/${batch.id}`;
      await tick(71 * HOUR);
      assert.equal((await get(maker, path)).json().status, 'PROCESSING');
      now += 1 * HOUR;
      // The approval arrives at the expiry: it is refused, and the expiry is applied by it.
      const res = await decide(checker1, path, 'approve');
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().code, 'APPROVAL_ALREADY_DECIDED');
      await tick();
      const b = (await get(maker, path)).json();
      assert.equal(b.status, 'FAILED');
      assert.equal(b.approval.status, 'EXPIRED');
      assert.deepEqual(b.failure, { stage: 'APPROVAL', code: 'APPROVAL_EXPIRED', message: 'not approved within 72 hours' });
      const ids = [batch.id, ...b.payments.map((p: { id: string }) => p.id)];
      assert.deepEqual(
        (await eventsAbout(ids)).map((e) => e.type),
        ['payment-batches.approval_required', 'payment-batches.rejected', 'payments.failed', 'payments.failed'],
      );
      now = NOW;
    });

    it('the expiry worker expires what nobody decided', async () => {
      const batch = await createBatch({}, 1);
      now += 72 * HOUR;
      await tick();
      const b = (await get(maker, `/v1/payment-batches/${batch.id}`)).json();
      assert.equal(b.status, 'FAILED');
      assert.equal(b.failure.code, 'APPROVAL_EXPIRED');
      const audit = await app.payrail.services.audit.list({ objectId: batch.id });
      assert.deepEqual(
        audit.data.map((e) => [e.action, e.actor.kind]),
        [['approval.expire', 'system']],
      );
      now = NOW;
    });

    it("an account's policy replaces the client's: below its amount nothing is held, above it one approver is enough (single payments)", async () => {
      const pay = async (amount: number) =>
        app.inject({
          method: 'POST',
          url: '/v1/payments',
          headers: await h(maker),
          payload: { type: 'FAST', ...item(amount), currency: 'SGD', senderAccountId: sgSmall },
        });
      const small = await pay(10_000);
      assert.equal(small.statusCode, 202, small.body);
      assert.equal(small.json().approval, undefined);
      const big = await pay(10_001);
      assert.deepEqual(big.json().approval, { status: 'PENDING', required: 1, approvals: [] });
      await tick(100);
      assert.equal((await get(maker, `/v1/payments/${small.json().id}`)).json().status, 'SUBMITTED');
      assert.equal((await get(maker, `/v1/payments/${big.json().id}`)).json().status, 'PROCESSING', 'held');
      const queue = (await get(checker1, '/v1/approvals?status=PENDING&limit=100')).json();
      const mine = queue.data.find((a: { objectId: string }) => a.objectId === big.json().id);
      assert.equal(mine.objectType, 'payment');
      assert.equal(mine.amount, 10_001);
      assert.equal(mine.payment.id, big.json().id);
      assert.equal(mine.clientId, maker.clientId);
      const approved = await decide(checker1, `/v1/payments/${big.json().id}`, 'approve', { reason: 'checked against invoice 42' });
      assert.equal(approved.statusCode, 200, approved.body);
      assert.equal(approved.json().approval.status, 'APPROVED');
      await tick(100);
      assert.equal((await get(maker, `/v1/payments/${big.json().id}`)).json().status, 'SUBMITTED');
      assert.deepEqual(
        (await eventsAbout([big.json().id])).map((e) => e.type),
        ['payments.approval_required', 'payments.approved'],
      );
      const pending = (await get(checker1, '/v1/approvals?status=PENDING&limit=100')).json();
      assert.ok(!pending.data.some((a: { objectId: string }) => a.objectId === big.json().id));
      assert.equal((await get(outsider, '/v1/approvals?status=PENDING')).json().data.length, 0, 'another organisation sees nothing');
      const noApproval = await decide(checker1, `/v1/payments/${small.json().id}`, 'approve');
      assert.equal(noApproval.statusCode, 409);
      assert.equal(noApproval.json().code, 'APPROVAL_NOT_REQUIRED');
    });

    it('approved after the cut-off on paymentDate: the date rolls to the next business day, in the object and in the file', async () => {
      const batch = await createBatch({ type: 'MEPS' }, 1);
      // MEPS closes at 15:00 in Singapore (07:00 UTC); 2026-03-10 is a Tuesday.
      now = Date.parse('2026-03-10T08:00:00Z');
      assert.equal((await decide(checker1, `/v1/payment-batches/${batch.id}`, 'approve')).statusCode, 200);
      const res = await decide(checker2, `/v1/payment-batches/${batch.id}`, 'approve');
      assert.equal(res.json().paymentDate, '2026-03-10');
      assert.equal(res.json().actualPaymentDate, '2026-03-11');
      const payment = (await get(maker, `/v1/payments/${batch.payments[0].id}`)).json();
      assert.equal(payment.actualPaymentDate, '2026-03-11');
      await tick();
      const file = sentFiles().find((f) => f.includes(batch.id))!;
      assert.match(readFileSync(join(dataDir, 'bank', 'outbox', file), 'utf8'), /<ReqdExctnDt><Dt>2026-03-11<\/Dt><\/ReqdExctnDt>/);
      now = NOW;
    });

    it('bad input: unknown or foreign ids 404, a bad reason 400, without the scope 403; nothing changes', async () => {
      const batch = await createBatch({}, 1);
      const path = `/v1/payment-batches/${batch.id}`;
      assert.equal((await decide(checker1, '/v1/payment-batches/pymtb_01JC9Z0000000000000000000', 'approve')).statusCode, 404);
      assert.equal((await decide(checker1, '/v1/payments/pymt_01JC9Z0000000000000000000', 'reject', { reason: 'x' })).statusCode, 404);
      assert.equal((await decide(outsider, path, 'reject', { reason: 'not mine' })).statusCode, 404);
      const cases: [object | undefined, string][] = [
        [{ reason: 'x'.repeat(501) }, 'INVALID_LENGTH'],
        [{ reason: 'line one\nline two' }, 'INVALID_CHARACTERS'],
        [{ reason: 'bell \u0007' }, 'INVALID_CHARACTERS'],
        [{ reason: '' }, 'REQUIRED'],
        [{}, ''],
        [undefined, ''],
      ];
      for (const [payload, code] of cases) {
        const res = await decide(checker1, path, 'reject', payload);
        assert.equal(res.statusCode, 400, `${JSON.stringify(payload)}: ${res.body}`);
        if (code)
          assert.ok(
            res.json().errors.some((e: { path: string; code: string }) => e.path === 'reason' && e.code === code),
            res.body,
          );
      }
      const longApproval = await decide(checker1, path, 'approve', { reason: 'é'.repeat(501) });
      assert.equal(longApproval.statusCode, 400);
      assert.equal((await decide(checker1, path, 'reject', { reason: 'é'.repeat(500) })).statusCode, 200, '500 characters are fine');
      const makerOnly = await app.authed({ organisation: maker.clientId });
      const noScope = await decide(makerOnly, path, 'approve');
      assert.equal(noScope.statusCode, 403);
      assert.equal(noScope.json().code, 'INSUFFICIENT_SCOPE');
    });

    it('hostile reasons, ids and queries never give a 5xx, and change nothing', async () => {
      const batch = await createBatch({}, 1);
      const reasons: unknown[] = ['\u0000', '\ud800', 'a\u0085b', '\uffff', 'x'.repeat(100_000), 123, null, true, [], {}, ['a'], { reason: 'x' }];
      for (const reason of reasons) {
        for (const action of ['approve', 'reject'] as const) {
          const res = await decide(checker1, `/v1/payment-batches/${batch.id}`, action, { reason });
          assert.equal(res.statusCode, 400, `${action} ${JSON.stringify(reason).slice(0, 40)}: ${res.body}`);
        }
      }
      assert.equal((await decide(checker1, `/v1/payment-batches/${batch.id}`, 'approve', { reason: 'ok', extra: 1 })).statusCode, 400, 'unknown field');
      const ids = ['%00', 'pymtb_%00', `pymtb_${'A'.repeat(70)}`, '%F0%9F%92%A9', '..%2F..', 'pymt_01JC9Z0000000000000000000'];
      for (const id of ids) {
        for (const base of ['/v1/payment-batches', '/v1/payments']) {
          const res = await app.inject({ method: 'POST', url: `${base}/${id}/approve`, headers: await h(checker1), payload: {} });
          assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${base}/${id}: ${res.statusCode} ${res.body}`);
        }
      }
      for (const query of ['status=NOPE', 'limit=0', 'limit=101', 'startingAfter=%00', 'status=PENDING&extra=1']) {
        const res = await get(checker1, `/v1/approvals?${query}`);
        assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
      }
      const untouched = (await get(maker, `/v1/payment-batches/${batch.id}`)).json();
      assert.deepEqual(untouched.approval, { status: 'PENDING', required: 2, approvals: [] });
    });

    it('a client of the other mode in the organisation neither decides nor lists its approvals (404)', async () => {
      // Created in its own organisation, then grouped with the maker directly in the database:
      // clients create refuses a mixed organisation now, but one made before must stay harmless.
      const liveChecker = await app.authed({ mode: 'live', scopes: ['payments:approve', 'payments:read'] });
      await app.payrail.database.db.updateTable('clients').set({ organisation_id: maker.clientId }).where('id', '=', liveChecker.clientId).execute();
      const batch = await createBatch();
      const path = `/v1/payment-batches/${batch.id}`;
      for (const action of ['approve', 'reject'] as const) {
        const res = await decide(liveChecker, path, action, { reason: 'other mode' });
        assert.equal(res.statusCode, 404, res.body);
        assert.equal(res.json().code, 'NOT_FOUND');
      }
      const small = await app.inject({
        method: 'POST',
        url: '/v1/payments',
        headers: await h(maker),
        payload: { type: 'FAST', paymentDate: '2026-03-10', senderAccountId: sgSmall, currency: 'SGD', ...item(50) },
      });
      assert.equal(small.statusCode, 202, small.body);
      const notRequired = await decide(liveChecker, `/v1/payments/${small.json().id}`, 'approve');
      assert.equal(notRequired.statusCode, 404, 'not even whether it needs approval is told across modes');
      assert.equal((await get(liveChecker, '/v1/approvals?limit=100')).json().data.length, 0, 'the queue shows only its own mode');
      assert.ok(
        (await get(checker1, '/v1/approvals?status=PENDING&limit=100')).json().data.some((a: { objectId: string }) => a.objectId === batch.id),
        'the same-mode checker sees it',
      );
      assert.deepEqual((await get(maker, path)).json().approval, { status: 'PENDING', required: 2, approvals: [] }, 'nothing changed');
    });

    it('a client change and its audit entry commit together: a failing entry leaves no change', async () => {
      const { clients } = app.payrail.services;
      const boom = async () => {
        throw new Error('audit entry failed');
      };
      const before = (await clients.list()).length;
      await assert.rejects(clients.create({ name: 'never created' }, boom), /audit entry failed/);
      assert.equal((await clients.list()).length, before, 'no client without its entry');
      const c = await app.createClient({ scopes: ['payments:read'] });
      await assert.rejects(clients.update(c.clientId, { scopes: ['payments:write'], requireEncryption: true }, boom));
      assert.deepEqual((await clients.get(c.clientId))!.scopes, ['payments:read']);
      assert.equal((await clients.get(c.clientId))!.requireEncryption, false);
      await assert.rejects(clients.disable(c.clientId, { record: boom }));
      assert.equal((await clients.get(c.clientId))!.disabled, false);
      await assert.rejects(clients.rotateSecret(c.clientId, 0, { record: boom }));
      assert.ok(await clients.authenticate(c.clientId, c.secret), 'the old secret still works');
    });

    it('the audit log is append-only: the database refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL)', async () => {
      const { db: kdb } = app.payrail.database;
      const count = async () =>
        Number(
          (
            await kdb
              .selectFrom('audit_log')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      assert.ok(before > 0);
      await assert.rejects(sql`update audit_log set action = 'nothing'`.execute(kdb), /append-only/);
      await assert.rejects(sql`delete from audit_log`.execute(kdb), /append-only/);
      if (kind.name === 'postgres') await assert.rejects(sql`truncate audit_log`.execute(kdb), /append-only: TRUNCATE refused/);
      assert.equal(await count(), before);
      const policies = await app.payrail.services.audit.list({ action: 'approval_policy.set' });
      assert.equal(policies.data.length, 2);
      assert.equal(policies.data[0]!.actor.id, OPERATOR.id);
    });
  });
}
