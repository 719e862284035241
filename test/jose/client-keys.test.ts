// A client's public keys: validation (public only, kid/use/alg, sizes, curves) and
// PUT/GET /v1/clients/me/jwks.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';
import { validateClientJwks } from '../../src/jose/client-keys.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import type { Scope } from '../../src/auth/scopes.ts';
import { clientKeys, keyPair } from './kit.ts';

/** PUT /v1/clients/me/jwks needs keys:write, which a client has only when created with it. */
const KEYS_WRITE = { scopes: ['payments:read', 'keys:write'] as Scope[] };

async function publicJwk(alg: string, extra: Partial<JWK> = {}, options: { crv?: string; modulusLength?: number } = {}): Promise<JWK> {
  const { publicKey } = await generateKeyPair(alg, { extractable: true, ...options });
  return { ...(await exportJWK(publicKey)), alg, ...extra };
}

function codes(input: unknown): [string, string][] {
  const result = validateClientJwks(input);
  assert.equal(result.ok, false, 'expected the JWKS to be refused');
  return result.ok ? [] : result.errors.map((e) => [e.path, e.code]);
}

describe('client JWKS validation', () => {
  it('accepts every supported algorithm and keeps only the members payrail uses', async () => {
    const keys = [
      await publicJwk('ES256', { kid: 'a', use: 'sig', key_ops: ['verify'], x5t: 'ignored' } as JWK),
      await publicJwk('RS256', { kid: 'b', use: 'sig' }),
      await publicJwk('PS256', { kid: 'c', use: 'sig' }),
      await publicJwk('RSA-OAEP-256', { kid: 'd', use: 'enc' }),
      await publicJwk('ECDH-ES', { kid: 'e', use: 'enc' }),
      await publicJwk('ECDH-ES+A256KW', { kid: 'f', use: 'enc' }, { crv: 'P-384' }),
    ];
    const result = validateClientJwks({ keys });
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    assert.deepEqual(Object.keys(result.jwks.keys[0]!).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
    assert.deepEqual(Object.keys(result.jwks.keys[1]!).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
  });

  it('an empty set is valid (it removes the keys)', () => {
    assert.deepEqual(validateClientJwks({ keys: [] }), { ok: true, jwks: { keys: [] } });
  });

  it('refuses private keys, naming every private member', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid: 'x', use: 'sig', alg: 'RS256' };
    assert.deepEqual(
      codes({ keys: [jwk] }),
      ['d', 'p', 'q', 'dp', 'dq', 'qi'].map((m) => [`keys[0].${m}`, 'PRIVATE_KEY_MATERIAL']),
    );
    assert.deepEqual(codes({ keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'h', use: 'sig', alg: 'HS256' }] }), [['keys[0].k', 'PRIVATE_KEY_MATERIAL']]);
  });

  it('RSA keys under 2048 bits are KEY_TOO_SMALL', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'small', use: 'sig', alg: 'RS256' };
    assert.deepEqual(codes({ keys: [jwk] }), [['keys[0].n', 'KEY_TOO_SMALL']]);
  });

  it('refuses key members that are not base64url (a line break or a C1 control inside), which Node would decode leniently', async () => {
    const es = await publicJwk('ES256');
    const rsa = await publicJwk('RS256');
    const split = (v: string, c: string) => `${v.slice(0, 10)}${c}${v.slice(10)}`;
    assert.deepEqual(codes({ keys: [{ ...es, kid: 'a', use: 'sig', alg: 'ES256', x: split(es.x as string, '\n') }] }), [['keys[0].x', 'INVALID_KEY']]);
    assert.deepEqual(codes({ keys: [{ ...es, kid: 'a', use: 'sig', alg: 'ES256', y: split(es.y as string, '\u0085') }] }), [['keys[0].y', 'INVALID_KEY']]);
    assert.deepEqual(codes({ keys: [{ ...rsa, kid: 'a', use: 'sig', alg: 'RS256', n: `${rsa.n as string}=` }] }), [['keys[0].n', 'INVALID_KEY']]);
  });

  it('lists every problem of every key', async () => {
    const es = await publicJwk('ES256');
    const p384 = await publicJwk('ECDH-ES', {}, { crv: 'P-384' });
    const rsa = await publicJwk('RS256');
    assert.deepEqual(
      codes({
        keys: [
          { ...es, kid: undefined, use: undefined, alg: undefined },
          { ...es, kid: 'k1', use: 'sig', alg: 'HS256' },
          { ...es, kid: 'k2', use: 'enc', alg: 'RSA1_5' },
          { ...es, kid: 'k3', use: 'enc', alg: 'RSA-OAEP-256' },
          { ...p384, kid: 'k4', use: 'sig', alg: 'ES256' },
          { ...rsa, kid: 'k5', use: 'sig', alg: 'ES256' },
          { ...es, kid: 'k6', use: 'sig', alg: 'ES256', x: es.y },
          { ...es, kid: 'k1', use: 'sign', alg: 'ES256' },
          { ...es, kid: 'k7', use: 'sig', alg: 'ES256', y: undefined },
        ],
      }),
      [
        ['keys[0].kid', 'REQUIRED'],
        ['keys[0].use', 'REQUIRED'],
        ['keys[0].alg', 'REQUIRED'],
        ['keys[1].alg', 'UNSUPPORTED_ALGORITHM'],
        ['keys[2].alg', 'UNSUPPORTED_ALGORITHM'],
        ['keys[3].kty', 'ALGORITHM_KEY_MISMATCH'],
        ['keys[4].crv', 'ALGORITHM_KEY_MISMATCH'],
        ['keys[5].kty', 'ALGORITHM_KEY_MISMATCH'],
        ['keys[6]', 'INVALID_KEY'],
        ['keys[7].use', 'INVALID_VALUE'],
        ['keys[7].kid', 'DUPLICATE_KID'],
        ['keys[8].y', 'REQUIRED'],
      ],
    );
    assert.deepEqual(codes({ keys: ['not a key', { kty: 'OKP', crv: 'Ed25519', x: 'AA', kid: 'k8', use: 'sig', alg: 'EdDSA' }] }), [
      ['keys[0]', 'INVALID_TYPE'],
      ['keys[1].kty', 'UNSUPPORTED_KEY_TYPE'],
    ]);
  });

  it('a JWKS needs a keys array of at most 10 keys', async () => {
    assert.deepEqual(codes({}), [['keys', 'REQUIRED']]);
    assert.deepEqual(codes([]), [['keys', 'REQUIRED']]);
    const key = await publicJwk('ES256', { use: 'sig' });
    assert.deepEqual(codes({ keys: Array.from({ length: 11 }, (_, i) => ({ ...key, kid: `k${i}` })) }), [['keys', 'INVALID_COUNT']]);
  });
});

for (const kind of databaseKinds()) {
  describe(`PUT/GET /v1/clients/me/jwks (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;

    before(async () => {
      db = await kind.create();
      app = await startTestApp(db);
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    it('stores the public keys and reads them back', async () => {
      const { headers, clientId } = await app.authed(KEYS_WRITE);
      const { jwks } = await clientKeys({ sig: 'ES256', enc: 'RSA-OAEP-256' });
      const put = await app.inject({ method: 'PUT', url: '/v1/clients/me/jwks', headers, payload: jwks });
      assert.equal(put.statusCode, 200, put.body);
      assert.deepEqual(
        put.json().keys.map((k: JWK) => k.kid),
        jwks.keys.map((k) => k.kid),
      );
      const get = await app.inject({ method: 'GET', url: '/v1/clients/me/jwks', headers });
      assert.deepEqual(get.json(), put.json());
      assert.deepEqual(await app.payrail.services.clients.keysOf(clientId), put.json());
    });

    it('a client without keys reads an empty set', async () => {
      const { headers } = await app.authed(KEYS_WRITE);
      assert.deepEqual((await app.inject({ method: 'GET', url: '/v1/clients/me/jwks', headers })).json(), { keys: [] });
    });

    it('a private key is a 400 problem listing it; nothing is stored', async () => {
      const { headers, clientId } = await app.authed(KEYS_WRITE);
      const { generateKeyPair: gen } = await import('jose');
      const { privateKey } = await gen('ES256', { extractable: true });
      const res = await app.inject({
        method: 'PUT',
        url: '/v1/clients/me/jwks',
        headers,
        payload: { keys: [{ ...(await exportJWK(privateKey)), kid: 'k', use: 'sig', alg: 'ES256' }] },
      });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().code, 'VALIDATION_FAILED');
      assert.deepEqual(
        res.json().errors.map((e: { path: string; code: string }) => [e.path, e.code]),
        [['keys[0].d', 'PRIVATE_KEY_MATERIAL']],
      );
      assert.equal(await app.payrail.services.clients.keysOf(clientId), null);
    });

    it('PUT needs the keys:write scope; GET (reading its own public keys) any token of the client', async () => {
      const { headers } = await app.authed({ scopes: ['payments:read'] });
      const { jwks } = await clientKeys();
      assert.equal((await app.inject({ method: 'PUT', url: '/v1/clients/me/jwks', headers, payload: jwks })).statusCode, 403);
      const read = await app.inject({ method: 'GET', url: '/v1/clients/me/jwks', headers });
      assert.equal(read.statusCode, 200);
      assert.deepEqual(read.json(), { keys: [] });
    });

    it('unknown top-level fields are refused by the schema', async () => {
      const { headers } = await app.authed(KEYS_WRITE);
      const key = (await keyPair('sig', 'ES256')).publicJwk;
      const res = await app.inject({ method: 'PUT', url: '/v1/clients/me/jwks', headers, payload: { keys: [key], extra: true } });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().errors[0].code, 'UNKNOWN_FIELD');
    });
  });
}
