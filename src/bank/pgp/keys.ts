// payrail's own OpenPGP key pair and the banks' public keys (BANKS.md §2). The pair is generated
// on first use and its private half sealed at rest with PAYRAIL_MASTER_KEY.
// STUB: signatures fixed for the parallel work on live mode; the pgp branch implements them.
import type { Key, PrivateKey } from 'openpgp';
import type { DbOrTx } from '../../store/database.ts';

export interface PayrailPgpKey {
  /** The public key, ASCII-armoured (what `payrail banks pgp-key` prints and the bank installs). */
  publicKeyArmored: string;
  publicKey: Key;
  privateKey: PrivateKey;
}

/** A bank key that cannot be used; `message` is one line naming the problem. */
export class PgpKeyError extends Error {
  override name = 'PgpKeyError';
}

/** payrail's key pair, generated and stored (sealed) on first use; safe when processes race. */
export async function loadPayrailPgpKey(_deps: { db: DbOrTx; masterKey?: Uint8Array }): Promise<PayrailPgpKey> {
  throw new Error('not implemented yet');
}

/** A bank's public key (armoured or binary) checked and returned ASCII-armoured; throws PgpKeyError. */
export async function readBankPublicKey(_key: string | Uint8Array): Promise<string> {
  throw new PgpKeyError('not implemented yet');
}
