import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { applyLimitFlags } from '../../src/rate-limits/cli.ts';

const run = promisify(execFile);

describe('set-limits flags', () => {
  it('set, keep what is not named, drop with `default`, start over with --reset', () => {
    const current = { payments: { minute: 60 }, 'payment-enquiry': { second: 5 } };
    assert.deepEqual(applyLimitFlags(current, { paymentsPerSecond: 5 }), { payments: { minute: 60, second: 5 }, 'payment-enquiry': { second: 5 } });
    assert.deepEqual(applyLimitFlags(current, { paymentEnquiryPerSecond: 'default' }), { payments: { minute: 60 } });
    assert.deepEqual(applyLimitFlags(current, { reset: true, authorisationPerHour: 20 }), { authorisation: { hour: 20 } });
    assert.deepEqual(current, { payments: { minute: 60 }, 'payment-enquiry': { second: 5 } }, 'the input is not changed');
  });
});

describe('payrail clients set-limits (the real command)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'payrail-cli-'));
  const env = { ...process.env, PAYRAIL_DATA_DIR: dataDir, DATABASE_URL: '' };
  const payrail = async (...args: string[]) => JSON.parse((await run(process.execPath, ['bin/payrail.js', ...args], { env })).stdout);
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('stores per-client limits, shows the effective ones, and toggles --unlimited', async () => {
    const { client_id: id } = await payrail('clients', 'create', '--name', 'limits');
    const set = await payrail('clients', 'set-limits', id, '--payments-per-minute', '60', '--payments-per-second', '5');
    assert.deepEqual(set.rate_limits, { payments: { minute: 60, second: 5 } });
    assert.deepEqual(set.effective.payments, { minute: 60, second: 5 });
    assert.deepEqual(set.effective.authorisation, { hour: 10, second: 2 });
    assert.equal((await payrail('clients', 'set-limits', id, '--unlimited')).unlimited, true);
    const reset = await payrail('clients', 'set-limits', id, '--reset', '--no-unlimited');
    assert.equal(reset.unlimited, false);
    assert.equal(reset.rate_limits, null);
    // Each change is in the audit log (written in the change's own transaction); a command that
    // changes nothing (the same limits again, or no flag) adds nothing.
    await payrail('clients', 'set-limits', id, '--no-unlimited');
    await payrail('clients', 'set-limits', id);
    const entries = (await payrail('audit', 'list', '--object', id)) as { action: string; details: { unlimited: boolean } }[];
    const limits = entries.filter((e) => e.action === 'client.set_limits');
    assert.deepEqual(
      limits.map((e) => e.details.unlimited),
      [false, true, false],
      'three changes recorded, newest first',
    );
  });

  it('refuses a quota of 0 and an unknown client with one line', async () => {
    await assert.rejects(
      run(process.execPath, ['bin/payrail.js', 'clients', 'set-limits', 'cli_x', '--payments-per-minute', '0'], { env }),
      /must be a whole number of requests/,
    );
    await assert.rejects(run(process.execPath, ['bin/payrail.js', 'clients', 'set-limits', 'cli_nope'], { env }), /no client with id 'cli_nope'/);
  });
});
