// What the composition root may set on webhooks besides the config: tests shorten the timeout,
// fix the jitter and simulate DNS answers (rebinding) through these.
import type { Resolver } from './resolver.ts';

export interface WebhookOptions {
  /** Host name resolution, at registration and at send time (default: the system resolver). */
  resolve?: Resolver;
  /** The whole-exchange timeout of one attempt (default 10 s, SPEC §6). */
  timeoutMs?: number;
  /** The retry jitter's random source (default Math.random). */
  random?: () => number;
}
