// Maker-checker against set-up links (issue #19, SPEC §11), on SQLite and PostgreSQL, through the
// console's own routes: whoever holds a set-up link owns the account, so an admin creates and
// resets only viewers and makers (the form offers no more; a forged POST is refused, nothing
// saved); the account records who set it up; and an admin never approves the batch of a maker
// they set up, while an approver the operator set up does.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SET_UP_THE_CREATOR } from '../../src/approvals/service.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { TEST_PASSWORD, consoleSession } from '../helpers/console.ts';
import type { ConsoleSession } from '../helpers/console.ts';
import { GOOD_CSV } from '../helpers/console-pages.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { NOW, TODAY } from '../rails/builders.ts';

const OPERATOR = { kind: 'operator', id: 'ops' } as const;

for (const kind of databaseKinds()) {
  describe(`console maker-checker: set-up links (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let clientId: string;
    let accountId: string;
    let admin: ConsoleSession;

    before(async () => {
      db = await kind.create();
      app = await startTestApp(db, { clock: () => NOW });
      const a = await app.authed();
      clientId = a.clientId;
      accountId = await app.createAccount(a.headers);
      await app.payrail.services.approvalPolicies.set({ clientId, above: 0, approvers: 1 }, { kind: 'system', id: 'test' });
      admin = await consoleSession(app.payrail, { role: 'admin', clientIds: [clientId] });
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    const users = () => app.payrail.services.consoleUsers;

    /** A console form POST as `session` (its cookie and CSRF token). */
    function post(session: ConsoleSession, url: string, form: Record<string, string> = {}) {
      return app.inject({
        method: 'POST',
        url,
        headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: session.csrfToken, ...form }).toString(),
      });
    }

    /** How many audit entries of `action` there are (about the admin's clients or not). */
    async function audited(action: string): Promise<number> {
      return (await app.payrail.services.audit.list({ action, limit: 100 })).data.length;
    }

    /** A batch uploaded by `session` through the console's upload (preview, submit, progress): its id. */
    async function upload(session: ConsoleSession, csv = GOOD_CSV): Promise<string> {
      const headers = { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
      const settings = new URLSearchParams({ account: accountId, type: 'FAST', currency: 'SGD', date: TODAY, name: 'payroll.csv' });
      const preview = await app.inject({
        method: 'POST',
        url: `/console/batches/new/preview?${settings.toString()}`,
        headers: { ...headers, 'content-type': 'application/octet-stream' },
        payload: Buffer.from(csv),
      });
      const id = /data-upload="([^"]+)"/.exec(preview.body)?.[1];
      assert.ok(id, `the file is checked: ${preview.body}`);
      assert.equal((await app.inject({ method: 'POST', url: `/console/batches/new/${id}/submit`, headers })).statusCode, 200);
      for (let i = 0; i < 200; i++) {
        const progress = (await app.inject({ method: 'GET', url: `/console/batches/new/${id}/progress`, headers })).body;
        assert.doesNotMatch(progress, /data-state="failed"/, progress);
        const batchId = /href="\/console\/batches\/(pymtb_[0-9A-Z]+)"/.exec(progress)?.[1];
        if (progress.includes('data-state="done"') && batchId) return batchId;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error('the upload did not finish');
    }

    it('the new-user form offers viewer and maker only; a forged POST for an approver or an admin is refused (403), nothing saved', async () => {
      const page = await app.inject({ method: 'GET', url: '/console/users', headers: { cookie: admin.cookie } });
      assert.equal(page.statusCode, 200);
      const select = /<select id="role" name="role">([\s\S]*?)<\/select>/.exec(page.body)?.[1] ?? '';
      assert.deepEqual(
        [...select.matchAll(/<option value="([a-z]+)">/g)].map((m) => m[1]),
        ['viewer', 'maker'],
      );

      const before = { users: (await users().list()).length, creates: await audited('console_user.create') };
      for (const role of ['approver', 'admin']) {
        const res = await post(admin, '/console/users', { email: `forged-${role}@example.com`, role, clients: clientId });
        assert.equal(res.statusCode, 403, `a forged ${role}`);
        assert.match(
          res.body,
          new RegExp(`an ${role} is created and reset by whoever runs the server \\(payrail users create\\|reset\\)`),
          'the page says why',
        );
        assert.doesNotMatch(res.body, /id="setup-link"/, 'no set-up link');
      }
      assert.equal((await users().list()).length, before.users, 'no user was created');
      assert.equal(await audited('console_user.create'), before.creates, 'and nothing audited as created');

      const res = await post(admin, '/console/users', { email: 'new.maker@example.com', role: 'maker', clients: clientId });
      assert.equal(res.statusCode, 200, res.body);
      assert.match(res.body, /id="setup-link">http:\/\/payrail\.test\/console\/setup\/[A-Za-z0-9_-]{43}</, 'a maker is created, with its link');
      const maker = (await users().list()).find((u) => u.email === 'new.maker@example.com');
      assert.equal(maker?.setUpBy, admin.user.id, 'set up by the admin');
    });

    it('an admin cannot reset an approver or an admin (403, nothing changed) but may disable one; resetting a maker makes it theirs', async () => {
      const approver = await consoleSession(app.payrail, { role: 'approver', clientIds: [clientId] });
      const otherAdmin = await consoleSession(app.payrail, { role: 'admin', clientIds: [clientId] });
      const page = (await app.inject({ method: 'GET', url: '/console/users', headers: { cookie: admin.cookie } })).body;
      assert.doesNotMatch(page, new RegExp(`aria-label="Reset ${approver.user.email}"`), 'no reset button for an approver');
      assert.match(page, new RegExp(`aria-label="Disable ${approver.user.email}"`), 'but a disable button');

      const resets = await audited('console_user.reset');
      for (const target of [approver, otherAdmin]) {
        const links = await app.payrail.database.db.selectFrom('console_setup_links').select('id').where('user_id', '=', target.user.id).execute();
        const res = await post(admin, `/console/users/${target.user.id}/reset`);
        assert.equal(res.statusCode, 403, `reset of an ${target.user.role}`);
        assert.match(res.body, /is created and reset by whoever runs the server/, 'the page says why');
        assert.doesNotMatch(res.body, /id="setup-link"/, 'no set-up link');
        const after = await users().get(target.user.id);
        assert.equal(after?.status, 'active', 'still active');
        assert.equal(after?.setUpBy, null, 'not set up by the admin');
        assert.ok(await users().session(target.cookie.split('=')[1]!), 'their session goes on');
        const linksAfter = await app.payrail.database.db.selectFrom('console_setup_links').select('id').where('user_id', '=', target.user.id).execute();
        assert.equal(linksAfter.length, links.length, 'no new link');
      }
      assert.equal(await audited('console_user.reset'), resets, 'nothing audited as reset');

      assert.equal((await post(admin, `/console/users/${approver.user.id}/disable`)).statusCode, 200);
      assert.equal((await users().get(approver.user.id))?.status, 'disabled', 'an admin disables an approver');

      const { user: maker } = await users().create({ email: 'cli.maker@example.com', role: 'maker', clientIds: [clientId] }, OPERATOR);
      assert.equal(maker.setUpBy, null, 'set up with the CLI: nobody in the console');
      const res = await post(admin, `/console/users/${maker.id}/reset`);
      assert.equal(res.statusCode, 200, res.body);
      assert.match(res.body, /id="setup-link"/, 'the new link is shown');
      assert.equal((await users().get(maker.id))?.setUpBy, admin.user.id, 'the reset makes the admin its set-up holder');
      assert.equal((await users().reset(maker.id, OPERATOR)).user.setUpBy, null, 'a reset with the CLI takes it back');
    });

    it('an admin who set up a maker cannot approve its batch (APPROVAL_NOT_ALLOWED, nothing changed); an approver the operator set up can', async () => {
      const created = await post(admin, '/console/users', { email: 'payroll.maker@example.com', role: 'maker', clients: clientId });
      const token = /\/console\/setup\/([A-Za-z0-9_-]{43})</.exec(created.body)?.[1];
      assert.ok(token, created.body);
      // The admin holds the link: whoever uses it chooses the password and so owns the account.
      assert.equal(await users().completeSetup(token, { password: TEST_PASSWORD, confirm: TEST_PASSWORD }), null);
      const makerId = await users().idOf('payroll.maker@example.com');
      const session = await users().startSession(makerId);
      const maker: ConsoleSession = {
        user: { id: makerId, email: 'payroll.maker@example.com', role: 'maker', clientIds: [clientId] },
        cookie: `payrail_session=${session.token}`,
        csrfToken: session.csrfToken,
        password: TEST_PASSWORD,
      };
      const batchId = await upload(maker);
      const approval = await app.payrail.database.db.selectFrom('approvals').select('created_by').where('object_id', '=', batchId).executeTakeFirstOrThrow();
      assert.equal(approval.created_by, makerId, 'the maker created it');

      const refused = await post(admin, `/console/approvals/batches/${batchId}/approve`);
      assert.equal(refused.statusCode, 403, 'the admin who set up the maker is refused');
      assert.match(refused.body, /APPROVAL_NOT_ALLOWED/);
      assert.ok(refused.body.includes(SET_UP_THE_CREATOR), 'and told why');
      const still = await app.payrail.services.batches.get({ clientIds: [clientId] }, batchId);
      assert.equal(still.approval?.status, 'PENDING', 'nothing changed');
      assert.deepEqual(still.approval?.approvals, []);

      const approver = await consoleSession(app.payrail, { role: 'approver', clientIds: [clientId] });
      const approved = await post(approver, `/console/approvals/batches/${batchId}/approve`);
      assert.equal(approved.statusCode, 200, approved.body);
      assert.match(approved.body, new RegExp(`Batch ${batchId} is approved`));
      const done = await app.payrail.services.batches.get({ clientIds: [clientId] }, batchId);
      assert.equal(done.approval?.status, 'APPROVED');
      assert.deepEqual(
        done.approval?.approvals.map((a) => a.by),
        [approver.user.id],
      );
    });

    it("every link between the approver's account and the maker's counts, and the maker's side is kept from when the work was made", async () => {
      const db = app.payrail.database.db;
      /** A maker the admin sets up in the console (holding its link), signed in. */
      async function makerSetUpByAdmin(email: string): Promise<ConsoleSession> {
        const created = await post(admin, '/console/users', { email, role: 'maker', clients: clientId });
        const token = /\/console\/setup\/([A-Za-z0-9_-]{43})</.exec(created.body)?.[1];
        assert.ok(token, created.body);
        assert.equal(await users().completeSetup(token, { password: TEST_PASSWORD, confirm: TEST_PASSWORD }), null);
        const id = await users().idOf(email);
        const session = await users().startSession(id);
        return {
          user: { id, email, role: 'maker', clientIds: [clientId] },
          cookie: `payrail_session=${session.token}`,
          csrfToken: session.csrfToken,
          password: TEST_PASSWORD,
        };
      }
      const csv = (tag: string) => GOOD_CSV.replaceAll('PAY-', `${tag}-`);
      const refusedTo = async (who: ConsoleSession, batchId: string, why: string) => {
        const res = await post(who, `/console/approvals/batches/${batchId}/approve`);
        assert.equal(res.statusCode, 403, `${why}: ${res.body.slice(0, 200)}`);
        assert.ok(res.body.includes(SET_UP_THE_CREATOR), why);
      };

      // 1. The admin sets up a maker, makes a batch with it, then the operator resets the maker
      //    (set_up_by cleared): who controlled the maker when the batch was made still counts.
      const maker = await makerSetUpByAdmin('kept.maker@example.com');
      const kept = await upload(maker, csv('KEPT'));
      await users().reset(maker.user.id, { kind: 'operator', id: 'ops' });
      assert.equal((await db.selectFrom('console_users').select('set_up_by').where('id', '=', maker.user.id).executeTakeFirstOrThrow()).set_up_by, null);
      await refusedTo(admin, kept, 'the admin who held the maker when the batch was made');

      // 2. An approver account the admin set up in the console before this rule (as migration 0017
      //    records it): the admin's own batch, and the batch of a maker the same admin set up.
      const approver = await consoleSession(app.payrail, { role: 'approver', clientIds: [clientId] });
      await db.updateTable('console_users').set({ set_up_by: admin.user.id }).where('id', '=', approver.user.id).execute();
      const own = await upload(admin, csv('OWN'));
      await refusedTo(approver, own, "the approver the admin set up, on the admin's batch");
      const sibling = await makerSetUpByAdmin('sibling.maker@example.com');
      const siblings = await upload(sibling, csv('SIB'));
      await refusedTo(approver, siblings, 'an approver and a maker set up by the same admin');
      await refusedTo(approver, kept, 'an approver the admin set up, on a batch the admin held the maker of');

      // An approver nobody in the console set up approves them all.
      const independent = await consoleSession(app.payrail, { role: 'approver', clientIds: [clientId] });
      for (const batchId of [kept, own, siblings]) {
        const res = await post(independent, `/console/approvals/batches/${batchId}/approve`);
        assert.equal(res.statusCode, 200, res.body.slice(0, 300));
      }
    });
  });
}
