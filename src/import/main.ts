// The entry of `payrail import` alone (bin/payrail.js takes it for that command): an API client
// needs none of the server's modules, and loading them all (src/cli/main.ts) is most of the CLI's
// start-up time: on the 100-batch benchmark that was a large share of the whole import. The
// program is the same command as in src/cli/main.ts, with the same one-line usage errors.
import { Command, Help } from 'commander';
import type { Option } from 'commander';
import { registerImportCommand, EXIT } from './cli.ts';

const program = new Command('payrail');
registerImportCommand(program);
const command = program.commands[0]!;
for (const c of [program, command]) {
  c.configureHelp({
    optionDescription(this: Help, option: Option) {
      const description = Help.prototype.optionDescription.call(this, option);
      return option.mandatory ? `${description} (required)` : description;
    },
  }).configureOutput({
    outputError: (str, write) =>
      write(
        `payrail: ${str
          .replace(/^error: /, '')
          .replace(/\s*\n\s*/g, ' ')
          .trim()} (see 'payrail import --help')\n`,
      ),
  });
}
program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`payrail: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(EXIT.apiFailed);
});
