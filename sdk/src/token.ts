// The access token: fetched with the client credentials grant (SPEC §2), kept until shortly before
// it expires, and shared: concurrent calls that find no valid token wait for one single fetch.

export interface Token {
  accessToken: string;
  /** Client clock, ms: the token is renewed from here on. */
  renewAt: number;
}

export interface TokenCache {
  /** A valid access token, fetched when there is none or it is about to expire. */
  get(): Promise<string>;
  /** Forgets `token` (the server refused it): the next get() fetches a new one. */
  invalidate(token: string): void;
}

/**
 * The renewal point of a token that lives `expiresInS` seconds from `now`: a minute before it
 * expires, or half-way through a token shorter than two minutes, so a request sent just before
 * renewal still reaches the server while its token is valid.
 */
export function renewalTime(now: number, expiresInS: number): number {
  const lifetime = expiresInS * 1000;
  return now + lifetime - Math.min(60_000, lifetime / 2);
}

export function tokenCache(fetchToken: () => Promise<{ accessToken: string; expiresIn: number }>, now: () => number): TokenCache {
  let current: Token | undefined;
  let pending: Promise<string> | undefined;
  return {
    get() {
      if (current && now() < current.renewAt) return Promise.resolve(current.accessToken);
      // The lifetime counts from when the token was asked for, not from when it arrived.
      const askedAt = now();
      pending ??= fetchToken()
        .then(({ accessToken, expiresIn }) => {
          current = { accessToken, renewAt: renewalTime(askedAt, expiresIn) };
          return accessToken;
        })
        .finally(() => {
          pending = undefined;
        });
      return pending;
    },
    invalidate(token) {
      if (current?.accessToken === token) current = undefined;
    },
  };
}
