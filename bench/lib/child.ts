// Runs one scenario in this process and hands its result to run.ts over IPC (or prints it when
// started by hand: node --import tsx bench/lib/child.ts create-payment [--quick]).
import { SCENARIOS } from '../scenarios/index.ts';
import type { ScenarioResult } from './scenario.ts';
import { toMarkdown } from './scenario.ts';

const [name, ...flags] = process.argv.slice(2);
const load = name ? SCENARIOS[name] : undefined;
if (!load) {
  console.error(`unknown scenario '${name ?? ''}' (one of: ${Object.keys(SCENARIOS).join(', ')})`);
  process.exit(2);
}
const scenario = (await load()).default;
// run.ts passes the figures of the scenarios before this one.
const earlier = JSON.parse(process.env.BENCH_EARLIER ?? '{}') as Record<string, Record<string, number>>;
const log = (line: string) => console.error(`  [${scenario.name}] ${line}`);
const result: ScenarioResult = await scenario.run({ quick: flags.includes('--quick'), earlier, log });
// Exit once reported: pools, timers and sockets of the scenario must not keep the process alive.
if (process.send) {
  process.send(result, () => process.exit(0));
} else {
  console.log(`${toMarkdown(result.rows)}\n\n${result.notes.map((n) => `- ${n}`).join('\n')}`);
  process.exit(0);
}
