// What the figures were measured on, for the heading of every report, and peak memory.
import { readFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';

export function describeMachine(): string {
  const cores = cpus();
  const model = cores[0]?.model.trim() ?? 'unknown CPU';
  return `${cores.length} cores (${model}), ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, ${process.platform}`;
}

/**
 * Peak resident set size in MB: of this process (getrusage), or of another one (VmHWM from
 * /proc; undefined where there is no /proc).
 */
export async function peakRssMb(pid?: number): Promise<number | undefined> {
  if (pid === undefined) return process.resourceUsage().maxRSS / 1024;
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}
