// `payrail serve` as an operator runs it: a real process on a real port.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ChildProcess } from 'node:child_process';
import { runCli, startServe } from '../helpers/cli.ts';
import { freePort } from '../helpers/ports.ts';

describe('payrail serve', () => {
  let child: ChildProcess;
  let base: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'payrail-serve-'));
  const env = { PAYRAIL_DATA_DIR: dataDir, DATABASE_URL: '' };

  let stdout = '';

  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = await startServe({ ...env, LOG_LEVEL: 'info' }, port);
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  });
  after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('serves /healthz, /readyz, /metrics, /openapi.json and /docs', async () => {
    assert.deepEqual(await (await fetch(`${base}/healthz`)).json(), { status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 200);
    assert.equal(((await ready.json()) as { checks: { database: boolean } }).checks.database, true);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.ok(/payrail_http_requests_total\{method="GET",route="\/healthz",status="200"\} [1-9]/.test(metrics), 'request counter by route');
    assert.ok(/payrail_http_request_duration_seconds_bucket\{le="[\d.]+",method="GET",route="\/readyz"/.test(metrics), 'latency by route');
    assert.ok(metrics.includes('payrail_process_cpu_seconds_total'), 'process metrics');
    const spec = (await (await fetch(`${base}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    assert.equal(spec.openapi, '3.1.0');
    for (const p of ['/v1.0/auth', '/v1/accounts', '/v1/accounts/{id}']) assert.ok(p in spec.paths, `openapi has ${p}`);
    const docs = await fetch(`${base}/docs`);
    assert.equal(docs.status, 200);
    assert.match(await docs.text(), /swagger/i);
  });

  it('says at start where the API and its reference are (JSON lines when not on a terminal)', async () => {
    await new Promise((r) => setTimeout(r, 200)); // the lines written before the test listened
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const started = lines.find((l) => l.api !== undefined);
    assert.ok(started, stdout);
    assert.equal(started.api, base);
    assert.equal(started.docs, `${base}/docs`);
    assert.equal(started.msg, `payrail is listening: API ${base}, reference ${base}/docs`);
  });

  it('GET / says where things are', async () => {
    const res = await fetch(`${base}/`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { name: 'payrail', api: base, docs: `${base}/docs`, openapi: `${base}/openapi.json`, health: `${base}/healthz` });
  });

  it('the README walk-through: CLI client → token → API call', async () => {
    const created = JSON.parse(runCli(['clients', 'create', '--name', 'Walkthrough'], env).stdout);
    const tokenRes = await fetch(`${base}/v1.0/auth`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${created.client_id}:${created.client_secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    assert.equal(tokenRes.status, 200);
    const { access_token } = (await tokenRes.json()) as { access_token: string };
    const res = await fetch(`${base}/v1/accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Operating SGD', bank: 'DBSSSGSGXXX', accountNumber: '0123456789', currencies: ['SGD', 'USD'] }),
    });
    assert.equal(res.status, 201);
  });

  it("a request Node's HTTP parser refuses gets a 400 problem", async () => {
    const { connect } = await import('node:net');
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(base).port), '127.0.0.1', () =>
        socket.write('POST /v1/payments HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'),
      );
      let data = '';
      socket.on('data', (d) => (data += d));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    assert.match(answer, /^HTTP\/1\.1 400/);
    assert.match(answer, /application\/problem\+json/);
    assert.match(answer, /"code":"BAD_REQUEST"/);
  });

  it('SIGTERM: stops within 10 s with exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const started = Date.now();
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.ok(Date.now() - started < 10_000);
  });
});

/** Processes (pid) whose environment holds `marker` (Linux /proc; processes of other users are unreadable, hence skipped). */
function processesMarked(marker: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8').includes(marker);
      } catch {
        return false; // gone, or not ours
      }
    });
}

describe('payrail serve on a port already in use', { skip: process.platform === 'linux' ? false : 'needs Linux /proc' }, () => {
  it('exits 1 with one line naming the port, and leaves no delivery process behind', { timeout: 90_000 }, async () => {
    const blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)));
    // Passed to every process it starts (the delivery child's environment drops PAYRAIL_ variables).
    const marker = `SERVE_TEST_MARK=${randomUUID()}`;
    try {
      const dataDir = mkdtempSync(join(tmpdir(), 'payrail-port-'));
      const r = runCli(['serve'], {
        PAYRAIL_DATA_DIR: dataDir,
        DATABASE_URL: '',
        PORT: String(port),
        LOG_LEVEL: 'info',
        SERVE_TEST_MARK: marker.split('=')[1],
      });
      assert.equal(r.status, 1, r.stdout);
      assert.equal(
        r.stderr,
        `payrail: cannot listen on 127.0.0.1:${port}: the port is already in use (another payrail?); stop that process or choose another with PORT or --port\n`,
      );
      await new Promise((resolve) => setTimeout(resolve, 1500)); // an orphan would still be loading
      assert.deepEqual(processesMarked(marker), [], 'no process of that serve is left');
    } finally {
      blocker.close();
    }
  });
});
