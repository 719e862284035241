// The bank's SFTP host key, pinned in the settings: payrail talks to that server and no other,
// so a man in the middle (or a DNS mistake) gets no file and no login.
import { createHash } from 'node:crypto';

/** The server presented a key other than the pinned one. Never retried. */
export class SftpHostKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SftpHostKeyError';
  }
}

/** A host key setting that is neither an OpenSSH public key line nor a SHA256 fingerprint. */
export class HostKeySettingError extends Error {}

/** The pinned key, ready to check what a server presents. */
export interface PinnedHostKey {
  /** `SHA256:…`, as `ssh-keygen -l` prints it. */
  readonly fingerprint: string;
  /** Host key algorithms to offer, so a server with several keys presents the pinned one. */
  readonly algorithms?: string[];
  matches(key: Buffer): boolean;
}

/** The OpenSSH SHA256 fingerprint of a host key blob (unpadded base64). */
export function fingerprintOf(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

const KEY_TYPE = /^(ssh-ed25519|ssh-rsa|ssh-dss|ecdsa-sha2-nistp(256|384|521)|sk-[\w@.-]+)$/;
// An RSA key can sign with any of these; the rest sign with their own name.
const RSA_ALGORITHMS = ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

/** The wire-format blob of a public key line, checked to carry the key type it claims. */
function blobOf(type: string, base64: string): Buffer {
  const blob = Buffer.from(base64, 'base64');
  const nameLength = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  if (blob.subarray(4, 4 + nameLength).toString('latin1') !== type) {
    throw new HostKeySettingError(`the host key's data does not hold a ${type} key`);
  }
  return blob;
}

/**
 * Parses the pinned host key: `SHA256:<base64>` (what `ssh-keygen -lf key.pub` prints), or an
 * OpenSSH public key line `ssh-ed25519 AAAA… [comment]` — a known_hosts line works too, the
 * host names in front are ignored.
 */
export function parseHostKey(value: string): PinnedHostKey {
  const text = value.trim();
  const fingerprint = /^SHA256:([A-Za-z0-9+/]{43})=?$/.exec(text);
  if (fingerprint) {
    const pinned = `SHA256:${fingerprint[1]}`;
    return { fingerprint: pinned, matches: (key) => fingerprintOf(key) === pinned };
  }
  const tokens = text.split(/\s+/);
  const at = tokens.findIndex((t) => KEY_TYPE.test(t));
  const type = tokens[at];
  const data = tokens[at + 1];
  if (at === -1 || !type || !data) {
    throw new HostKeySettingError("the host key must be an OpenSSH public key line ('ssh-ed25519 AAAA…') or a 'SHA256:…' fingerprint");
  }
  const blob = blobOf(type, data);
  const algorithms = type === 'ssh-rsa' ? RSA_ALGORITHMS : type.startsWith('sk-') ? undefined : [type];
  return { fingerprint: fingerprintOf(blob), ...(algorithms && { algorithms }), matches: (key) => key.equals(blob) };
}
