// Entry of the webhook delivery process (delivery-process.ts forks it). Like bin/payrail.js, it
// loads the TypeScript sources through tsx, so a fresh clone needs no build step.
import { tsImport } from 'tsx/esm/api';

await tsImport('./delivery-process-main.ts', import.meta.url);
