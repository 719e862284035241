// Access tokens: JWTs per RFC 9068, signed by the gateway's newest key; verification pins the
// algorithm, `typ`, issuer and audience, and resolves the key only by our own `kid`.
import { createHash, randomUUID } from 'node:crypto';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import type { Clock } from '../clock.ts';
import type { Client } from '../clients/service.ts';
import type { Scope } from './scopes.ts';
import { ACCESS_TOKEN_ALG } from './signing-keys.ts';
import type { KeyStore } from './signing-keys.ts';

export const ACCESS_TOKEN_TYP = 'at+jwt';

/** What a verified access token says. */
export interface AccessTokenClaims {
  clientId: string;
  scopes: Scope[];
  jti: string;
  exp: number;
  /** Issued at, in seconds (NumericDate). */
  iat: number;
  /**
   * When the credential that obtained the token was issued, in ms (claim `cred_at`): the secret's
   * creation, or the token's own issue for an assertion. A token without the claim counts as
   * issued with a credential as old as its `iat`.
   */
  credentialAt: number;
}

export interface TokenServiceDeps {
  keys: KeyStore;
  clock: Clock;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

export class InvalidTokenError extends Error {}

/**
 * The earliest `iat` (seconds) a client's tokens may carry: tokens issued before its last
 * rotation without grace are refused. `iat` has whole seconds, so the rotation instant is
 * rounded up to the next second, and a token issued after the rotation but within that second
 * is stamped with that second (under a second ahead): then neither a token from just before the
 * rotation survives nor one from just after it is refused.
 */
export function firstValidIssuedAt(client: Pick<Client, 'tokensNotBefore'>): number {
  return client.tokensNotBefore === null ? 0 : Math.ceil(Date.parse(client.tokensNotBefore) / 1000);
}

/** How many verified tokens are remembered (about 1 KB each); the oldest goes first. */
const VERIFIED_CACHE_SIZE = 10_000;

export function createTokenService({ keys, clock, issuer, audience, ttlSeconds }: TokenServiceDeps) {
  // A token's signature is checked once: an ES256 verification costs about as much as the rest of
  // a small request. Remembered by the SHA-256 of the whole token (a lookup by the token itself
  // would compare attacker-chosen text against real tokens), with the signing key's kid. Whatever
  // can change after the first check is checked again on every use: expiry against the clock, the
  // key still published (a retired key's tokens end with it), and, in bearer.ts, the client
  // enabled and the token not older than its last secret rotation.
  const verified = new Map<string, { claims: AccessTokenClaims; kid: string }>();

  function remember(digest: string, claims: AccessTokenClaims, kid: string): void {
    if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
    verified.set(digest, { claims, kid });
  }

  /** The claims of a token verified before, or undefined when it must be verified (again). */
  async function alreadyVerified(digest: string): Promise<AccessTokenClaims | undefined> {
    const hit = verified.get(digest);
    if (!hit) return undefined;
    // As jose reckons it: expired once `exp` is not after now, in whole seconds.
    if (hit.claims.exp <= Math.floor(clock() / 1000)) {
      verified.delete(digest);
      throw new InvalidTokenError('the access token has expired');
    }
    if (!(await keys.verificationKey(hit.kid, ACCESS_TOKEN_ALG))) {
      verified.delete(digest);
      return undefined;
    }
    return hit.claims;
  }

  return {
    ttlSeconds,

    /** `credentialAt`: when the credential used was issued (ms); the token's issue if not given. */
    async issue(client: Client, scopes: Scope[], credentialAt?: number): Promise<string> {
      await keys.refreshIfStale();
      const { kid, alg, privateKey } = keys.signingKey();
      const now = Math.floor(clock() / 1000);
      const issuedAt = Math.max(now, firstValidIssuedAt(client));
      return new SignJWT({ client_id: client.id, scope: scopes.join(' '), cred_at: credentialAt ?? clock() })
        .setProtectedHeader({ alg, typ: ACCESS_TOKEN_TYP, kid })
        .setIssuer(issuer)
        .setSubject(client.id)
        .setAudience(audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(now + ttlSeconds)
        .setJti(randomUUID())
        .sign(privateKey);
    },

    /** Verifies a bearer token; throws InvalidTokenError with a reason safe to show. */
    async verify(token: string): Promise<AccessTokenClaims> {
      const digest = createHash('sha256').update(token).digest('base64');
      const known = await alreadyVerified(digest);
      if (known) return known;
      try {
        const { payload, protectedHeader } = await jwtVerify(
          token,
          async (header) => {
            const key = await keys.verificationKey(header.kid, header.alg);
            if (!key) throw new InvalidTokenError('unknown signing key');
            return key;
          },
          {
            algorithms: [ACCESS_TOKEN_ALG],
            typ: ACCESS_TOKEN_TYP,
            issuer,
            audience,
            requiredClaims: ['exp', 'iat', 'sub', 'jti', 'client_id'],
            currentDate: new Date(clock()),
          },
        );
        if (typeof payload.client_id !== 'string' || payload.client_id !== payload.sub) {
          throw new InvalidTokenError('client_id does not match sub');
        }
        const scope = typeof payload.scope === 'string' ? payload.scope : '';
        const credentialAt = typeof payload.cred_at === 'number' && Number.isSafeInteger(payload.cred_at) ? payload.cred_at : payload.iat! * 1000;
        const claims: AccessTokenClaims = Object.freeze({
          clientId: payload.client_id,
          scopes: Object.freeze(scope.split(' ').filter(Boolean)) as Scope[],
          jti: payload.jti!,
          exp: payload.exp!,
          iat: payload.iat!,
          credentialAt,
        });
        remember(digest, claims, protectedHeader.kid!);
        return claims;
      } catch (err) {
        if (err instanceof InvalidTokenError) throw err;
        if (err instanceof joseErrors.JWTExpired) throw new InvalidTokenError('the access token has expired');
        if (err instanceof joseErrors.JOSEError) throw new InvalidTokenError('the access token is invalid');
        throw new InvalidTokenError('the access token is invalid');
      }
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
