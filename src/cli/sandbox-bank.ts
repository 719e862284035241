// `payrail sandbox-bank`: the sandbox bank alone, as a real bank would run — reading pain.001
// files from the bank's folders (the SFTP server of PAYRAIL_BANK_SFTP_URL, else the local
// <data dir>/bank) and answering with pain.002 acknowledgements. Run payrail itself with
// PAYRAIL_SANDBOX_BANK=off so that only this one answers. `--style` (else PAYRAIL_SANDBOX_STYLE)
// chooses the bank whose manner it plays.
import { createBusinessCalendar } from '../calendars/business-calendar.ts';
import { systemClock } from '../clock.ts';
import { parseConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { openSandboxBankFolders } from '../sandbox-bank/folders.ts';
import { createSandboxFileBank } from '../sandbox-bank/file-bank.ts';
import { SANDBOX_STYLES, isSandboxStyle } from '../sandbox-bank/style-names.ts';
import { createLoop } from '../workers/loop.ts';
import { CliError } from './output.ts';

export async function runSandboxBank(opts: { style?: string } = {}): Promise<void> {
  // Checked before anything opens: a typo fails at once, in one line.
  if (opts.style !== undefined && !isSandboxStyle(opts.style))
    throw new CliError(`--style: '${opts.style}' is not a sandbox bank style (one of ${SANDBOX_STYLES.join(', ')})`);
  const config = parseConfig({ ...process.env, ...(opts.style !== undefined && { PAYRAIL_SANDBOX_STYLE: opts.style }) });
  const logger = createLogger(config.logLevel);
  const folders = await openSandboxBankFolders(config);
  const files = createSandboxFileBank({
    folders,
    clock: systemClock,
    ackDelayMs: config.sandboxAckDelayMs,
    calendar: createBusinessCalendar(),
    logger,
    style: config.sandboxStyle,
  });
  const loop = createLoop('sandbox-bank', files.tick, { idleMs: 250, logger });
  loop.start();
  logger.info(
    {
      bank: config.bankSftp ? `sftp://${config.bankSftp.host}:${config.bankSftp.port}${config.bankSftp.root}` : 'local folders',
      ackDelayMs: config.sandboxAckDelayMs,
      style: config.sandboxStyle,
    },
    'sandbox bank running',
  );
  const stop = async () => {
    await loop.stop();
    await folders.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}
