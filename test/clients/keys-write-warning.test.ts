// `payrail serve` warns once at start about the clients that hold keys:write (ids and count only).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { warnAboutKeysWrite } from '../../src/clients/cli-view.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';

for (const kind of databaseKinds()) {
  describe(`the keys:write warning at start (${kind.name})`, { skip: kind.skip }, () => {
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

    it('names how many enabled clients hold keys:write and their ids, nothing else; silent when none', async () => {
      const clients = app.payrail.services.clients;
      const warnings: [Record<string, unknown>, string][] = [];
      const logger = { warn: (o: Record<string, unknown>, m: string) => warnings.push([o, m]) };
      assert.equal(await warnAboutKeysWrite(clients, logger), 0);
      assert.equal(warnings.length, 0);

      const a = await app.createClient({ scopes: ['payments:read', 'keys:write'] });
      const b = await app.createClient({ scopes: ['keys:write'] });
      await app.createClient();
      const disabled = await app.createClient({ scopes: ['keys:write'] });
      await clients.disable(disabled.clientId);
      assert.equal(await warnAboutKeysWrite(clients, logger), 2);
      assert.equal(warnings.length, 1);
      const [data, message] = warnings[0]!;
      assert.deepEqual(data, { count: 2, clientIds: [a.clientId, b.clientId].sort() });
      assert.match(message, /2 clients hold keys:write/);
      assert.ok(!JSON.stringify(warnings).includes(a.secret), 'no secret');

      await clients.setScopes(b.clientId, ['payments:read']);
      warnings.length = 0;
      assert.equal(await warnAboutKeysWrite(clients, logger), 1);
      assert.deepEqual(warnings[0]![0], { count: 1, clientIds: [a.clientId] });
    });
  });
}
