// What the webhook tests share: an app on a fresh database with a clock moved by hand and the
// workers ticked by hand, clients with an SG sender account, payments through the sandbox bank,
// events appended straight to the outbox, and endpoint registration.
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { validPayment } from '../rails/builders.ts';
import type { EventType } from '../../src/events/outbox.ts';
import type { WebhookOptions } from '../../src/webhooks/options.ts';

export const ACK_DELAY_MS = 1000;
export const RETRY_BASE_MS = 1000;

export type Authed = Awaited<ReturnType<TestApp['authed']>> & { accountId: string };

export interface WebhookFixture {
  app: TestApp;
  /** The app's clock (ms); starts at the real time so standardwebhooks accepts the timestamps. */
  now: number;
  /** Moves the clock and runs one pass of every worker. */
  step(ms?: number): Promise<number>;
  client(options?: { mode?: 'test' | 'live' }): Promise<Authed>;
  /** A fresh token for a client (after the clock has moved past the last one's lifetime). */
  reauth(client: Authed): Promise<void>;
  register(client: Authed, url: string, events?: EventType[]): Promise<{ id: string; secret: string }>;
  /** Creates a FAST payment; `account` 000000000 makes it fail at ACK2. Returns its id. */
  pay(client: Authed, account?: string): Promise<string>;
  /** Runs the sandbox until every payment created so far is final (4 stages). */
  settle(): Promise<void>;
  /** Appends an event in its own transaction, as a status change would. Returns its id. */
  appendEvent(clientId: string, type: EventType, objectId: string, data?: unknown): Promise<string>;
  close(): Promise<void>;
}

export async function startWebhookFixture(db: TestDatabase, webhooks: WebhookOptions = {}): Promise<WebhookFixture> {
  const fixture = {} as WebhookFixture;
  fixture.now = Date.now();
  const app = await startTestApp(db, {
    clock: () => fixture.now,
    env: { PAYRAIL_SANDBOX_ACK_DELAY_MS: String(ACK_DELAY_MS), PAYRAIL_WEBHOOK_RETRY_BASE_MS: String(RETRY_BASE_MS) },
    webhooks: { timeoutMs: 500, random: () => 0, ...webhooks }, // no jitter: retries at their nominal times
  });
  return Object.assign(fixture, {
    app,
    async step(ms = ACK_DELAY_MS) {
      fixture.now += ms;
      return app.payrail.workers.tick();
    },
    async client(options: { mode?: 'test' | 'live' } = {}) {
      const c = await app.authed(options);
      const account = await app.payrail.services.accounts.create(c.clientId, {
        name: 'SG ops',
        bank: 'DBSSSGSGXXX',
        accountNumber: '0123456789',
        currencies: ['SGD'],
      });
      return { ...c, accountId: account.id };
    },
    async reauth(client: Authed) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1.0/auth',
        payload: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret },
      });
      client.token = res.json().access_token;
      client.headers.authorization = `Bearer ${client.token}`;
    },
    async register(client: Authed, url: string, events?: EventType[]) {
      const res = await app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: client.headers, payload: { url, ...(events && { events }) } });
      if (res.statusCode !== 201) throw new Error(`registering ${url}: ${res.statusCode} ${res.body}`);
      return res.json() as { id: string; secret: string };
    },
    async pay(client: Authed, account = '0123456789') {
      const p = { ...validPayment('FAST'), senderAccountId: client.accountId };
      const res = await app.inject({
        method: 'POST',
        url: '/v1/payments',
        headers: client.headers,
        payload: { ...p, receiver: { ...p.receiver, bankAccountNumber: account } },
      });
      if (res.statusCode !== 202) throw new Error(`payment: ${res.statusCode} ${res.body}`);
      return res.json().id as string;
    },
    async settle() {
      await fixture.step(0);
      for (let i = 0; i < 4; i++) await fixture.step();
    },
    async appendEvent(clientId: string, type: EventType, objectId: string, data: unknown = { id: objectId }) {
      const { outbox } = app.payrail.services;
      return app.payrail.database.db.transaction().execute((tx) =>
        outbox.append(tx, {
          clientId,
          type,
          objectType: type.startsWith('payments.') ? 'payment' : type.startsWith('clients.') ? 'client' : 'payment-batch',
          objectId,
          data,
        }),
      );
    },
    close: () => app.close(),
  });
}
