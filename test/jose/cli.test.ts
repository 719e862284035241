// The CLI of message-level security: client keys, encryption required, gateway key rotation,
// and the start-up error of a wrong PAYRAIL_MASTER_KEY.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import { runCli } from '../helpers/cli.ts';
import { clientKeys } from './kit.ts';

function freshEnv() {
  const dataDir = mkdtempSync(join(tmpdir(), 'payrail-jose-cli-'));
  return { PAYRAIL_DATA_DIR: dataDir, DATABASE_URL: '', PAYRAIL_MASTER_KEY: '' };
}

function json(args: string[], env: Record<string, string>) {
  const r = runCli(args, env);
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('payrail CLI: keys and encryption', () => {
  const env = freshEnv();
  const dir = env.PAYRAIL_DATA_DIR;

  it('clients keys set registers a public JWKS file; clients keys show prints it', async () => {
    const { client_id: clientId } = json(['clients', 'create', '--name', 'Acme'], env);
    const { jwks } = await clientKeys({ sig: 'ES256', enc: 'RSA-OAEP-256' });
    const file = join(dir, 'jwks.json');
    writeFileSync(file, JSON.stringify(jwks));
    const out = json(['clients', 'keys', 'set', clientId, '--jwks', file], env);
    assert.deepEqual(out, { client_id: clientId, keys: jwks.keys.map(({ kid, use, alg, kty }) => ({ kid, use, alg, kty })) });
    const shown = json(['clients', 'keys', 'show', clientId], env);
    assert.deepEqual(
      shown.jwks.keys.map((k: { kid: string }) => k.kid),
      jwks.keys.map((k) => k.kid),
    );
  });

  it('rotate-secret and disable revoke the registered keys (not with --keep-keys); keys changes lists who did what', async () => {
    const { client_id: clientId } = json(['clients', 'create', '--name', 'Leaky', '--scopes', 'payments:read,keys:write'], env);
    const { jwks } = await clientKeys();
    const file = join(dir, 'leaky.json');
    writeFileSync(file, JSON.stringify(jwks));
    json(['clients', 'keys', 'set', clientId, '--jwks', file], env);
    const kept = json(['clients', 'rotate-secret', clientId, '--keep-keys'], env);
    assert.deepEqual([kept.keys_revoked, kept.revoked_kids], [0, []]);
    const rotated = json(['clients', 'rotate-secret', clientId], env);
    assert.deepEqual([rotated.keys_revoked, rotated.revoked_kids], [2, jwks.keys.map((k) => k.kid)]);
    assert.match(rotated.tokens_revoked_before, /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(json(['clients', 'keys', 'show', clientId], env).jwks.keys, []);
    const changes = json(['clients', 'keys', 'changes', clientId], env);
    assert.deepEqual(
      changes.map((c: { by: string; reason: string }) => [c.by, c.reason]),
      [
        ['operator', 'rotate-secret'],
        ['operator', 'keys-set'],
      ],
    );
    // A CLI change names the OS user who ran it; token and address are for API changes.
    assert.deepEqual([changes[0].osUser, changes[0].tokenJti, changes[0].sourceAddress], [userInfo().username, null, null]);

    json(['clients', 'keys', 'set', clientId, '--jwks', file], env);
    const disabled = json(['clients', 'disable', clientId, '--keep-keys'], env);
    assert.deepEqual([disabled.disabled, disabled.keys_revoked], [true, 0]);
    assert.equal(json(['clients', 'keys', 'show', clientId], env).jwks.keys.length, 2);
  });

  it('clients keys set refuses a private key, a missing file, and an unknown client with one clear line', async () => {
    const { client_id: clientId } = json(['clients', 'create', '--name', 'Careless'], env);
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const file = join(dir, 'private.json');
    writeFileSync(file, JSON.stringify({ keys: [{ ...(await exportJWK(privateKey)), kid: 'oops', use: 'sig', alg: 'ES256' }] }));
    const r = runCli(['clients', 'keys', 'set', clientId, '--jwks', file], env);
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /^payrail: .*private\.json is not a usable JWKS: keys\[0\]\.d: private key material must never be sent.*\(PRIVATE_KEY_MATERIAL\)\n$/,
    );
    const missing = runCli(['clients', 'keys', 'set', clientId, '--jwks', join(dir, 'nope.json')], env);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /cannot read .*nope\.json: ENOENT/);
    const unknown = runCli(['clients', 'keys', 'set', 'cli_01AAAAAAAAAAAAAAAAAAAAAAAA', '--jwks', join(dir, 'jwks.json')], env);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /no client with id/);
  });

  it('clients update --require-encryption / --no-require-encryption', () => {
    const { client_id: clientId } = json(['clients', 'create', '--name', 'Strict'], env);
    assert.deepEqual(json(['clients', 'update', clientId, '--require-encryption'], env), { client_id: clientId, require_encryption: true });
    const listed = json(['clients', 'list'], env).find((c: { client_id: string }) => c.client_id === clientId);
    assert.equal(listed.require_encryption, true);
    assert.deepEqual(json(['clients', 'update', clientId, '--no-require-encryption'], env), { client_id: clientId, require_encryption: false });
    const nothing = runCli(['clients', 'update', clientId], env);
    assert.equal(nothing.status, 1);
    assert.match(nothing.stderr, /nothing to update/);
  });

  it('keys rotate adds a signing and two encryption keys; keys list shows old and new', () => {
    const first = json(['keys', 'rotate'], env);
    assert.match(first.signing_kid, /^key_/);
    assert.equal(first.encryption_kids.length, 2);
    const second = json(['keys', 'rotate'], env);
    const list = json(['keys', 'list'], env) as { kid: string; use: string; alg: string; retired_at: string | null; encrypted_at_rest: boolean }[];
    const active = list
      .filter((k) => k.retired_at === null)
      .map((k) => k.kid)
      .sort();
    assert.deepEqual(active, [second.signing_kid, ...second.encryption_kids].sort());
    assert.ok(list.some((k) => k.kid === first.signing_kid && k.retired_at !== null));
    assert.ok(list.every((k) => !k.encrypted_at_rest));
    assert.ok(!JSON.stringify(list).includes('"d"'));
  });

  it('a wrong PAYRAIL_MASTER_KEY stops the CLI and `payrail serve` with one line naming it', () => {
    const sealedEnv = { ...freshEnv(), PAYRAIL_MASTER_KEY: randomBytes(32).toString('base64') };
    const rotated = json(['keys', 'rotate'], sealedEnv);
    assert.ok((json(['keys', 'list'], sealedEnv) as { encrypted_at_rest: boolean }[]).every((k) => k.encrypted_at_rest));
    const wrong = { ...sealedEnv, PAYRAIL_MASTER_KEY: randomBytes(32).toString('base64') };
    for (const args of [
      ['keys', 'list'],
      ['keys', 'rotate'],
      ['serve', '--port', '0'],
    ]) {
      const r = runCli(args, wrong);
      assert.equal(r.status, 1, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(
        r.stderr,
        /^payrail: PAYRAIL_MASTER_KEY: cannot decrypt the stored private key of key_\w+: this is not the master key it was encrypted with\n$/,
      );
    }
    // The failed rotation changed nothing.
    const active = (json(['keys', 'list'], sealedEnv) as { kid: string; retired_at: string | null }[]).filter((k) => k.retired_at === null).map((k) => k.kid);
    assert.deepEqual(active.sort(), [rotated.signing_kid, ...rotated.encryption_kids].sort());
    const malformed = runCli(['keys', 'list'], { ...sealedEnv, PAYRAIL_MASTER_KEY: 'short' });
    assert.equal(malformed.status, 1);
    assert.match(malformed.stderr, /^payrail: PAYRAIL_MASTER_KEY: decodes to 3 bytes, not 32 \(generate one with: openssl rand -base64 32\)\n$/);
  });

  it('--help lists the new commands', () => {
    assert.match(runCli(['--help'], env).stdout, /\bkeys\b/);
    const clientsHelp = runCli(['clients', '--help'], env).stdout;
    assert.match(clientsHelp, /\bkeys\b/);
    assert.match(clientsHelp, /\bupdate\b/);
  });
});
