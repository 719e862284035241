// Changes of a client's registered public keys (JWKS). A registered signing key obtains tokens by
// private_key_jwt for as long as it stays, so every change is recorded (who, when, which keys by
// kid and RFC 7638 thumbprint) in client_key_changes and told to the client by a
// `clients.keys_changed` event, both in the transaction that changes the keys (outbox).
import { userInfo } from 'node:os';
import { calculateJwkThumbprint } from 'jose';
import type { Clock } from '../clock.ts';
import { isoAt } from '../clock.ts';
import type { Outbox } from '../events/outbox.ts';
import { newId } from '../ids.ts';
import type { ClientJwk, ClientJwks } from '../jose/client-keys.ts';
import type { DbOrTx } from '../store/database.ts';
import type { ClientKeyChangeRow } from '../store/schema.ts';

/** Who changed the keys: the operator (CLI) or the client itself (PUT /v1/clients/me/jwks). */
export type KeyChangeActor = 'operator' | 'client';

/** What caused a change. */
export type KeyChangeReason =
  /** `payrail clients keys set` */
  | 'keys-set'
  /** PUT /v1/clients/me/jwks */
  | 'jwks-put'
  /** `payrail clients rotate-secret` revoked the keys */
  | 'rotate-secret'
  /** `payrail clients disable` revoked the keys */
  | 'disable';

/** A key as a change names it: its kid, its use and the thumbprint of its material. */
export interface KeyRef {
  kid: string;
  use: 'sig' | 'enc';
  thumbprint: string;
}

/** A kid that stayed but now names other key material. */
export interface ReplacedKeyRef extends KeyRef {
  previousThumbprint: string;
}

/** What changed between two key sets. */
export interface KeyDiff {
  added: KeyRef[];
  replaced: ReplacedKeyRef[];
  revoked: KeyRef[];
}

/**
 * Where a change came from, beyond who: for an API change the access token's jti and the source
 * address; for a CLI change the operating-system user who ran it (null when unknown).
 */
export interface KeyChangeOrigin {
  tokenJti: string | null;
  sourceAddress: string | null;
  osUser: string | null;
}

/** One recorded change, as the CLI and the event show it. */
export interface KeyChange extends KeyDiff, KeyChangeOrigin {
  id: string;
  clientId: string;
  by: KeyChangeActor;
  reason: KeyChangeReason;
  changedAt: string;
}

/** The OS user running this process (the operator at the CLI); null if the system cannot say. */
export function currentOsUser(): string | null {
  try {
    return userInfo().username || null;
  } catch {
    // No passwd entry for the uid (containers): not worth failing a change over.
    return null;
  }
}

/** The origin of an operator's change made by this process. */
export function operatorOrigin(): KeyChangeOrigin {
  return { tokenJti: null, sourceAddress: null, osUser: currentOsUser() };
}

async function keyRef(key: ClientJwk): Promise<KeyRef> {
  // The thumbprint covers the public material only (RFC 7638 members), not kid/use/alg.
  const { kid, use, ...material } = key;
  return { kid, use, thumbprint: await calculateJwkThumbprint(material as Parameters<typeof calculateJwkThumbprint>[0], 'sha256') };
}

/** The keys of a set as changes name them. */
export function keyRefs(jwks: ClientJwks | null): Promise<KeyRef[]> {
  return Promise.all((jwks?.keys ?? []).map(keyRef));
}

/** What changed from `before` to `after`, by kid: a kid with other material is `replaced`. */
export function diffKeys(before: readonly KeyRef[], after: readonly KeyRef[]): KeyDiff {
  const old = new Map(before.map((k) => [k.kid, k]));
  const now = new Set(after.map((k) => k.kid));
  const diff: KeyDiff = { added: [], replaced: [], revoked: before.filter((k) => !now.has(k.kid)) };
  for (const key of after) {
    const previous = old.get(key.kid);
    if (!previous) diff.added.push(key);
    else if (previous.thumbprint !== key.thumbprint || previous.use !== key.use) diff.replaced.push({ ...key, previousThumbprint: previous.thumbprint });
  }
  return diff;
}

export function isEmptyDiff(diff: KeyDiff): boolean {
  return diff.added.length === 0 && diff.replaced.length === 0 && diff.revoked.length === 0;
}

export function toKeyChange(row: ClientKeyChangeRow): KeyChange {
  return {
    id: row.id,
    clientId: row.client_id,
    by: row.actor,
    reason: row.reason as KeyChangeReason,
    added: JSON.parse(row.added) as KeyRef[],
    replaced: JSON.parse(row.replaced) as ReplacedKeyRef[],
    revoked: JSON.parse(row.revoked) as KeyRef[],
    tokenJti: row.token_jti,
    sourceAddress: row.source_address,
    osUser: row.os_user,
    changedAt: row.created_at,
  };
}

export interface RecordKeyChange {
  clientId: string;
  by: KeyChangeActor;
  reason: KeyChangeReason;
  origin: KeyChangeOrigin;
  diff: KeyDiff;
  /** The keys registered after the change (the event lists them). */
  keysNow: readonly KeyRef[];
}

/**
 * Records a change inside `tx` and appends its `clients.keys_changed` event there too, so that
 * the keys, the record and the event commit together or not at all.
 */
export async function recordKeyChange(tx: DbOrTx, deps: { outbox: Outbox; clock: Clock }, change: RecordKeyChange): Promise<KeyChange> {
  const now = deps.clock();
  const row: ClientKeyChangeRow = {
    id: newId('clientKeyChange', now),
    client_id: change.clientId,
    actor: change.by,
    reason: change.reason,
    added: JSON.stringify(change.diff.added),
    replaced: JSON.stringify(change.diff.replaced),
    revoked: JSON.stringify(change.diff.revoked),
    token_jti: change.origin.tokenJti,
    source_address: change.origin.sourceAddress,
    os_user: change.origin.osUser,
    created_at: isoAt(now),
  };
  await tx.insertInto('client_key_changes').values(row).execute();
  const recorded = toKeyChange(row);
  await deps.outbox.append(tx, {
    clientId: change.clientId,
    type: 'clients.keys_changed',
    objectType: 'client',
    objectId: change.clientId,
    data: {
      clientId: change.clientId,
      keys: change.keysNow,
      change: { added: recorded.added, replaced: recorded.replaced, revoked: recorded.revoked },
      by: recorded.by,
      reason: recorded.reason,
      tokenJti: recorded.tokenJti,
      sourceAddress: recorded.sourceAddress,
      osUser: recorded.osUser,
      changeId: recorded.id,
      changedAt: recorded.changedAt,
    },
  });
  return recorded;
}
