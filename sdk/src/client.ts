// `new Payrail({ baseUrl, clientId, clientSecret })`: the resources over one core (token cache,
// retries, idempotency, JOSE). A class because SPEC §12 names the constructor; everything in it
// is built by functions.
import { createCore } from './core.ts';
import type { Core, PayrailOptions } from './core.ts';
import {
  accountsResource,
  approvalsResource,
  clientKeysResource,
  eventsResource,
  paymentBatchesResource,
  paymentsResource,
  webhookEndpointsResource,
} from './resources.ts';
import { webhooks } from './webhooks.ts';

export class Payrail {
  /** Webhook verification (no client needed): `Payrail.webhooks.verify(headers, rawBody, secret)`. */
  static readonly webhooks = webhooks;

  readonly payments: ReturnType<typeof paymentsResource>;
  readonly paymentBatches: ReturnType<typeof paymentBatchesResource>;
  readonly accounts: ReturnType<typeof accountsResource>;
  readonly webhookEndpoints: ReturnType<typeof webhookEndpointsResource>;
  readonly events: ReturnType<typeof eventsResource>;
  readonly approvals: ReturnType<typeof approvalsResource>;
  /** The client's own public keys (GET/PUT /v1/clients/me/jwks). */
  readonly clientKeys: ReturnType<typeof clientKeysResource>;
  /** The transport, for calls the resources do not cover: `client.core.request({ method, path, body })`. */
  readonly core: Core;

  constructor(options: PayrailOptions) {
    this.core = createCore(options);
    this.payments = paymentsResource(this.core);
    this.paymentBatches = paymentBatchesResource(this.core);
    this.accounts = accountsResource(this.core);
    this.webhookEndpoints = webhookEndpointsResource(this.core);
    this.events = eventsResource(this.core);
    this.approvals = approvalsResource(this.core);
    this.clientKeys = clientKeysResource(this.core);
  }
}
