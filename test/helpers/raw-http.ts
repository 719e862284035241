// A client that writes its whole request body before it reads anything (as curl does without
// `Expect: 100-continue`), on a raw socket: what a server that answers early and closes too soon
// turns into EPIPE or ECONNRESET. Used by the 413 tests.
import { connect } from 'node:net';

const CHUNK = Buffer.alloc(64 * 1024, 'x');

/**
 * POSTs `size` bytes of 'x' to `path` (with Content-Length, or chunked), every byte before reading;
 * resolves with the raw answer once all is written and the server has closed, rejects on a socket error.
 */
export function postWholeBodyFirst(port: number, path: string, o: { size: number; headers?: Record<string, string>; chunked?: boolean }): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const parts: Buffer[] = [];
    let ended = false;
    let written = false;
    const finish = () => {
      if (ended && written) resolve(Buffer.concat(parts).toString('utf8'));
    };
    const done = (err?: Error | null) => {
      if (err) return;
      written = true;
      finish();
    };
    socket.on('data', (c: Buffer) => parts.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      ended = true;
      finish();
    });
    const framing = o.chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(o.size) };
    const head = Object.entries({ 'content-type': 'application/json', ...o.headers, host: '127.0.0.1', ...framing }).map(([k, v]) => `${k}: ${v}\r\n`);
    socket.write(`POST ${path} HTTP/1.1\r\n${head.join('')}\r\n`);
    const piece = o.chunked ? Buffer.concat([Buffer.from(`${CHUNK.length.toString(16)}\r\n`), CHUNK, Buffer.from('\r\n')]) : CHUNK;
    let sent = 0;
    const pump = () => {
      while (sent < o.size) {
        sent += CHUNK.length;
        const last = sent >= o.size && !o.chunked;
        if (!socket.write(piece, last ? done : undefined)) return void socket.once('drain', pump);
      }
      if (o.chunked) socket.write('0\r\n\r\n', done);
    };
    pump();
  });
}
