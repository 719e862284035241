// The approval and audit commands (SPEC §10, §11): set-policy and policies, one line and exit 1 on
// bad input with nothing saved, clients grouped by --organisation, and every change in
// `payrail audit list`.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliExpectations, sgAccountArgs } from '../helpers/cli.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';

for (const kind of databaseKinds()) {
  describe(`payrail approvals and audit (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let env: Record<string, string>;

    before(async () => {
      db = await kind.create();
      env = { PAYRAIL_DATA_DIR: mkdtempSync(join(tmpdir(), 'payrail-approvals-cli-')), DATABASE_URL: db.url };
    });
    after(async () => {
      await db?.drop();
    });

    const { ok, refused } = cliExpectations(() => env);

    it('policies per client and per account, grouped clients, refusals, and the audit log of it all', () => {
      const maker = ok(['clients', 'create', '--name', 'Payroll maker']);
      assert.deepEqual(Object.keys(maker).sort(), ['client_id', 'client_secret', 'mode', 'scopes'], 'the answer of SPEC §1 without --organisation');
      assert.ok(!maker.scopes.includes('payments:approve'), 'never a default scope');
      const checker = ok(['clients', 'create', '--name', 'Checker', '--scopes', 'payments:approve', '--organisation', maker.client_id]);
      assert.equal(checker.organisation, maker.client_id);
      assert.deepEqual(checker.scopes, ['payments:approve']);
      const account = ok(sgAccountArgs(maker.client_id));

      const policy = ok(['approvals', 'set-policy', '--client', maker.client_id, '--above', '100000', '--approvers', '2']);
      assert.equal(policy.clientId, maker.client_id);
      assert.equal(policy.above, 100000);
      assert.equal(policy.approvers, 2);
      assert.equal(policy.accountId, undefined);
      ok(['approvals', 'set-policy', '--client', maker.client_id, '--account', account.id, '--above', '0', '--approvers', '1']);
      const replaced = ok(['approvals', 'set-policy', '--client', maker.client_id, '--above', '5000', '--approvers', '1']);
      assert.equal(replaced.id, policy.id, 'one client policy, replaced');

      refused(['approvals', 'set-policy', '--client', maker.client_id, '--above', '-1', '--approvers', '1'], /--above/);
      refused(['approvals', 'set-policy', '--client', maker.client_id, '--above', '1.5', '--approvers', '1'], /--above/);
      refused(['approvals', 'set-policy', '--client', maker.client_id, '--above', '0', '--approvers', '3'], /--approvers.*1 or 2/);
      refused(['approvals', 'set-policy', '--client', 'cli_nobody', '--above', '0', '--approvers', '1'], /no client/i);
      refused(['approvals', 'set-policy', '--client', checker.client_id, '--account', account.id, '--above', '0', '--approvers', '1'], /no sender account/i);
      refused(['clients', 'create', '--name', 'x', '--organisation', 'has space'], /--organisation/);
      refused(['clients', 'create', '--name', 'x', '--organisation', 'cli_nobody'], /--organisation: no client with id 'cli_nobody'/);
      refused(['clients', 'create', '--name', 'x', '--mode', 'live', '--organisation', maker.client_id], /--organisation: .*test-mode clients/);

      const policies = ok(['approvals', 'policies', '--client', maker.client_id]);
      assert.deepEqual(
        policies.map((p: { accountId?: string; above: number; approvers: number }) => [p.accountId ?? null, p.above, p.approvers]),
        [
          [null, 5000, 1],
          [account.id, 0, 1],
        ],
      );

      assert.equal(ok(['clients', 'list']).length, 2, 'the refusals created no client');

      // A client id joins that client's organisation, whatever its name: a chain stays in one.
      const a = ok(['clients', 'create', '--name', 'A', '--organisation', 'acme']);
      assert.equal(a.organisation, 'acme');
      const b = ok(['clients', 'create', '--name', 'B', '--organisation', a.client_id]);
      assert.equal(b.organisation, 'acme', "B joins A's organisation, not one named after A's id");
      const c = ok(['clients', 'create', '--name', 'C', '--organisation', b.client_id]);
      assert.equal(c.organisation, 'acme');
      const listed = ok(['clients', 'list']).filter((x: { client_id: string }) => [a.client_id, b.client_id, c.client_id].includes(x.client_id));
      assert.deepEqual(
        listed.map((x: { organisation: string }) => x.organisation),
        ['acme', 'acme', 'acme'],
      );
      for (const x of [a, b, c])
        assert.ok(
          ok(['audit', 'list', '--object', x.client_id]).some((e: { action: string }) => e.action === 'client.create'),
          'its creation is in the audit log',
        );

      const audit = ok(['audit', 'list']).filter((e: { object: { id: string } }) => ![a.client_id, b.client_id, c.client_id].includes(e.object.id));
      const actions = audit.map((e: { action: string }) => e.action);
      assert.deepEqual(
        actions,
        ['approval_policy.set', 'approval_policy.set', 'approval_policy.set', 'account.create', 'client.create', 'client.create'],
        'newest first; refusals saved nothing',
      );
      assert.equal(audit[0].actor.kind, 'operator');
      assert.deepEqual(audit[0].details.previous, { above: 100000, approvers: 2 });
      assert.equal(audit[5].object.id, maker.client_id);
    });
  });
}
