import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../helpers/cli.ts';

describe('payrail CLI', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'payrail-cli-'));
  const env = { PAYRAIL_DATA_DIR: dataDir, DATABASE_URL: '' };

  it('--help lists the commands', () => {
    const r = runCli(['--help'], env);
    assert.equal(r.status, 0);
    for (const c of ['serve', 'migrate', 'clients', 'accounts']) assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
  });

  it('clients create prints exactly client_id, client_secret, mode, scopes', () => {
    const r = runCli(['clients', 'create', '--name', 'Acme Payroll', '--scopes', 'payments:write,payments:read'], env);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out), ['client_id', 'client_secret', 'mode', 'scopes']);
    assert.match(out.client_id, /^cli_[0-9A-Z]{26}$/);
    assert.match(out.client_secret, /^[A-Za-z0-9_-]{43,}$/);
    assert.equal(out.mode, 'test');
    assert.deepEqual(out.scopes, ['payments:write', 'payments:read']);
  });

  it('a client created without --scopes has the default scopes, not keys:write; --mode live works', () => {
    const out = JSON.parse(runCli(['clients', 'create', '--name', 'Live', '--mode', 'live', '--unlimited'], env).stdout);
    assert.equal(out.mode, 'live');
    assert.deepEqual(out.scopes, ['payments:write', 'payments:read', 'accounts:write', 'webhooks:write']);
  });

  it('keys:write is given only when asked for with --scopes', () => {
    const out = JSON.parse(runCli(['clients', 'create', '--name', 'Keys', '--scopes', 'payments:read,keys:write'], env).stdout);
    assert.deepEqual(out.scopes, ['payments:read', 'keys:write']);
  });

  it('clients list, rotate-secret, disable; accounts create and list', () => {
    const created = JSON.parse(runCli(['clients', 'create', '--name', 'Ops'], env).stdout);
    const list = JSON.parse(runCli(['clients', 'list'], env).stdout);
    assert.ok(list.some((c: { client_id: string }) => c.client_id === created.client_id));
    assert.ok(!JSON.stringify(list).includes(created.client_secret), 'list never shows a secret');

    const rotated = JSON.parse(runCli(['clients', 'rotate-secret', created.client_id], env).stdout);
    assert.equal(rotated.client_id, created.client_id);
    assert.notEqual(rotated.client_secret, created.client_secret);
    assert.deepEqual(rotated.recent_webhook_endpoints, [], 'what a thief could have added is listed (none here)');

    const account = runCli(
      ['accounts', 'create', '--client', created.client_id, '--name', 'Ops SGD', '--bank', 'DBSSSGSGXXX', '--number', '0123456789', '--currencies', 'SGD,USD'],
      env,
    );
    assert.equal(account.status, 0, account.stderr);
    const acct = JSON.parse(account.stdout);
    assert.match(acct.id, /^intacct_/);
    assert.deepEqual(acct.currencies, ['SGD', 'USD']);
    const accounts = JSON.parse(runCli(['accounts', 'list', '--client', created.client_id], env).stdout);
    assert.deepEqual(
      accounts.map((a: { id: string }) => a.id),
      [acct.id],
    );

    const disabled = JSON.parse(runCli(['clients', 'disable', created.client_id], env).stdout);
    assert.equal(disabled.disabled, true);
    assert.deepEqual(disabled.recent_webhook_endpoints, []);
  });

  it('accounts create takes the debtor fields banks need; a bad one is one line, exit 1, nothing saved', () => {
    const client = JSON.parse(runCli(['clients', 'create', '--name', 'Debtor'], env).stdout);
    const args = [
      'accounts',
      'create',
      '--client',
      client.client_id,
      '--name',
      'Ops HK',
      '--bank',
      'HSBCHKHHXXX',
      '--number',
      '123456789',
      '--currencies',
      'HKD',
    ];
    const r = runCli(
      [
        ...args,
        '--legal-name',
        'Acme Trading (HK) Limited',
        '--country',
        'HK',
        '--address-line',
        '1 Queens Road Central',
        '--address-line',
        'Central',
        '--bank-customer-id',
        'HSBC-ACME-01',
      ],
      env,
    );
    assert.equal(r.status, 0, r.stderr);
    const acct = JSON.parse(r.stdout);
    assert.deepEqual(
      [acct.legalName, acct.country, acct.address, acct.bankCustomerId],
      ['Acme Trading (HK) Limited', 'HK', ['1 Queens Road Central', 'Central'], 'HSBC-ACME-01'],
    );
    const bad = runCli([...args, '--country', 'XX', '--address-line', 'a', '--address-line', 'b', '--address-line', 'c', '--address-line', 'd'], env);
    assert.equal(bad.status, 1);
    assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
    assert.match(bad.stderr, /country: must be an ISO 3166-1 alpha-2 code/);
    assert.match(bad.stderr, /address: at most 3 lines/);
    const listed = JSON.parse(runCli(['accounts', 'list', '--client', client.client_id], env).stdout);
    assert.deepEqual(
      listed.map((a: { id: string }) => a.id),
      [acct.id],
    );
  });

  it('clients update --scopes replaces the scopes (keys:write can be taken away) and prints the client', () => {
    const created = JSON.parse(runCli(['clients', 'create', '--name', 'Old', '--scopes', 'payments:read,keys:write'], env).stdout);
    const r = runCli(['clients', 'update', created.client_id, '--scopes', 'payments:read,webhooks:write'], env);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out), ['client_id', 'name', 'mode', 'scopes', 'unlimited', 'require_encryption', 'disabled', 'created_at', 'organisation']);
    assert.deepEqual(out.scopes, ['payments:read', 'webhooks:write']);
    const listed = JSON.parse(runCli(['clients', 'list'], env).stdout).find((c: { client_id: string }) => c.client_id === created.client_id);
    assert.deepEqual(listed.scopes, ['payments:read', 'webhooks:write']);
    for (const [scopes, message] of [
      ['payments:read,admin', /unknown scope 'admin'/],
      [',', /at least one scope/],
    ] as const) {
      const bad = runCli(['clients', 'update', created.client_id, '--scopes', scopes], env);
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, message);
    }
    assert.deepEqual(JSON.parse(runCli(['clients', 'list'], env).stdout).find((c: { client_id: string }) => c.client_id === created.client_id).scopes, [
      'payments:read',
      'webhooks:write',
    ]);
  });

  it('bad arguments: exit 1 with one clear line on stderr', () => {
    const cases: [string[], RegExp][] = [
      [['clients', 'create'], /--name/],
      [['clients', 'create', '--name', 'Acme\u0001Payroll'], /--name contains a character a bank file cannot carry/],
      [['clients', 'create', '--name', 'Acme\nPayroll'], /--name contains a character/],
      [['clients', 'create', '--name', 'x'.repeat(141)], /--name must be at most 140 characters/],
      [['clients', 'create', '--name', 'x', '--scopes', 'payments:write,admin'], /unknown scope 'admin'/],
      [['clients', 'create', '--name', 'x', '--mode', 'prod'], /--mode/],
      [['clients', 'disable', 'cli_nope'], /no client with id 'cli_nope'/i],
      [['accounts', 'create', '--client', 'cli_nope', '--name', 'a', '--bank', 'DBSSSGSGXXX', '--number', '1234', '--currencies', 'SGD'], /no client/],
      [['nonsense'], /unknown command/],
      [['accounts', 'list', '--client', 'cli_nope'], /^payrail: no client with id 'cli_nope'\n$/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(args, env);
      assert.equal(r.status, 1, `${args.join(' ')}: ${r.stdout}`);
      assert.match(r.stderr, message);
      assert.ok(!/\n\s+at /.test(r.stderr), `no stack trace for ${args.join(' ')}`);
    }
  });

  it('a usage error is one line with a hint, never the whole help', () => {
    for (const [args, message] of [
      [['clients', 'create'], /^payrail: required option '--name <name>' not specified \(see 'payrail clients create --help'\)\n$/],
      [['clients', 'crate'], /^payrail: unknown command 'crate' \(Did you mean create\?\) \(see 'payrail clients --help'\)\n$/],
      [['nonsense'], /^payrail: unknown command 'nonsense' \(see 'payrail --help'\)\n$/],
      [['accounts', 'list', '--client'], /^payrail: option '--client <client_id>' argument missing \(see 'payrail accounts list --help'\)\n$/],
    ] as const) {
      const r = runCli([...args], env);
      assert.equal(r.status, 1);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
  });

  it('--version prints the version; help marks the required options', () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    for (const flag of ['--version', '-V']) assert.deepEqual({ ...runCli([flag], env), stderr: '' }, { status: 0, stdout: `${version}\n`, stderr: '' });
    // Help wraps long lines at 80 columns: the '(required)' of a long option may be on its next line.
    const help = runCli(['accounts', 'create', '--help'], env).stdout.replace(/\n\s+/g, ' ');
    for (const option of ['--client <client_id>', '--name <name>', '--bank <bank>', '--number <number>', '--currencies <list>']) {
      assert.match(help, new RegExp(`${option}.*\\(required\\)`), option);
    }
    assert.doesNotMatch(runCli(['clients', 'create', '--help'], env).stdout, /--mode.*\(required\)/);
  });

  it('accounts create, keys rotate and calendar close are in the audit log with the operator as actor (SPEC §11)', () => {
    const client = JSON.parse(runCli(['clients', 'create', '--name', 'Audited'], env).stdout);
    const account = runCli(
      ['accounts', 'create', '--client', client.client_id, '--name', 'Ops', '--bank', 'DBSSSGSGXXX', '--number', '0123456789', '--currencies', 'SGD'],
      env,
    );
    assert.equal(account.status, 0, account.stderr);
    assert.equal(runCli(['keys', 'rotate'], env).status, 0);
    const closed = runCli(['calendar', 'close', '--market', 'SG', '--date', '2030-01-02', '--reason', 'drill'], env);
    assert.equal(closed.status, 0, closed.stderr);
    const listed = JSON.parse(runCli(['audit', 'list', '--limit', '100'], env).stdout) as { action: string; actor: { kind: string }; object: { id: string } }[];
    const find = (action: string, id?: string) => listed.find((e) => e.action === action && (id === undefined || e.object.id === id));
    const found = [find('account.create', JSON.parse(account.stdout).id), find('gateway_keys.rotate'), find('calendar.close', 'SG')];
    assert.ok(found.every(Boolean), listed.map((e) => `${e.action} ${e.object.id}`).join(', '));
    for (const e of found) assert.equal(e!.actor.kind, 'operator', e!.action);
  });

  it('accounts create refuses an account number that is not digits', () => {
    const client = JSON.parse(runCli(['clients', 'create', '--name', 'Numbers'], env).stdout);
    const r = runCli(
      ['accounts', 'create', '--client', client.client_id, '--name', 'a', '--bank', 'DBSSSGSGXXX', '--number', 'abc', '--currencies', 'SGD'],
      env,
    );
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^payrail: .*accountNumber: must be digits/);
    assert.deepEqual(JSON.parse(runCli(['accounts', 'list', '--client', client.client_id], env).stdout), []);
  });

  it("run from a subfolder, finds the project's data folder; from outside any, uses ./data there (the default SPEC §1 gives)", () => {
    const project = mkdtempSync(join(tmpdir(), 'payrail-project-'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'payrail' }));
    mkdirSync(join(project, 'docs'));
    const unset = { PAYRAIL_DATA_DIR: '', DATABASE_URL: '' };
    const created = runCli(['clients', 'create', '--name', 'Found'], unset, project);
    assert.equal(created.status, 0, created.stderr);
    assert.ok(existsSync(join(project, 'data', 'payrail.db')));
    const listed = runCli(['clients', 'list'], unset, join(project, 'docs'));
    assert.deepEqual(
      JSON.parse(listed.stdout).map((c: { name: string }) => c.name),
      ['Found'],
    );
    assert.ok(!existsSync(join(project, 'docs', 'data')), 'no new database in the subfolder');

    const elsewhere = mkdtempSync(join(tmpdir(), 'payrail-elsewhere-'));
    const outside = runCli(['clients', 'create', '--name', 'Elsewhere'], unset, elsewhere);
    assert.equal(outside.status, 0, outside.stderr);
    assert.ok(existsSync(join(elsewhere, 'data', 'payrail.db')), './data of the current folder');
    assert.deepEqual(
      JSON.parse(runCli(['clients', 'list'], unset, elsewhere).stdout).map((c: { name: string }) => c.name),
      ['Elsewhere'],
    );
  });

  it('migrate applies migrations and is idempotent', () => {
    const dir = mkdtempSync(join(tmpdir(), 'payrail-migrate-'));
    const first = runCli(['migrate'], { PAYRAIL_DATA_DIR: dir, DATABASE_URL: '' });
    assert.equal(first.status, 0, first.stderr);
    assert.ok(JSON.parse(first.stdout).applied.length >= 1);
    assert.deepEqual(JSON.parse(runCli(['migrate'], { PAYRAIL_DATA_DIR: dir, DATABASE_URL: '' }).stdout).applied, []);
  });
});

describe('configuration errors stop the process with exit 1 and one line naming the setting', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'payrail-cfg-'));
  const cases: [string, Record<string, string>, RegExp][] = [
    ['PORT=abc', { PORT: 'abc' }, /^payrail: PORT: 'abc' is not a whole number\n$/],
    [
      'PAYRAIL_TRUST_PROXY=10.0.0.0/33',
      { PAYRAIL_TRUST_PROXY: '10.0.0.0/33' },
      /^payrail: PAYRAIL_TRUST_PROXY: '10.0.0.0\/33' is not an IP address, a CIDR range or one of loopback, linklocal, uniquelocal\n$/,
    ],
    ['PORT=70000', { PORT: '70000' }, /^payrail: PORT: .*outside/],
    ['an unknown DATABASE_URL scheme', { DATABASE_URL: 'mysql://localhost/db' }, /^payrail: DATABASE_URL: scheme 'mysql:' is not supported/],
    [
      'an unreachable PostgreSQL',
      { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' },
      /^payrail: DATABASE_URL: cannot connect to PostgreSQL at 127\.0\.0\.1:1\/none: ECONNREFUSED\n$/,
    ],
    ['a bad PAYRAIL_ROLE', { PAYRAIL_ROLE: 'boss' }, /^payrail: PAYRAIL_ROLE: 'boss' is not one of api, worker, all\n$/],
    ['a bad LOG_LEVEL', { LOG_LEVEL: 'loud' }, /^payrail: LOG_LEVEL: /],
    ['a bad PAYRAIL_SANDBOX_ACK_DELAY_MS', { PAYRAIL_SANDBOX_ACK_DELAY_MS: '-5' }, /^payrail: PAYRAIL_SANDBOX_ACK_DELAY_MS: /],
    ['a bad PAYRAIL_RATE_LIMIT_ALGORITHM', { PAYRAIL_RATE_LIMIT_ALGORITHM: 'leaky' }, /^payrail: PAYRAIL_RATE_LIMIT_ALGORITHM: /],
  ];
  for (const [name, env, message] of cases) {
    it(name, () => {
      const r = runCli(['serve'], { PAYRAIL_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent', ...env });
      assert.equal(r.status, 1, r.stdout);
      assert.match(r.stderr, message);
    });
  }

  it('a bad --port flag is reported the same way', () => {
    const r = runCli(['serve', '--port', 'x1'], { PAYRAIL_DATA_DIR: dataDir, DATABASE_URL: '' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^payrail: PORT: 'x1' is not a whole number\n$/);
  });

  it('every setting has its serve flag: --sandbox-bank sets PAYRAIL_SANDBOX_BANK', () => {
    const r = runCli(['serve', '--sandbox-bank', 'maybe'], { PAYRAIL_DATA_DIR: dataDir, DATABASE_URL: '' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^payrail: PAYRAIL_SANDBOX_BANK: 'maybe' is not one of on, off\n$/);
  });
});
