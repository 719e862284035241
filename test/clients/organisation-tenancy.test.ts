// Tenancy by organisation (SPEC §2) through the API on both databases: two clients of one
// organisation read each other's payments (by id, history, the HK path, lists) and batches; a
// client of another organisation gets 404 and sees none of them in its lists; an ungrouped client
// reads only its own, as before. Accounts are read organisation-wide but paid from by their owner
// only; events, idempotency keys and customer references stay per client.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { NOW } from '../rails/builders.ts';

type Authed = Awaited<ReturnType<TestApp['authed']>>;

for (const kind of databaseKinds()) {
  describe(`tenancy by organisation (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let maker: Authed; // org acme
    let colleague: Authed; // org acme
    let joinedById: Authed; // created with --organisation <maker's id>: joins acme
    let outsider: Authed; // org globex
    let loner: Authed; // no --organisation: an organisation of its own
    let sg: string;
    let hk: string;
    let colleagueSg: string;
    let n = 0;

    const receiver = () => ({ name: `Receiver ${++n}`, bank: 'OCBCSGSGXXX', bankAccountNumber: '123456789', address: { line1: '20 Side Street' } });
    const single = (account = sg, over: Record<string, unknown> = {}) => ({
      type: 'MEPS',
      amount: 2000,
      currency: 'SGD',
      senderAccountId: account,
      paymentDate: '2026-03-11',
      receiver: receiver(),
      ...over,
    });
    const batchOf = (count: number, account = sg) => ({
      type: 'MEPS',
      paymentDate: '2026-03-11',
      senderAccountId: account,
      currency: 'SGD',
      payments: Array.from({ length: count }, () => ({ amount: 1000, receiver: receiver() })),
    });
    const get = (who: Authed, url: string) => app.inject({ method: 'GET', url, headers: who.headers });
    const post = (who: Authed, url: string, payload: object, headers: Record<string, string> = {}) =>
      app.inject({ method: 'POST', url, headers: { ...who.headers, ...headers }, payload });
    const createAccount = async (who: Authed, payload: object) => {
      const res = await post(who, '/v1/accounts', payload);
      assert.equal(res.statusCode, 201, res.body);
      return res.json().id as string;
    };
    /** Every id of a list, paging through it `limit` at a time. */
    async function allIds(who: Authed, url: string, limit = 100): Promise<string[]> {
      const ids: string[] = [];
      for (let after: string | undefined, more = true; more;) {
        const res = await get(who, `${url}${url.includes('?') ? '&' : '?'}limit=${limit}${after ? `&startingAfter=${after}` : ''}`);
        assert.equal(res.statusCode, 200, res.body);
        const page = res.json() as { data: { id: string }[]; hasMore: boolean };
        ids.push(...page.data.map((o) => o.id));
        more = page.hasMore;
        after = page.data.at(-1)?.id;
      }
      return ids;
    }

    before(async () => {
      db = await kind.create();
      app = await startTestApp(db, { clock: () => NOW });
      maker = await app.authed({ organisation: 'acme' });
      colleague = await app.authed({ organisation: 'acme' });
      joinedById = await app.authed({ organisation: maker.clientId });
      outsider = await app.authed({ organisation: 'globex' });
      loner = await app.authed();
      sg = await createAccount(maker, { name: 'SG ops', bank: 'DBSSSGSGXXX', accountNumber: '0123456789', currencies: ['SGD'] });
      hk = await createAccount(maker, { name: 'HK ops', bank: 'HSBCHKHHXXX', accountNumber: '123456789', currencies: ['HKD'] });
      colleagueSg = await createAccount(colleague, { name: 'SG colleague', bank: 'DBSSSGSGXXX', accountNumber: '0123456780', currencies: ['SGD'] });
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    it("a client reads its organisation's payment: by id, its history and the HK path", async () => {
      const created = await post(maker, '/v1/payments', single());
      assert.equal(created.statusCode, 202, created.body);
      const p = created.json();
      const got = await get(colleague, `/v1/payments/${p.id}`);
      assert.equal(got.statusCode, 200, got.body);
      assert.deepEqual(got.json(), p);
      // A client that joined by naming the maker's id is in the maker's organisation, not one named after it.
      assert.equal((await get(joinedById, `/v1/payments/${p.id}`)).statusCode, 200);
      const history = await get(colleague, `/v1/payments/${p.id}/events`);
      assert.equal(history.statusCode, 200, history.body);
      assert.equal(history.json().data[0].stage, 'CREATED');

      const fps = (
        await post(maker, '/payment/hk/v1.0/fps', {
          amount: 1500,
          currency: 'HKD',
          senderAccountId: hk,
          receiver: { name: 'Chan Tai Man', proxy: { type: 'MOBILE', value: '+85291234567' } },
        })
      ).json();
      const hkGot = await get(colleague, `/payment/hk/v1.0/fps/${fps.id}`);
      assert.equal(hkGot.statusCode, 202, hkGot.body);
      assert.equal(hkGot.json().id, fps.id);
    });

    it("another organisation's payment is a 404 everywhere, and in none of its lists", async () => {
      const p = (await post(maker, '/v1/payments', single())).json();
      const fps = (
        await post(maker, '/payment/hk/v1.0/fps', {
          amount: 1500,
          currency: 'HKD',
          senderAccountId: hk,
          receiver: { name: 'Chan Tai Man', proxy: { type: 'MOBILE', value: '+85291234567' } },
        })
      ).json();
      for (const who of [outsider, loner]) {
        for (const url of [`/v1/payments/${p.id}`, `/v1/payments/${p.id}/events`, `/payment/hk/v1.0/fps/${fps.id}`]) {
          const res = await get(who, url);
          assert.equal(res.statusCode, 404, `${url}: ${res.body}`);
          assert.equal(res.json().code, 'NOT_FOUND');
          assert.ok(!res.body.includes(p.customerReference), 'the 404 tells nothing of the payment');
        }
        assert.deepEqual(await allIds(who, '/v1/payments'), []);
        assert.deepEqual(await allIds(who, `/v1/payments?customerReference=${p.customerReference}`), []);
      }
    });

    it("a client reads its organisation's batch; another organisation's client gets 404 and an empty list", async () => {
      const created = await post(maker, '/v1/payment-batches', batchOf(3));
      assert.equal(created.statusCode, 200, created.body);
      const b = created.json();
      const got = await get(colleague, `/v1/payment-batches/${b.id}`);
      assert.equal(got.statusCode, 200, got.body);
      assert.deepEqual(got.json().payments, b.payments);
      assert.ok((await allIds(colleague, '/v1/payment-batches')).includes(b.id));
      assert.deepEqual((await allIds(colleague, `/v1/payments?batchId=${b.id}`)).sort(), b.payments.map((p: { id: string }) => p.id).sort());
      for (const who of [outsider, loner]) {
        const res = await get(who, `/v1/payment-batches/${b.id}`);
        assert.equal(res.statusCode, 404, res.body);
        assert.equal(res.json().code, 'NOT_FOUND');
        assert.deepEqual(await allIds(who, '/v1/payment-batches'), []);
        assert.deepEqual(await allIds(who, `/v1/payments?batchId=${b.id}`), []);
      }
    });

    it("lists merge the organisation's clients newest first, and page through them without a gap or a repeat", async () => {
      for (let i = 0; i < 4; i++) {
        assert.equal((await post(colleague, '/v1/payments', single(colleagueSg))).statusCode, 202);
        assert.equal((await post(colleague, '/v1/payment-batches', batchOf(1, colleagueSg))).statusCode, 200);
        assert.equal((await post(maker, '/v1/payments', single())).statusCode, 202);
      }
      for (const url of ['/v1/payments', '/v1/payment-batches', '/v1/accounts']) {
        const whole = await allIds(maker, url);
        assert.deepEqual(await allIds(colleague, url), whole, `${url}: both clients see the same list`);
        assert.deepEqual([...whole].sort().reverse(), whole, `${url}: newest first`);
        for (const limit of [1, 2, 3, 7]) assert.deepEqual(await allIds(maker, url, limit), whole, `${url} by ${limit}`);
      }
      const payments = await allIds(maker, '/v1/payments');
      const ownedBy = async (who: Authed) =>
        (await Promise.all(payments.map(async (id) => (await get(who, `/v1/payments/${id}`)).statusCode))).filter((s) => s === 200).length;
      assert.equal(await ownedBy(maker), payments.length);
      assert.equal(await ownedBy(outsider), 0);
      // Filters apply to every client's page: the colleague's four single MEPS payments and the maker's.
      const filtered = (await get(maker, `/v1/payments?limit=100&type=MEPS&createdFrom=2026-03-10T00:00:00Z`)).json().data as { id: string }[];
      assert.ok(filtered.length >= 12);
    });

    it('an ungrouped client reads its own objects only, as before', async () => {
      const lonerSg = await createAccount(loner, { name: 'SG loner', bank: 'DBSSSGSGXXX', accountNumber: '0123456781', currencies: ['SGD'] });
      const p = (await post(loner, '/v1/payments', single(lonerSg))).json();
      const b = (await post(loner, '/v1/payment-batches', batchOf(2, lonerSg))).json();
      assert.equal((await get(loner, `/v1/payments/${p.id}`)).statusCode, 200);
      assert.equal((await get(loner, `/v1/payment-batches/${b.id}`)).statusCode, 200);
      assert.deepEqual((await allIds(loner, '/v1/payments')).sort(), [p.id, ...b.payments.map((x: { id: string }) => x.id)].sort());
      assert.deepEqual(await allIds(loner, '/v1/payment-batches'), [b.id]);
      assert.deepEqual(await allIds(loner, '/v1/accounts'), [lonerSg]);
      for (const who of [maker, colleague, outsider]) {
        assert.equal((await get(who, `/v1/payments/${p.id}`)).statusCode, 404);
        assert.equal((await get(who, `/v1/payment-batches/${b.id}`)).statusCode, 404);
        assert.equal((await get(who, `/v1/accounts/${lonerSg}`)).statusCode, 404);
        assert.ok(!(await allIds(who, '/v1/payments')).includes(p.id));
      }
    });

    it('accounts: read across the organisation, paid from by their owner only', async () => {
      const got = await get(colleague, `/v1/accounts/${sg}`);
      assert.equal(got.statusCode, 200, got.body);
      assert.equal(got.json().id, sg);
      assert.ok((await allIds(colleague, '/v1/accounts')).includes(sg));
      assert.equal((await get(outsider, `/v1/accounts/${sg}`)).statusCode, 404);
      assert.ok(!(await allIds(outsider, '/v1/accounts')).includes(sg));

      const before = await allIds(colleague, '/v1/payments');
      for (const [url, body] of [
        ['/v1/payments', single(sg)],
        ['/v1/payment-batches', batchOf(1, sg)],
      ] as const) {
        const res = await post(colleague, url, body);
        assert.equal(res.statusCode, 400, res.body);
        assert.ok(
          res.json().errors.some((e: { path: string; code: string }) => e.path === 'senderAccountId' && e.code === 'SENDER_ACCOUNT_NOT_FOUND'),
          res.body,
        );
      }
      assert.deepEqual(await allIds(colleague, '/v1/payments'), before, 'nothing was created');
    });

    it('events, idempotency keys and customer references stay per client', async () => {
      // A policy holds every payment of the maker: its approval_required event goes to the maker alone.
      await app.payrail.services.approvalPolicies.set({ clientId: maker.clientId, above: 0, approvers: 1 }, { kind: 'operator', id: 'test-operator' });
      const created = await post(maker, '/v1/payments', single(sg, { customerReference: `ORG-${kind.name}` }), { 'idempotency-key': `org-key-${kind.name}` });
      assert.equal(created.statusCode, 202, created.body);
      const p = created.json();
      const makerEvents = (await get(maker, `/v1/events?objectId=${p.id}`)).json().data as { id: string; type: string }[];
      assert.deepEqual(
        makerEvents.map((e) => e.type),
        ['payments.approval_required'],
      );
      assert.deepEqual((await get(colleague, `/v1/events?objectId=${p.id}`)).json().data, [], 'the creator alone is told');
      assert.equal((await get(colleague, `/v1/events/${makerEvents[0]!.id}`)).statusCode, 404);

      // The colleague's own account, the same key and reference: a new payment, not a replay or a duplicate.
      const second = await post(colleague, '/v1/payments', single(colleagueSg, { customerReference: `ORG-${kind.name}` }), {
        'idempotency-key': `org-key-${kind.name}`,
      });
      assert.equal(second.statusCode, 202, second.body);
      assert.notEqual(second.json().id, p.id);
      assert.deepEqual((await allIds(maker, `/v1/payments?customerReference=ORG-${kind.name}`)).sort(), [p.id, second.json().id].sort());
      // The maker's reference is still taken for the maker.
      const again = await post(maker, '/v1/payments', single(sg, { customerReference: `ORG-${kind.name}` }));
      assert.equal(again.statusCode, 400, again.body);
      assert.equal(again.json().errors[0].code, 'DUPLICATE_CUSTOMER_REFERENCE');
    });
  });
}
