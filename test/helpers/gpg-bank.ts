// A bank played with GnuPG, for the live-mode tests: it has its own key pair in a temporary gpg
// home, reads the pain.001 files payrail uploads into its folder (decrypting them and checking
// payrail's signature with `gpg`, an implementation payrail shares no code with), and answers with
// pain.002 files it signs with its own key and encrypts to payrail's. The folder is the one an SFTP
// server serves (test/helpers/sshd.ts), laid out as a bank's: outbox/ (payrail → bank), inbox/
// (bank → payrail).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pain002AckTransaction } from '../../src/bank-files/pain002/writer.ts';
import { writePain002 } from '../../src/bank-files/pain002/writer.ts';
import type { SandboxInstruction } from '../../src/sandbox-bank/read-pain001.ts';
import { readPain001 } from '../../src/sandbox-bank/read-pain001.ts';

export const GPG = '/usr/bin/gpg';

export interface ReceivedFile {
  name: string;
  /** The decrypted pain.001. */
  xml: string;
  instruction: SandboxInstruction;
  /** gpg's status lines for the decryption (GOODSIG, VALIDSIG … with payrail's fingerprint). */
  status: string;
}

export interface GpgBank {
  /** The bank's public key, ASCII-armoured: what `payrail banks add --pgp-bank-key` reads. */
  publicKeyFile: string;
  /** Imports payrail's public key (`payrail banks pgp-key`) so the bank can encrypt to it and check its signatures. */
  trust(payrailPublicKeyArmored: string): void;
  /** The pain.001 files waiting in outbox/, decrypted and verified (throws if gpg refuses one); each is taken once. */
  takeFiles(): ReceivedFile[];
  /** Signs, encrypts to payrail and drops a pain.002 into inbox/ (written under a temporary name, then renamed). */
  answer(name: string, xml: string): void;
  /** A report for one received file: a group status, then per-payment statuses by end-to-end id. */
  report(file: ReceivedFile, stage: { messageId: string; groupStatus?: string; transactions?: Pain002AckTransaction[] }): string;
  close(): void;
}

function gpg(home: string, args: string[], input?: string | Buffer): Buffer {
  return execFileSync(GPG, ['--homedir', home, '--batch', '--yes', '--no-tty', '--pinentry-mode', 'loopback', '--passphrase', '', ...args], {
    input,
    stdio: ['pipe', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** A bank over `root` (the SFTP server's folder for this connection). */
export function createGpgBank(root: string): GpgBank {
  const home = mkdtempSync(join(tmpdir(), 'payrail-gpg-bank-'));
  const email = 'h2h@bank.test';
  gpg(home, ['--quick-generate-key', `Test Bank <${email}>`, 'ed25519', 'sign', 'never']);
  const fingerprint = /fpr:+([0-9A-F]{40}):/.exec(gpg(home, ['--with-colons', '--list-keys', email]).toString())![1]!;
  gpg(home, ['--quick-add-key', fingerprint, 'cv25519', 'encr', 'never']);
  const publicKeyFile = join(home, 'bank-public.asc');
  writeFileSync(publicKeyFile, gpg(home, ['--armor', '--export', email]));
  let payrail: string | undefined;
  for (const dir of ['outbox', 'inbox']) mkdirSync(join(root, dir), { recursive: true });
  const taken = new Set<string>();

  return {
    publicKeyFile,
    trust(armored) {
      const out = gpg(home, ['--import', '--import-options', 'import-show', '--with-colons'], armored).toString();
      payrail = /fpr:+([0-9A-F]{40}):/.exec(out)?.[1];
      if (!payrail) throw new Error('gpg did not import payrail public key');
      // Ultimate trust, so that gpg encrypts to it without asking.
      gpg(home, ['--import-ownertrust'], `${payrail}:6:\n`);
    },
    takeFiles() {
      const outbox = join(root, 'outbox');
      const files: ReceivedFile[] = [];
      for (const name of readdirSync(outbox).sort()) {
        if (taken.has(name) || !name.endsWith('.pgp')) continue;
        taken.add(name);
        const statusFile = join(home, 'status.txt');
        const xml = gpg(home, ['--status-file', statusFile, '--decrypt'], readFileSync(join(outbox, name))).toString('utf8');
        const status = readFileSync(statusFile, 'utf8');
        if (!payrail || (!status.includes(`VALIDSIG ${payrail}`) && !new RegExp(`VALIDSIG [0-9A-F]{40} .* ${payrail}$`, 'm').test(status))) {
          throw new Error(`the bank could not verify payrail's signature on ${name}:\n${status}`);
        }
        files.push({ name, xml, instruction: readPain001(xml), status });
      }
      return files;
    },
    answer(name, xml) {
      if (!payrail) throw new Error('trust(payrail key) first');
      const sealed = gpg(home, ['--armor', '--local-user', fingerprint, '--recipient', payrail, '--sign', '--encrypt'], xml);
      const inbox = join(root, 'inbox');
      writeFileSync(join(inbox, `.${name}.part`), sealed);
      renameSync(join(inbox, `.${name}.part`), join(inbox, name));
    },
    report(file, stage) {
      return writePain002({
        messageId: stage.messageId,
        createdAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        originalMessageId: file.instruction.messageId,
        originalMessageName: file.instruction.messageName,
        ...(stage.groupStatus !== undefined && { groupStatus: stage.groupStatus }),
        paymentInfoId: file.instruction.batchId,
        transactions: stage.transactions ?? [],
      });
    },
    close() {
      if (existsSync(home)) rmSync(home, { recursive: true, force: true });
    },
  };
}
