// Clients: the businesses (or their systems) that call the API. Created by the operator with the
// CLI; authenticate at the token endpoint with a secret or a signed assertion (their keys).
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import { DEFAULT_SCOPES } from '../auth/scopes.ts';
import type { Scope } from '../auth/scopes.ts';
import { generateClientSecret, generatePepper, hashClientSecret, verifyClientSecret } from '../auth/secrets.ts';
import type { Db, DbOrTx } from '../store/database.ts';
import { getOrCreateSetting } from '../store/settings.ts';
import { prepared } from '../store/prepared.ts';
import type { Outbox } from '../events/outbox.ts';
import type { ClientJwks } from '../jose/client-keys.ts';
import type { ClientRow } from '../store/schema.ts';
import { diffKeys, isEmptyDiff, keyRefs, operatorOrigin, recordKeyChange, toKeyChange } from './key-changes.ts';
import type { KeyChange, KeyChangeActor, KeyChangeOrigin, KeyChangeReason } from './key-changes.ts';

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
  /** Access tokens issued before this instant are refused (set by a rotation without grace). */
  tokensNotBefore: string | null;
  /**
   * Key changes through the API need a token obtained with a credential no older than this
   * (the last rotate-secret or disable, grace or not); null: never revoked.
   */
  keysNotBefore: string | null;
  /** The organisation (SPEC §10): its clients approve each other's payments. By default the client's own id. */
  organisationId: string;
  createdAt: string;
}

export interface CreateClientInput {
  name: string;
  mode?: ClientMode;
  scopes?: Scope[];
  unlimited?: boolean;
  /**
   * The organisation to join: a name, or another client's id (`cli_…`: that client's organisation
   * is joined); default: an organisation of its own.
   */
  organisation?: string;
}

/**
 * Written inside the transaction of a client change (the audit entry of the CLI's change), with
 * what the change did: the change and its record are committed together or not at all.
 */
export type ChangeRecorder<R> = (tx: DbOrTx, result: R) => Promise<void>;

/** A value of `--organisation` that names a client (its id), not an organisation. */
export function isClientIdRef(organisation: string): boolean {
  return organisation.startsWith('cli_');
}

/** A change of a client's rate limits: overrides (null: back to the defaults) and/or `unlimited`; undefined stays. */
export interface RateLimitChange {
  rateLimits?: Record<string, unknown> | null;
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
    tokensNotBefore: row.tokens_not_before,
    keysNotBefore: row.keys_not_before,
    organisationId: row.organisation_id ?? row.id,
    createdAt: row.created_at,
  };
}

export interface ClientsServiceDeps {
  db: Db;
  clock: Clock;
  /** `clients.keys_changed` events are written with the key change. */
  outbox: Outbox;
}

/** What revoking a client's access did (rotate-secret, disable). */
export interface Revocation {
  /** How many registered keys were removed (0 with `keepKeys`, or when none were registered). */
  keysRevoked: number;
  /** The recorded key change, when keys were removed. */
  keyChange?: KeyChange;
  /**
   * The client's webhook endpoints created, or whose secret was rotated, in the last
   * RECENT_ENDPOINTS_MS: what a thief with a token could have added, for the operator to review.
   */
  recentWebhookEndpoints: RecentWebhookEndpoint[];
}

export interface RecentWebhookEndpoint {
  id: string;
  url: string;
  createdAt: string;
}

/** How far back rotate-secret and disable list webhook endpoints (an access token lives 15 minutes; a secret may leak long before it is noticed). */
export const RECENT_ENDPOINTS_MS = 24 * 3600_000;

/** Who asks the API to change keys: the access token used and where the request came from. */
export interface ClientKeyRequest {
  /** When the credential that obtained the token was issued (ms): a secret's creation, or the token's issue for an assertion. */
  credentialAt: number;
  tokenJti: string;
  sourceAddress: string;
}

/** A client authenticated by its secret, and when that secret was issued (ms). */
export interface SecretAuthentication {
  client: Client;
  credentialAt: number;
}

/** A client by id: read by every authenticated request (src/auth/bearer.ts). */
const clientById = prepared<{ id: string }, ClientRow>((db, arg) => db.selectFrom('clients').selectAll().where('id', '=', arg('id')));

export function createClientsService({ db, clock, outbox }: ClientsServiceDeps) {
  let pepper: Promise<string> | undefined;
  const getPepper = () => (pepper ??= getOrCreateSetting(db, 'client_secret_pepper', generatePepper));

  async function get(id: string, tx: DbOrTx = db): Promise<Client | undefined> {
    const row = await clientById.first(tx, { id });
    return row ? toClient(row) : undefined;
  }

  async function mustGet(id: string, tx: DbOrTx = db): Promise<Client> {
    const client = await get(id, tx);
    if (!client) throw new AppError('NOT_FOUND', 'Not found', `No client with id '${id}'`);
    return client;
  }

  /**
   * Reads a client inside `tx` after touching its row: the UPDATE takes the row lock on
   * PostgreSQL (SQLite's write transactions are serial anyway), so concurrent key changes of one
   * client are applied one after the other and each records what it really changed.
   */
  async function lockClient(tx: DbOrTx, id: string): Promise<ClientRow> {
    await tx
      .updateTable('clients')
      .set({ updated_at: isoAt(clock()) })
      .where('id', '=', id)
      .execute();
    const row = await tx.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', 'Not found', `No client with id '${id}'`);
    return row;
  }

  /** Writes the client's new key set; records the change and its event if anything changed. */
  async function replaceKeys(
    tx: DbOrTx,
    client: ClientRow,
    jwks: ClientJwks | null,
    by: KeyChangeActor,
    reason: KeyChangeReason,
    origin: KeyChangeOrigin,
  ): Promise<KeyChange | undefined> {
    const before = await keyRefs(client.jwks ? (JSON.parse(client.jwks) as ClientJwks) : null);
    const after = await keyRefs(jwks);
    await tx
      .updateTable('clients')
      .set({ jwks: jwks && jwks.keys.length > 0 ? JSON.stringify(jwks) : null })
      .where('id', '=', client.id)
      .execute();
    const diff = diffKeys(before, after);
    if (isEmptyDiff(diff)) return undefined;
    return recordKeyChange(tx, { outbox, clock }, { clientId: client.id, by, reason, origin, diff, keysNow: after });
  }

  /** Removes every registered key (the operator's doing). */
  async function revokeKeys(tx: DbOrTx, client: ClientRow, reason: KeyChangeReason): Promise<Omit<Revocation, 'recentWebhookEndpoints'>> {
    const keyChange = await replaceKeys(tx, client, null, 'operator', reason, operatorOrigin());
    return { keysRevoked: keyChange?.revoked.length ?? 0, ...(keyChange && { keyChange }) };
  }

  /** The client's live webhook endpoints created or re-keyed within RECENT_ENDPOINTS_MS of `now`. */
  async function recentWebhookEndpoints(clientId: string, now: number): Promise<RecentWebhookEndpoint[]> {
    const since = isoAt(now - RECENT_ENDPOINTS_MS);
    // A rotation keeps the previous secret signing for 24 h: a previous_secret_expires_at still
    // ahead of now means the secret was rotated within the last 24 h (SECRET_ROTATION_GRACE_MS).
    const rows = await db
      .selectFrom('webhook_endpoints')
      .select(['id', 'url', 'created_at'])
      .where('client_id', '=', clientId)
      .where('deleted_at', 'is', null)
      .where((eb) => eb.or([eb('created_at', '>=', since), eb('previous_secret_expires_at', '>', isoAt(now))]))
      .orderBy('created_at', 'asc')
      .execute();
    return rows.map((r) => ({ id: r.id, url: r.url, createdAt: r.created_at }));
  }

  async function addSecret(tx: DbOrTx, clientId: string, mode: ClientMode, now: string): Promise<string> {
    const secret = generateClientSecret(mode);
    await tx
      .insertInto('client_secrets')
      .values({ id: newId('clientSecret'), client_id: clientId, secret_hash: hashClientSecret(await getPepper(), secret), created_at: now, expires_at: null })
      .execute();
    return secret;
  }

  /**
   * The organisation a new client of `mode` joins. A client id joins that client's organisation
   * (unknown: refused). An organisation whose clients have the other mode is refused: a test
   * client there could see and decide live payments' approvals.
   */
  async function organisationToJoin(tx: DbOrTx, requested: string | undefined, mode: ClientMode, id: string): Promise<string> {
    if (requested === undefined) return id;
    let organisationId = requested;
    if (isClientIdRef(requested)) {
      const member = await get(requested, tx);
      if (!member) throw new AppError('NOT_FOUND', 'Not found', `--organisation: no client with id '${requested}'; nothing was created`);
      organisationId = member.organisationId;
    }
    const other = await tx
      .selectFrom('clients')
      .select('id')
      .where('organisation_id', '=', organisationId)
      .where('mode', '!=', mode)
      .limit(1)
      .executeTakeFirst();
    if (other) {
      throw new AppError(
        'BAD_REQUEST',
        'Organisation refused',
        `--organisation: organisation '${organisationId}' has ${mode === 'live' ? 'test' : 'live'}-mode clients, and the clients of an organisation must all have one mode (a ${mode} client cannot approve their payments); use another organisation for ${mode} clients; nothing was created`,
      );
    }
    return organisationId;
  }

  return {
    get,

    /**
     * Creates a client and its first secret, in one transaction with `record`; the secret is
     * returned here and never again.
     */
    async create(input: CreateClientInput, record?: ChangeRecorder<Client>): Promise<{ client: Client; secret: string }> {
      // Read (or created) before the transaction, on its own connection (see rotateSecret).
      await getPepper();
      const now = isoAt(clock());
      const id = newId('client');
      const mode = input.mode ?? 'test';
      return db.transaction().execute(async (tx) => {
        const organisationId = await organisationToJoin(tx, input.organisation, mode, id);
        await tx
          .insertInto('clients')
          .values({
            id,
            name: input.name,
            mode,
            scopes: JSON.stringify(input.scopes && input.scopes.length > 0 ? input.scopes : DEFAULT_SCOPES),
            unlimited: input.unlimited ? 1 : 0,
            rate_limits: null,
            require_encryption: 0,
            jwks: null,
            disabled_at: null,
            created_at: now,
            updated_at: now,
            tokens_not_before: null,
            organisation_id: organisationId,
          })
          .execute();
        const secret = await addSecret(tx, id, mode, now);
        const client = await mustGet(id, tx);
        await record?.(tx, client);
        return { client, secret };
      });
    },

    async list(): Promise<Client[]> {
      const rows = await db.selectFrom('clients').selectAll().orderBy('id', 'asc').execute();
      return rows.map(toClient);
    },

    /**
     * Issues a new secret. Older secrets stop working after `graceSeconds` (0: at once), so a
     * deployment can roll over without downtime. Unless `keepKeys`, every registered key is
     * revoked too: a rotation answers a leak, and a key planted with a stolen token would
     * otherwise outlive the secret. Without grace, the client's access tokens issued before now
     * are refused as well; with grace, they run out by themselves (15 minutes) during the roll-over.
     */
    async rotateSecret(
      id: string,
      graceSeconds = 0,
      options: { keepKeys?: boolean; record?: ChangeRecorder<{ keysRevoked: number }> } = {},
    ): Promise<{ client: Client; secret: string } & Revocation> {
      // Read (or created) before the transaction: it uses its own connection, which on SQLite
      // would wait forever for the one the transaction holds.
      await getPepper();
      const now = clock();
      const cutoff = isoAt(now + graceSeconds * 1000);
      const { secret, revocation } = await db.transaction().execute(async (tx) => {
        const client = await lockClient(tx, id);
        await tx
          .updateTable('client_secrets')
          .set({ expires_at: cutoff })
          .where('client_id', '=', id)
          .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', cutoff)]))
          .execute();
        // Grace or not, no token of an older credential may change the keys from now on.
        await tx
          .updateTable('clients')
          .set({ keys_not_before: isoAt(now) })
          .where('id', '=', id)
          .execute();
        if (graceSeconds === 0)
          await tx
            .updateTable('clients')
            .set({ tokens_not_before: isoAt(now) })
            .where('id', '=', id)
            .execute();
        const revocation = options.keepKeys ? { keysRevoked: 0 } : await revokeKeys(tx, client, 'rotate-secret');
        const secret = await addSecret(tx, id, client.mode, isoAt(now));
        await options.record?.(tx, revocation);
        return { secret, revocation };
      });
      return { client: await mustGet(id), secret, ...revocation, recentWebhookEndpoints: await recentWebhookEndpoints(id, now) };
    },

    /**
     * Disables a client: no new tokens, and its outstanding ones are refused (bearer checks the
     * client on every request). Unless `keepKeys`, its registered keys are revoked too, so that
     * enabling it again some day does not bring back a key nobody vetted since.
     */
    async disable(
      id: string,
      options: { keepKeys?: boolean; record?: ChangeRecorder<{ keysRevoked: number }> } = {},
    ): Promise<{ client: Client } & Revocation> {
      const at = clock();
      const revocation = await db.transaction().execute(async (tx) => {
        const client = await lockClient(tx, id);
        const now = isoAt(at);
        await tx.updateTable('clients').set({ disabled_at: now }).where('id', '=', id).where('disabled_at', 'is', null).execute();
        await tx.updateTable('clients').set({ keys_not_before: now }).where('id', '=', id).execute();
        const revocation = options.keepKeys ? { keysRevoked: 0 } : await revokeKeys(tx, client, 'disable');
        await options.record?.(tx, revocation);
        return revocation;
      });
      return { client: await mustGet(id), ...revocation, recentWebhookEndpoints: await recentWebhookEndpoints(id, at) };
    },

    /**
     * Sets a client's rate-limit overrides (null: back to the defaults) and/or its `unlimited`
     * flag; what is left undefined stays; `change` may be made from the client as locked here. The
     * overrides are validated by the caller. `record`
     * runs in the same transaction, with the client before and after (the audit entry).
     */
    async setRateLimits(
      id: string,
      change: RateLimitChange | ((current: Client) => RateLimitChange),
      record?: ChangeRecorder<{ before: Client; after: Client }>,
    ): Promise<Client> {
      return db.transaction().execute(async (tx) => {
        // Locked and read in the transaction: a change made of the current limits (set-limits'
        // flags applied to them) is never made of a copy another run has replaced meanwhile.
        const before = toClient(await lockClient(tx, id));
        const { rateLimits, unlimited } = typeof change === 'function' ? change(before) : change;
        await tx
          .updateTable('clients')
          .set({
            ...(rateLimits !== undefined && { rate_limits: rateLimits === null ? null : JSON.stringify(rateLimits) }),
            ...(unlimited !== undefined && { unlimited: unlimited ? 1 : 0 }),
          })
          .where('id', '=', id)
          .execute();
        const after = await mustGet(id, tx);
        await record?.(tx, { before, after });
        return after;
      });
    },

    /**
     * Replaces the client's public keys (validated by the caller: src/jose/client-keys.ts),
     * recording the change and its event when something changed. The client itself (`request`
     * given) may do so only with a token whose credential is not older than its last rotation or
     * disable (keys_not_before): checked under the row lock, so a rotation cannot slip in between.
     */
    async setKeys(id: string, jwks: ClientJwks, by: KeyChangeActor, request?: ClientKeyRequest): Promise<ClientJwks> {
      await db.transaction().execute(async (tx) => {
        const client = await lockClient(tx, id);
        if (by === 'client') {
          if (!request) throw new Error('a key change by the client needs its token');
          if (client.keys_not_before !== null && request.credentialAt < Date.parse(client.keys_not_before)) {
            throw new AppError(
              'KEY_CHANGE_NEEDS_CURRENT_CREDENTIAL',
              'Key change refused',
              "Keys can be changed only with an access token obtained with the client's current secret (or a registered key) after its last secret rotation or key revocation: get a new token with the new secret",
            );
          }
          await replaceKeys(tx, client, jwks, by, 'jwks-put', { tokenJti: request.tokenJti, sourceAddress: request.sourceAddress, osUser: null });
        } else {
          await replaceKeys(tx, client, jwks, by, 'keys-set', operatorOrigin());
        }
      });
      return jwks;
    },

    /**
     * Changes a client's settings in one transaction with `record`: its scopes (validated by the
     * caller; its tokens keep theirs until they expire) and/or whether encryption is required.
     */
    async update(id: string, change: { scopes?: readonly Scope[]; requireEncryption?: boolean }, record?: ChangeRecorder<Client>): Promise<Client> {
      return db.transaction().execute(async (tx) => {
        await lockClient(tx, id);
        await tx
          .updateTable('clients')
          .set({
            ...(change.scopes !== undefined && { scopes: JSON.stringify([...new Set(change.scopes)]) }),
            ...(change.requireEncryption !== undefined && { require_encryption: change.requireEncryption ? 1 : 0 }),
          })
          .where('id', '=', id)
          .execute();
        const client = await mustGet(id, tx);
        await record?.(tx, client);
        return client;
      });
    },

    /** Replaces a client's scopes (validated by the caller); its tokens keep theirs until they expire. */
    async setScopes(id: string, scopes: readonly Scope[]): Promise<Client> {
      await mustGet(id);
      await db
        .updateTable('clients')
        .set({ scopes: JSON.stringify([...new Set(scopes)]), updated_at: isoAt(clock()) })
        .where('id', '=', id)
        .execute();
      return mustGet(id);
    },

    /** The enabled clients holding `scope` (for the start-up warning about keys:write). */
    async withScope(scope: Scope): Promise<Client[]> {
      const rows = await db.selectFrom('clients').selectAll().where('disabled_at', 'is', null).orderBy('id', 'asc').execute();
      return rows.map(toClient).filter((c) => c.scopes.includes(scope));
    },

    /** The changes of a client's keys, newest first. */
    async keyChangesOf(id: string): Promise<KeyChange[]> {
      const rows = await db.selectFrom('client_key_changes').selectAll().where('client_id', '=', id).orderBy('id', 'desc').execute();
      return rows.map(toKeyChange);
    },

    /** The client's registered public keys, or null when it registered none. */
    async keysOf(id: string): Promise<ClientJwks | null> {
      const row = await db.selectFrom('clients').select('jwks').where('id', '=', id).executeTakeFirst();
      return row?.jwks ? (JSON.parse(row.jwks) as ClientJwks) : null;
    },

    /** Encryption required: the client's plain JSON request bodies are refused (415). */
    async setRequireEncryption(id: string, required: boolean): Promise<Client> {
      await mustGet(id);
      await db
        .updateTable('clients')
        .set({ require_encryption: required ? 1 : 0, updated_at: isoAt(clock()) })
        .where('id', '=', id)
        .execute();
      return mustGet(id);
    },

    /**
     * The client if `secret` is one of its live secrets and it is enabled, with when that secret
     * was issued (an old secret during a rotation's grace obtains tokens that cannot change keys);
     * else undefined.
     */
    async authenticate(id: string, secret: string): Promise<SecretAuthentication | undefined> {
      const client = await get(id);
      const secrets = await db.selectFrom('client_secrets').select(['secret_hash', 'expires_at', 'created_at']).where('client_id', '=', id).execute();
      const now = isoAt(clock());
      const key = await getPepper();
      // Every stored hash is compared (no early exit), so timing does not tell which one matched.
      let issuedAt: string | undefined;
      for (const s of secrets) {
        const live = s.expires_at === null || s.expires_at > now;
        if (verifyClientSecret(key, secret, s.secret_hash) && live) issuedAt = s.created_at;
      }
      if (!client || client.disabled || issuedAt === undefined) return undefined;
      return { client, credentialAt: Date.parse(issuedAt) };
    },
  };
}

export type ClientsService = ReturnType<typeof createClientsService>;
