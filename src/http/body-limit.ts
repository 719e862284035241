// Bodies over the size limit, and any error answered before the body is read: a response the
// client can read (issue #18, point 7).
//
// Fastify refuses a body over the limit before reading it (or as soon as a chunked body passes
// it), and any body it fails to read, with `Connection: close`; Node then closes the socket at
// once. The client is still sending: the unread bytes make the kernel reset the connection, and
// the client gets EPIPE or ECONNRESET instead of the answer. So, like nginx's "lingering close",
// such an answer is written at once but the response ends (and the socket closes) only after the
// rest of the body has been read and thrown away, within bounds: a client cannot hold a
// connection by sending forever.
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { errorCodes } from 'fastify';
import type { FastifyInstance } from 'fastify';

/** How much of a refused body is read and discarded, and for how long, before closing anyway. */
export const LINGER = {
  maxBytes: 64 * 1024 * 1024,
  /** The whole drain (nginx's lingering_time). */
  maxMs: 30_000,
  /** Without a byte from the client (nginx's lingering_timeout). */
  idleMs: 5_000,
} as const;

/**
 * Refuses a declared Content-Length over the route's limit before anything else runs (auth
 * included), with Fastify's own error so each route's error handler words the 413; and holds
 * every error answer sent before the body was fully received (the 413s, a body that fails to
 * decode midway) open until the body is drained, with `Connection: close`.
 */
export function registerBodyLimit(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const declared = Number(request.headers['content-length']);
    if (declared > request.routeOptions.bodyLimit) throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
  });
  app.addHook('onSend', async (request, reply, payload) => {
    // `complete` is false while body bytes are still to come (undefined under inject: nothing to drain).
    if (reply.statusCode < 400 || request.raw.complete !== false || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) return payload;
    const bytes = Buffer.from(payload);
    void reply.header('content-length', bytes.length).header('connection', 'close');
    return heldUntilDrained(request.raw, bytes);
  });
}

/** A response body that is sent at once and ends when `request`'s body is drained (or the bounds pass). */
function heldUntilDrained(request: IncomingMessage, bytes: Buffer): Readable {
  const body = new Readable({ read() {} });
  body.push(bytes);
  discardRest(request, () => body.push(null));
  return body;
}

/** Reads and discards the rest of `request`'s body, then calls `done` (once). */
function discardRest(request: IncomingMessage, done: () => void): void {
  let received = 0;
  const finish = () => {
    clearTimeout(whole);
    clearTimeout(idle);
    request.off('data', onData).off('end', finish).off('error', finish).off('close', finish);
    done();
  };
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received > LINGER.maxBytes) return finish();
    idle.refresh();
  };
  const whole = setTimeout(finish, LINGER.maxMs);
  const idle = setTimeout(finish, LINGER.idleMs);
  // The body's readers have given up (the answer is decided): detach them, so that a client
  // closing mid-body (the 'aborted' error) reaches no stream that forwards it to a reader nobody
  // listens to any more, which would throw. IncomingMessage emits errors only to listeners.
  request.unpipe();
  request.removeAllListeners('error');
  request.on('data', onData).once('end', finish).once('error', finish).once('close', finish);
  request.resume();
}
