// CLI output: results are JSON on stdout; failures one line on stderr and exit code 1.
import { ConfigError } from '../config.ts';
import { AppError } from '../errors.ts';

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export class CliError extends Error {}

/** One clear line for an expected failure; anything else is a bug and says so without a stack. */
export function describeFailure(err: unknown): string {
  if (err instanceof ConfigError || err instanceof CliError) return err.message;
  if (err instanceof AppError) {
    const fields = err.errors?.map((e) => `${e.path}: ${e.message}`).join('; ');
    return fields ? `${err.detail ?? err.title} (${fields})` : (err.detail ?? err.title);
  }
  return `unexpected error: ${err instanceof Error ? err.message : String(err)}`;
}

export function fail(err: unknown): never {
  process.stderr.write(`payrail: ${describeFailure(err)}\n`);
  process.exit(1);
}
