// Every scenario of `npm run bench`, in the order they run. Each is loaded only when run, in a
// process of its own (bench/lib/child.ts).
import type { Scenario } from '../lib/scenario.ts';

export const SCENARIOS: Record<string, () => Promise<{ default: Scenario }>> = {
  token: () => import('./token.ts'),
  'create-payment': () => import('./create-payment.ts'),
  batch: () => import('./batch.ts'),
  import: () => import('./import.ts'),
  pain001: () => import('./pain001.ts'),
  pain002: () => import('./pain002.ts'),
  'end-to-end': () => import('./end-to-end.ts'),
  'end-to-end-postgres': () => import('./end-to-end-postgres.ts'),
  singles: () => import('./singles.ts'),
};

/** Benchmarks with reports of their own (own options, own tables in docs/PERFORMANCE.md), run by name only. */
export const STANDALONE: Record<string, string> = {
  'rate-limit': 'rate-limit.ts',
  webhooks: 'webhooks.ts',
  'idle-cpu': 'idle-cpu.ts',
  'scale-out': 'scale-out.ts',
};
