// Entry of the webhook delivery thread (delivery-thread.ts starts it). Like bin/payrail.js, it
// loads the TypeScript sources through tsx: a worker thread does not inherit the main thread's
// loader registration.
import { tsImport } from 'tsx/esm/api';

await tsImport('./delivery-thread-main.ts', import.meta.url);
