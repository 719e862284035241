// The benchmark suite (issue 8): every scenario, or the ones named, each in a process of its own
// with its own server and data folder; prints one markdown report (for docs/PERFORMANCE.md).
//
//   npm run bench                         every scenario (under 10 minutes on 2 cores)
//   npm run bench -- create-payment batch  the ones named
//   npm run bench -- --quick               small sizes, short runs: checks the suite works
//   npm run bench -- --profile DIR         CPU profiles (node --cpu-prof) of every process that
//                                          runs payrail, for bench/profile-summary.ts
//   npm run bench -- rate-limit | webhooks the standalone benchmarks, with their own options after --
//
// PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL (a database is created and dropped).
import { fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeMachine } from './lib/machine.ts';
import type { Row, ScenarioResult } from './lib/scenario.ts';
import { toMarkdown } from './lib/scenario.ts';
import { SCENARIOS, STANDALONE } from './scenarios/index.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

function exitCode(child: ReturnType<typeof fork>): Promise<number> {
  return new Promise((done) => child.once('exit', (code) => done(code ?? 1)));
}

/** A standalone benchmark (rate-limit.ts, webhooks.ts) with its own arguments and report. */
async function runStandalone(file: string, args: string[]): Promise<number> {
  return exitCode(fork(here(`./${file}`), args, { execArgv: ['--expose-gc', '--import', 'tsx'], stdio: 'inherit' }));
}

async function runScenario(name: string, o: { quick: boolean; profileDir?: string; earlier: Record<string, Record<string, number>> }): Promise<ScenarioResult> {
  // --expose-gc: timed runs start after a full collection (stats.ts timeOnce).
  const execArgv = ['--expose-gc', '--import', 'tsx', ...(o.profileDir ? ['--cpu-prof', '--cpu-prof-dir', o.profileDir] : [])];
  const env = { ...process.env, BENCH_EARLIER: JSON.stringify(o.earlier), ...(o.profileDir && { BENCH_PROFILE_DIR: o.profileDir }) };
  const child = fork(here('./lib/child.ts'), [name, ...(o.quick ? ['--quick'] : [])], { execArgv, env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let result: ScenarioResult | undefined;
  child.on('message', (m) => (result = m as ScenarioResult));
  const code = await exitCode(child);
  if (!result) throw new Error(`scenario ${name} failed (exit code ${code})`);
  return result;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const standalone = argv[0] && STANDALONE[argv[0]];
  if (standalone) return runStandalone(standalone, argv.slice(1));

  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { quick: { type: 'boolean', default: false }, profile: { type: 'string' } },
  });
  const unknown = positionals.filter((n) => !SCENARIOS[n]);
  if (unknown.length > 0) {
    console.error(
      `unknown scenario(s): ${unknown.join(', ')}\nscenarios: ${Object.keys(SCENARIOS).join(', ')}; standalone: ${Object.keys(STANDALONE).join(', ')}`,
    );
    return 2;
  }
  const names = positionals.length > 0 ? positionals : Object.keys(SCENARIOS);
  const profileDir = values.profile ? resolve(values.profile) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });

  const started = new Date();
  const load = loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
  const rows: Row[] = [];
  const notes: string[] = [];
  const earlier: Record<string, Record<string, number>> = {};
  let failed = 0;
  for (const name of names) {
    console.error(`== ${name}`);
    const t0 = performance.now();
    try {
      const result = await runScenario(name, { quick: values.quick, profileDir, earlier });
      rows.push(...result.rows);
      notes.push(...result.notes);
      if (result.figures) earlier[name] = result.figures;
    } catch (err) {
      failed++;
      rows.push({ scenario: name, payrail: `failed: ${(err as Error).message}`, reference: '—', ratio: '—', target: '—' });
    }
    console.error(`   ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  const minutes = (Date.now() - started.getTime()) / 60_000;
  console.log(
    `Command: \`npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}\`, ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${minutes.toFixed(1)} min`,
  );
  console.log(
    `Machine: ${describeMachine()}; load average ${load} at the start, ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} at the end${values.quick ? '\n\n**--quick: small sizes and short runs, not a measurement.**' : ''}\n`,
  );
  console.log(toMarkdown(rows));
  console.log(`\n${notes.map((n) => `- ${n}`).join('\n')}`);
  if (profileDir) console.log(`\nCPU profiles in ${profileDir} (node --import tsx bench/profile-summary.ts FILE)`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main();
