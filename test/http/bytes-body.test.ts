// Only a route that takes a body of bytes (config.bytesBody: the console's upload) gets
// application/octet-stream unchecked; any other route reached with bytes under a parser that
// accepts them (the console plugin registers one for its whole scope) gets the UTF-8 check.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { registerBodyReading } from '../../src/http/body-reading.ts';
import { AppError } from '../../src/errors.ts';

describe('bodies of bytes', () => {
  let app: FastifyInstance;
  before(async () => {
    app = Fastify({ logger: false });
    registerBodyReading(app);
    app.setErrorHandler((err, _request, reply) =>
      reply.code(err instanceof AppError ? err.status : 500).send({ code: err instanceof AppError ? err.code : 'ERROR' }),
    );
    app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    app.post('/bytes', { config: { bytesBody: true } }, async (request) => ({ length: (request.body as Buffer).length }));
    app.post('/text', async (request) => ({ length: (request.body as Buffer).length }));
    await app.ready();
  });
  after(() => app.close());

  const notUtf8 = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0xfe]); // a zip's first bytes, then two that are never UTF-8
  const post = (url: string) => app.inject({ method: 'POST', url, headers: { 'content-type': 'application/octet-stream' }, payload: notUtf8 });

  it('a route marked bytesBody takes them as they are', async () => {
    const res = await post('/bytes');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().length, notUtf8.length);
  });

  it('another route is refused with INVALID_ENCODING, whatever the content type says', async () => {
    const res = await post('/text');
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().code, 'INVALID_ENCODING');
  });
});
