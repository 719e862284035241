// `payrail import FILE` (SPEC §12): the command's options. What it does is src/import/command.ts,
// loaded when it runs: the other commands need neither the SDK nor exceljs.
import type { Command } from 'commander';
import { Option } from 'commander';
import { RAIL_TYPES } from '../rails/rails.ts';
import type { ImportFlags } from './command.ts';

/** Exit codes of `payrail import` (docs/IMPORT.md). */
export const EXIT = { ok: 0, fileErrors: 1, usage: 2, apiFailed: 3 } as const;

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('create batches from a CSV or XLSX payroll file, through the API (PAYRAIL_URL, PAYRAIL_CLIENT_ID, PAYRAIL_CLIENT_SECRET)')
    .argument('<file>', 'a .csv (UTF-8) or .xlsx file: header row, one payment a row (docs/IMPORT.md)')
    .addOption(new Option('--type <type>', 'payment type of every batch').choices(RAIL_TYPES).makeOptionMandatory())
    .requiredOption('--account <id>', 'sender account (intacct_…)')
    .option('--date <date>', "payment date YYYY-MM-DD (default: today in the rail's time zone)")
    .option('--purpose <code>', 'ISO 20022 category purpose of every payment, e.g. SALA')
    .option('--currency <code>', "currency of the amounts (default: the rail's or the account's only currency)")
    .option('--dry-run', 'validate every row with the API and print the batches it would create; create nothing', false)
    .option('--concurrency <n>', 'batches validated or created at once', '4')
    // Usage errors exit 2 (errors in the file exit 1): commander's own exit code is 1.
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT.usage))
    .action(async (file: string, flags: ImportFlags) => process.exit(await (await import('./command.ts')).importCommand(file, flags)));
}
