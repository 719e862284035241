// autocannon, typed for what the benchmarks use, and the ABBA ordering of compared runs.
import { createRequire } from 'node:module';

/** The parts of autocannon's result the benchmarks read (latencies in ms). */
export interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

export interface CannonOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  /** Seconds. */
  duration: number;
  /** Stop after this many requests instead (duration is then only an upper bound). */
  amount?: number;
}

type Cannon = (opts: Record<string, unknown>) => Promise<CannonResult>;
// autocannon ships no types; this is the one call used.
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

/**
 * Loads `url` for `duration` seconds. The load generator runs in a worker thread (one), so the
 * server on the main thread and the generator share the machine's two cores as two processes would.
 */
export async function cannon(o: CannonOptions): Promise<CannonResult> {
  const result = await autocannon({ ...o, workers: 1 });
  if (result.non2xx > 0 || result.errors > 0)
    console.error(`warning: ${o.method ?? 'GET'} ${o.url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return result;
}

/**
 * Runs every case once to warm up (`warmUp` true, not counted), then `rounds` rounds in ABBA
 * order (A B, B A, A B…), so a machine that warms up or slows down during the run affects every
 * case alike.
 */
export async function alternate<K extends string, R>(cases: Record<K, (warmUp: boolean) => Promise<R>>, rounds: number): Promise<Record<K, R[]>> {
  const keys = Object.keys(cases) as K[];
  for (const k of keys) await cases[k](true);
  const runs = Object.fromEntries(keys.map((k) => [k, [] as R[]])) as Record<K, R[]>;
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? keys : [...keys].reverse();
    for (const k of order) runs[k].push(await cases[k](false));
  }
  return runs;
}
