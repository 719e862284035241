import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fingerprintOf, HostKeySettingError, parseHostKey } from '../../src/bank/transports/sftp-host-key.ts';

// A real ed25519 public key and the fingerprint `ssh-keygen -lf` prints for it.
const LINE = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl bank-sftp';
const BLOB = Buffer.from(LINE.split(' ')[1]!, 'base64');
const FINGERPRINT = 'SHA256:+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU';

describe('pinned SFTP host key', () => {
  it('an OpenSSH public key line matches exactly that key, and offers only its algorithm', () => {
    const pinned = parseHostKey(LINE);
    assert.ok(pinned.matches(BLOB));
    assert.equal(pinned.matches(Buffer.concat([BLOB, Buffer.from([0])])), false);
    assert.deepEqual(pinned.algorithms, ['ssh-ed25519']);
    assert.equal(pinned.fingerprint, FINGERPRINT);
  });

  it('a known_hosts line works too (host names ignored)', () => {
    assert.ok(parseHostKey(`[sftp.bank.example]:2222,10.0.0.5 ${LINE}`).matches(BLOB));
  });

  it('a SHA256 fingerprint matches the key it names, padded or not', () => {
    const fingerprint = fingerprintOf(BLOB);
    assert.equal(fingerprint, FINGERPRINT);
    assert.ok(parseHostKey(fingerprint).matches(BLOB));
    assert.ok(parseHostKey(`${fingerprint}=`).matches(BLOB));
    assert.equal(parseHostKey(fingerprint).algorithms, undefined);
  });

  it('RSA keys may be verified with any RSA signature algorithm', () => {
    const rsa = Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from('ssh-rsa'), Buffer.from([0, 0, 0, 1, 3])]);
    assert.deepEqual(parseHostKey(`ssh-rsa ${rsa.toString('base64')}`).algorithms, ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
  });

  for (const bad of ['', 'trust me', 'SHA256:short', 'ssh-ed25519', `ssh-rsa ${LINE.split(' ')[1]}`]) {
    it(`refuses ${JSON.stringify(bad)}`, () => assert.throws(() => parseHostKey(bad), HostKeySettingError));
  }
});
