// Makes a client's key pairs for payrail's message-level security: a signing key (private_key_jwt
// and request bodies) and an encryption key (what payrail encrypts answers to).
//
//   node --import tsx examples/generate-client-keys.ts [--dir ./client-keys] [--sig ES256|RS256|PS256]
//        [--enc ECDH-ES+A256KW|ECDH-ES|RSA-OAEP-256] [--kid-prefix acme]
//
// Writes, in --dir: sig.private.jwk.json and enc.private.jwk.json (keep them; mode 0600) and
// jwks.public.json (register it: `payrail clients keys set CLIENT_ID --jwks jwks.public.json`, or
// PUT it to /v1/clients/me/jwks).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exportJWK, generateKeyPair } from 'jose';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: './client-keys' },
    sig: { type: 'string', default: 'ES256' },
    enc: { type: 'string', default: 'ECDH-ES+A256KW' },
    'kid-prefix': { type: 'string', default: 'client' },
  },
});

async function pair(use: 'sig' | 'enc', alg: string) {
  const { publicKey, privateKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(alg.startsWith('RS') || alg.startsWith('PS') || alg.startsWith('RSA') ? { modulusLength: 3072 } : {}),
  });
  const kid = `${values['kid-prefix']}-${use}-${new Date().toISOString().slice(0, 10)}`;
  return { publicJwk: { ...(await exportJWK(publicKey)), kid, use, alg }, privateJwk: { ...(await exportJWK(privateKey)), kid, use, alg } };
}

const dir = resolve(values.dir!);
mkdirSync(dir, { recursive: true });
const sig = await pair('sig', values.sig!);
const enc = await pair('enc', values.enc!);
writeFileSync(join(dir, 'sig.private.jwk.json'), `${JSON.stringify(sig.privateJwk, null, 2)}\n`, { mode: 0o600 });
writeFileSync(join(dir, 'enc.private.jwk.json'), `${JSON.stringify(enc.privateJwk, null, 2)}\n`, { mode: 0o600 });
writeFileSync(join(dir, 'jwks.public.json'), `${JSON.stringify({ keys: [sig.publicJwk, enc.publicJwk] }, null, 2)}\n`);
console.log(JSON.stringify({ dir, signing: sig.publicJwk.kid, encryption: enc.publicJwk.kid }));
