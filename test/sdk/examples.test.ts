// examples/quickstart.ts and examples/webhook-receiver.ts run as an integrator runs them, as child
// processes against a listening payrail (SQLite; the SDK's own tests cover PostgreSQL), while the
// test plays the sandbox bank's clock: the quickstart's payment and batch settle, and the receiver
// prints the deliveries it verified. examples/encrypted-batch.ts runs in test/jose/example.test.ts.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { freePort } from '../helpers/ports.ts';
import { startSdkServer } from './server.ts';
import type { SdkServer } from './server.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const [sqlite] = databaseKinds();

function start(script: string, args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(EXAMPLES, script), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, out, exited };
}

describe('examples on the SDK against a listening payrail', () => {
  let db: TestDatabase;
  let server: SdkServer;
  const children: ChildProcess[] = [];

  before(async () => {
    db = await sqlite!.create();
    server = await startSdkServer(db);
  });
  after(async () => {
    for (const c of children) if (c.exitCode === null) c.kill();
    await server?.close();
    await db?.drop();
  });

  it('quickstart.ts pays, follows the payment and the batch to their final status, lists; webhook-receiver.ts verifies the events', async () => {
    const { payrail, clientId, secret } = await server.client();
    const port = await freePort();
    const endpoint = await payrail.webhookEndpoints.create({ url: `http://127.0.0.1:${port}/hooks`, events: ['payments.succeeded', 'payments.failed'] });
    const receiver = start('webhook-receiver.ts', ['--port', String(port)], { WEBHOOK_SECRET: endpoint.secret });
    children.push(receiver.child);
    while (!receiver.out.stderr.includes('listening')) {
      assert.equal(receiver.child.exitCode, null, `the receiver stopped: ${receiver.out.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }

    const quickstart = start('quickstart.ts', ['--url', server.url, '--poll-ms', '50'], { PAYRAIL_CLIENT_ID: clientId, PAYRAIL_CLIENT_SECRET: secret });
    children.push(quickstart.child);
    // The sandbox bank's stages, one a tick, while the example polls.
    let code: number | null | undefined;
    void quickstart.exited.then((c) => (code = c));
    for (let i = 0; i < 400 && code === undefined; i++) {
      await server.step();
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(code, 0, `quickstart exited 0: ${quickstart.out.stdout}${quickstart.out.stderr}`);
    const lines = quickstart.out.stdout.trim().split('\n');
    assert.match(lines[0]!, /^payment pymt_\w+ PROCESSING$/);
    assert.match(lines[1]!, /^payment pymt_\w+ COMPLETED$/);
    assert.match(lines[2]!, /^history CREATED:PROCESSING .*ACK3:COMPLETED$/);
    assert.match(lines[3]!, /^batch pymtb_\w+ COMPLETED completed=1 failed=1$/);
    assert.equal(lines[4], 'listed 3 payments of this run');

    for (let i = 0; i < 100 && receiver.out.stdout.trim().split('\n').length < 3; i++) {
      await server.step(0);
      await new Promise((r) => setTimeout(r, 25));
    }
    const events = receiver.out.stdout.trim().split('\n').sort();
    assert.equal(events.length, 3, `three events verified: ${receiver.out.stdout}${receiver.out.stderr}`);
    assert.equal(events.filter((e) => e.startsWith('payments.succeeded ')).length, 2, 'two succeeded');
    assert.equal(events.filter((e) => e.startsWith('payments.failed ')).length, 1, 'one failed');
    assert.ok(!receiver.out.stderr.includes('refused'), `nothing refused: ${receiver.out.stderr}`);
  });
});
