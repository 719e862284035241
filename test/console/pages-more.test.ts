// Every console page in Chromium on SQLite and PostgreSQL (SPEC §11): roles (a maker cannot approve;
// whoever uploaded a batch cannot approve it, APPROVAL_NOT_ALLOWED on the page), reject with a
// reason, another client's objects are a 404 page, filters live in the URL, the overview's charts,
// the webhook page's redeliver (admin, audited), the bank page's archived pain.001, the upload's
// refusals (not CSV/XLSX, over 10 MB, over 100,000 rows: a message, nothing created). axe (no
// serious or critical violation) and a screenshot of every page on SQLite only: the HTML is the
// same on both, and axe is the slow part. The main flow is ./pages-flow.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import type { TestApp } from '../helpers/app.ts';
import { checkAccessibility, launchBrowser, screenshot } from '../helpers/console.ts';
import type { TestBrowser } from '../helpers/console.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startReceiver } from '../webhooks/receiver.ts';
import type { Receiver } from '../webhooks/receiver.ts';
import { MAX_FILE_BYTES, MAX_FILE_ROWS } from '../../src/import/payroll-file.ts';
import { BAD_CSV, checkFile, checkUpload, createChecked, pageAs, startConsoleApp } from '../helpers/console-pages.ts';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** axe and a screenshot of the page as it is. */
async function auditPage(page: Page, name: string): Promise<void> {
  await checkAccessibility(page);
  await screenshot(page, `pages-${name}`);
}

let browser: TestBrowser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

for (const kind of databaseKinds()) {
  describe(`console pages: roles, tenancy, filters, redeliver, bank files, upload refusals (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let base: string;
    let clock: { now: number };
    let receiver: Receiver;
    let a: Awaited<ReturnType<TestApp['authed']>>;
    let accountId: string;
    let apiBatch: { id: string; payments: { id: string }[] };
    let otherBatch: { id: string; payments: { id: string }[] };
    let endpointId: string;
    let otherEndpointId: string;
    /** axe and a screenshot: on SQLite only (see the header). */
    const audit = (page: Page, name: string) => (kind.name === 'sqlite' ? auditPage(page, name) : Promise.resolve());

    async function createBatch(headers: Record<string, string>, account: string, ref: string, name = 'Ann Lee') {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/payment-batches',
        headers,
        payload: {
          type: 'FAST',
          paymentDate: new Date(clock.now).toISOString().slice(0, 10),
          senderAccountId: account,
          currency: 'SGD',
          payments: [{ amount: 1000, customerReference: ref, receiver: { name, bank: 'OCBCSGSGXXX', bankAccountNumber: '123456789' } }],
        },
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { id: string; payments: { id: string }[] };
    }

    before(async () => {
      db = await kind.create();
      ({ app, base, clock } = await startConsoleApp(db));
      receiver = await startReceiver(() => 500);
      a = await app.authed();
      accountId = await app.createAccount(a.headers);
      const res = await app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: a.headers, payload: { url: receiver.url } });
      assert.equal(res.statusCode, 201, res.body);
      endpointId = res.json().id;
      // Client B: another tenant, with a batch already paid (a file, a report) and an endpoint.
      const b = await app.authed();
      const bAccount = await app.createAccount(b.headers);
      otherEndpointId = (await app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: b.headers, payload: { url: receiver.url } })).json().id;
      otherBatch = await createBatch(b.headers, bAccount, 'B-1', 'Zed Other');
      // A's first batch, paid; then the policy, and a second batch that waits (created by the client).
      await createBatch(a.headers, accountId, 'A-PAID');
      await app.payrail.workers.tick();
      for (let i = 0; i < 5; i++) {
        clock.now += 1000;
        await app.payrail.workers.tick();
      }
      await app.payrail.services.approvalPolicies.set({ clientId: a.clientId, above: 0, approvers: 1 }, { kind: 'system', id: 'test' });
      apiBatch = await createBatch(a.headers, accountId, 'A-HELD', 'Held Person');
    });
    after(async () => {
      await app?.close();
      await db?.drop();
      await receiver?.close();
    });

    it('a viewer reads every page (axe, screenshots); the overview draws its charts; filters stay in the URL', async () => {
      const { page, context } = await pageAs(browser, app, base, 'viewer', [a.clientId]);
      try {
        await page.goto(`${base}/console`);
        await page.waitForSelector('#chart-volume canvas');
        assert.match((await page.textContent('main')) ?? '', new RegExp(`Batch ${apiBatch.id}`), 'the overview lists what waits for approval');
        assert.match((await page.textContent('main')) ?? '', /Failing webhook endpoints[\s\S]*127\.0\.0\.1/, 'and the endpoint whose deliveries fail');
        await audit(page, 'overview');

        await page.goto(`${base}/console/batches`);
        await audit(page, 'batches');
        await page.selectOption('#f-status', 'COMPLETED');
        await Promise.all([page.waitForURL(/status=COMPLETED/), page.click('form.filters button')]);
        const listed = await page.$$eval('tbody tr td:first-child a', (as) => as.map((x) => x.textContent));
        assert.equal(listed.length, 1, 'the filter keeps the completed batch only');
        assert.ok(!listed.includes(apiBatch.id), 'not the held one');
        await page.reload();
        assert.equal(await page.inputValue('#f-status'), 'COMPLETED', 'the filter is read back from the URL');
        await page.goto(`${base}/console/batches?approval=PENDING`);
        assert.deepEqual(await page.$$eval('tbody tr td:first-child a', (as) => as.map((x) => x.textContent)), [apiBatch.id], 'filtered by approval');

        await page.goto(`${base}/console/batches/${apiBatch.id}`);
        assert.match((await page.textContent('main')) ?? '', /PENDING[\s\S]*0 of 1 approvals/, 'the batch shows its approval');
        assert.equal(await page.$('button.approve'), null, 'a viewer gets no approve button');
        await audit(page, 'batch');

        await page.goto(`${base}/console/payments?receiver=held`);
        assert.deepEqual(await page.$$eval('tbody tr td:nth-child(2)', (t) => t.map((x) => x.textContent)), ['A-HELD'], 'search by a part of the receiver');
        await audit(page, 'payments');
        // LIKE's wildcards are searched for as text, not as patterns.
        for (const text of ['%', '_', 'Held%'])
          assert.equal(
            (await app.payrail.services.payments.list({ clientIds: [a.clientId] }, { receiver: text })).data.length,
            0,
            `'${text}' matches no receiver`,
          );
        await page.goto(`${base}/console/payments?reference=A-PAID`);
        assert.deepEqual(await page.$$eval('tbody tr td:nth-child(2)', (t) => t.map((x) => x.textContent)), ['A-PAID'], 'search by customer reference');
        await page.goto(`${base}/console/payments?id=${apiBatch.payments[0]!.id}`);
        assert.equal(new URL(page.url()).pathname, `/console/payments/${apiBatch.payments[0]!.id}`, 'an id goes to the payment');
        await audit(page, 'payment');

        await page.goto(`${base}/console/approvals`);
        await audit(page, 'approvals');
        await page.goto(`${base}/console/webhooks`);
        await audit(page, 'webhooks');
        await page.goto(`${base}/console/bank-connections`);
        assert.equal(await page.$('a[download]'), null, 'a viewer downloads no bank file');
        await audit(page, 'bank');
      } finally {
        await context.close();
      }
    });

    it("another client's batch, payment, webhook endpoint and bank file are a 404 page", async () => {
      const { page, context, session } = await pageAs(browser, app, base, 'admin', [a.clientId]);
      try {
        const file = await app.payrail.database.db.selectFrom('bank_files').select('id').where('batch_id', '=', otherBatch.id).executeTakeFirstOrThrow();
        for (const path of [
          `/console/batches/${otherBatch.id}`,
          `/console/payments/${otherBatch.payments[0]!.id}`,
          `/console/webhooks/${otherEndpointId}`,
          `/console/bank-connections/files/${file.id}/download`,
        ]) {
          const res = await page.goto(`${base}${path}`);
          assert.equal(res?.status(), 404, `${path} is not found`);
          assert.equal(await page.textContent('h1'), 'Not found', `${path} is the 404 page`);
        }
        const decided = await context.request.post(`${base}/console/approvals/batches/${otherBatch.id}/approve`, { form: { _csrf: session.csrfToken } });
        assert.equal(decided.status(), 404, "approving another client's batch is not found");
        await page.goto(`${base}/console/payments?receiver=zed`);
        assert.equal(await page.$('tbody tr'), null, "another client's payment is not found by search");
        await page.goto(`${base}/console/bank-connections`);
        const names = await page.$$eval('tbody tr td:first-child', (t) => t.map((x) => x.textContent ?? ''));
        assert.ok(names.length > 0 && names.every((n) => !n.includes(otherBatch.id)), `only files of the admin's clients: ${names.join(', ')}`);
      } finally {
        await context.close();
      }
    });

    it('a maker cannot approve (403); an approver who uploaded a batch cannot approve it (APPROVAL_NOT_ALLOWED); an approver rejects with a reason', async () => {
      const maker = await pageAs(browser, app, base, 'maker', [a.clientId]);
      try {
        const res = await maker.context.request.post(`${base}/console/approvals/batches/${apiBatch.id}/approve`, {
          form: { _csrf: maker.session.csrfToken },
        });
        assert.equal(res.status(), 403, 'a maker may not approve');
      } finally {
        await maker.context.close();
      }

      const { page, context } = await pageAs(browser, app, base, 'approver', [a.clientId]);
      try {
        await page.goto(`${base}/console/batches/new`);
        await checkFile(page, accountId, 'own.csv', ['name,bank,accountNumber,amount,reference', 'Own Pay,OCBCSGSGXXX,123456789,5.00,OWN-1'].join('\n'));
        const [own] = await createChecked(page);
        await page.goto(`${base}/console/approvals`);
        const [response] = await Promise.all([page.waitForResponse(/\/approve$/), page.click(`button:has-text("Approve ${own}")`)]);
        assert.equal(response.status(), 403, 'the creator is refused');
        assert.match((await page.textContent('.message-error')) ?? '', /APPROVAL_NOT_ALLOWED.*You created it/s, 'and told why');
        const still = await app.payrail.services.batches.get({ clientIds: [a.clientId] }, own!);
        assert.equal(still.approval?.status, 'PENDING', 'nothing changed');

        await page.fill(`#reason-${apiBatch.id}`, 'wrong account');
        await page.click(`button:has-text("Reject ${apiBatch.id}")`);
        await page.waitForSelector('.message-notice');
        const rejected = await app.payrail.services.batches.get({ clientIds: [a.clientId] }, apiBatch.id);
        assert.equal(rejected.status, 'FAILED', 'the rejected batch is FAILED');
        assert.equal(rejected.approval?.rejection?.reason, 'wrong account', 'with the reason');
        assert.match(rejected.approval?.rejection?.by ?? '', /^usr_/, 'by the user');
        const entry = (await app.payrail.services.audit.list({ action: 'approval.reject', objectId: apiBatch.id })).data[0];
        assert.deepEqual(entry?.actor, { kind: 'user', id: rejected.approval?.rejection?.by }, 'the audit log names the user');
      } finally {
        await context.close();
      }
    });

    it('a maker sees the messages of a file that is not CSV or XLSX, not UTF-8, or with errors (axe, screenshot); an XLSX is read; 1,001 rows make two batches', async () => {
      const { page, context } = await pageAs(browser, app, base, 'maker', [a.clientId]);
      try {
        await page.goto(`${base}/console/batches/new`);
        await audit(page, 'new-batch');
        // A refusal of the preview itself (here a CSRF token gone stale) shows its words, not raw JSON or a whole page.
        await page.route('**/console/batches/new/preview**', (route) => route.continue({ headers: { ...route.request().headers(), 'x-csrf-token': 'stale' } }));
        await checkFile(page, accountId, 'payroll.csv', 'name,bank,accountNumber,amount,reference\n');
        const stale = (await page.textContent('#preview [role=alert]')) ?? '';
        assert.match(stale, /^Not allowed: This form has expired .*Reload the page and try again\.$/s, `the refusal in words: ${stale}`);
        assert.equal(await page.locator('#preview main, #preview header').count(), 0, 'no page inside the page');
        await page.unroute('**/console/batches/new/preview**');
        await checkFile(page, accountId, 'payroll.xlsx', 'not a workbook');
        assert.match(
          (await page.textContent('#preview')) ?? '',
          /UNSUPPORTED_FILE_TYPE/,
          'a file that is neither CSV nor XLSX is refused with a clear message',
        );
        // The bytes reach the reader as they are: a CSV in Windows-1252 gets the reader's message by
        // line (not the API's INVALID_ENCODING for the whole body), and an XLSX workbook is read.
        const latin1 = Buffer.from('name,bank,accountNumber,amount,reference\nCaf\u00e9 Ong,OCBCSGSGXXX,123456789,1.00,L-1\n', 'latin1');
        await checkUpload(page, accountId, { name: 'latin1.csv', mimeType: 'text/csv', buffer: latin1 });
        const refused = (await page.textContent('#preview')) ?? '';
        assert.match(refused, /2\s*INVALID_ENCODING\s*bytes that are not UTF-8/, `a CSV that is not UTF-8 is refused by line: ${refused}`);
        const workbook = new ExcelJS.Workbook();
        const sheet = workbook.addWorksheet('Payroll');
        for (const row of [
          ['name', 'bank', 'accountNumber', 'amount', 'reference'],
          ['Ann Lee', 'OCBCSGSGXXX', '123456789', 15, 'XL-1'],
          ['Bob Tan', 'OCBCSGSGXXX', '987654321', 2.5, 'XL-2'],
        ])
          sheet.addRow(row);
        await checkUpload(page, accountId, { name: 'payroll.xlsx', mimeType: XLSX_TYPE, buffer: Buffer.from(await workbook.xlsx.writeBuffer()) });
        const read = (await page.textContent('#preview')) ?? '';
        assert.match(read, /payroll\.xlsx: 2 payments, 17\.50 SGD, no error/, `an XLSX workbook is read: ${read}`);
        await checkFile(page, accountId, 'payroll.csv', BAD_CSV);
        await audit(page, 'new-batch-errors');
        // 1,001 rows: two batches, 1,000 and 1, as the import CLI splits a file.
        const rows = Array.from({ length: 1001 }, (_, i) => `Worker ${i},OCBCSGSGXXX,123456789,1.00,BIG-${i}`);
        await checkFile(page, accountId, 'big.csv', ['name,bank,accountNumber,amount,reference', ...rows].join('\n'));
        assert.match((await page.textContent('#preview .message-notice')) ?? '', /1001 payments.*2 batches of at most 1000/s, 'the preview says how it splits');
        const created = await createChecked(page);
        assert.equal(created.length, 2, 'two batches are created');
        const sizes = await Promise.all(created.map(async (id) => (await app.payrail.services.batches.get({ clientIds: [a.clientId] }, id)).summary.count));
        assert.deepEqual(sizes, [1000, 1], 'of 1,000 and 1 payments, in file order');
      } finally {
        await context.close();
      }
    });

    it('a file over 10 MB and a file of 100,001 rows get a clear message on the upload page; nothing is created', async () => {
      // The files are written at run time (not kept in the repository), as a user's files on disk.
      const dir = mkdtempSync(join(tmpdir(), 'payrail-upload-'));
      const { page, context, session } = await pageAs(browser, app, base, 'maker', [a.clientId]);
      const counts = async () => {
        const store = app.payrail.database.db;
        const batches = await store.selectFrom('batches').select('id').where('client_id', '=', a.clientId).execute();
        const payments = await store.selectFrom('payments').select('id').where('client_id', '=', a.clientId).execute();
        return { batches: batches.length, payments: payments.length };
      };
      const initially = await counts();
      const header = 'name,bank,accountNumber,amount,reference';
      try {
        await page.goto(`${base}/console/batches/new`);
        const previews: string[] = [];
        page.on('request', (r) => {
          if (r.url().includes('/batches/new/preview')) previews.push(r.url());
        });

        // Over 10 MB: the page says so before sending anything.
        const row = 'Worker,OCBCSGSGXXX,123456789,1.00,BIG\n';
        const big = join(dir, 'big.csv');
        writeFileSync(big, `${header}\n${row.repeat(Math.ceil(MAX_FILE_BYTES / row.length))}`);
        await checkUpload(page, accountId, big);
        assert.match((await page.textContent('#preview [role=alert]')) ?? '', /big\.csv is larger than 10 MB: split it into several files/, 'a clear message');
        assert.deepEqual(previews, [], 'the file is not sent');

        // A request that skips the page's script is refused by the server: over the limit, a 413
        // problem; one byte over it (within the body limit), the reader's FILE_TOO_LARGE. Never a
        // 5xx, and at once: the request-text check once walked a body's every byte (20-35 s here).
        const preview = (data: Buffer) =>
          context.request.post(`${base}/console/batches/new/preview?account=${accountId}&type=FAST&currency=SGD&name=big.csv`, {
            headers: { 'content-type': 'application/octet-stream', 'x-csrf-token': session.csrfToken },
            data,
            timeout: 10_000,
          });
        const over = await preview(readFileSync(big));
        assert.equal(over.status(), 413, 'a body over the limit is 413');
        assert.equal((await over.json()).code, 'PAYLOAD_TOO_LARGE', 'a problem saying why');
        const justOver = await preview(Buffer.alloc(MAX_FILE_BYTES + 1, 'a'));
        assert.equal(justOver.status(), 200, 'a file one byte over the limit is read');
        assert.match(await justOver.text(), /FILE_TOO_LARGE[\s\S]*larger than 10 MB/, 'and refused by the reader, saying so');

        // 100,001 rows in less than 10 MB: sent, read and refused whole.
        const many = join(dir, 'many.csv');
        const rows = Array.from({ length: MAX_FILE_ROWS + 1 }, (_, i) => `Worker ${i},OCBCSGSGXXX,123456789,1.00,MANY-${i}`);
        writeFileSync(many, [header, ...rows].join('\n'));
        await checkUpload(page, accountId, many);
        assert.match((await page.textContent('#preview [role=alert]')) ?? '', /1 error\s+in many\.csv: nothing was created/, 'a clear message');
        assert.match(
          (await page.textContent('#preview table')) ?? '',
          /TOO_MANY_ROWS\s*the file has more than 100,000 rows: split it into several files/,
          'saying why',
        );
        assert.equal(await page.$('#submit-form'), null, 'it cannot be submitted');
        assert.deepEqual(await counts(), initially, 'nothing was created from either file');
      } finally {
        await context.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('an admin redelivers an event from the webhook page (audited) and downloads an archived pain.001', async () => {
      const { page, context, session } = await pageAs(browser, app, base, 'admin', [a.clientId]);
      try {
        await page.goto(`${base}/console/webhooks/${endpointId}`);
        const eventId = await page.getAttribute('form[action$="/redeliver"] input[name=eventId]', 'value');
        assert.ok(eventId, 'a delivery has a redeliver button');
        receiver.answer = () => 200;
        await page.click(`button:has-text("Redeliver ${eventId}")`);
        await page.waitForSelector('.message-notice');
        assert.match((await page.textContent('.message-notice')) ?? '', /scheduled for redelivery/, 'the redelivery is confirmed');
        const entry = (await app.payrail.services.audit.list({ action: 'webhook.redeliver', objectId: eventId! })).data[0];
        assert.deepEqual(entry?.actor, { kind: 'user', id: session.user.id }, 'the redelivery is in the audit log, by the admin');
        await audit(page, 'webhook');

        await page.goto(`${base}/console/bank-connections?direction=out`);
        const href = await page.getAttribute('a[download]', 'href');
        assert.ok(href, 'an admin gets a download link');
        const res = await context.request.get(`${base}${href}`);
        assert.equal(res.status(), 200, 'the archived file downloads');
        assert.match(await res.text(), /<CstmrCdtTrfInitn>/, 'and it is the pain.001');
        await audit(page, 'bank-admin');
      } finally {
        await context.close();
      }
    });
  });
}
