// The bank page's download of an archived file (SPEC §11), on SQLite and PostgreSQL, without a
// browser (the route through app.inject with a session cookie): a file that carries payments of
// two clients goes only to a reader given both; a reader given one of them gets the 404 page,
// though the file is listed for them. Two kinds of such a file: a sent file of single payments and
// a received report that changed payments. No flow makes one today (single payments are grouped by
// sender account, which is one client's), so each is written here straight into the database;
// the guard (carriesOthers in src/bank-files/files-service.ts) is for when one does.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { outFileRow } from '../../src/bank-files/out-files.ts';
import { isoAt } from '../../src/clock.ts';
import { newId } from '../../src/ids.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { consoleSession } from '../helpers/console.ts';
import type { ConsoleSession } from '../helpers/console.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { NOW, validPayment } from '../rails/builders.ts';

const SENT =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Document><CstmrCdtTrfInitn><GrpHdr><MsgId>SINGLES-2-CLIENTS</MsgId></GrpHdr></CstmrCdtTrfInitn></Document>\n';
const REPORT =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Document><CstmrPmtStsRpt><GrpHdr><MsgId>REPORT-2-CLIENTS</MsgId></GrpHdr></CstmrPmtStsRpt></Document>\n';

for (const kind of databaseKinds()) {
  describe(`console: an archived bank file carrying two clients' payments (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let clientA: string;
    let clientB: string;
    let sentId: string;
    let reportId: string;
    /** Admins (the role that downloads) given only A, only B, and both. */
    let onlyA: ConsoleSession;
    let onlyB: ConsoleSession;
    let both: ConsoleSession;

    /** A single payment of a new client, created through the API; the client's id and the payment's. */
    async function clientWithPayment(): Promise<{ clientId: string; paymentId: string }> {
      const c = await app.authed();
      const senderAccountId = await app.createAccount(c.headers);
      const payment = { ...validPayment('FAST'), senderAccountId };
      const res = await app.inject({ method: 'POST', url: '/v1/payments', headers: c.headers, payload: payment });
      assert.equal(res.statusCode, 202, res.body);
      return { clientId: c.clientId, paymentId: (res.json() as { id: string }).id };
    }

    before(async () => {
      db = await kind.create();
      app = await startTestApp(db, { clock: () => NOW });
      const a = await clientWithPayment();
      const b = await clientWithPayment();
      clientA = a.clientId;
      clientB = b.clientId;
      const store = app.payrail.database.db;

      // A sent file of single payments carrying A's and B's (its content kept in its row).
      const sent = outFileRow(() => NOW, {
        name: 'pain001-singles-two-clients.xml',
        messageId: 'SINGLES-2-CLIENTS',
        batchId: null,
        content: SENT,
        endpoint: { id: 'sandbox' },
      });
      await store.insertInto('bank_files').values(sent).execute();
      await store.updateTable('payments').set({ bank_file_id: sent.id }).where('id', 'in', [a.paymentId, b.paymentId]).execute();
      sentId = sent.id;

      // A received report that changed A's and B's payments (its copy on disk, where the sandbox keeps it).
      const at = isoAt(NOW);
      const report = {
        ...sent,
        id: newId('bankFile', NOW),
        direction: 'in' as const,
        name: 'pain002-two-clients.xml',
        message_id: 'REPORT-2-CLIENTS',
        checksum: createHash('sha256').update(REPORT).digest('hex'),
        state: 'applied',
        content: null,
      };
      await store.insertInto('bank_files').values(report).execute();
      await store
        .insertInto('payment_status_changes')
        .values(
          [a.paymentId, b.paymentId].map((paymentId) => ({
            id: newId('statusChange', NOW),
            payment_id: paymentId,
            stage: 'ACK1',
            from_status: 'PROCESSING',
            to_status: 'PROCESSING',
            bank_status: 'ACTC',
            reason_code: null,
            message: null,
            changes: null,
            bank_file_id: report.id,
            created_at: at,
          })),
        )
        .execute();
      const received = join(app.payrail.config.dataDir, 'bank', 'archive', 'received');
      mkdirSync(received, { recursive: true });
      writeFileSync(join(received, report.name), REPORT);
      reportId = report.id;

      onlyA = await consoleSession(app.payrail, { role: 'admin', clientIds: [clientA] });
      onlyB = await consoleSession(app.payrail, { role: 'admin', clientIds: [clientB] });
      both = await consoleSession(app.payrail, { role: 'admin', clientIds: [clientA, clientB] });
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    const download = (session: ConsoleSession, fileId: string) =>
      app.inject({ method: 'GET', url: `/console/bank-connections/files/${fileId}/download`, headers: { cookie: session.cookie } });

    for (const [what, file, content] of [
      ['a sent file of single payments carrying', () => sentId, SENT],
      ['a received report that changed', () => reportId, REPORT],
    ] as const) {
      it(`${what} A's and B's payments: an admin given only A or only B gets the 404 page; one given both gets the file`, async () => {
        for (const [name, session, clientId] of [
          ['only A', onlyA, clientA],
          ['only B', onlyB, clientB],
        ] as const) {
          const res = await download(session, file());
          assert.equal(res.statusCode, 404, `${name}: not found, not the file`);
          assert.match(res.body, /<h1>Not found<\/h1>/, `${name}: the 404 page`);
          assert.ok(!res.body.includes(content.split('\n')[1]!), `${name}: nothing of the file`);
          assert.ok(await app.payrail.services.bankFiles.find([clientId], file()), `${name}: the file is listed for them all the same`);
        }
        const res = await download(both, file());
        assert.equal(res.statusCode, 200, res.body.slice(0, 500));
        assert.equal(res.body, content, 'the archived copy, byte for byte');
        assert.match(String(res.headers['content-disposition']), /^attachment; filename="pain00[12]-/, 'as a download');
      });
    }
  });
}
