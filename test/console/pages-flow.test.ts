// The console's main flow in Chromium (SPEC §11), on SQLite and PostgreSQL: a maker uploads a CSV
// with errors and sees every one by line, then a good one that becomes a batch (progress bar); an
// approver approves it; the batch is paid by the sandbox bank and a payment's timeline shows each
// status with its bank code and file, and the webhooks sent for it. The rest of the pages (roles,
// tenancy, filters, redeliver, upload refusals) run on both too in ./pages-more.test.ts, with axe
// and screenshots on SQLite.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser } from '../helpers/console.ts';
import type { TestBrowser } from '../helpers/console.ts';
import type { TestApp } from '../helpers/app.ts';
import { ACK_DELAY_MS, BAD_CSV, GOOD_CSV, checkFile, createChecked, pageAs, startConsoleApp } from '../helpers/console-pages.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';

let browser: TestBrowser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

for (const kind of databaseKinds()) {
  describe(`console pages: upload, approve, timeline (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let base: string;
    let clock: { now: number };
    let clientId: string;
    let accountId: string;

    before(async () => {
      db = await kind.create();
      ({ app, base, clock } = await startConsoleApp(db));
      const a = await app.authed();
      clientId = a.clientId;
      accountId = await app.createAccount(a.headers);
      await app.payrail.services.approvalPolicies.set({ clientId, above: 0, approvers: 1 }, { kind: 'system', id: 'test' });
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    it('a maker sees every error of a file by line, creates nothing, then creates a batch from a good file', async () => {
      const { page, context } = await pageAs(browser, app, base, 'maker', [clientId]);
      try {
        await page.goto(`${base}/console/batches/new`);
        await checkFile(page, accountId, 'payroll.csv', BAD_CSV);
        const rows = await page.$$eval('#preview tbody tr', (trs) =>
          trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())),
        );
        const lines = rows.map((r) => r[0]);
        // Line 3: three decimals; line 4: no name; line 5: a bank that is no BIC (the service's rule, mapped back).
        assert.deepEqual(lines, ['3', '4', '5'], `every error by line: ${JSON.stringify(rows)}`);
        assert.equal(rows[2]![1], 'bank', 'the rule error names its column');
        assert.match(
          (await page.textContent('#preview .message-error')) ?? '',
          /3 errors on 3 lines.*nothing was created/s,
          'the summary says nothing was created',
        );
        assert.equal(await page.$('#submit-form'), null, 'a file with errors cannot be submitted');
        const stored = await app.payrail.database.db.selectFrom('batches').select('id').where('client_id', '=', clientId).execute();
        assert.equal(stored.length, 0, 'nothing was created from the bad file');

        await checkFile(page, accountId, 'payroll.csv', GOOD_CSV);
        assert.match((await page.textContent('#preview .message-notice')) ?? '', /2 payments.*1,502\.50 SGD/s, 'the preview sums the good file');
        const [batchId] = await createChecked(page);
        assert.match(batchId ?? '', /^pymtb_/, 'the batch is linked when created');
        assert.equal(await page.getAttribute('#progress-bar', 'value'), '1', 'the progress bar is full');
        const batch = await app.payrail.services.batches.get({ clientIds: [clientId] }, batchId!);
        assert.equal(batch.approval?.status, 'PENDING', 'the policy holds it for approval');
        const approval = await app.payrail.database.db.selectFrom('approvals').select('created_by').where('object_id', '=', batchId!).executeTakeFirstOrThrow();
        assert.match(approval.created_by, /^usr_/, 'its creator is the maker, not the client');
      } finally {
        await context.close();
      }
    });

    it('an approver approves it; the sandbox pays it; the timeline shows each status, bank code and file, and the webhooks', async () => {
      const { page, context } = await pageAs(browser, app, base, 'approver', [clientId]);
      try {
        const [batch] = (await app.payrail.services.batches.list({ clientIds: [clientId] }, {})).data;
        await page.goto(`${base}/console/approvals`);
        await page.click(`button:has-text("Approve ${batch!.id}")`);
        await page.waitForSelector('.message-notice');
        assert.match((await page.textContent('.message-notice')) ?? '', /is approved/, 'the approval is confirmed');

        // The sandbox bank: the dispatcher sends the file, then ACK1..ACK3 come back.
        await app.payrail.workers.tick();
        for (let i = 0; i < 5; i++) {
          clock.now += ACK_DELAY_MS;
          await app.payrail.workers.tick();
        }
        const full = await app.payrail.services.batches.get({ clientIds: [clientId] }, batch!.id);
        assert.equal(full.status, 'COMPLETED', 'the sandbox completes the batch');
        const paymentId = full.payments![0]!.id;
        await page.goto(`${base}/console/payments/${paymentId}`);
        const timeline = (await page.textContent('.timeline')) ?? '';
        for (const stage of ['CREATED', 'APPROVAL', 'SUBMITTED', 'COMPLETED'])
          assert.ok(timeline.includes(stage), `the timeline shows ${stage}: ${timeline.replace(/\s+/g, ' ')}`);
        assert.match(timeline, /bank status ACSC/, 'with the bank status of the settlement');
        assert.match(timeline, /from file\s+pain001-\S+\.xml/, 'and the file it came in');
        const webhooks = (await page.textContent('main')) ?? '';
        assert.match(webhooks, /No webhook was sent for it|payments\./, 'the webhooks section is there');
      } finally {
        await context.close();
      }
    });
  });
}
