// The gateway's own keys: generated at first start, kept in the database (so every instance signs
// and verifies with the same keys), published as a JWKS. The newest active key signs; retired keys
// stay published until every token they signed has expired.
import { exportJWK, generateKeyPair, importJWK } from 'jose';
import type { CryptoKey, JWK, KeyObject } from 'jose';
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import { newId } from '../ids.ts';
import type { Db } from '../store/database.ts';
import type { SigningKeyRow } from '../store/schema.ts';

export const ACCESS_TOKEN_ALG = 'ES256';

type Key = CryptoKey | KeyObject | Uint8Array;

interface LoadedKey {
  kid: string;
  alg: string;
  use: 'sig' | 'enc';
  publicJwk: JWK;
  publicKey: Key;
  privateKey: Key;
  createdAt: string;
  retiredAt: string | null;
}

async function load(row: SigningKeyRow): Promise<LoadedKey> {
  const publicJwk = JSON.parse(row.public_jwk) as JWK;
  return {
    kid: row.kid,
    alg: row.alg,
    use: row.use,
    publicJwk,
    publicKey: await importJWK(publicJwk, row.alg),
    privateKey: await importJWK(JSON.parse(row.private_jwk) as JWK, row.alg),
    createdAt: row.created_at,
    retiredAt: row.retired_at,
  };
}

export interface KeyStoreDeps {
  db: Db;
  clock: Clock;
  /** How long a retired key stays published: at least the longest token lifetime. */
  retiredKeyTtlSeconds: number;
}

export function createKeyStore({ db, clock, retiredKeyTtlSeconds }: KeyStoreDeps) {
  let keys = new Map<string, LoadedKey>();
  let lastReload = 0;

  async function reload(): Promise<void> {
    const rows = await db.selectFrom('signing_keys').selectAll().orderBy('created_at', 'asc').execute();
    const next = new Map<string, LoadedKey>();
    for (const row of rows) next.set(row.kid, keys.get(row.kid) ?? (await load(row)));
    keys = next;
    lastReload = clock();
  }

  async function addKey(alg: string, use: 'sig' | 'enc'): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
    const kid = newId('signingKey', clock());
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use };
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg, use };
    const now = isoAt(clock());
    await db.transaction().execute(async (tx) => {
      await tx.updateTable('signing_keys').set({ retired_at: now }).where('use', '=', use).where('retired_at', 'is', null).execute();
      await tx
        .insertInto('signing_keys')
        .values({ kid, alg, use, public_jwk: JSON.stringify(publicJwk), private_jwk: JSON.stringify(privateJwk), created_at: now, retired_at: null })
        .execute();
    });
    return kid;
  }

  function active(use: 'sig' | 'enc'): LoadedKey | undefined {
    let newest: LoadedKey | undefined;
    for (const k of keys.values()) if (k.use === use && k.retiredAt === null) newest = k;
    return newest;
  }

  function published(k: LoadedKey): boolean {
    if (k.retiredAt === null) return true;
    return Date.parse(k.retiredAt) + retiredKeyTtlSeconds * 1000 > clock();
  }

  return {
    /** Loads the keys, creating the first signing key on a new installation. */
    async init(): Promise<void> {
      await reload();
      if (!active('sig')) {
        // Two processes starting at once: the unique index lets one insert win; the other reads it.
        await addKey(ACCESS_TOKEN_ALG, 'sig').catch(() => undefined);
        await reload();
      }
      if (!active('sig')) throw new Error('no active signing key could be created');
    },

    /**
     * Re-reads the keys when the cache is older than a minute, so an instance picks up a rotation
     * done by another instance (or the CLI) and stops signing with a retired key.
     */
    async refreshIfStale(): Promise<void> {
      if (clock() - lastReload > 60_000) await reload();
    },

    /** Adds a new signing key; the old one is retired but keeps verifying until it expires. */
    async rotate(): Promise<{ signingKid: string }> {
      const signingKid = await addKey(ACCESS_TOKEN_ALG, 'sig');
      await reload();
      return { signingKid };
    },

    signingKey(): { kid: string; alg: string; privateKey: Key } {
      const k = active('sig');
      if (!k) throw new Error('no active signing key (init() not called)');
      return { kid: k.kid, alg: k.alg, privateKey: k.privateKey };
    },

    /**
     * The public key for a token's `kid`, if it is one of ours and still published. An unknown
     * kid reloads from the database at most once a second (another instance may have rotated),
     * so a flood of made-up kids cannot turn into a flood of queries.
     */
    async verificationKey(kid: string | undefined, alg: string): Promise<Key | undefined> {
      if (!kid) return undefined;
      if (!keys.has(kid) && clock() - lastReload > 1000) await reload();
      const k = keys.get(kid);
      if (!k || k.use !== 'sig' || k.alg !== alg || !published(k)) return undefined;
      return k.publicKey;
    },

    /** The public JWKS: active keys and retired ones whose tokens may still be live. */
    jwks(): { keys: JWK[] } {
      return { keys: [...keys.values()].filter(published).map((k) => k.publicJwk) };
    },

    reload,
  };
}

export type KeyStore = ReturnType<typeof createKeyStore>;
