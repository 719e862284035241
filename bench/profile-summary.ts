// Summarises a V8 CPU profile (node --cpu-prof): the functions with the most self time, self
// time by where the code lives (payrail's src/ files, each package in node_modules, node itself),
// and with --within, the share of samples under given functions (inclusive time: which worker or
// route the time went to; async functions show up under their own name once they resume).
//
//   node --import tsx bench/profile-summary.ts PROFILE.cpuprofile [--top 25] [--within processFile,dispatch,deliverTo]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' }, within: { type: 'string' } } });
if (positionals.length !== 1) {
  console.error('usage: node --import tsx bench/profile-summary.ts PROFILE.cpuprofile [--top 25] [--within fnA,fnB]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));

/** Microseconds of self time per node id (each sample is charged to the node on top of the stack). */
const selfTime = new Map<number, number>();
profile.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
// Waiting (the event loop with nothing to do) is not work: reported apart, left out of the shares.
let idle = 0;
for (const [id, us] of selfTime) {
  if (byId.get(id)!.callFrame.functionName === '(idle)') {
    idle += us;
    selfTime.delete(id);
  }
}
const total = [...selfTime.values()].reduce((a, b) => a + b, 0);

function place(url: string): string {
  if (url === '') return '(native / V8)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  const src = /\/((?:src|bench|test)\/.*)$/.exec(url)?.[1];
  if (src) return src;
  if (url.startsWith('node:')) return 'node core';
  return url;
}

const byFunction = new Map<string, number>();
const byPlace = new Map<string, number>();
for (const [id, us] of selfTime) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  // Line numbers are those of the code tsx generated, not of the .ts source: a hint only.
  const key = `${functionName || '(anonymous)'}  ${place(url)}${url ? `:${lineNumber + 1}` : ''}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  byPlace.set(place(url), (byPlace.get(place(url)) ?? 0) + us);
}

const top = Number(values.top);
const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
const rows = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
console.log(`${positionals[0]}: ${(total / 1e6).toFixed(2)} s busy, ${(idle / 1e6).toFixed(2)} s idle\n\nself time by function:`);
for (const [k, us] of rows(byFunction)) console.log(`${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
console.log('\nself time by file or package:');
for (const [k, us] of rows(byPlace)) console.log(`${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);

if (values.within) {
  const names = values.within.split(',');
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  /** The first of `names` found walking from the sampled frame towards the root, if any. */
  const under = (id: number): string | undefined => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = byId.get(at)!.callFrame.functionName;
      if (names.includes(name)) return name;
    }
    return undefined;
  };
  const within = new Map<string, number>();
  for (const [id, us] of selfTime) {
    const name = under(id) ?? '(elsewhere)';
    within.set(name, (within.get(name) ?? 0) + us);
  }
  console.log('\ntime under each function (innermost named first):');
  for (const [k, us] of [...within].sort((a, b) => b[1] - a[1])) console.log(`${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
}
