// A body over the limit, sent by a plain node:http client over a real socket: the client always
// reads a 413 problem, never EPIPE or ECONNRESET (issue #18, point 7). A server that answers and
// closes while the client is still writing makes the kernel reset the connection (unread bytes),
// and the client loses the answer; payrail reads and discards the rest of the body first.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { freePort } from '../helpers/ports.ts';
import { postWholeBodyFirst } from '../helpers/raw-http.ts';

const [sqlite] = databaseKinds();
const TWENTY_MB = 20 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'x');

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * POSTs `size` bytes in 64 KiB writes (honouring backpressure, like a real client); resolves with
 * the answer once the exchange is over (the request's 'close'), rejects on any error, EPIPE and
 * ECONNRESET included. A node:http client stops sending and closes once it has read a response
 * with `Connection: close`, so the whole body is not always written.
 */
function post(port: number, path: string, headers: Record<string, string>, size: number, chunked: boolean): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      method: 'POST',
      agent: false,
      headers: { ...headers, ...(!chunked && { 'content-length': String(size) }) },
    });
    let answer: Answer | undefined;
    req.on('error', reject);
    req.on('close', () => (answer ? resolve(answer) : reject(new Error('closed without a complete answer'))));
    req.on('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('error', reject);
      res.on('end', () => {
        answer = { status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts).toString('utf8') };
      });
    });
    let sent = 0;
    const pump = () => {
      while (sent < size && !req.destroyed) {
        const piece = size - sent >= CHUNK.length ? CHUNK : CHUNK.subarray(0, size - sent);
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

describe('a body over the limit over a real socket: a readable 413, never EPIPE or ECONNRESET', () => {
  let db: TestDatabase;
  let app: TestApp;
  let port: number;
  let headers: Record<string, string>;

  before(async () => {
    db = await sqlite!.create();
    port = await freePort();
    app = await startTestApp(db, { env: { PORT: String(port) } });
    await app.payrail.listen();
    headers = { ...(await app.authed()).headers, 'content-type': 'application/json' };
  });
  after(async () => {
    await app?.close();
    await db?.drop();
  });

  function assertTooLarge(answer: Answer) {
    assert.equal(answer.status, 413, answer.body);
    assert.match(String(answer.headers['content-type']), /^application\/problem\+json/);
    assert.equal(answer.headers.connection, 'close');
    const problem = JSON.parse(answer.body);
    assert.equal(problem.code, 'PAYLOAD_TOO_LARGE');
    assert.equal(problem.status, 413);
    assert.match(problem.requestId, /^req_/);
  }
  // The token endpoint words its errors per RFC 6749, the 413 included.
  function assertOAuthTooLarge(answer: Answer) {
    assert.equal(answer.status, 413, answer.body);
    assert.equal(answer.headers.connection, 'close');
    assert.equal(JSON.parse(answer.body).error, 'invalid_request');
  }

  for (const chunked of [false, true]) {
    const how = chunked ? 'chunked' : 'with Content-Length';
    it(`20 MB ${how}, eight times in a row: 413 PAYLOAD_TOO_LARGE read every time`, async () => {
      for (let i = 0; i < 8; i++) assertTooLarge(await post(port, '/v1/accounts', headers, TWENTY_MB, chunked));
    });
  }

  it('20 MB to the token endpoint (its own 64 KiB limit) and unauthenticated: 413 read every time', async () => {
    for (const chunked of [false, true]) {
      for (let i = 0; i < 3; i++)
        assertOAuthTooLarge(await post(port, '/v1.0/auth', { 'content-type': 'application/x-www-form-urlencoded' }, TWENTY_MB, chunked));
    }
  });

  it('a client that writes all 20 MB before reading gets the 413 too (the body is drained, not reset)', async () => {
    for (let i = 0; i < 3; i++) {
      const raw = await postWholeBodyFirst(port, '/v1/accounts', { headers, size: TWENTY_MB });
      assert.match(raw, /^HTTP\/1\.1 413 /);
      assert.match(raw, /"code":"PAYLOAD_TOO_LARGE"/);
    }
  });

  it('the server still answers normally after them', async () => {
    const status = await new Promise((resolve, reject) =>
      request({ host: '127.0.0.1', port, path: '/v1/accounts', agent: false, headers }, (res) => resolve(res.resume().statusCode))
        .on('error', reject)
        .end(),
    );
    assert.equal(status, 200);
  });
});
