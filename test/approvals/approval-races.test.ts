// Decisions racing each other (issue #16): two approvers at the same moment, an approval and a
// rejection at the same moment, an approval arriving while the expiry runs. Exactly one outcome
// each time, on PostgreSQL (row lock, concurrent connections) and SQLite (serial writers); the
// events and audit entries show it happened once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { NOW } from '../rails/builders.ts';

const ROUNDS = 5;
const OPERATOR = { kind: 'operator' as const, id: 'test-operator' };
type Authed = Awaited<ReturnType<TestApp['authed']>>;

for (const kind of databaseKinds()) {
  describe(`approval races (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let now = NOW;
    let maker: Authed;
    let c1: Authed;
    let c2: Authed;
    let oneApprover: string;
    let twoApprovers: string;
    let n = 0;

    before(async () => {
      db = await kind.create();
      app = await startTestApp(db, { clock: () => now });
      maker = await app.authed();
      c1 = await app.authed({ scopes: ['payments:approve'], organisation: maker.clientId });
      c2 = await app.authed({ scopes: ['payments:approve'], organisation: maker.clientId });
      const account = async (name: string) =>
        (
          await app.inject({
            method: 'POST',
            url: '/v1/accounts',
            headers: maker.headers,
            payload: { name, bank: 'DBSSSGSGXXX', accountNumber: '0123456789', currencies: ['SGD'] },
          })
        ).json().id as string;
      oneApprover = await account('one');
      twoApprovers = await account('two');
      await app.payrail.services.approvalPolicies.set({ clientId: maker.clientId, accountId: oneApprover, above: 0, approvers: 1 }, OPERATOR);
      await app.payrail.services.approvalPolicies.set({ clientId: maker.clientId, accountId: twoApprovers, above: 0, approvers: 2 }, OPERATOR);
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

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
    async function createBatch(account: string): Promise<{ id: string; payments: { id: string }[] }> {
      const payments = Array.from({ length: 3 }, () => ({
        amount: 1000,
        customerReference: `RACE-${++n}`,
        receiver: { name: `R ${n}`, bank: 'OCBCSGSGXXX', bankAccountNumber: '0123456789' },
      }));
      const res = await app.inject({
        method: 'POST',
        url: '/v1/payment-batches',
        headers: await h(maker),
        payload: { type: 'FAST', paymentDate: '2026-03-10', senderAccountId: account, currency: 'SGD', payments },
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    }
    const decide = async (who: Authed, batchId: string, action: 'approve' | 'reject') =>
      app.inject({
        method: 'POST',
        url: `/v1/payment-batches/${batchId}/${action}`,
        headers: await h(who),
        payload: action === 'reject' ? { reason: 'race' } : {},
      });
    const eventTypes = async (ids: string[]) =>
      (await app.payrail.database.db.selectFrom('events').select('type').where('object_id', 'in', ids).orderBy('id').execute()).map((e) => e.type);
    const actions = async (id: string) => (await app.payrail.services.audit.list({ objectId: id })).data.map((e) => e.action).sort();
    const batchRow = (id: string) => app.payrail.database.db.selectFrom('batches').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    it('two approvers at once on a one-approver batch: one approves, the other is told it is decided', async () => {
      for (let i = 0; i < ROUNDS; i++) {
        const batch = await createBatch(oneApprover);
        const [a, b] = await Promise.all([decide(c1, batch.id, 'approve'), decide(c2, batch.id, 'approve')]);
        assert.deepEqual([a.statusCode, b.statusCode].sort(), [200, 409], `${a.body} ${b.body}`);
        assert.equal((a.statusCode === 409 ? a : b).json().code, 'APPROVAL_ALREADY_DECIDED');
        const row = await batchRow(batch.id);
        assert.equal(row.approval_status, 'APPROVED');
        assert.equal(JSON.parse(row.approval!).approvals.length, 1);
        assert.deepEqual(await eventTypes([batch.id]), ['payment-batches.approval_required', 'payment-batches.approved']);
        assert.deepEqual(await actions(batch.id), ['approval.approve']);
      }
    });

    it('two approvers at once on a two-approver batch: both count, one approved event', async () => {
      for (let i = 0; i < ROUNDS; i++) {
        const batch = await createBatch(twoApprovers);
        const [a, b] = await Promise.all([decide(c1, batch.id, 'approve'), decide(c2, batch.id, 'approve')]);
        assert.deepEqual([a.statusCode, b.statusCode], [200, 200], `${a.body} ${b.body}`);
        const row = await batchRow(batch.id);
        assert.equal(row.approval_status, 'APPROVED');
        assert.deepEqual(
          JSON.parse(row.approval!)
            .approvals.map((x: { by: string }) => x.by)
            .sort(),
          [c1.clientId, c2.clientId].sort(),
        );
        assert.deepEqual(await eventTypes([batch.id]), ['payment-batches.approval_required', 'payment-batches.approved']);
      }
    });

    it('an approval and a rejection at once: exactly one wins, and the batch shows that one', async () => {
      const winners = new Set<string>();
      for (let i = 0; i < ROUNDS * 2; i++) {
        const batch = await createBatch(oneApprover);
        const [approve, reject] = await Promise.all([decide(c1, batch.id, 'approve'), decide(c2, batch.id, 'reject')]);
        assert.deepEqual([approve.statusCode, reject.statusCode].sort(), [200, 409], `${approve.body} ${reject.body}`);
        const row = await batchRow(batch.id);
        const ids = [batch.id, ...batch.payments.map((p) => p.id)];
        if (approve.statusCode === 200) {
          winners.add('approve');
          assert.equal(row.approval_status, 'APPROVED');
          assert.equal(row.status, 'PROCESSING');
          assert.deepEqual(await eventTypes(ids), ['payment-batches.approval_required', 'payment-batches.approved']);
        } else {
          winners.add('reject');
          assert.equal(row.approval_status, 'REJECTED');
          assert.equal(row.status, 'FAILED');
          assert.deepEqual(await eventTypes(ids), [
            'payment-batches.approval_required',
            'payment-batches.rejected',
            'payments.failed',
            'payments.failed',
            'payments.failed',
          ]);
        }
        assert.equal((await actions(batch.id)).length, 1);
      }
      assert.ok(winners.size >= 1);
    });

    it('an approval while the expiry runs: expired once, the approval refused', async () => {
      for (let i = 0; i < ROUNDS; i++) {
        now = NOW;
        const batch = await createBatch(oneApprover);
        now = NOW + 72 * 3600_000;
        const [approve] = await Promise.all([
          decide(c1, batch.id, 'approve'),
          app.payrail.services.approvals.expireDue(),
          app.payrail.services.approvals.expireDue(),
        ]);
        assert.equal(approve.statusCode, 409, approve.body);
        assert.equal(approve.json().code, 'APPROVAL_ALREADY_DECIDED');
        const row = await batchRow(batch.id);
        assert.equal(row.approval_status, 'EXPIRED');
        assert.equal(row.status, 'FAILED');
        const ids = [batch.id, ...batch.payments.map((p) => p.id)];
        assert.deepEqual(await eventTypes(ids), [
          'payment-batches.approval_required',
          'payment-batches.rejected',
          'payments.failed',
          'payments.failed',
          'payments.failed',
        ]);
        assert.deepEqual(await actions(batch.id), ['approval.expire']);
      }
      now = NOW;
    });
  });
}
