// Entry of the webhook delivery process (delivery-process.ts forks it; plain JavaScript with its
// own name, so it never collides with the compiled delivery-process.ts in dist/). First it puts every thread
// of this process (V8's collector helpers included) in SCHED_IDLE, where any ordinary thread that
// wants a core takes it from them at once; where that is not possible (no util-linux chrt, not
// Linux), each thread at nice 19. That comes before the sources are loaded, so even loading them
// takes only spare CPU. Then, like bin/payrail.js, it loads the compiled module when this file
// runs from dist/ (scripts/build.mjs copies it there) and the TypeScript through tsx otherwise.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

function lowerPriority() {
  try {
    execFileSync('chrt', ['--idle', '--all-tasks', '--pid', '0', String(process.pid)], { stdio: 'ignore', timeout: 5000 });
    return 'SCHED_IDLE';
  } catch {
    try {
      // On Linux a nice value is per thread: every thread's, not only this one's.
      const threads = process.platform === 'linux' ? readdirSync('/proc/self/task').map(Number) : [0];
      for (const tid of threads) setPriority(tid, 19);
      return 'nice 19';
    } catch {
      return 'normal';
    }
  }
}

// A parent that dies, even by SIGKILL, closes this process's IPC channel (and on Linux sends
// SIGUSR2, whose default ends this process: delivery-process.ts starts it through setpriv). Until
// the sources are loaded nothing runs that needs stopping: end at once. delivery-process-main.ts
// replaces both with its own stop when it runs.
const orphaned = () => process.exit(0);
process.once('disconnect', orphaned);
globalThis.payrailDeliveryOrphaned = orphaned;

globalThis.payrailDeliveryScheduling = lowerPriority();
const compiled = new URL('./delivery-process-main.js', import.meta.url);
if (existsSync(compiled)) await import(compiled.href);
else await (await import('tsx/esm/api')).tsImport('./delivery-process-main.ts', import.meta.url);
