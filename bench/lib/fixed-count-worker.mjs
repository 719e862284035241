// The worker thread of fixed-count.ts (plain JavaScript: a worker's entry is not run through tsx).
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';

const epochNow = () => performance.timeOrigin + performance.now();

async function load(o) {
  const url = new URL(o.url);
  const pool = new Pool(url.origin, { connections: o.connections, pipelining: 1 });
  let sent = 0;
  let non2xx = 0;
  let errors = 0;
  const firstSentAt = epochNow();
  const connection = async () => {
    while (sent < o.count) {
      sent++;
      try {
        const res = await pool.request({ path: url.pathname + url.search, method: o.method, headers: o.headers, body: o.body });
        await res.body.dump();
        if (res.statusCode < 200 || res.statusCode >= 300) non2xx++;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: o.connections }, connection));
  const lastAnsweredAt = epochNow();
  await pool.close();
  const seconds = (lastAnsweredAt - firstSentAt) / 1000;
  return { firstSentAt, lastAnsweredAt, seconds, rate: o.count / seconds, non2xx, errors };
}

parentPort.postMessage(await load(workerData));
