// `payrail import` of a 100,000-row CSV into 100 batches (SPEC §12, issue 20: within 2× the time
// the same batches take through the API directly). Both against one payrail in its own process
// (PAYRAIL_ROLE=api): first the reference, 100 POST /v1/payment-batches of 1,000 payments one
// after another (bodies built before the clock starts), then the real CLI process on a CSV of the
// same payments (other references), timed from spawn to exit: start-up, reading, validating
// every batch with the API, creating them.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatAmount } from '../../src/import/amount.ts';
import { batchBody, batchItem, paymentDate } from '../lib/fixtures.ts';
import type { Scenario } from '../lib/scenario.ts';
import { times } from '../lib/scenario.ts';
import { startPayrailProcess } from '../lib/server-process.ts';

const BIN = fileURLToPath(new URL('../../bin/payrail.js', import.meta.url));
const PER_BATCH = 1000;
const TARGET_RATIO = 2;

/** The CSV of `rows` payments (batchItem's, tagged `tag`), in the columns of SPEC §12. */
function payrollCsv(tag: string, rows: number): string {
  const lines = ['name,bank,accountNumber,amount,reference,details'];
  for (let i = 0; i < rows; i++) {
    const p = batchItem(tag, i);
    lines.push(
      [p.receiver.name, p.receiver.bank, p.receiver.bankAccountNumber, formatAmount(p.amount, 'SGD'), p.customerReference, p.paymentDetails].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const scenario: Scenario = {
  name: 'import',
  title: 'payrail import of a 100,000-row CSV',
  async run({ quick, log }) {
    const batches = quick ? 10 : 100;
    const rows = batches * PER_BATCH;
    const server = await startPayrailProcess({ env: { PAYRAIL_ROLE: 'api' } });
    const dir = mkdtempSync(join(tmpdir(), 'payrail-bench-import-'));
    try {
      // The reference: the same number of batches through the API, one after another.
      const url = `${server.address}/v1/payment-batches`;
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${server.token}` };
      const bodies = Array.from({ length: batches }, (_, b) => {
        const body = batchBody(server.accountId, `D${b}`, PER_BATCH);
        return JSON.stringify(body);
      });
      const t0 = performance.now();
      for (const body of bodies) {
        const res = await fetch(url, { method: 'POST', headers, body });
        const text = await res.text();
        if (res.status !== 200) throw new Error(`POST /v1/payment-batches: ${res.status} ${text.slice(0, 300)}`);
      }
      const direct = performance.now() - t0;
      log(`direct: ${batches} batches in ${(direct / 1000).toFixed(1)} s`);

      const file = join(dir, 'payroll.csv');
      writeFileSync(file, payrollCsv('IMPORT', rows));
      const env = { PAYRAIL_URL: server.address, PAYRAIL_CLIENT_ID: server.clientId, PAYRAIL_CLIENT_SECRET: server.secret };
      const t1 = performance.now();
      const run = await runCli(['import', file, '--type', 'FAST', '--account', server.accountId, '--date', paymentDate()], env);
      const imported = performance.now() - t1;
      if (run.code !== 0) throw new Error(`payrail import exited ${run.code}: ${run.stderr.slice(-500)}`);
      const created = (JSON.parse(run.stdout) as { created: number }).created;
      if (created !== batches) throw new Error(`payrail import created ${created} batches, not ${batches}`);
      log(`import: ${rows} rows into ${created} batches in ${(imported / 1000).toFixed(1)} s`);

      const ratio = imported / direct;
      return {
        rows: [
          {
            scenario: `payrail import of a ${rows.toLocaleString('en-US')}-row CSV into ${batches} batches (real CLI process)`,
            payrail: `${(imported / 1000).toFixed(1)} s`,
            reference: `the same ${batches} batches as POST /v1/payment-batches one after another: ${(direct / 1000).toFixed(1)} s`,
            ratio: `${times(ratio)} the direct time`,
            target: `≤ ${TARGET_RATIO}×`,
            met: ratio <= TARGET_RATIO,
          },
        ],
        notes: [
          `import: the CLI process from spawn to exit (tsx start-up, reading the CSV, ${batches} POST /v1/payment-batches/validate, ${batches} creates with Idempotency-Keys, 4 at a time); the direct batches first, on the same payrail process (PAYRAIL_ROLE=api, SQLite), so the import writes into the larger database.`,
        ],
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await server.stop();
    }
  },
};

export default scenario;
