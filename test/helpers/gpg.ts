// GnuPG for the OpenPGP interoperability tests: an implementation payrail shares no code with.
// Each helper works in a temporary home directory of its own (`--homedir`), batch mode, no
// passphrases, no network. Without /usr/bin/gpg the tests skip with a printed notice, except in
// CI (CI=true), where a missing gpg fails the run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GPG = '/usr/bin/gpg';

/** False when gpg is here; else the reason the gpg tests are skipped (never in CI). */
export function gpgSkip(): string | false {
  if (existsSync(GPG)) return false;
  if (process.env.CI) throw new Error(`${GPG} is missing: the OpenPGP interoperability tests need GnuPG in CI (.ci/run installs gnupg)`);
  console.log(`# notice: ${GPG} is missing: the OpenPGP interoperability tests are skipped (CI runs them)`);
  return `${GPG} is missing`;
}

export interface GpgResult {
  status: number;
  stdout: Buffer;
  stderr: string;
  /** The `[GNUPG:] …` lines of --status-fd 2, without the prefix. */
  statusLines: string[];
}

export interface Gpg {
  home: string;
  run(args: string[], input?: string | Uint8Array): GpgResult;
  /** Like run, but throws with gpg's stderr unless it succeeded. */
  ok(args: string[], input?: string | Uint8Array): GpgResult;
  /** A new key `name <email>`: Ed25519 primary, plus a Curve25519 encryption subkey unless `signOnly`; its fingerprint. */
  newKey(name: string, options?: { signOnly?: boolean; fakedTime?: string; expire?: string }): string;
  exportPublic(fingerprint: string, armor: boolean): Buffer;
  exportSecret(fingerprint: string): string;
  import(key: string | Uint8Array): void;
  /** The revocation certificate gpg made when it generated the key (armoured, importable). */
  revocation(fingerprint: string): string;
  close(): void;
}

export function startGpg(): Gpg {
  const home = mkdtempSync(join(tmpdir(), 'payrail-gpg-'));
  const base = ['--homedir', home, '--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--no-tty', '--quiet', '--trust-model', 'always'];
  const run = (args: string[], input?: string | Uint8Array): GpgResult => {
    const r = spawnSync(GPG, [...base, '--status-fd', '2', ...args], { input: input ?? '', maxBuffer: 64 * 1024 * 1024 });
    const stderr = r.stderr.toString('utf8');
    const statusLines = stderr
      .split('\n')
      .filter((l) => l.startsWith('[GNUPG:] '))
      .map((l) => l.slice('[GNUPG:] '.length));
    return { status: r.status ?? -1, stdout: r.stdout, stderr, statusLines };
  };
  const ok = (args: string[], input?: string | Uint8Array) => {
    const r = run(args, input);
    if (r.status !== 0) throw new Error(`gpg ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
    return r;
  };
  return {
    home,
    run,
    ok,
    newKey(name, { signOnly = false, fakedTime, expire = 'never' } = {}) {
      // Frozen ('!'): with a running faked clock the subkey, added by a second gpg started at the same
      // faked time, came out older than a primary whose creation took over a second (a full run saw it).
      const time = fakedTime ? ['--faked-system-time', `${fakedTime}!`] : [];
      const uid = `${name} <${name.toLowerCase().replace(/\W+/g, '-')}@example.test>`;
      const made = ok([...time, '--quick-generate-key', uid, 'ed25519', 'sign', expire]);
      const fingerprint = made.statusLines.find((l) => l.startsWith('KEY_CREATED '))!.split(' ')[2]!;
      if (!signOnly) ok([...time, '--quick-add-key', fingerprint, 'cv25519', 'encr', expire]);
      return fingerprint;
    },
    exportPublic: (fingerprint, armor) => ok([...(armor ? ['--armor'] : []), '--export', fingerprint]).stdout,
    exportSecret: (fingerprint) => ok(['--armor', '--export-secret-keys', fingerprint]).stdout.toString('utf8'),
    import(key) {
      ok(['--import'], key);
    },
    revocation: (fingerprint) => readFileSync(join(home, 'openpgp-revocs.d', `${fingerprint}.rev`), 'utf8').replace(/^:-----BEGIN/m, '-----BEGIN'),
    close() {
      spawnSync('/usr/bin/gpgconf', ['--homedir', home, '--kill', 'gpg-agent']);
      rmSync(home, { recursive: true, force: true });
    },
  };
}
