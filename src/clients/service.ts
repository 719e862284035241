// Clients: the businesses (or their systems) that call the API. Created by the operator with the
// CLI; authenticate at the token endpoint with a secret or a signed assertion (their keys).
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import { SCOPES } from '../auth/scopes.ts';
import type { Scope } from '../auth/scopes.ts';
import { generateClientSecret, generatePepper, hashClientSecret, verifyClientSecret } from '../auth/secrets.ts';
import type { Db } from '../store/database.ts';
import { getOrCreateSetting } from '../store/settings.ts';
import type { ClientJwks } from '../jose/client-keys.ts';
import type { ClientRow } from '../store/schema.ts';

export type ClientMode = 'test' | 'live';

/** A client as the rest of payrail sees it (never its secret). */
export interface Client {
  id: string;
  name: string;
  mode: ClientMode;
  scopes: Scope[];
  unlimited: boolean;
  rateLimits: Record<string, unknown> | null;
  requireEncryption: boolean;
  disabled: boolean;
  createdAt: string;
}

export interface CreateClientInput {
  name: string;
  mode?: ClientMode;
  scopes?: Scope[];
  unlimited?: boolean;
}

export function toClient(row: ClientRow): Client {
  return {
    id: row.id,
    name: row.name,
    mode: row.mode,
    scopes: JSON.parse(row.scopes) as Scope[],
    unlimited: row.unlimited === 1,
    rateLimits: row.rate_limits ? (JSON.parse(row.rate_limits) as Record<string, unknown>) : null,
    requireEncryption: row.require_encryption === 1,
    disabled: row.disabled_at !== null,
    createdAt: row.created_at,
  };
}

export interface ClientsServiceDeps {
  db: Db;
  clock: Clock;
}

export function createClientsService({ db, clock }: ClientsServiceDeps) {
  let pepper: Promise<string> | undefined;
  const getPepper = () => (pepper ??= getOrCreateSetting(db, 'client_secret_pepper', generatePepper));

  async function get(id: string): Promise<Client | undefined> {
    const row = await db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toClient(row) : undefined;
  }

  async function mustGet(id: string): Promise<Client> {
    const client = await get(id);
    if (!client) throw new AppError('NOT_FOUND', 'Not found', `No client with id '${id}'`);
    return client;
  }

  async function addSecret(clientId: string, mode: ClientMode, now: string): Promise<string> {
    const secret = generateClientSecret(mode);
    await db
      .insertInto('client_secrets')
      .values({ id: newId('clientSecret'), client_id: clientId, secret_hash: hashClientSecret(await getPepper(), secret), created_at: now, expires_at: null })
      .execute();
    return secret;
  }

  return {
    get,

    /** Creates a client and its first secret; the secret is returned here and never again. */
    async create(input: CreateClientInput): Promise<{ client: Client; secret: string }> {
      const now = isoAt(clock());
      const id = newId('client');
      const mode = input.mode ?? 'test';
      await db
        .insertInto('clients')
        .values({
          id,
          name: input.name,
          mode,
          scopes: JSON.stringify(input.scopes && input.scopes.length > 0 ? input.scopes : SCOPES),
          unlimited: input.unlimited ? 1 : 0,
          rate_limits: null,
          require_encryption: 0,
          jwks: null,
          disabled_at: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const secret = await addSecret(id, mode, now);
      return { client: await mustGet(id), secret };
    },

    async list(): Promise<Client[]> {
      const rows = await db.selectFrom('clients').selectAll().orderBy('id', 'asc').execute();
      return rows.map(toClient);
    },

    /**
     * Issues a new secret. Older secrets stop working after `graceSeconds` (0: at once), so a
     * deployment can roll over without downtime.
     */
    async rotateSecret(id: string, graceSeconds = 0): Promise<{ client: Client; secret: string }> {
      const client = await mustGet(id);
      const now = clock();
      const cutoff = isoAt(now + graceSeconds * 1000);
      await db
        .updateTable('client_secrets')
        .set({ expires_at: cutoff })
        .where('client_id', '=', id)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', cutoff)]))
        .execute();
      const secret = await addSecret(id, client.mode, isoAt(now));
      return { client, secret };
    },

    async disable(id: string): Promise<Client> {
      await mustGet(id);
      const now = isoAt(clock());
      await db.updateTable('clients').set({ disabled_at: now, updated_at: now }).where('id', '=', id).where('disabled_at', 'is', null).execute();
      return mustGet(id);
    },

    /**
     * Sets a client's rate-limit overrides (null: back to the defaults) and/or its `unlimited`
     * flag; what is left undefined stays. The overrides are validated by the caller.
     */
    async setRateLimits(id: string, change: { rateLimits?: Record<string, unknown> | null; unlimited?: boolean }): Promise<Client> {
      await mustGet(id);
      const now = isoAt(clock());
      await db
        .updateTable('clients')
        .set({
          ...(change.rateLimits !== undefined && { rate_limits: change.rateLimits === null ? null : JSON.stringify(change.rateLimits) }),
          ...(change.unlimited !== undefined && { unlimited: change.unlimited ? 1 : 0 }),
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
      return mustGet(id);
    },

    /** Replaces the client's public keys (validated by the caller: src/jose/client-keys.ts). */
    async setKeys(id: string, jwks: ClientJwks): Promise<ClientJwks> {
      await mustGet(id);
      await db.updateTable('clients').set({ jwks: JSON.stringify(jwks), updated_at: isoAt(clock()) }).where('id', '=', id).execute();
      return jwks;
    },

    /** The client's registered public keys, or null when it registered none. */
    async keysOf(id: string): Promise<ClientJwks | null> {
      const row = await db.selectFrom('clients').select('jwks').where('id', '=', id).executeTakeFirst();
      return row?.jwks ? (JSON.parse(row.jwks) as ClientJwks) : null;
    },

    /** Encryption required: the client's plain JSON request bodies are refused (415). */
    async setRequireEncryption(id: string, required: boolean): Promise<Client> {
      await mustGet(id);
      await db.updateTable('clients').set({ require_encryption: required ? 1 : 0, updated_at: isoAt(clock()) }).where('id', '=', id).execute();
      return mustGet(id);
    },

    /** The client if `secret` is one of its live secrets and it is enabled; else undefined. */
    async authenticate(id: string, secret: string): Promise<Client | undefined> {
      const client = await get(id);
      const secrets = await db.selectFrom('client_secrets').select(['secret_hash', 'expires_at']).where('client_id', '=', id).execute();
      const now = isoAt(clock());
      const key = await getPepper();
      // Every stored hash is compared (no early exit), so timing does not tell which one matched.
      let ok = false;
      for (const s of secrets) {
        const live = s.expires_at === null || s.expires_at > now;
        if (verifyClientSecret(key, secret, s.secret_hash) && live) ok = true;
      }
      if (!client || client.disabled || !ok) return undefined;
      return client;
    },
  };
}

export type ClientsService = ReturnType<typeof createClientsService>;
