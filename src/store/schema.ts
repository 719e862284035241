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
  private_jwk: string;
  created_at: string;
  /** When a newer key took over; the public half is still published until tokens expire. */
  retired_at: string | null;
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
  created_at: string;
  updated_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface Tables {
  clients: ClientsTable;
  client_secrets: ClientSecretsTable;
  signing_keys: SigningKeysTable;
  accounts: AccountsTable;
  settings: SettingsTable;
}

export type ClientRow = Selectable<ClientsTable>;
export type AccountRow = Selectable<AccountsTable>;
export type SigningKeyRow = Selectable<SigningKeysTable>;
export type NewClientRow = Insertable<ClientsTable>;

// Re-exported for tables that later migrations add.
export type { ColumnType, Generated };
