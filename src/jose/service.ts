// JOSE messages between the gateway and a client: opening what a client sent (gateway encryption
// key, client signing key) and sealing what goes back (gateway signing key, client encryption key).
// The HTTP layer (http.ts) and webhook deliveries (encryptForClient) both go through here.
import type { KeyStore } from '../auth/signing-keys.ts';
import type { ClientsService } from '../clients/service.ts';
import { AppError } from '../errors.ts';
import { gatewayKeyFamily } from './algorithms.ts';
import { encryptionKeyOf, signingKeysOf } from './client-keys.ts';
import type { ClientJwk, ClientJwks } from './client-keys.ts';
import { openMessage, sealMessage } from './messages.ts';

export interface JoseServiceDeps {
  keys: KeyStore;
  clients: ClientsService;
}

/** A client's encryption key: what the gateway encrypts to. */
export type RecipientKey = ClientJwk & { use: 'enc' };

function encryptionKeyMissing(clientId: string): AppError {
  return new AppError(
    'ENCRYPTION_KEY_MISSING',
    'No encryption key',
    `Client '${clientId}' has registered no encryption key (use: enc), so nothing can be encrypted to it; PUT /v1/clients/me/jwks`,
  );
}

export function createJoseService({ keys, clients }: JoseServiceDeps) {
  async function seal(body: string | Uint8Array, cty: string, recipient: RecipientKey): Promise<string> {
    await keys.refreshIfStale();
    const payload = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    return sealMessage(payload, cty, keys.signingKey(), recipient);
  }

  return {
    /** The client's registered keys (null: none). */
    keysOf: (clientId: string): Promise<ClientJwks | null> => clients.keysOf(clientId),

    /** The key responses to this client are encrypted to, if it registered one. */
    recipientOf: (jwks: ClientJwks | null): RecipientKey | undefined => encryptionKeyOf(jwks),

    /** The body of a client's JOSE request (JSON text, to parse): decrypted, its signature verified. */
    async open(jwe: string, jwks: ClientJwks | null): Promise<string> {
      const payload = await openMessage(jwe, {
        decryptionKey: (kid, alg) => keys.decryptionKey(kid, gatewayKeyFamily(alg)),
        signingKeys: signingKeysOf(jwks),
      });
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(payload);
      } catch {
        throw new AppError('INVALID_JSON', 'Malformed JSON', 'The signed payload is not UTF-8 text');
      }
    },

    /** A body signed by the gateway and encrypted to `recipient`; `cty` names the payload type. */
    seal,

    /**
     * For webhook deliveries to an endpoint that opted in: `payload` as JSON, signed by the gateway
     * and encrypted to the client's encryption key (send it with `Content-Type: application/jose`).
     * Throws ENCRYPTION_KEY_MISSING when the client has registered no encryption key.
     */
    async encryptForClient(clientId: string, payload: unknown): Promise<string> {
      const recipient = encryptionKeyOf(await clients.keysOf(clientId));
      if (!recipient) throw encryptionKeyMissing(clientId);
      return seal(JSON.stringify(payload), 'json', recipient);
    },

    /** Whether encryptForClient can encrypt to this client. */
    async canEncryptFor(clientId: string): Promise<boolean> {
      return encryptionKeyOf(await clients.keysOf(clientId)) !== undefined;
    },

    encryptionKeyMissing,
  };
}

export type JoseService = ReturnType<typeof createJoseService>;
