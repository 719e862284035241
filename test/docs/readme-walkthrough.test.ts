// The README's walk-through is a test: its shell blocks marked `<!-- walkthrough -->` run in
// order, in one bash session in the payrail folder (so `npx payrail` is this checkout), against a
// fresh `payrail serve`, as a reader would paste them on the day they read them. Every `#>` line
// of a block is what the line above it prints; the test checks that each appears in the block's
// output, in order (`…` stands for anything). A block that stops (an unset variable, a command
// that fails, a `json` helper given an error answer) fails the test with the output so far.
//
// The README's URLs say 127.0.0.1:8080; the server here listens on a free port and the blocks
// are run with that port written in (the encrypted-batch example reads it from PAYRAIL_URL).
// The sandbox bank answers each stage after 200 ms instead of 2 s; the blocks wait by polling.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startServe, stopServers } from '../helpers/cli.ts';
import { freePort } from '../helpers/ports.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const MARKER = '<!-- walkthrough -->';

/** One marked shell block of the README: where it starts, its text, and the output lines it claims. */
interface WalkthroughBlock {
  line: number;
  script: string;
  expected: { line: number; text: string }[];
}

/** The ```sh blocks that follow a `<!-- walkthrough -->` line (blank lines between allowed), in order. */
function walkthroughBlocks(markdown: string): WalkthroughBlock[] {
  const lines = markdown.split('\n');
  const blocks: WalkthroughBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== MARKER) continue;
    let start = i + 1;
    while (start < lines.length && lines[start]!.trim() === '') start++;
    if (lines[start]?.trim() !== '```sh') throw new Error(`README.md:${i + 1}: ${MARKER} is not followed by a \`\`\`sh block`);
    const end = lines.findIndex((l, j) => j > start && l.trim() === '```');
    if (end < 0) throw new Error(`README.md:${start + 1}: the block never ends`);
    const body = lines.slice(start + 1, end);
    const expected = body.flatMap((l, j) => (/^#>( |$)/.test(l) ? [{ line: start + 2 + j, text: l.slice(3) }] : []));
    blocks.push({ line: start + 1, script: body.join('\n'), expected });
    i = end;
  }
  return blocks;
}

/** A `#>` line as a pattern for one whole output line: `…` stands for anything. */
function linePattern(text: string): RegExp {
  const parts = text
    .trimEnd()
    .split('…')
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`);
}

/** The expected lines the output does not show in order (each on a line of its own, others between). */
function missingLines(expected: WalkthroughBlock['expected'], output: string): WalkthroughBlock['expected'] {
  const lines = output.split('\n').map((l) => l.trimEnd());
  let at = 0;
  const missing: WalkthroughBlock['expected'] = [];
  for (const e of expected) {
    const pattern = linePattern(e.text);
    const found = lines.findIndex((l, j) => j >= at && pattern.test(l));
    if (found < 0) missing.push(e);
    else at = found + 1;
  }
  return missing;
}

const BLOCK_START = '@@walkthrough-block ';
const END = '@@walkthrough-end';

/** The session's script: strict bash, each block announced, a pause between blocks as a reader makes. */
function sessionScript(blocks: WalkthroughBlock[], port: number): string {
  const parts = ['set -euo pipefail'];
  for (const [i, block] of blocks.entries()) {
    if (i > 0) parts.push('sleep 1   # a reader takes at least this long between two blocks');
    parts.push(`echo "${BLOCK_START}${i} $(date +%s%3N)"`, block.script.replaceAll('127.0.0.1:8080', `127.0.0.1:${port}`));
  }
  parts.push(`echo "${END} $(date +%s%3N)"`, '');
  return parts.join('\n');
}

interface Session {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the script in bash with cwd = the payrail folder; its whole process group is killed after `timeoutMs`. */
function runSession(file: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Session> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['--noprofile', '--norc', file], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      stderr += `\n(the walk-through did not end within ${timeoutMs / 1000} s: killed)`;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** The environment of a reader's shell: no payrail settings or database of the developer's. */
function readerEnv(dataDir: string, tmp: string, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(PAYRAIL_|DATABASE_URL$|REDIS_URL$|LOG_LEVEL$|PORT$|HOST$|NODE_TEST_CONTEXT$)/.test(k)) env[k] = v;
  return { ...env, PAYRAIL_DATA_DIR: dataDir, PAYRAIL_URL: `http://127.0.0.1:${port}`, TMPDIR: tmp };
}

describe('README walk-through', () => {
  const blocks = walkthroughBlocks(README);
  let dir: string;
  let port: number;
  let serverLog = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'payrail-readme-'));
    mkdirSync(join(dir, 'data'));
    mkdirSync(join(dir, 'tmp'));
    port = await freePort();
    const server = await startServe({ PAYRAIL_DATA_DIR: join(dir, 'data'), PAYRAIL_SANDBOX_ACK_DELAY_MS: '200' }, port);
    const keep = (d: Buffer) => (serverLog = (serverLog + d.toString()).slice(-20_000));
    server.stdout!.on('data', keep);
    server.stderr!.on('data', keep);
  });
  after(async () => {
    await stopServers();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has what a reader needs: bash and curl', () => {
    for (const program of ['bash', 'curl']) assert.equal(spawnSync(program, ['--version']).status, 0, `the walk-through needs ${program} on PATH`);
  });

  it('marks the walk-through blocks, each claiming what it prints', () => {
    assert.ok(blocks.length >= 7, `only ${blocks.length} blocks are marked ${MARKER}`);
    for (const block of blocks) assert.ok(block.expected.length > 0, `README.md:${block.line}: a walk-through block shows no output (#> lines)`);
  });

  it('runs block after block in one shell, each printing what the README says', { timeout: 300_000 }, async (t) => {
    const file = join(dir, 'walkthrough.sh');
    writeFileSync(file, sessionScript(blocks, port));
    const session = await runSession(file, readerEnv(join(dir, 'data'), join(dir, 'tmp'), port), 270_000);

    // The output of each block, by the markers the script echoes before it (`@@… INDEX MILLISECONDS`).
    const outputs = new Map<number, string>();
    const started: number[] = [];
    const pieces = session.stdout.split(BLOCK_START).slice(1);
    for (const piece of pieces) {
      const newline = piece.indexOf('\n');
      const [index, at] = piece.slice(0, newline).split(' ').map(Number);
      outputs.set(index!, piece.slice(newline + 1).split(END)[0]!);
      started.push(at!);
    }
    const ended = Number(/@@walkthrough-end (\d+)/.exec(session.stdout)?.[1] ?? NaN);
    t.diagnostic(
      `seconds per block: ${started.map((at, i) => `README.md:${blocks[i]!.line} ${(((started[i + 1] ?? ended) - at) / 1000).toFixed(1).replace('NaN', 'stopped')}`).join(', ')}`,
    );
    const reached = pieces.length - 1;
    const context = () =>
      `\n--- output of README.md:${blocks[reached]?.line} ---\n${outputs.get(reached)}\n--- stderr ---\n${session.stderr.slice(-4000)}\n--- server ---\n${serverLog.slice(-3000)}`;
    assert.ok(
      session.stdout.includes(END) && session.status === 0,
      `the walk-through stopped (exit ${session.status}) in the block at README.md:${blocks[reached]?.line}${context()}`,
    );

    for (const [i, block] of blocks.entries()) {
      const missing = missingLines(block.expected, outputs.get(i) ?? '');
      assert.deepEqual(
        missing.map((m) => `README.md:${m.line}: ${m.text}`),
        [],
        `the block at README.md:${block.line} did not print what the README says\n--- its output ---\n${outputs.get(i)}`,
      );
    }
  });
});
