// A change of a client's rate limits made from its current limits (set-limits applies its flags to
// them) is made in the change's own transaction, from the client as locked there: two at once
// both take effect, neither overwrites the other with a stale copy.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';

for (const kind of databaseKinds()) {
  describe(`rate-limit changes made from the current limits (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    before(async () => {
      db = await kind.create();
      app = await startTestApp(db);
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    it('two at once both take effect', async () => {
      const { clientId } = await app.authed();
      const clients = app.payrail.services.clients;
      const adding = (policy: string, minute: number) =>
        clients.setRateLimits(clientId, (current) => ({ rateLimits: { ...(current.rateLimits ?? {}), [policy]: { minute } } }));
      await Promise.all([adding('payments', 7), adding('payment-enquiry', 9)]);
      const client = await clients.get(clientId);
      assert.deepEqual(client?.rateLimits, { payments: { minute: 7 }, 'payment-enquiry': { minute: 9 } });
    });
  });
}
