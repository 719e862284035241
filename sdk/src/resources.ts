// The resources of the API (src/**/routes.ts), one object of methods each, as thin as they can
// be: a path, a method, and whether the call creates something (then it takes an
// Idempotency-Key). Lists are ListResults (pagination.ts).
import type { Core, RequestOptions } from './core.ts';
import { listResult } from './pagination.ts';
import type { ListResult } from './pagination.ts';
import type * as T from './types.ts';

const at = (path: string, id: string) => `${path}/${encodeURIComponent(id)}`;

function lister<Item extends { id: string }, P extends object>(core: Core, path: string) {
  return (params?: P, options?: RequestOptions): ListResult<Item> =>
    listResult({ ...params } as P & { startingAfter?: string }, (query) =>
      core.request<{ data: Item[]; hasMore: boolean }>({ method: 'GET', path, query, options }),
    );
}

function approvals<Decided>(core: Core, path: string) {
  return {
    /** Approves it (scope payments:approve; never its creator). With the last approval needed it leaves for the bank. */
    approve: (id: string, params: T.ApproveParams = {}, options?: RequestOptions) =>
      core.request<Decided>({ method: 'POST', path: `${at(path, id)}/approve`, body: params, options }),
    /** Rejects it: every payment FAILED (failure.stage APPROVAL). */
    reject: (id: string, params: T.RejectParams, options?: RequestOptions) =>
      core.request<Decided>({ method: 'POST', path: `${at(path, id)}/reject`, body: params, options }),
  };
}

export function paymentsResource(core: Core) {
  const path = '/v1/payments';
  return {
    /** Creates a single payment on any rail (202: it is PROCESSING). */
    create: (params: T.PaymentCreateParams, options?: RequestOptions) =>
      core.request<T.Payment>({ method: 'POST', path, body: params, idempotent: true, options }),
    /** Checks a payment as create would, storing nothing (dry run). */
    validate: (params: T.PaymentCreateParams, options?: RequestOptions) =>
      core.request<T.ValidationResult>({ method: 'POST', path: `${path}/validate`, body: params, options }),
    get: (id: string, options?: RequestOptions) => core.request<T.Payment>({ method: 'GET', path: at(path, id), options }),
    /** Every payment of the client, single or in a batch, newest first. */
    list: lister<T.Payment, T.PaymentListParams>(core, path),
    /** The payment's status history: every change with its time and cause. */
    history: async (id: string, options?: RequestOptions) =>
      (await core.request<{ data: T.PaymentStatusChange[] }>({ method: 'GET', path: `${at(path, id)}/events`, options })).data,
    ...approvals<T.Payment>(core, path),
  };
}

export function paymentBatchesResource(core: Core) {
  const path = '/v1/payment-batches';
  return {
    /** Creates a batch of 1 to 1,000 payments; any invalid payment refuses all of it (every problem listed). */
    create: (params: T.PaymentBatchCreateParams, options?: RequestOptions) =>
      core.request<T.PaymentBatch>({ method: 'POST', path, body: params, idempotent: true, options }),
    /** Checks a batch as create would, storing nothing and using up no customer reference (dry run). */
    validate: (params: T.PaymentBatchCreateParams, options?: RequestOptions) =>
      core.request<T.ValidationResult>({ method: 'POST', path: `${path}/validate`, body: params, options }),
    /** The batch with its payments and summary. */
    get: (id: string, options?: RequestOptions) => core.request<T.PaymentBatch>({ method: 'GET', path: at(path, id), options }),
    /** Batches newest first, without their payments (get one for those). */
    list: lister<T.PaymentBatchSummary, T.PaymentBatchListParams>(core, path),
    ...approvals<T.PaymentBatch>(core, path),
  };
}

export function accountsResource(core: Core) {
  const path = '/v1/accounts';
  return {
    /** Registers a sender account (scope accounts:write). */
    create: (params: T.AccountCreateParams, options?: RequestOptions) =>
      core.request<T.Account>({ method: 'POST', path, body: params, idempotent: true, options }),
    get: (id: string, options?: RequestOptions) => core.request<T.Account>({ method: 'GET', path: at(path, id), options }),
    list: lister<T.Account, T.AccountListParams>(core, path),
  };
}

export function webhookEndpointsResource(core: Core) {
  const path = '/v1/webhook-endpoints';
  return {
    /** Registers an endpoint; the answer's `secret` (whsec_…) is shown only here. */
    create: (params: T.WebhookEndpointCreateParams, options?: RequestOptions) =>
      core.request<T.WebhookEndpointWithSecret>({ method: 'POST', path, body: params, idempotent: true, options }),
    get: (id: string, options?: RequestOptions) => core.request<T.WebhookEndpoint>({ method: 'GET', path: at(path, id), options }),
    list: lister<T.WebhookEndpoint, T.WebhookEndpointListParams>(core, path),
    /** Deletes it; its pending deliveries are canceled. */
    del: async (id: string, options?: RequestOptions): Promise<void> => {
      await core.request<void>({ method: 'DELETE', path: at(path, id), options });
    },
    /** A new signing secret; both sign for 24 hours. */
    rotateSecret: (id: string, options?: RequestOptions) =>
      core.request<T.WebhookEndpointWithSecret>({ method: 'POST', path: `${at(path, id)}/rotate-secret`, idempotent: true, options }),
    /** The endpoint's deliveries, newest first, each with its attempts. */
    deliveries: (id: string, params?: T.WebhookDeliveryListParams, options?: RequestOptions) =>
      lister<T.WebhookDelivery, T.WebhookDeliveryListParams>(core, `${at(path, id)}/deliveries`)(params, options),
  };
}

export function eventsResource(core: Core) {
  const path = '/v1/events';
  return {
    get: (id: string, options?: RequestOptions) => core.request<T.Event>({ method: 'GET', path: at(path, id), options }),
    /** Events newest first, filterable by `type` and `objectId` (pollable instead of webhooks). */
    list: lister<T.Event, T.EventListParams>(core, path),
    /** Delivers the event again (to `endpointId`, or to every subscribed endpoint). */
    redeliver: (id: string, params: T.EventRedeliverParams = {}, options?: RequestOptions) =>
      core.request<T.Redelivery>({ method: 'POST', path: `${at(path, id)}/redeliver`, body: params, idempotent: true, options }),
  };
}

export function approvalsResource(core: Core) {
  return {
    /** The approvals of the caller's organisation, newest first (`status: 'PENDING'`: what waits). */
    list: lister<T.Approval, T.ApprovalListParams>(core, '/v1/approvals'),
  };
}

export function clientKeysResource(core: Core) {
  const path = '/v1/clients/me/jwks';
  return {
    /** The client's registered public keys. */
    get: (options?: RequestOptions) => core.request<T.ClientJwks>({ method: 'GET', path, options }),
    /** Replaces them (scope keys:write). */
    set: (jwks: T.ClientJwksInput, options?: RequestOptions) => core.request<T.ClientJwks>({ method: 'PUT', path, body: jwks, options }),
  };
}
