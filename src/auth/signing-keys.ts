// The gateway's own keys: generated at first start, kept in the database (so every instance signs
// and verifies with the same keys), published as a JWKS. The newest active key signs; retired keys
// stay published until every token they signed has expired. Encryption keys (one per family, for
// JOSE request bodies) are published while active; retired ones still decrypt for a grace period.
// Private keys are sealed at rest when PAYRAIL_MASTER_KEY is set (src/jose/private-key-sealing.ts).
import { exportJWK, generateKeyPair, importJWK } from 'jose';
import type { CryptoKey, JWK, KeyObject } from 'jose';
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import { newId } from '../ids.ts';
import { GATEWAY_ENCRYPTION_ALGS, RETIRED_ENCRYPTION_KEY_GRACE_SECONDS } from '../jose/algorithms.ts';
import type { GatewayEncryptionAlg } from '../jose/algorithms.ts';
import { isSealed, openPrivateJwk, sealPrivateJwk } from '../jose/private-key-sealing.ts';
import type { Db } from '../store/database.ts';
import type { SigningKeyRow } from '../store/schema.ts';

export const ACCESS_TOKEN_ALG = 'ES256';

/** Every key the gateway holds one active key of: the signing key and an encryption key per family. */
const KEY_SLOTS: readonly { use: 'sig' | 'enc'; alg: string }[] = [
  { use: 'sig', alg: ACCESS_TOKEN_ALG },
  ...GATEWAY_ENCRYPTION_ALGS.map((alg) => ({ use: 'enc' as const, alg })),
];

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
  sealed: boolean;
}

/** A gateway key as `payrail keys list` shows it (never the private half). */
export interface KeyInfo {
  kid: string;
  alg: string;
  use: 'sig' | 'enc';
  createdAt: string;
  retiredAt: string | null;
  /** Whether the private key is stored encrypted under PAYRAIL_MASTER_KEY. */
  encryptedAtRest: boolean;
}

async function load(row: SigningKeyRow, masterKey: Uint8Array | undefined): Promise<LoadedKey> {
  const publicJwk = JSON.parse(row.public_jwk) as JWK;
  return {
    kid: row.kid,
    alg: row.alg,
    use: row.use,
    publicJwk,
    publicKey: await importJWK(publicJwk, row.alg),
    privateKey: await importJWK(JSON.parse(openPrivateJwk(row.private_jwk, row.kid, masterKey)) as JWK, row.alg),
    createdAt: row.created_at,
    retiredAt: row.retired_at,
    sealed: isSealed(row.private_jwk),
  };
}

export interface KeyStoreDeps {
  db: Db;
  clock: Clock;
  /** How long a retired key stays published: at least the longest token lifetime. */
  retiredKeyTtlSeconds: number;
  /** Seals private keys at rest (PAYRAIL_MASTER_KEY); keys stored without it stay readable. */
  masterKey?: Uint8Array;
  /** How long a retired encryption key still decrypts (default 7 days). */
  encryptionKeyGraceSeconds?: number;
}

export function createKeyStore({ db, clock, retiredKeyTtlSeconds, masterKey, encryptionKeyGraceSeconds = RETIRED_ENCRYPTION_KEY_GRACE_SECONDS }: KeyStoreDeps) {
  let keys = new Map<string, LoadedKey>();
  let lastReload = 0;

  async function reload(): Promise<void> {
    const rows = await db.selectFrom('signing_keys').selectAll().orderBy('created_at', 'asc').execute();
    const next = new Map<string, LoadedKey>();
    for (const row of rows) {
      // Cached keys are not imported again, but their retirement (by any instance) is re-read.
      const cached = keys.get(row.kid);
      next.set(row.kid, cached ? { ...cached, retiredAt: row.retired_at } : await load(row, masterKey));
    }
    keys = next;
    lastReload = clock();
  }

  /**
   * Adds a key for `use` and `alg`. A rotation retires the active one in the same transaction; the
   * first key of a slot (`retire: false`) only inserts, so when instances start together on an
   * empty database the unique index lets one insert win and the others fail, instead of each
   * retiring the key the one before it had just created.
   */
  async function addKey(alg: string, use: 'sig' | 'enc', { retire = true } = {}): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
    const kid = newId('signingKey', clock());
    // The P-256 encryption key serves ECDH-ES and ECDH-ES+A256KW: published without `alg`.
    const published = { kid, use, ...(alg !== 'ECDH-ES' && { alg }) };
    const publicJwk = { ...(await exportJWK(publicKey)), ...published };
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg, use };
    const now = isoAt(clock());
    await db.transaction().execute(async (tx) => {
      if (retire)
        await tx.updateTable('signing_keys').set({ retired_at: now }).where('use', '=', use).where('alg', '=', alg).where('retired_at', 'is', null).execute();
      await tx
        .insertInto('signing_keys')
        .values({
          kid,
          alg,
          use,
          public_jwk: JSON.stringify(publicJwk),
          private_jwk: sealPrivateJwk(JSON.stringify(privateJwk), kid, masterKey),
          created_at: now,
          retired_at: null,
        })
        .execute();
    });
    return kid;
  }

  function active(use: 'sig' | 'enc', alg?: string): LoadedKey | undefined {
    let newest: LoadedKey | undefined;
    for (const k of keys.values()) if (k.use === use && (alg === undefined || k.alg === alg) && k.retiredAt === null) newest = k;
    return newest;
  }

  function published(k: LoadedKey): boolean {
    if (k.retiredAt === null) return true;
    // A retired encryption key is not offered to clients any more (it still decrypts, below).
    if (k.use === 'enc') return false;
    return Date.parse(k.retiredAt) + retiredKeyTtlSeconds * 1000 > clock();
  }

  function decrypts(k: LoadedKey): boolean {
    return k.retiredAt === null || Date.parse(k.retiredAt) + encryptionKeyGraceSeconds * 1000 > clock();
  }

  return {
    /** Loads the keys, creating the missing ones (all of them on a new installation). */
    async init(): Promise<void> {
      await reload();
      const missing = KEY_SLOTS.filter((slot) => !active(slot.use, slot.alg));
      if (missing.length > 0) {
        // Instances starting at once: the unique index lets one insert win; the others read it.
        for (const slot of missing) await addKey(slot.alg, slot.use, { retire: false }).catch(() => undefined);
        await reload();
      }
      for (const slot of KEY_SLOTS) if (!active(slot.use, slot.alg)) throw new Error(`no active ${slot.alg} key could be created`);
    },

    /**
     * Re-reads the keys when the cache is older than a minute, so an instance picks up a rotation
     * done by another instance (or the CLI) and stops signing with a retired key.
     */
    async refreshIfStale(): Promise<void> {
      if (clock() - lastReload > 60_000) await reload();
    },

    /**
     * Adds a new signing key and new encryption keys. The old signing key keeps verifying until
     * the tokens it signed expire; old encryption keys keep decrypting for the grace period.
     */
    async rotate(): Promise<{ signingKid: string; encryptionKids: string[] }> {
      // Every stored key must open first: a wrong PAYRAIL_MASTER_KEY fails here, before new keys
      // sealed under it are added and the readable ones retired.
      await reload();
      const signingKid = await addKey(ACCESS_TOKEN_ALG, 'sig');
      const encryptionKids: string[] = [];
      for (const alg of GATEWAY_ENCRYPTION_ALGS) encryptionKids.push(await addKey(alg, 'enc'));
      await reload();
      return { signingKid, encryptionKids };
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

    /**
     * The private key that decrypts a JWE sent with this `kid` (or, without one, the active key of
     * the family): one of ours, for encryption, not past its grace period. Unknown kids reload at
     * most once a second, as for verification.
     */
    async decryptionKey(kid: string | undefined, family: GatewayEncryptionAlg): Promise<Key | undefined> {
      if (kid === undefined) return active('enc', family)?.privateKey;
      if (!keys.has(kid) && clock() - lastReload > 1000) await reload();
      const k = keys.get(kid);
      if (!k || k.use !== 'enc' || k.alg !== family || !decrypts(k)) return undefined;
      return k.privateKey;
    },

    /** The public JWKS: active keys and retired signing keys whose tokens may still be live. */
    jwks(): { keys: JWK[] } {
      return { keys: [...keys.values()].filter(published).map((k) => k.publicJwk) };
    },

    /** Every stored key, oldest first, without private parts. */
    list(): KeyInfo[] {
      return [...keys.values()].map((k) => ({ kid: k.kid, alg: k.alg, use: k.use, createdAt: k.createdAt, retiredAt: k.retiredAt, encryptedAtRest: k.sealed }));
    },

    reload,
  };
}

export type KeyStore = ReturnType<typeof createKeyStore>;
