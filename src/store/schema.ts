// The tables, as Kysely sees them. Conventions, the same on SQLite and PostgreSQL:
// timestamps are ISO-8601 UTC text of fixed width (they sort as text); booleans are 0/1 integers;
// lists and objects are JSON text; money is a bigint of minor units (read back as a JS number).
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export interface ClientsTable {
  id: string;
  name: string;
  mode: 'test' | 'live';
  /** JSON array of scope names. */
  scopes: string;
  unlimited: number;
  /** JSON object of per-client rate-limit overrides, or null for the defaults. */
  rate_limits: string | null;
  require_encryption: number;
  /** JSON Web Key Set the client registered (public keys only), or null. */
  jwks: string | null;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
  /** Access tokens issued (iat) before this instant are refused; null: none are (migration 0009). */
  tokens_not_before: string | null;
  /** Key changes through the API need a token whose credential is not older than this (migration 0009). */
  keys_not_before: string | null;
  /** The organisation the client belongs to (migration 0013); by default its own id. */
  organisation_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ClientSecretsTable {
  id: string;
  client_id: string;
  /** `hmac-sha256$<digest>`: a peppered HMAC of the secret, never the secret itself. */
  secret_hash: string;
  created_at: string;
  /** After this instant the secret no longer authenticates (set on rotation). */
  expires_at: string | null;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  use: 'sig' | 'enc';
  public_jwk: string;
  /** The private JWK: JSON, or sealed (`aes-256-gcm$v1$…`) when PAYRAIL_MASTER_KEY is set. */
  private_jwk: string;
  created_at: string;
  /** When a newer key took over; the public half is still published until tokens expire. */
  retired_at: string | null;
}

/** Every change of a client's registered keys (migration 0009); append-only. */
export interface ClientKeyChangesTable {
  id: string;
  client_id: string;
  /** Who made the change: `operator` (the CLI) or `client` (the client itself, through the API). */
  actor: 'operator' | 'client';
  /** What caused it: `keys-set`, `jwks-put`, `rotate-secret`, `disable`. */
  reason: string;
  /** JSON arrays of `{kid, use, thumbprint}` (replaced: `{kid, use, thumbprint, previousThumbprint}`). */
  added: string;
  replaced: string;
  revoked: string;
  /** API changes: the access token's jti and the source address (as the failure limiter sees it). */
  token_jti: string | null;
  source_address: string | null;
  /** CLI changes: the operating-system user who ran the command, when known. */
  os_user: string | null;
  created_at: string;
}

/** private_key_jwt replay store: an assertion's (client, jti), kept until the assertion expires. */
export interface ClientAssertionJtisTable {
  client_id: string;
  jti: string;
  expires_at: string;
}

export interface AccountsTable {
  id: string;
  client_id: string;
  name: string;
  bank: string;
  account_number: string;
  market: 'HK' | 'SG';
  /** JSON array of ISO 4217 codes. */
  currencies: string;
  /** The holder's legal name (pain.001 Dbtr/Nm), when given. */
  legal_name: string | null;
  /** ISO 3166-1 alpha-2 (Dbtr/PstlAdr/Ctry). */
  country: string | null;
  /** JSON array of address lines (Dbtr/PstlAdr/AdrLine). */
  address: string | null;
  /** The bank's id for the customer (InitgPty/Id/OrgId/Othr/Id). */
  bank_customer_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface PaymentsTable {
  id: string;
  client_id: string;
  mode: 'test' | 'live';
  type: string;
  status: string;
  /** Minor units of `currency`. */
  amount: number;
  currency: string;
  sender_account_id: string;
  sender_account_currency: string | null;
  /** The requested value date (YYYY-MM-DD). */
  payment_date: string;
  /** The value date the bank used, when it differs (ACWC). */
  actual_payment_date: string | null;
  customer_reference: string;
  payment_details: string | null;
  bank_charge_bearer: string | null;
  /** ISO category purpose code (src/payments/purpose.ts). */
  purpose: string | null;
  /** JSON of the receiver object. */
  receiver: string;
  batch_id: string | null;
  /** A live single payment's pain.001 file, once it is in one (migration 0012); null for batch payments. */
  bank_file_id: ColumnType<string | null, string | null | undefined, string | null>;
  bank_charge_amount: number | null;
  bank_charge_currency: string | null;
  failure_stage: string | null;
  failure_code: string | null;
  failure_message: string | null;
  /** The last bank stage applied (SUBMITTED, ACK1, ACK2, ACK3). */
  bank_stage: string | null;
  /** Worker lease: who is submitting this payment, and until when. */
  lease_owner: string | null;
  lease_until: string | null;
  /** A SUBMITTED single payment's next poll of the bank (migration 0016); null: due at once. */
  next_poll_at: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: string;
  updated_at: string;
  /** The hold (migration 0013): null (no approval needed), PENDING, APPROVED, REJECTED, EXPIRED. */
  approval_status: string | null;
  /** JSON of the approval object as the API shows it, or null. */
  approval: string | null;
}

export interface PaymentStatusChangesTable {
  id: string;
  payment_id: string;
  /**
   * CREATED, SUBMITTED, ACK1, ACK2 or ACK3. A status from a bank file is recorded once per (payment,
   * file, stage, status); one from the API transport (no file) once per (payment, stage).
   */
  stage: string;
  from_status: string | null;
  to_status: string;
  /** The bank's status code (ACTC, ACCP, ACSC, RJCT, ACWC…). */
  bank_status: string | null;
  reason_code: string | null;
  message: string | null;
  /** JSON of what changed besides the status (actualPaymentDate, bank charge). */
  changes: string | null;
  bank_file_id: string | null;
  /** Where the bank gave the status: group, paymentInfo or transaction (null: not from a file). */
  level: ColumnType<string | null, string | null | undefined, string | null>;
  /** The bank's own words (StsRsnInf/AddtlInf lines, joined), when it gave any. */
  reason_text: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: string;
}

export interface EventsTable {
  id: string;
  client_id: string;
  type: string;
  object_type: string;
  object_id: string;
  /** 1, 2, 3… per object, so a receiver can tell the order of events about one object. */
  object_sequence: number;
  /** JSON of the object at that moment. */
  data: string;
  created_at: string;
}

export interface IdempotencyKeysTable {
  client_id: string;
  key: string;
  fingerprint: string;
  state: 'in_flight' | 'done';
  response_status: number | null;
  response_body: string | null;
  /** While in flight: after this instant a crashed request's claim may be taken over. */
  locked_until: string | null;
  created_at: string;
  expires_at: string;
}

export interface SandboxBankApiPaymentsTable {
  payment_id: string;
  instruction: string;
  received_at: string;
}

export interface BatchesTable {
  id: string;
  client_id: string;
  mode: 'test' | 'live';
  type: string;
  status: string;
  payment_date: string;
  currency: string;
  sender_account_id: string;
  sender_account_currency: string | null;
  /** ISO category purpose code of the batch (its payments without their own take it). */
  purpose: string | null;
  payment_count: number;
  /** Sum of the payments' amounts, minor units. */
  total_amount: number;
  /** ACK1 once the bank accepted (or rejected) the file. */
  bank_stage: string | null;
  failure_code: string | null;
  failure_message: string | null;
  lease_owner: string | null;
  lease_until: string | null;
  created_at: string;
  updated_at: string;
  /** The hold (migration 0013): null (no approval needed), PENDING, APPROVED, REJECTED, EXPIRED. */
  approval_status: string | null;
  /** JSON of the approval object as the API shows it, or null. */
  approval: string | null;
  /** The value date a late approval rolled the batch to (its file carries it), or null. */
  actual_payment_date: string | null;
}

export interface BankFilesTable {
  id: string;
  /** out: a pain.001 payrail sends; in: a pain.002 the bank sent. */
  direction: 'out' | 'in';
  name: string;
  message_id: string | null;
  batch_id: string | null;
  /** SHA-256 of the content, hex; unique among received files (a file is identified by its content). */
  checksum: string;
  /** out: generated → uploaded; in: applied or rejected. */
  state: string;
  /** A received report's GrpHdr/CreDtTm as written (which of two reports the bank wrote first). */
  report_created_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** Which endpoint the file went to or came from: `sandbox`, or a bank connection's id (0010). */
  connection_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** out: when the file reached the bank; the connection's ack timeout counts from here. */
  uploaded_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** out: when `bank-files.overdue` was raised (no ACK1 in time); raised once per file. */
  overdue_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** The pain.001 as generated (re-uploaded byte for byte after a crash). */
  content: string | null;
  /** A single-payment file's verdict from the bank: `accepted`, `rejected` (as a whole, before any acceptance), or null (migration 0012). */
  verdict: ColumnType<string | null, string | null | undefined, string | null>;
  reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookEndpointsTable {
  id: string;
  client_id: string;
  url: string;
  /** JSON array of the event types subscribed to, or null for every type. */
  event_types: string | null;
  /** `whsec_…`: kept in the clear because every delivery is signed with it; never shown again. */
  secret: string;
  /** The secret before the last rotation: it still signs until previous_secret_expires_at. */
  previous_secret: string | null;
  previous_secret_expires_at: string | null;
  status: 'enabled' | 'disabled';
  disabled_reason: string | null;
  disabled_at: string | null;
  /** The first failed attempt since the last successful one (null while deliveries succeed). */
  failing_since: string | null;
  /** Worker lease: one worker delivers to an endpoint at a time, in event order. */
  lease_owner: string | null;
  /** When the lease ends; once released, when that was (the least recently served goes next). */
  lease_until: string | null;
  deleted_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveriesTable {
  id: string;
  event_id: string;
  endpoint_id: string;
  client_id: string;
  status: 'pending' | 'delivered' | 'failed' | 'canceled';
  /** When the next attempt is due (null once the delivery is no longer pending). */
  next_attempt_at: string | null;
  /** The first attempt of the current round (a redelivery starts a new round). */
  round_started_at: string | null;
  round_attempts: number;
  attempt_count: number;
  created_at: string;
  updated_at: string;
}

export interface WebhookAttemptsTable {
  id: string;
  delivery_id: string;
  attempted_at: string;
  /** The HTTP status the receiver answered, or null when there was no answer (see error). */
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export interface CalendarClosuresTable {
  market: 'HK' | 'SG';
  date: string;
  reason: string | null;
  created_at: string;
}

/** A live bank payrail talks to over SFTP (BANKS.md §1); secrets sealed, never listed. */
export interface BankConnectionsTable {
  id: string;
  name: string;
  /** JSON array of the BICs given (8 or 11 characters); routing uses their 8-character prefixes. */
  bics: string;
  profile: string;
  sftp_host: string;
  sftp_port: number;
  sftp_user: string;
  /** Absolute folder on the server holding outbox/, inbox/, archive/, error/. */
  sftp_root: string;
  /** payrail's SFTP private key: sealed (`aes-256-gcm$v1$…`) when PAYRAIL_MASTER_KEY is set. */
  sftp_private_key: string;
  /** The pinned host key: an OpenSSH public key line or a `SHA256:` fingerprint. */
  sftp_host_key: string;
  /** The bank's OpenPGP public key, ASCII-armoured; null: files travel without OpenPGP. */
  pgp_bank_key: string | null;
  /** 1: payrail's files ASCII-armoured; 0: binary. */
  pgp_armor: number;
  /** 1: an acknowledgement that is not signed by the bank's key is set aside. */
  require_signed_acks: number;
  customer_id: string | null;
  ack_timeout_minutes: number;
  /** Poll state, written by whichever instance polls: last successful poll, last failure. */
  last_poll_at: string | null;
  last_poll_error: string | null;
  last_error_at: string | null;
  created_at: string;
  updated_at: string;
}

/** An approval policy (migration 0013): per client, or per sender account of the client. */
export interface ApprovalPoliciesTable {
  id: string;
  client_id: string;
  /** null: the client's policy; else the account's, which replaces the client's for that account. */
  account_id: string | null;
  /** Minor units: an amount (a batch's total) above this needs approval; 0: everything. */
  above: number;
  /** 1 or 2 distinct approvers. */
  approvers: number;
  created_at: string;
  updated_at: string;
}

/** The 8-character BIC prefixes a connection serves; one connection per prefix. */
export interface BankConnectionBicsTable {
  prefix: string;
  connection_id: string;
}

/** One batch or single payment held for approval (migration 0013). */
export interface ApprovalsTable {
  id: string;
  organisation_id: string;
  /** The client that created the object. */
  client_id: string;
  /** The creator's mode: only a client of the same mode decides it or lists it. */
  mode: 'test' | 'live';
  object_type: 'payment-batch' | 'payment';
  object_id: string;
  status: 'PENDING' | 'APPROVED' | 'REJECTED' | 'EXPIRED';
  required: number;
  amount: number;
  currency: string;
  /** The principal that created the object (`cli_…`): it may never approve it. */
  created_by: string;
  /** JSON array of `{by, at}`, in the order given. */
  approvals: string;
  /** JSON `{by, at, reason}` once rejected. */
  rejection: string | null;
  /**
   * JSON array of console user ids, for work a console user made: that user and the set_up_by
   * chain of their account when it was made (migration 0017); null for work a client made.
   */
  maker_controllers: ColumnType<string | null, string | null | undefined, string | null>;
  expires_at: string;
  decided_at: string | null;
  created_at: string;
  updated_at: string;
}

/** The audit log (migration 0013): append-only; UPDATE and DELETE are refused by a trigger. */
export interface AuditLogTable {
  id: string;
  /** `client` (an API client), `operator` (the CLI) or `system` (a worker, e.g. approval expiry). */
  actor_kind: string;
  /** The client id, the operating-system user of the CLI, or the worker's name. */
  actor_id: string;
  source_address: string | null;
  os_user: string | null;
  /** e.g. `approval.approve`, `approval_policy.set`, `client.create`. */
  action: string;
  object_type: string;
  object_id: string;
  /** JSON object: what changed. */
  details: string;
  created_at: string;
}

/** People who sign in to the console (migration 0014). */
export interface ConsoleUsersTable {
  /** `usr_…` */
  id: string;
  /** As given at creation. */
  email: string;
  /** Lower-cased email: unique. */
  email_key: string;
  role: 'viewer' | 'maker' | 'approver' | 'admin';
  /** `pending` (set-up link not used yet), `active`, `disabled`. */
  status: 'pending' | 'active' | 'disabled';
  /** Argon2id PHC string; null until set up. */
  password_hash: string | null;
  /** Base32 TOTP secret, sealed with PAYRAIL_MASTER_KEY when set; null without TOTP. */
  totp_secret: string | null;
  /** The last TOTP time step accepted (a code is used once). */
  totp_last_step: number | null;
  failed_count: number;
  locked_until: string | null;
  last_sign_in_at: string | null;
  /**
   * The console user who created or last reset this account (they held its set-up link; migration
   * 0017); null when the operator did it with the CLI. They never approve this account's work.
   */
  set_up_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ConsoleUserClientsTable {
  user_id: string;
  client_id: string;
}

/** Server-side console sessions: `id` is the SHA-256 (hex) of the cookie's token. */
export interface ConsoleSessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  source_address: string | null;
  created_at: string;
  last_seen_at: string;
  /** Absolute end, whatever the activity. */
  expires_at: string;
}

/** One-time set-up links: `id` is the SHA-256 (hex) of the link's token. */
export interface ConsoleSetupLinksTable {
  id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface Tables {
  clients: ClientsTable;
  client_secrets: ClientSecretsTable;
  signing_keys: SigningKeysTable;
  client_assertion_jtis: ClientAssertionJtisTable;
  accounts: AccountsTable;
  settings: SettingsTable;
  payments: PaymentsTable;
  payment_status_changes: PaymentStatusChangesTable;
  events: EventsTable;
  idempotency_keys: IdempotencyKeysTable;
  sandbox_bank_api_payments: SandboxBankApiPaymentsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  batches: BatchesTable;
  bank_files: BankFilesTable;
  calendar_closures: CalendarClosuresTable;
  client_key_changes: ClientKeyChangesTable;
  bank_connections: BankConnectionsTable;
  bank_connection_bics: BankConnectionBicsTable;
  approval_policies: ApprovalPoliciesTable;
  approvals: ApprovalsTable;
  audit_log: AuditLogTable;
  console_users: ConsoleUsersTable;
  console_user_clients: ConsoleUserClientsTable;
  console_sessions: ConsoleSessionsTable;
  console_setup_links: ConsoleSetupLinksTable;
}

export type ClientRow = Selectable<ClientsTable>;
export type ClientKeyChangeRow = Selectable<ClientKeyChangesTable>;
export type AccountRow = Selectable<AccountsTable>;
export type SigningKeyRow = Selectable<SigningKeysTable>;
export type NewClientRow = Insertable<ClientsTable>;
export type PaymentRow = Selectable<PaymentsTable>;
export type EventRow = Selectable<EventsTable>;
export type PaymentStatusChangeRow = Selectable<PaymentStatusChangesTable>;
export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type WebhookAttemptRow = Selectable<WebhookAttemptsTable>;
export type BatchRow = Selectable<BatchesTable>;
export type ApprovalPolicyRow = Selectable<ApprovalPoliciesTable>;
export type ApprovalRow = Selectable<ApprovalsTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type ConsoleUserRow = Selectable<ConsoleUsersTable>;
export type ConsoleSessionRow = Selectable<ConsoleSessionsTable>;
// report_created_at is optional in a row built before it is stored (an out file has none).
export type BankFileRow = Omit<Selectable<BankFilesTable>, 'report_created_at' | 'connection_id' | 'uploaded_at' | 'overdue_at' | 'verdict'> & {
  report_created_at?: string | null;
  connection_id?: string | null;
  uploaded_at?: string | null;
  overdue_at?: string | null;
  verdict?: string | null;
};
export type BankConnectionRow = Selectable<BankConnectionsTable>;

// Re-exported for tables that later migrations add.
export type { ColumnType, Generated };
