// The fields bank profiles need, end to end on both databases (BANKS.md §3, SPEC §9): sender
// accounts' legal name, country, address and bank customer id; payments' and batches' `purpose`;
// the receiver's structured address. Accepted, stored, returned, and refused with their path when
// wrong. Then what a bank's profile requires at creation (400, nothing stored), and the file the
// dispatcher writes from all of it in a bank's layout.
import type { BankEndpoint, BankEndpoints } from '../../src/bank/endpoints.ts';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Account } from '../../src/accounts/service.ts';
import type { ProfileName } from '../../src/bank-files/profiles/index.ts';
import { createLocalTransport } from '../../src/bank/transports/local-transport.ts';
import { createBatchDispatcher } from '../../src/batches/dispatcher.ts';
import type { RailType } from '../../src/rails/rails.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { validateXml, XSD } from '../helpers/xsd.ts';
import { NOW, validPayment } from '../rails/builders.ts';

/** The test's bank connections: accounts named `… (bank)` go to a bank's profile, others generic. */
function profileForAccount(account: Account): ProfileName {
  const match = /\((hsbc-hk|dbs-sg|jpm-apac)\)$/.exec(account.name);
  return (match?.[1] as ProfileName | undefined) ?? 'generic';
}

const DEBTOR = { legalName: 'Acme Trading Pte. Ltd.', country: 'SG', address: ['1 Raffles Place', '#20-01'], bankCustomerId: 'ACME-SG-001' };

for (const kind of databaseKinds()) {
  describe(`bank profile fields through the API (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let alice: Awaited<ReturnType<TestApp['authed']>>;
    const accounts: Record<string, string> = {};

    const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, headers: alice.headers, payload: payload as object });
    const get = (url: string) => app.inject({ method: 'GET', url, headers: alice.headers });
    const pathsOf = (body: { errors?: { path: string; code: string }[] }) => (body.errors ?? []).map((e) => `${e.path} ${e.code}`).sort();

    function payment(rail: RailType, account: string, changes: { receiver?: Record<string, unknown> } & Record<string, unknown> = {}) {
      const p = validPayment(rail) as unknown as Record<string, unknown> & { receiver: Record<string, unknown> };
      delete p.customerReference;
      return { ...p, senderAccountId: accounts[account], ...changes, receiver: { ...p.receiver, ...changes.receiver } };
    }

    before(async () => {
      db = await kind.create();
      app = await startTestApp(db, { clock: () => NOW, profileForAccount });
      alice = await app.authed();
      const create = async (key: string, body: Record<string, unknown>) => {
        const res = await post('/v1/accounts', body);
        assert.equal(res.statusCode, 201, res.body);
        accounts[key] = res.json().id;
      };
      await create('SG', { name: 'SG ops', bank: 'DBSSSGSGXXX', accountNumber: '0123456789', currencies: ['SGD', 'USD'], ...DEBTOR });
      await create('HK', { name: 'HK ops', bank: 'HSBCHKHHXXX', accountNumber: '123456789', currencies: ['HKD'] });
      await create('HSBC', {
        name: 'HK ops (hsbc-hk)',
        bank: 'HSBCHKHHXXX',
        accountNumber: '123456780',
        currencies: ['HKD'],
        legalName: 'Acme Trading (HK) Limited',
        country: 'HK',
      });
      await create('DBS', { name: 'SG ops (dbs-sg)', bank: 'DBSSSGSGXXX', accountNumber: '0123456780', currencies: ['SGD', 'GBP'], ...DEBTOR });
      await create('DBS-BARE', { name: 'SG bare (dbs-sg)', bank: 'DBSSSGSGXXX', accountNumber: '0123456781', currencies: ['SGD'] });
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    it('the OpenAPI description has the new fields (it is built from the route schemas)', async () => {
      const spec = JSON.stringify((await app.inject({ method: 'GET', url: '/openapi.json' })).json());
      for (const field of ['legalName', 'bankCustomerId', 'buildingNumber', 'postalCode', 'ExternalCategoryPurpose1Code'])
        assert.ok(spec.includes(field), field);
    });

    describe('sender accounts', () => {
      it('POST /v1/accounts takes legalName, country, address and bankCustomerId and returns them', async () => {
        const account = (await get(`/v1/accounts/${accounts.SG}`)).json();
        assert.deepEqual({ legalName: account.legalName, country: account.country, address: account.address, bankCustomerId: account.bankCustomerId }, DEBTOR);
        const bare = (await get(`/v1/accounts/${accounts.HK}`)).json();
        assert.equal('legalName' in bare || 'country' in bare || 'address' in bare || 'bankCustomerId' in bare, false, 'absent fields are omitted');
      });

      it('bad debtor fields: 400 with each path, nothing created', async () => {
        const before = (await get('/v1/accounts?limit=100')).json().data.length;
        const res = await post('/v1/accounts', {
          name: 'x',
          bank: 'DBSSSGSGXXX',
          accountNumber: '1',
          currencies: ['SGD'],
          legalName: 'Acme\tLtd',
          country: 'QQ',
          address: ['a', 'b', 'c', 'd'],
          bankCustomerId: 'x'.repeat(36),
        });
        assert.equal(res.statusCode, 400, res.body);
        assert.deepEqual(pathsOf(res.json()), ['address INVALID_COUNT', 'bankCustomerId INVALID_LENGTH']);
        const semantic = await post('/v1/accounts', {
          name: 'x',
          bank: 'DBSSSGSGXXX',
          accountNumber: '1',
          currencies: ['SGD'],
          legalName: 'Acme\tLtd',
          country: 'QQ',
          address: ['  '],
        });
        assert.equal(semantic.statusCode, 400, semantic.body);
        assert.deepEqual(pathsOf(semantic.json()), ['address[0] INVALID_VALUE', 'country INVALID_COUNTRY', 'legalName INVALID_CHARACTERS']);
        assert.equal((await get('/v1/accounts?limit=100')).json().data.length, before);
      });
    });

    describe('payments: purpose and the structured receiver address', () => {
      it('accepted, stored and returned', async () => {
        const address = { line1: 'Canary Wharf', street: 'Churchill Place', buildingNumber: '1', postalCode: 'E14 5HP', city: 'London', country: 'GB' };
        const res = await post('/v1/payments', payment('TT', 'SG', { purpose: 'SUPP', receiver: { address } }));
        assert.equal(res.statusCode, 202, res.body);
        const p = res.json();
        assert.equal(p.purpose, 'SUPP');
        assert.deepEqual(p.receiver.address, address);
        assert.deepEqual((await get(`/v1/payments/${p.id}`)).json(), p);
      });

      it('a purpose outside the ISO list, a bad country, a blank street, a long city: 400 with each path', async () => {
        const res = await post('/v1/payments', payment('TT', 'SG', { purpose: 'ABCD', receiver: { address: { line1: 'x', country: 'QQ', street: ' ' } } }));
        assert.equal(res.statusCode, 400, res.body);
        assert.deepEqual(pathsOf(res.json()), [
          'purpose INVALID_PURPOSE',
          'receiver.address.country INVALID_COUNTRY',
          'receiver.address.street INVALID_ADDRESS_FIELD',
        ]);
        const long = await post('/v1/payments', payment('TT', 'SG', { receiver: { address: { line1: 'x', city: 'L'.repeat(36) } } }));
        assert.equal(long.statusCode, 400, long.body);
        assert.deepEqual(pathsOf(long.json()), ['receiver.address.city INVALID_LENGTH']);
      });

      it('structured fields on SWIFT rails keep to the x set', async () => {
        const res = await post('/v1/payments', payment('TT', 'SG', { receiver: { address: { city: 'Zürich', country: 'CH' } } }));
        assert.equal(res.statusCode, 400, res.body);
        assert.deepEqual(pathsOf(res.json()), ['receiver.address.city INVALID_CHARACTERS']);
      });

      it('a batch purpose is the purpose of every payment without its own; a bad one is refused at `purpose`', async () => {
        const body = {
          type: 'FAST',
          paymentDate: '2026-03-10',
          senderAccountId: accounts.SG,
          senderAccountCurrency: 'SGD',
          currency: 'SGD',
          purpose: 'SALA',
          payments: [
            { amount: 100, receiver: { name: 'A', bank: 'DBSSSGSGXXX', bankAccountNumber: '0123456789' } },
            { amount: 200, purpose: 'BONU', receiver: { name: 'B', bank: 'DBSSSGSGXXX', bankAccountNumber: '0123456789' } },
          ],
        };
        const res = await post('/v1/payment-batches', body);
        assert.equal(res.statusCode, 200, res.body);
        const batch = res.json();
        assert.equal(batch.purpose, 'SALA');
        const purposes = await Promise.all(batch.payments.map(async (p: { id: string }) => (await get(`/v1/payments/${p.id}`)).json().purpose));
        assert.deepEqual(purposes, ['SALA', 'BONU']);
        const bad = await post('/v1/payment-batches', { ...body, purpose: 'NOPE', payments: [body.payments[0], { ...body.payments[1], purpose: 'XXXX' }] });
        assert.equal(bad.statusCode, 400, bad.body);
        assert.deepEqual(pathsOf(bad.json()), ['payments[1].purpose INVALID_PURPOSE', 'purpose INVALID_PURPOSE']);
      });
    });

    describe("a bank profile's requirements at creation", () => {
      it('generic: none — a cross-border payment without a city is accepted', async () => {
        const res = await post('/v1/payments', payment('CBFT', 'HK'));
        assert.equal(res.statusCode, 202, res.body);
      });

      it('hsbc-hk: CBFT needs the city; more than 2 lines, IDR and no purpose to India are refused; nothing stored', async () => {
        const count = async () => (await get('/v1/payments?limit=100')).json().data.length;
        const before = await count();
        const res = await post(
          '/v1/payments',
          payment('CBFT', 'HSBC', {
            currency: 'IDR',
            receiver: { bank: 'SBININBBXXX', bankAccountNumber: '12345678901', country: 'IN', address: { line1: 'a', line2: 'b', line3: 'c' } },
          }),
        );
        assert.equal(res.statusCode, 400, res.body);
        assert.deepEqual(pathsOf(res.json()), [
          'currency REFUSED_BY_BANK',
          'purpose REQUIRED_BY_BANK',
          'receiver.address.city REQUIRED_BY_BANK',
          'receiver.address.line3 REFUSED_BY_BANK',
        ]);
        assert.equal(await count(), before);
        const ok = await post(
          '/v1/payments',
          payment('CBFT', 'HSBC', {
            purpose: 'SUPP',
            receiver: { address: { street: 'Taunusanlage', buildingNumber: '12', city: 'Frankfurt', line1: 'Tower 2' } },
          }),
        );
        assert.equal(ok.statusCode, 202, ok.body);
      });

      it('dbs-sg: `_` in a customer reference and an account without a legal name are refused, in a batch with their paths', async () => {
        const item = (ref: string) => ({ amount: 100, customerReference: ref, receiver: { name: 'A', bank: 'OCBCSGSGXXX', bankAccountNumber: '0123456789' } });
        const body = { type: 'FAST', paymentDate: '2026-03-10', currency: 'SGD', payments: [item('PAY-1'), item('PAY_2')] };
        const res = await post('/v1/payment-batches', { ...body, senderAccountId: accounts['DBS-BARE'] });
        assert.equal(res.statusCode, 400, res.body);
        assert.deepEqual(pathsOf(res.json()), ['payments[1].customerReference REFUSED_BY_BANK', 'senderAccountId REQUIRED_BY_BANK']);
        // The same `_` is fine for a generic account.
        const generic = await post('/v1/payment-batches', { ...body, senderAccountId: accounts.SG, senderAccountCurrency: 'SGD' });
        assert.equal(generic.statusCode, 200, generic.body);
      });
    });

    describe("the dispatcher writes the file in the batch profile's layout", () => {
      it('dbs-sg: SvcLvl, LclInstrm, CtgyPurp, InitgPty Id, legal name and country, hybrid address; XSD-valid; named by the profile', async () => {
        const res = await post('/v1/payment-batches', {
          type: 'TT',
          paymentDate: '2026-03-10',
          senderAccountId: accounts.DBS,
          senderAccountCurrency: 'SGD',
          currency: 'GBP',
          purpose: 'SUPP',
          payments: [
            {
              amount: 700000,
              customerReference: 'TT-1',
              receiver: {
                name: 'Widgets UK Ltd',
                bank: 'BARCGB22',
                bankAccountNumber: 'GB29NWBK60161331926819',
                country: 'GB',
                address: { street: 'Churchill Place', buildingNumber: '1', city: 'London' },
              },
            },
          ],
        });
        assert.equal(res.statusCode, 200, res.body);
        const batch = res.json();
        const root = mkdtempSync(join(tmpdir(), 'payrail-profile-bank-'));
        const { payrail } = app;
        // A bank endpoint over local folders whose profile is dbs-sg (the test client's batches go to it).
        const bank: BankEndpoint = { id: 'sandbox', profile: 'dbs-sg', transport: createLocalTransport(root), keepCopy: async () => {} };
        const endpoints: BankEndpoints = { sandbox: bank, forBank: () => undefined, byId: (id) => (id === bank.id ? bank : undefined), all: () => [bank] };
        const dispatcher = createBatchDispatcher({
          db: payrail.database.db,
          clock: () => NOW,
          logger: payrail.logger,
          endpoints,
          outbox: payrail.services.outbox,
          batches: payrail.services.batches,
          transitions: payrail.services.transitions,
        });
        await dispatcher.tick();
        // Every waiting batch of the test client goes to this endpoint; this batch's file is named by the profile.
        const name = `DBS-20260310-${batch.id.replace('pymtb_', 'PYMTB')}-1.xml`;
        assert.ok(readdirSync(join(root, 'outbox')).includes(name), name);
        const xml = readFileSync(join(root, 'outbox', name!), 'utf8');
        assert.deepEqual(await validateXml(xml, XSD['pain.001.001.09']), []);
        assert.match(xml, /<InitgPty><Nm>test client<\/Nm><Id><OrgId><Othr><Id>ACME-SG-001<\/Id><\/Othr><\/OrgId><\/Id><\/InitgPty>/);
        assert.match(xml, /<PmtTpInf><SvcLvl><Cd>URGP<\/Cd><\/SvcLvl><CtgyPurp><Cd>SUPP<\/Cd><\/CtgyPurp><\/PmtTpInf>/);
        assert.match(
          xml,
          /<Dbtr><Nm>Acme Trading Pte. Ltd.<\/Nm><PstlAdr><Ctry>SG<\/Ctry><AdrLine>1 Raffles Place<\/AdrLine><AdrLine>#20-01<\/AdrLine><\/PstlAdr><\/Dbtr>/,
        );
        assert.match(xml, /<PstlAdr><StrtNm>Churchill Place<\/StrtNm><BldgNb>1<\/BldgNb><TwnNm>London<\/TwnNm><Ctry>GB<\/Ctry><\/PstlAdr>/);
        assert.doesNotMatch(xml, /<(MsgId|PmtInfId|InstrId)>[^<]*_/);
        const file = await payrail.database.db.selectFrom('bank_files').select('name').where('batch_id', '=', batch.id).executeTakeFirstOrThrow();
        assert.equal(file.name, name);
      });
    });
  });
}
