// `payrail users create|list|disable|reset` (SPEC §11): the one-time set-up link, refusals in one
// line with nothing saved, and every change in `payrail audit list`.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliExpectations } from '../helpers/cli.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';

const [sqlite] = databaseKinds();

describe('payrail users (sqlite)', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  before(async () => {
    db = await sqlite!.create();
    env = { PAYRAIL_DATA_DIR: mkdtempSync(join(tmpdir(), 'payrail-users-cli-')), DATABASE_URL: db.url, PAYRAIL_PUBLIC_URL: 'https://pay.example.com' };
  });
  after(async () => {
    await db?.drop();
  });

  const { ok, refused } = cliExpectations(() => env);

  it('create prints a set-up link; list, disable and reset; unknown clients refused; all audited', () => {
    const a = ok(['clients', 'create', '--name', 'A']).client_id as string;
    const b = ok(['clients', 'create', '--name', 'B']).client_id as string;
    const created = ok(['users', 'create', '--email', 'Ops@Example.com', '--role', 'approver', '--client', `${a},${b}`]);
    assert.match(created.id, /^usr_[0-9A-Z]{26}$/);
    assert.match(created.setupLink, /^https:\/\/pay\.example\.com\/console\/setup\/[A-Za-z0-9_-]{43}$/, 'the one-time link under PAYRAIL_PUBLIC_URL');
    const hours = (Date.parse(created.setupLinkExpiresAt) - Date.now()) / 3600_000;
    assert.ok(hours > 23.9 && hours <= 24, `valid 24 hours (${hours})`);
    assert.deepEqual([created.email, created.role, created.status, created.clients], ['Ops@Example.com', 'approver', 'pending', [a, b].sort()]);
    assert.equal(created.setUpBy, null, 'set up with the CLI: no console user holds the link');

    refused(['users', 'create', '--email', 'x@example.com', '--role', 'viewer', '--client', `${a},cli_nope`], /no such client: cli_nope/);
    refused(['users', 'create', '--email', 'ops@example.com', '--role', 'viewer', '--client', a], /email: a console user with this email exists/);
    refused(['users', 'create', '--email', 'y@example.com', '--role', 'boss', '--client', a], /--role must be one of viewer, maker, approver, admin/);
    refused(['users', 'disable', 'usr_00000000000000000000000000'], /no console user/);

    const listed = ok(['users', 'list']);
    assert.equal(listed.length, 1, 'refused creations saved nothing');
    assert.ok(!JSON.stringify(listed).includes('password') && !('totpSecret' in listed[0]), 'no secret listed');

    assert.equal(ok(['users', 'disable', 'ops@example.com']).status, 'disabled', 'disable by email');
    const reset = ok(['users', 'reset', created.id]);
    assert.equal(reset.status, 'pending');
    assert.notEqual(reset.setupLink, created.setupLink, 'a new link');

    const actions = ok(['audit', 'list', '--object', created.id]).map((e: { action: string; actor: { kind: string } }) => `${e.actor.kind}:${e.action}`);
    assert.deepEqual(actions, ['operator:console_user.reset', 'operator:console_user.disable', 'operator:console_user.create']);
  });
});
