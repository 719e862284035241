// A local webhook receiver for tests: node:http on 127.0.0.1 (port 0). Each request is recorded
// with its raw body; `answer` decides what to do with the n-th request (0-based): a status code,
// or 'hang' to never answer (the sender's timeout has to cut it off).
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  headers: IncomingHttpHeaders;
  /** The body exactly as received (what a receiver must verify). */
  raw: string;
  path: string;
}

export type Answer = number | 'hang' | { status: number; headers: Record<string, string> };

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** Decides the answer to the n-th request (0-based); default 200. */
  answer: (n: number, request: Received) => Answer;
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(answer: Receiver['answer'] = () => 200): Promise<Receiver> {
  const hanging: ServerResponse[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const receiver: Receiver = {
    url: '',
    port: 0,
    received: [],
    answer,
    async waitFor(count, timeoutMs = 10_000) {
      if (receiver.received.length >= count) return;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`receiver got ${receiver.received.length} of ${count} requests`)), timeoutMs);
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: Received = { headers: req.headers, raw: Buffer.concat(chunks).toString('utf8'), path: req.url ?? '/' };
      const n = receiver.received.length;
      receiver.received.push(request);
      for (const w of waiters.filter((w) => receiver.received.length >= w.count)) w.resolve();
      const a = receiver.answer(n, request);
      if (a === 'hang') {
        hanging.push(res);
        return;
      }
      const { status, headers } = typeof a === 'number' ? { status: a, headers: {} } : a;
      res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}`;
  return receiver;
}

/** Verifies a received request with the standardwebhooks package (not our code); returns the payload. */
export function verifyWith(
  secret: string,
  request: Received,
): { id: string; type: string; createdAt: string; sequence: number; data: Record<string, unknown> } {
  const headers = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(request.headers[h])]));
  return new Webhook(secret).verify(request.raw, headers) as ReturnType<typeof verifyWith>;
}
