// private_key_jwt as a standard OAuth library does it: openid-client discovers the server, signs
// its own assertions and gets tokens, unchanged.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'openid-client';
import { validateClientJwks } from '../../src/jose/client-keys.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { freePort } from '../helpers/ports.ts';
import { clientKeys } from './kit.ts';

const [sqlite] = databaseKinds();

describe('private_key_jwt with openid-client against a listening server', () => {
  let db: TestDatabase;
  let app: TestApp;
  let issuer: string;

  before(async () => {
    db = await sqlite!.create();
    const port = await freePort();
    issuer = `http://127.0.0.1:${port}`;
    app = await startTestApp(db, { env: { PORT: String(port), PAYRAIL_PUBLIC_URL: issuer } });
    await app.payrail.listen();
  });
  after(async () => {
    await app?.close();
    await db?.drop();
  });

  for (const sig of ['ES256', 'PS256'] as const) {
    it(`gets tokens with ${sig} assertions, several in a row (fresh jti each)`, async () => {
      const { clientId } = await app.createClient();
      const keys = await clientKeys({ sig, enc: 'RSA-OAEP-256' });
      const valid = validateClientJwks(keys.jwks);
      assert.ok(valid.ok);
      await app.payrail.services.clients.setKeys(clientId, valid.jwks, 'operator');
      const config = await oauth.discovery(new URL(issuer), clientId, undefined, oauth.PrivateKeyJwt({ key: keys.sig.privateKey, kid: keys.sig.kid }), {
        execute: [oauth.allowInsecureRequests],
        algorithm: 'oauth2',
      });
      assert.ok(config.serverMetadata().token_endpoint_auth_methods_supported?.includes('private_key_jwt'));
      for (let i = 0; i < 2; i++) {
        const tokens = await oauth.clientCredentialsGrant(config, { scope: 'payments:read' });
        assert.equal(tokens.scope, 'payments:read');
        const res = await fetch(`${issuer}/v1/accounts`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
        assert.equal(res.status, 200);
      }
    });
  }
});
