// The sandbox bank's style from the command line: `payrail sandbox-bank --style S` and
// PAYRAIL_SANDBOX_STYLE (for `serve` and `sandbox-bank`). A style that does not exist stops the
// process at start-up with one line listing the styles; a real one is what the bank answers in.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { writePain001 } from '../../src/bank-files/pain001/writer.ts';
import { parseConfig } from '../../src/config.ts';
import { BIN, runCli } from '../helpers/cli.ts';

const STYLES = 'textbook, jpm, gs, nordea, crossriver';

describe('the sandbox bank style setting', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'payrail-style-'));
  const env = { PAYRAIL_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' };

  it('defaults to textbook; PAYRAIL_SANDBOX_STYLE chooses another', () => {
    assert.equal(parseConfig({}).sandboxStyle, 'textbook');
    assert.equal(parseConfig({ PAYRAIL_SANDBOX_STYLE: 'nordea' }).sandboxStyle, 'nordea');
  });

  const failures: [string, string[], Record<string, string>, RegExp][] = [
    [
      'payrail sandbox-bank --style nope',
      ['sandbox-bank', '--style', 'nope'],
      {},
      new RegExp(`^payrail: --style: 'nope' is not a sandbox bank style \\(one of ${STYLES}\\)\\n$`),
    ],
    [
      'PAYRAIL_SANDBOX_STYLE=nope payrail sandbox-bank',
      ['sandbox-bank'],
      { PAYRAIL_SANDBOX_STYLE: 'nope' },
      new RegExp(`^payrail: PAYRAIL_SANDBOX_STYLE: 'nope' is not one of ${STYLES}\\n$`),
    ],
    [
      'PAYRAIL_SANDBOX_STYLE=nope payrail serve',
      ['serve'],
      { PAYRAIL_SANDBOX_STYLE: 'nope' },
      new RegExp(`^payrail: PAYRAIL_SANDBOX_STYLE: 'nope' is not one of ${STYLES}\\n$`),
    ],
    [
      'payrail serve --sandbox-style nope',
      ['serve', '--sandbox-style', 'nope'],
      {},
      new RegExp(`^payrail: PAYRAIL_SANDBOX_STYLE: 'nope' is not one of ${STYLES}\\n$`),
    ],
  ];
  for (const [name, args, extra, message] of failures) {
    it(`${name}: exit 1 with one line listing the styles`, () => {
      const r = runCli(args, { ...env, ...extra });
      assert.equal(r.status, 1, r.stdout);
      assert.match(r.stderr, message);
    });
  }

  it("payrail sandbox-bank --style nordea answers a pain.001 in Nordea's manner", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'payrail-style-run-'));
    mkdirSync(join(dir, 'bank', 'outbox'), { recursive: true });
    const pain001 = writePain001(
      {
        messageId: 'PYMTB01STYLE-1',
        createdAt: '2026-03-10T02:00:00Z',
        initiatingPartyName: 'Acme',
        batchId: 'pymtb_01STYLE',
        rail: 'FAST',
        paymentDate: '2030-03-13',
        debtor: { name: 'Acme SGD', accountNumber: '0123456789', bank: 'DBSSSGSGXXX' },
        payments: [
          {
            paymentId: 'pymt_01',
            customerReference: 'ref_1',
            amount: 100,
            currency: 'SGD',
            receiver: { name: 'R', bank: 'OCBCSGSGXXX', bankAccountNumber: '000000000' },
          },
        ],
      },
      { version: '09' },
    );
    writeFileSync(join(dir, 'bank', 'outbox', 'pain001-pymtb_01STYLE-1.xml'), pain001);
    const child = spawn(process.execPath, [BIN, 'sandbox-bank', '--style', 'nordea'], {
      env: { ...process.env, PAYRAIL_DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'silent', PAYRAIL_SANDBOX_ACK_DELAY_MS: '50' },
      stdio: 'ignore',
    });
    try {
      const inbox = join(dir, 'bank', 'inbox');
      const deadline = Date.now() + 30_000;
      const written = () => {
        try {
          return readdirSync(inbox)
            .filter((n) => n.endsWith('.xml'))
            .sort();
        } catch {
          return [];
        }
      };
      while (written().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const files = written();
      assert.deepEqual(files.slice(0, 2), ['PYMTB01STYLE-1.ACK1.xml', 'PYMTB01STYLE-1.ACK2.xml']);
      const validation = readFileSync(join(inbox, files[1]!), 'utf8');
      assert.match(validation, /pain\.002\.001\.03/);
      assert.match(validation, /<PmtInfSts>ACCP<\/PmtInfSts>/);
      assert.match(validation, /<AddtlInf>Account number incorrect\.<\/AddtlInf>/);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
