// The gateway's keys: what the JWKS publishes, rotation (old tokens stay valid until they expire,
// new tokens carry the new kid, old encryption keys decrypt for a grace period), and private keys
// sealed at rest under PAYRAIL_MASTER_KEY.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import type { JWK } from 'jose';
import { createPayrail } from '../../src/app.ts';
import { ConfigError, parseConfig } from '../../src/config.ts';
import { validateClientJwks } from '../../src/jose/client-keys.ts';
import { openPrivateJwk, sealPrivateJwk } from '../../src/jose/private-key-sealing.ts';
import { createKeyStore } from '../../src/auth/signing-keys.ts';
import { openDatabase } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { PUBLIC_URL, startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { JOSE, clientKeys, gatewayJwks, openResponse, sealRequest, tokenRequest } from './kit.ts';

const ACCOUNT = { name: 'Operating SGD', bank: 'DBSSSGSGXXX', accountNumber: '0123456789', currencies: ['SGD'] };
const TTL = 900;
const DAY = 86_400_000;
const masterKey = () => randomBytes(32).toString('base64');

/** A client with a secret (tokens at the app's clock) and registered keys. */
async function keyedClient(app: TestApp) {
  const { clientId, secret } = await app.createClient();
  const keys = await clientKeys();
  const valid = validateClientJwks(keys.jwks);
  assert.ok(valid.ok);
  await app.payrail.services.clients.setKeys(clientId, valid.jwks, 'operator');
  const token = async () => {
    const res = await tokenRequest(app, { grant_type: 'client_credentials', client_id: clientId, client_secret: secret });
    assert.equal(res.statusCode, 200, res.body);
    return (res.json() as { access_token: string }).access_token;
  };
  return { clientId, secret, ...keys, token };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const sigKids = (jwks: { keys: JWK[] }) => jwks.keys.filter((k) => k.use === 'sig').map((k) => k.kid);
const encKids = (jwks: { keys: JWK[] }) => jwks.keys.filter((k) => k.use === 'enc').map((k) => k.kid);

for (const kind of databaseKinds()) {
  describe(`gateway keys (${kind.name})`, { skip: kind.skip }, () => {
    describe('publication and rotation', () => {
      let db: TestDatabase;
      let app: TestApp;
      let now = Date.now();

      before(async () => {
        db = await kind.create();
        app = await startTestApp(db, { clock: () => now });
      });
      after(async () => {
        await app?.close();
        await db?.drop();
      });

      it('a new installation publishes one ES256 signing key and two encryption keys (P-256, RSA), public parts only', async () => {
        const { keys } = await gatewayJwks(app);
        assert.deepEqual(keys.map((k) => [k.use, k.kty, k.alg]).sort(), [
          ['enc', 'EC', undefined],
          ['enc', 'RSA', 'RSA-OAEP-256'],
          ['sig', 'EC', 'ES256'],
        ]);
        for (const k of keys) for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.ok(!(member in k), `${k.kid} has ${member}`);
        assert.equal(keys.find((k) => k.kty === 'EC' && k.use === 'enc')?.crv, 'P-256');
      });

      it('rotation: new tokens carry the new kid; old tokens and old encryption keys keep working until they age out', async () => {
        const client = await keyedClient(app);
        const before = await gatewayJwks(app);
        const oldToken = await client.token();
        const oldKid = decodeProtectedHeader(oldToken).kid;
        assert.deepEqual(sigKids(before), [oldKid]);

        const { signingKid, encryptionKids } = await app.payrail.services.keys.rotate();
        const newToken = await client.token();
        assert.equal(decodeProtectedHeader(newToken).kid, signingKid);
        assert.notEqual(signingKid, oldKid);

        const after = await gatewayJwks(app);
        assert.deepEqual(sigKids(after).sort(), [oldKid, signingKid].sort(), 'the old signing key stays published');
        assert.deepEqual(encKids(after).sort(), [...encryptionKids].sort(), 'only the new encryption keys are offered');
        assert.equal((await app.inject({ method: 'GET', url: '/v1/accounts', headers: bearer(oldToken) })).statusCode, 200, 'the old token still works');

        // A client that still has the old JWKS encrypts to an old key: it decrypts (grace period),
        // and the answer is signed by the new key.
        const stale = await app.inject({
          method: 'POST',
          url: '/v1/accounts',
          headers: { ...bearer(newToken), ...JOSE },
          payload: await sealRequest(ACCOUNT, client.sig, before),
        });
        assert.equal(stale.statusCode, 201, stale.body);
        const opened = await openResponse(stale.body, client.enc, after);
        assert.equal(opened.jwsHeader.kid, signingKid);

        // Past the token lifetime: the old token has expired and its key is no longer published.
        now += (TTL + 61) * 1000;
        assert.equal((await app.inject({ method: 'GET', url: '/v1/accounts', headers: bearer(oldToken) })).statusCode, 401);
        assert.deepEqual(sigKids(await gatewayJwks(app)), [signingKid]);

        // Past the grace period, the old encryption keys no longer decrypt.
        const fresh = await client.token();
        const withinGrace = await app.inject({
          method: 'POST',
          url: '/v1/accounts',
          headers: { ...bearer(fresh), ...JOSE },
          payload: await sealRequest(ACCOUNT, client.sig, before, 'RSA-OAEP-256'),
        });
        assert.equal(withinGrace.statusCode, 201, withinGrace.body);
        now += 7 * DAY;
        const late = await client.token();
        const expired = await app.inject({
          method: 'POST',
          url: '/v1/accounts',
          headers: { ...bearer(late), ...JOSE },
          payload: await sealRequest(ACCOUNT, client.sig, before),
        });
        assert.equal(expired.statusCode, 400);
        assert.equal((await openResponse(expired.body, client.enc, await gatewayJwks(app))).body.code, 'JWE_INVALID');
      });

      it('another instance on the same database picks up a rotation', async () => {
        const other = await startTestApp(db, { clock: () => now });
        try {
          const { signingKid, encryptionKids } = await other.payrail.services.keys.rotate();
          const client = await keyedClient(other);
          const token = await client.token();
          now += 2000;
          // This instance has never seen the new kid: it reloads and verifies the token.
          assert.equal((await app.inject({ method: 'GET', url: '/v1/accounts', headers: bearer(token) })).statusCode, 200);
          // And decrypts a body encrypted to the other instance's new key.
          const jwks = await gatewayJwks(other);
          assert.ok(encKids(jwks).every((k) => encryptionKids.includes(k!)));
          const res = await app.inject({
            method: 'POST',
            url: '/v1/accounts',
            headers: { ...bearer(token), ...JOSE },
            payload: await sealRequest(ACCOUNT, client.sig, jwks),
          });
          assert.equal(res.statusCode, 201, res.body);
          // Within a minute it signs with the new key too.
          now += 61_000;
          const issued = await tokenRequest(app, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret });
          assert.equal(decodeProtectedHeader((issued.json() as { access_token: string }).access_token).kid, signingKid);
        } finally {
          await other.close();
        }
      });
    });

    it('instances starting together on an empty database create one set of keys, not one each', async () => {
      const db = await kind.create();
      const connections = await Promise.all(Array.from({ length: 4 }, () => openDatabase(db.url)));
      try {
        await migrateToLatest(connections[0]!.db);
        const stores = connections.map((c) => createKeyStore({ db: c.db, clock: Date.now, retiredKeyTtlSeconds: TTL + 60 }));
        await Promise.all(stores.map((store) => store.init()));
        const rows = await connections[0]!.db.selectFrom('signing_keys').select(['kid', 'use', 'alg', 'retired_at']).execute();
        assert.equal(rows.length, 3, JSON.stringify(rows));
        assert.ok(rows.every((r) => r.retired_at === null));
        // Every instance signs with the same key and publishes the same set.
        assert.equal(new Set(stores.map((store) => store.signingKey().kid)).size, 1);
        assert.deepEqual(
          new Set(
            stores.map((store) =>
              JSON.stringify(
                store
                  .list()
                  .map((k) => k.kid)
                  .sort(),
              ),
            ),
          ).size,
          1,
        );
      } finally {
        for (const c of connections) await c.close();
        await db.drop();
      }
    });

    describe('private keys at rest (PAYRAIL_MASTER_KEY)', () => {
      it('with a master key, every stored private key is sealed, not JSON, and the gateway works', async () => {
        const db = await kind.create();
        const key = masterKey();
        const app = await startTestApp(db, { env: { PAYRAIL_MASTER_KEY: key } });
        try {
          const rows = await app.payrail.database.db.selectFrom('signing_keys').selectAll().execute();
          assert.equal(rows.length, 3);
          for (const row of rows) {
            assert.match(row.private_jwk, /^aes-256-gcm\$v1\$[\w-]+\$[\w-]+\$[\w-]+$/);
            assert.throws(() => JSON.parse(row.private_jwk));
            assert.ok(!row.private_jwk.includes('"d"'));
          }
          const client = await keyedClient(app);
          const res = await app.inject({
            method: 'POST',
            url: '/v1/accounts',
            headers: { ...bearer(await client.token()), ...JOSE },
            payload: await sealRequest(ACCOUNT, client.sig, await gatewayJwks(app), 'RSA-OAEP-256'),
          });
          assert.equal(res.statusCode, 201, res.body);
          assert.ok(app.payrail.services.keys.list().every((k) => k.encryptedAtRest));
        } finally {
          await app.close();
        }
        const config = (env: Record<string, string>) => parseConfig({ DATABASE_URL: db.url, PAYRAIL_PUBLIC_URL: PUBLIC_URL, LOG_LEVEL: 'silent', ...env });
        try {
          // A wrong master key, or none, stops start-up with an error naming the setting.
          await assert.rejects(createPayrail(config({ PAYRAIL_MASTER_KEY: masterKey() }), { startWorkers: false }), (err: unknown) => {
            assert.ok(err instanceof ConfigError);
            assert.equal(err.setting, 'PAYRAIL_MASTER_KEY');
            assert.match(err.message, /^PAYRAIL_MASTER_KEY: cannot decrypt the stored private key of key_\w+: this is not the master key/);
            return true;
          });
          await assert.rejects(
            createPayrail(config({}), { startWorkers: false }),
            /^ConfigError: PAYRAIL_MASTER_KEY: is not set, but the private key of key_\w+ is stored encrypted/,
          );
          // The right one still opens them.
          const again = await createPayrail(config({ PAYRAIL_MASTER_KEY: key }), { startWorkers: false });
          await again.close();
        } finally {
          await db.drop();
        }
      });

      it('keys stored before the master key was set stay readable; rotation replaces them with sealed ones', async () => {
        const db = await kind.create();
        try {
          const plain = await startTestApp(db);
          const client = await keyedClient(plain);
          const oldToken = await client.token();
          await plain.close();

          const app = await startTestApp(db, { env: { PAYRAIL_MASTER_KEY: masterKey() } });
          try {
            assert.ok(app.payrail.services.keys.list().every((k) => !k.encryptedAtRest));
            assert.equal((await app.inject({ method: 'GET', url: '/v1/accounts', headers: bearer(oldToken) })).statusCode, 200);
            await app.payrail.services.keys.rotate();
            const active = app.payrail.services.keys.list().filter((k) => k.retiredAt === null);
            assert.equal(active.length, 3);
            assert.ok(active.every((k) => k.encryptedAtRest));
            const issued = await tokenRequest(app, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret });
            const newToken = (issued.json() as { access_token: string }).access_token;
            assert.equal(decodeProtectedHeader(newToken).kid, active.find((k) => k.use === 'sig')?.kid);
            assert.equal((await app.inject({ method: 'GET', url: '/v1/accounts', headers: bearer(newToken) })).statusCode, 200);
            assert.equal((await app.inject({ method: 'GET', url: '/v1/accounts', headers: bearer(oldToken) })).statusCode, 200);
          } finally {
            await app.close();
          }
        } finally {
          await db.drop();
        }
      });
    });
  });
}

describe('private key sealing', () => {
  const key = randomBytes(32);

  it('round-trips, binds the kid, and refuses another master key', () => {
    const sealed = sealPrivateJwk('{"kty":"EC","d":"secret"}', 'key_A', key);
    assert.notEqual(sealed, sealPrivateJwk('{"kty":"EC","d":"secret"}', 'key_A', key), 'a fresh IV each time');
    assert.equal(openPrivateJwk(sealed, 'key_A', key), '{"kty":"EC","d":"secret"}');
    assert.throws(() => openPrivateJwk(sealed, 'key_B', key), /PAYRAIL_MASTER_KEY: cannot decrypt the stored private key of key_B/);
    assert.throws(() => openPrivateJwk(sealed, 'key_A', randomBytes(32)), /PAYRAIL_MASTER_KEY/);
  });

  it('without a master key, keys are stored (and read) as JSON', () => {
    assert.equal(sealPrivateJwk('{"kty":"EC"}', 'key_A', undefined), '{"kty":"EC"}');
    assert.equal(openPrivateJwk('{"kty":"EC"}', 'key_A', key), '{"kty":"EC"}');
  });

  it('PAYRAIL_MASTER_KEY must be base64 of 32 bytes', () => {
    assert.equal(parseConfig({ PAYRAIL_MASTER_KEY: masterKey() }).masterKey?.length, 32);
    assert.equal(parseConfig({ PAYRAIL_MASTER_KEY: randomBytes(32).toString('base64url') }).masterKey?.length, 32);
    assert.equal(parseConfig({}).masterKey, undefined);
    assert.throws(
      () => parseConfig({ PAYRAIL_MASTER_KEY: 'not base64!' }),
      /^ConfigError: PAYRAIL_MASTER_KEY: is not base64 \(generate one with: openssl rand -base64 32\)/,
    );
    assert.throws(() => parseConfig({ PAYRAIL_MASTER_KEY: randomBytes(16).toString('base64') }), /PAYRAIL_MASTER_KEY: decodes to 16 bytes, not 32/);
  });
});
