// A bank played with GnuPG (test/helpers/gpg.ts), for the live-mode tests: it has its own key pair in a temporary gpg
// home, reads the pain.001 files payrail uploads into its folder (decrypting them and checking
// payrail's signature with `gpg`, an implementation payrail shares no code with), and answers with
// pain.002 files it signs with its own key and encrypts to payrail's. The folder is the one an SFTP
// server serves (test/helpers/sshd.ts), laid out as a bank's: outbox/ (payrail → bank), inbox/
// (bank → payrail).
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pain002AckTransaction } from '../../src/bank-files/pain002/writer.ts';
import { writePain002 } from '../../src/bank-files/pain002/writer.ts';
import type { SandboxInstruction } from '../../src/sandbox-bank/read-pain001.ts';
import { readPain001 } from '../../src/sandbox-bank/read-pain001.ts';
import { startGpg } from './gpg.ts';

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

/** A bank over `root` (the SFTP server's folder for this connection). */
export function createGpgBank(root: string): GpgBank {
  const gpg = startGpg();
  const fingerprint = gpg.newKey('Test Bank');
  const publicKeyFile = join(gpg.home, 'bank-public.asc');
  writeFileSync(publicKeyFile, gpg.exportPublic(fingerprint, true));
  let payrail: string | undefined;
  for (const dir of ['outbox', 'inbox']) mkdirSync(join(root, dir), { recursive: true });
  const taken = new Set<string>();

  return {
    publicKeyFile,
    trust(armored) {
      payrail = gpg
        .ok(['--import'], armored)
        .statusLines.find((l) => l.startsWith('IMPORT_OK '))
        ?.split(' ')[2];
      if (!payrail) throw new Error('gpg did not import payrail public key');
    },
    takeFiles() {
      const outbox = join(root, 'outbox');
      const files: ReceivedFile[] = [];
      for (const name of readdirSync(outbox).sort()) {
        if (taken.has(name) || !name.endsWith('.pgp')) continue;
        taken.add(name);
        const decrypted = gpg.ok(['--decrypt'], readFileSync(join(outbox, name)));
        const xml = decrypted.stdout.toString('utf8');
        const status = decrypted.statusLines.join('\n');
        // VALIDSIG <signing key> … <primary key>: the signature is payrail's whichever of its keys made it.
        const valid = decrypted.statusLines.some(
          (l) => l.startsWith('VALIDSIG ') && payrail !== undefined && (l.split(' ')[1] === payrail || l.endsWith(` ${payrail}`)),
        );
        if (!valid) throw new Error(`the bank could not verify payrail's signature on ${name}:\n${status}`);
        files.push({ name, xml, instruction: readPain001(xml), status });
      }
      return files;
    },
    answer(name, xml) {
      if (!payrail) throw new Error('trust(payrail key) first');
      const sealed = gpg.ok(['--armor', '--local-user', fingerprint, '--recipient', payrail, '--sign', '--encrypt'], xml).stdout;
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
    close: () => gpg.close(),
  };
}
