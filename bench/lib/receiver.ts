// A client's webhook receiver on 127.0.0.1: node:http answering 204 to every POST, counting the
// events it got by type (from the JSON body) and when the last one arrived.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Receiver {
  url: string;
  /** Events received, by type. */
  counts: Map<string, number>;
  total(): number;
  /** performance.now() of the last delivery. */
  lastAt(): number;
  /** Resolves once `n` events have arrived in total. */
  until(n: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const counts = new Map<string, number>();
  let total = 0;
  let lastAt = 0;
  let waiting: { n: number; resolve: () => void } | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const type = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type?: string }).type ?? '(none)';
      counts.set(type, (counts.get(type) ?? 0) + 1);
      total++;
      lastAt = performance.now();
      res.writeHead(204).end();
      if (waiting && total >= waiting.n) waiting.resolve();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    counts,
    total: () => total,
    lastAt: () => lastAt,
    until: (n) => (total >= n ? Promise.resolve() : new Promise((resolve) => (waiting = { n, resolve }))),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
