// Small statistics for benchmarks: medians of rounds, percentiles of samples, sequential timing.

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The p-quantile (0..1) of values sorted ascending, nearest rank. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Sequential timings in nanoseconds: mean, p50, p99 and the sorted samples. */
export interface Timings {
  mean: number;
  p50: number;
  p99: number;
  samples: Float64Array;
}

/** Times `n` sequential calls of `fn` (each awaited before the next starts). */
export async function timeEach(n: number, fn: (i: number) => unknown): Promise<Timings> {
  const samples = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    await fn(i);
    samples[i] = Number(process.hrtime.bigint() - start);
  }
  const mean = samples.reduce((a, b) => a + b, 0) / n;
  samples.sort();
  return { mean, p50: percentile(samples, 0.5), p99: percentile(samples, 0.99), samples };
}

/**
 * A full garbage collection, when the process runs with --expose-gc (run.ts starts scenarios so):
 * a run then pays for its own garbage, not for what the run before it left.
 */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Wall-clock milliseconds of one call of `fn`, after a full garbage collection. */
export async function timeOnce(fn: () => unknown): Promise<number> {
  collectGarbage();
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Formats a rate with thousands separators: 12345.6 → "12,346". */
export function perSecond(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Milliseconds with one decimal (two below 1 ms). */
export function ms(value: number): string {
  return value < 1 ? `${value.toFixed(2)} ms` : `${value.toFixed(1)} ms`;
}
