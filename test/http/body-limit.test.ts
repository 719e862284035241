// registerBodyLimit on a bare Fastify server: any error answered while the body is still arriving
// (not only the 413) reaches a client that is still sending, also when a preParsing body check
// (a decoding check) reads the body before Fastify does.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { PassThrough, Transform } from 'node:stream';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { registerBodyLimit } from '../../src/http/body-limit.ts';
import { postWholeBodyFirst } from '../helpers/raw-http.ts';

const SIZE = 20 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'x');

/** POSTs SIZE bytes; the answer once the exchange is over, or the socket error (EPIPE, ECONNRESET). */
function post(port: number, path: string, chunked = false): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', ...(!chunked && { 'content-length': String(SIZE) }) };
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent: false, headers });
    let answer: { status: number; headers: IncomingHttpHeaders; body: string } | undefined;
    req.on('error', reject);
    req.on('close', () => (answer ? resolve(answer) : reject(new Error('closed without a complete answer'))));
    req.on('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => (answer = { status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }));
    });
    let sent = 0;
    const pump = () => {
      while (sent < SIZE && !req.destroyed) {
        sent += CHUNK.length;
        if (!req.write(CHUNK)) return void req.once('drain', pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

describe('an error answered while the body is still arriving', () => {
  let app: FastifyInstance;
  let port: number;

  before(async () => {
    app = Fastify({ bodyLimit: 100 * 1024 * 1024 });
    registerBodyLimit(app);
    // A body check that fails at its second chunk, like a UTF-8 check meeting a bad byte: Fastify
    // answers 400 with Connection: close, and the request stays piped into the failed check.
    app.addHook('preParsing', async (_request, _reply, payload: Readable) => {
      let chunks = 0;
      const check = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          if (++chunks === 2) return done(Object.assign(new Error('bad byte'), { statusCode: 400 }));
          done(null, chunk);
        },
      });
      return payload.pipe(check);
    });
    app.post('/x', async () => ({ ok: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
  });
  after(async () => {
    await app?.close();
  });

  it('is read by the client every time, never EPIPE or ECONNRESET, with Connection: close', async () => {
    for (let i = 0; i < 5; i++) {
      const answer = await post(port, '/x');
      assert.equal(answer.status, 400, answer.body);
      assert.equal(answer.headers.connection, 'close');
      assert.match(answer.body, /bad byte/);
    }
  });
});

describe('a chunked body over the limit while a body check is still piped to the request', () => {
  let app: FastifyInstance;
  let port: number;

  before(async () => {
    app = Fastify({ bodyLimit: 1024 * 1024 });
    registerBodyLimit(app);
    // A check that passes everything, stays piped to the request when Fastify stops reading at the
    // limit, and is destroyed with the request's errors (as the UTF-8 check of the input-safety
    // branch is): a client closing mid-body must not become an unhandled 'error' on it.
    app.addHook('preParsing', async (_request, _reply, payload: Readable) => {
      const check = new PassThrough();
      payload.on('error', (err) => check.destroy(err));
      return payload.pipe(check);
    });
    app.post('/x', async () => ({ ok: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
  });
  after(async () => {
    await app?.close();
  });

  it('a node:http client reads the 413 every time', async () => {
    for (let i = 0; i < 3; i++) {
      const answer = await post(port, '/x', true);
      assert.equal(answer.status, 413, answer.body);
      assert.equal(answer.headers.connection, 'close');
    }
  });

  it('a client that writes all 20 MB first gets the 413 too: the drain is not stalled by the check', async () => {
    for (let i = 0; i < 3; i++) {
      const raw = await postWholeBodyFirst(port, '/x', { size: SIZE, chunked: true });
      assert.match(raw, /^HTTP\/1\.1 413 /);
    }
  });
});
