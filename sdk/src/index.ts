// @payrail/sdk: a TypeScript client for payrail (SPEC §12). See sdk/README.md.
export { Payrail } from './client.ts';
export { Payrail as default } from './client.ts';
export type { PayrailOptions, RequestOptions, ApiRequest } from './core.ts';
export { SDK_VERSION } from './core.ts';
export * from './errors.ts';
export type { EncryptionKeys } from './messages.ts';
export type { ListParams, ListResult, Page } from './pagination.ts';
export type { RetryPolicy } from './retry.ts';
export type * from './types.ts';
export type { components, operations } from './openapi.ts';
export { verifyWebhook } from './webhooks.ts';
export type { VerifyOptions, WebhookHeaders } from './webhooks.ts';
