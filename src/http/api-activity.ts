// How many API requests are being answered right now, kept where another thread can read it.
// Webhook delivery runs in a thread of its own and, before each request it sends, waits (a few
// milliseconds at most) while the API is answering: on a small machine the API's requests get the
// CPU first and delivery takes the gaps between them.

export interface ApiActivity {
  /** The counter's memory, for the delivery thread. */
  readonly shared: SharedArrayBuffer;
  begin(): void;
  end(): void;
}

export function createApiActivity(): ApiActivity {
  const shared = new SharedArrayBuffer(4);
  const count = new Int32Array(shared);
  return {
    shared,
    begin: () => void Atomics.add(count, 0, 1),
    end: () => {
      Atomics.sub(count, 0, 1);
      Atomics.notify(count, 0);
    },
  };
}

// Node 20 has Atomics.waitAsync (ES2024); TypeScript's ES2022 library does not declare it. Its
// own timeout does not keep Node's event loop alive, so the bound is a timer of ours.
const waitAsync = (Atomics as unknown as { waitAsync(view: Int32Array, index: number, value: number): { async: boolean; value: Promise<string> | string } }).waitAsync;

/** Resolves once no API request is in flight, or after `maxWaitMs` whatever happens. */
export async function whenApiIdle(shared: SharedArrayBuffer, maxWaitMs: number): Promise<void> {
  const count = new Int32Array(shared);
  const deadline = performance.now() + maxWaitMs;
  for (let n = Atomics.load(count, 0); n > 0; n = Atomics.load(count, 0)) {
    const left = deadline - performance.now();
    if (left <= 0) return;
    const wait = waitAsync(count, 0, n);
    if (!wait.async) continue;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([wait.value, new Promise((resolve) => (timer = setTimeout(resolve, left)))]);
    clearTimeout(timer);
  }
}
