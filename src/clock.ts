// The clock is passed in, never read inside the domain core, so tests can set the time.

/** Milliseconds since the epoch. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

/** ISO-8601 UTC text of fixed width, the storage form of every timestamp. */
export function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}
