// Idle cost benchmark (not a test): the CPU an idle `payrail serve` (all roles, no requests, no
// work) spends in a minute, its own process and the webhook delivery child together, and the
// transactions it makes the database commit meanwhile (PostgreSQL: pg_stat_database.xact_commit).
//
//   npm run bench idle-cpu -- [--seconds 60] [--warmup 10]
//
// DATABASE_URL picks the database; by default a fresh PostgreSQL database on BENCH_DATABASE_URL or
// TEST_DATABASE_URL (created and dropped), else a fresh SQLite file. Results go to stdout as
// markdown, ready for docs/PERFORMANCE.md.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { POSTGRES_URL, createScratchDatabase } from './lib/postgres.ts';

const { values: args } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, warmup: { type: 'string', default: '10' } } });
const seconds = Number(args.seconds);
const warmup = Number(args.warmup);
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** The pid and every descendant of it (the webhook delivery child). */
function tree(root: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const all = [root];
  for (let i = 0; i < all.length; i++) for (const [pid, ppid] of parents) if (ppid === all[i]) all.push(pid);
  return all;
}

/** CPU seconds (user + system) used so far by each process of the tree. */
function cpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // gone meanwhile
    }
  }
  return ticks / TICKS_PER_SECOND;
}

async function commits(url: string): Promise<number | undefined> {
  if (!url.startsWith('postgres')) return undefined;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query('select xact_commit from pg_stat_database where datname = current_database()');
    return Number(r.rows[0].xact_commit);
  } finally {
    await client.end();
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function main(): Promise<void> {
  const scratch = process.env.DATABASE_URL ? undefined : POSTGRES_URL ? await createScratchDatabase(POSTGRES_URL) : undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'payrail-idle-'));
  const url = process.env.DATABASE_URL ?? scratch?.url ?? `sqlite:${join(dataDir, 'payrail.db')}`;
  const bin = fileURLToPath(new URL('../bin/payrail.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'serve'], {
    env: { ...process.env, DATABASE_URL: url, PAYRAIL_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    // Started (which takes a while on a busy machine), then settled: the warm-up counts from there.
    await new Promise<void>((ready, failed) => {
      let seen = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes('payrail is listening')) ready();
      });
      child.once('exit', (code) => failed(new Error(`payrail serve exited (${code}) before it was listening`)));
    });
    child.stdout!.resume();
    await sleep(warmup * 1000);
    const pids = tree(child.pid!);
    const cpu0 = cpuSeconds(pids);
    const main0 = cpuSeconds([child.pid!]);
    const tx0 = await commits(url);
    await sleep(seconds * 1000);
    const cpu1 = cpuSeconds(pids);
    const main1 = cpuSeconds([child.pid!]);
    const tx1 = await commits(url);
    const share = ((cpu1 - cpu0) / seconds) * 100;
    const kind = url.startsWith('postgres') ? 'PostgreSQL' : 'SQLite';
    console.log(`| database | processes | CPU over ${seconds} s | share of one core | of which the server process | database commits/s |`);
    console.log('|---|---|---|---|---|---|');
    const perSecond = tx0 === undefined || tx1 === undefined ? '—' : ((tx1 - tx0) / seconds).toFixed(1);
    const mainShare = ((main1 - main0) / seconds) * 100;
    console.log(`| ${kind} | ${pids.length} | ${(cpu1 - cpu0).toFixed(2)} s | ${share.toFixed(2)} % | ${mainShare.toFixed(2)} % | ${perSecond} |`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((done) => child.once('exit', done));
    await scratch?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
