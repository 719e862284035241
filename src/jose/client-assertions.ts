// private_key_jwt (RFC 7523 §2.2, RFC 7521 §4.2): a client authenticates at the token endpoint with
// a JWT signed by one of its registered keys. `iss` = `sub` = the client id, `aud` = the token
// endpoint or the issuer, `exp` required and at most five minutes ahead, `jti` accepted once.
// Algorithms are pinned to the client's registered signing keys, never taken from the token.
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import { isAcceptableText } from '../http/input-text.ts';
import type { Clock } from '../clock.ts';
import type { Client, ClientsService } from '../clients/service.ts';
import { isId } from '../ids.ts';
import { signingKeysOf } from './client-keys.ts';
import type { ReplayStore } from './replay-store.ts';

export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** The longest an assertion may be valid for, counted from now. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;

/** Leeway for the client's clock on every time check. */
const CLOCK_SKEW_SECONDS = 30;

/** An assertion that does not authenticate; the message is safe to show (error_description). */
export class AssertionError extends Error {}

export interface ClientAssertionDeps {
  clients: ClientsService;
  replay: ReplayStore;
  clock: Clock;
  /** PAYRAIL_PUBLIC_URL: one of the two accepted audiences. */
  issuer: string;
  /** The token endpoint URL: the other. */
  tokenEndpoint: string;
}

function describe(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'the client assertion has expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `the client assertion's ${err.claim} claim is invalid (${err.reason})`;
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return "the client assertion's alg is not the algorithm of a registered signing key";
  if (err instanceof joseErrors.JWKSNoMatchingKey) return "no registered signing key matches the client assertion's kid and alg";
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'the client assertion signature does not verify';
  return 'the client assertion is invalid';
}

function unverifiedClaims(assertion: string): JWTPayload {
  let claims: JWTPayload;
  let kid: unknown;
  try {
    claims = decodeJwt(assertion);
    kid = decodeProtectedHeader(assertion).kid;
  } catch {
    throw new AssertionError('the client assertion is not a signed JWT');
  }
  // The texts payrail looks up or stores (iss/sub: the client; kid: its key; jti: the replay
  // store) get the one text check of every input before anything else: a NUL would be a 500 on
  // PostgreSQL. RFC 7523 §3.2: an assertion that does not authenticate is invalid_client.
  const texts: [string, unknown][] = [
    ['iss', claims.iss],
    ['sub', claims.sub],
    ['jti', claims.jti],
    ['kid', kid],
  ];
  for (const [name, value] of texts) {
    if (typeof value === 'string' && !isAcceptableText(value, 'line'))
      throw new AssertionError(`the client assertion's ${name} contains a character payrail does not accept`);
  }
  return claims;
}

export function createClientAssertionVerifier({ clients, replay, clock, issuer, tokenEndpoint }: ClientAssertionDeps) {
  /** The client and keys an assertion claims to come from, before anything is verified. */
  async function claimedClient(claims: JWTPayload, presentedClientId: string | undefined) {
    const clientId = claims.sub;
    if (typeof clientId !== 'string' || claims.iss !== clientId) throw new AssertionError('iss and sub of the client assertion must both be the client id');
    if (presentedClientId !== undefined && presentedClientId !== clientId) throw new AssertionError('client_id does not match the client assertion');
    // Only well-formed ids reach the database.
    const client = isId('client', clientId) ? await clients.get(clientId) : undefined;
    if (!client || client.disabled) throw new AssertionError('the client is unknown or disabled');
    const keys = signingKeysOf(await clients.keysOf(clientId));
    if (keys.length === 0) throw new AssertionError('the client has registered no signing key');
    return { client, keys };
  }

  return {
    /** The client a `client_assertion` authenticates; throws AssertionError otherwise. */
    async verify(assertion: string, presentedClientId?: string): Promise<Client> {
      const { client, keys } = await claimedClient(unverifiedClaims(assertion), presentedClientId);
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(assertion, createLocalJWKSet({ keys }), {
          algorithms: [...new Set(keys.map((k) => k.alg))],
          issuer: client.id,
          subject: client.id,
          audience: [tokenEndpoint, issuer],
          requiredClaims: ['exp', 'jti'],
          clockTolerance: CLOCK_SKEW_SECONDS,
          currentDate: new Date(clock()),
        }));
      } catch (err) {
        throw new AssertionError(describe(err));
      }
      const now = Math.floor(clock() / 1000);
      const exp = payload.exp!;
      if (exp > now + MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS)
        throw new AssertionError(`the client assertion must expire within ${MAX_ASSERTION_LIFETIME_SECONDS} seconds`);
      if (payload.iat !== undefined && payload.iat > now + CLOCK_SKEW_SECONDS) throw new AssertionError('the client assertion is issued in the future (iat)');
      const jti = payload.jti;
      if (typeof jti !== 'string' || jti.length === 0 || jti.length > 255) throw new AssertionError('the client assertion needs a jti of 1–255 characters');
      // Recorded only now, once the signature verified: forged assertions cannot fill the table.
      if (!(await replay.remember(client.id, jti, (exp + CLOCK_SKEW_SECONDS) * 1000))) {
        throw new AssertionError('the client assertion was already used (jti replayed)');
      }
      return client;
    },
  };
}

export type ClientAssertionVerifier = ReturnType<typeof createClientAssertionVerifier>;
