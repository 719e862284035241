// What the SDK tests share: a payrail listening on 127.0.0.1 (the SDK speaks real HTTP to it),
// whose clock the test can move forward (token expiry, the sandbox bank's stages), and a fetch
// that records every exchange so a test can see what went over the wire.
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { freePort } from '../helpers/ports.ts';
import { Payrail } from '../../sdk/src/index.ts';
import type { PayrailOptions } from '../../sdk/src/index.ts';

export const ACK_DELAY_MS = 1000;

export interface Exchange {
  method: string;
  path: string;
  /** The request's headers. */
  headers: Headers;
  status: number;
  responseHeaders: Headers;
  at: number;
}

export interface SdkServer {
  app: TestApp;
  url: string;
  /** How far the server's clock is ahead of the real one (ms). */
  skew: number;
  /** A client (unlimited unless asked) and an SDK for it; `exchanges` lists its HTTP traffic. */
  client(
    o?: Parameters<TestApp['createClient']>[0],
    sdk?: Partial<PayrailOptions>,
  ): Promise<{ clientId: string; secret: string; payrail: Payrail; exchanges: Exchange[] }>;
  /** Moves the server's clock and runs one pass of every worker (the sandbox bank's next stage). */
  step(ms?: number): Promise<void>;
  close(): Promise<void>;
}

/** Records every exchange of `inner` (default: the global fetch) into `exchanges`. */
export function recordingFetch(exchanges: Exchange[], inner: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    const url = new URL(String(input instanceof Request ? input.url : input));
    exchanges.push({
      method: init?.method ?? 'GET',
      path: url.pathname + url.search,
      headers: new Headers(init?.headers),
      status: res.status,
      responseHeaders: res.headers,
      at: Date.now(),
    });
    return res;
  };
}

export async function startSdkServer(db: TestDatabase): Promise<SdkServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = { skew: 0 } as SdkServer;
  const app = await startTestApp(db, {
    clock: () => Date.now() + server.skew,
    env: { PORT: String(port), PAYRAIL_PUBLIC_URL: url, PAYRAIL_SANDBOX_ACK_DELAY_MS: String(ACK_DELAY_MS) },
  });
  await app.payrail.listen();
  return Object.assign(server, {
    app,
    url,
    async client(o: Parameters<TestApp['createClient']>[0] = {}, sdk: Partial<PayrailOptions> = {}) {
      const { clientId, secret } = await app.createClient(o);
      const exchanges: Exchange[] = [];
      const payrail = new Payrail({ baseUrl: url, clientId, clientSecret: secret, ...sdk, fetch: recordingFetch(exchanges, sdk.fetch) });
      return { clientId, secret, payrail, exchanges };
    },
    async step(ms = ACK_DELAY_MS) {
      server.skew += ms;
      await app.payrail.workers.tick();
    },
    close: () => app.close(),
  });
}

/** Today in Singapore (YYYY-MM-DD): a valid payment date for SG rails. */
export const todayInSingapore = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Singapore' }).format(new Date());

/** A valid FAST payment from `senderAccountId` (receiver account `account`: the sandbox's outcomes, SPEC §8). */
export function fastPayment(senderAccountId: string, reference: string, account = '0123456789') {
  return {
    type: 'FAST' as const,
    amount: 20000,
    currency: 'SGD',
    senderAccountId,
    customerReference: reference,
    receiver: { name: 'Tan Ah Kow', bank: 'DBSSSGSGXXX', bankAccountNumber: account },
  };
}

export const SG_ACCOUNT = { name: 'SG ops', bank: 'DBSSSGSGXXX', accountNumber: '0123456789', currencies: ['SGD'] };
