// Console users, their set-up links and sessions (SPEC §11). Tokens that sign someone in (the
// session cookie, the set-up link) are 256 random bits shown once; only their SHA-256 is stored,
// so a copy of the database signs nobody in. Every change is in the audit log.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuditActor, AuditLog } from '../../audit/log.ts';
import type { Clock } from '../../clock.ts';
import { isoAt } from '../../clock.ts';
import { AppError } from '../../errors.ts';
import type { FieldError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { openSecret, sealSecret } from '../../jose/private-key-sealing.ts';
import type { SealingContext } from '../../jose/private-key-sealing.ts';
import { sql } from 'kysely';
import type { Db, DbOrTx } from '../../store/database.ts';
import type { ConsoleUserRow } from '../../store/schema.ts';
import type { ConsoleRole, ConsoleUser } from '../user.ts';
import { burnPasswordCheck, hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { checkTotp, newTotpSecret, totpUri } from './totp.ts';

export const ROLES: readonly ConsoleRole[] = ['viewer', 'maker', 'approver', 'admin'];
export const MAX_FAILED_SIGN_INS = 10;
export const LOCK_MINUTES = 15;
export const SETUP_LINK_HOURS = 24;
/** A session ends this long after it began, however active (the idle timeout ends it sooner). */
export const SESSION_MAX_HOURS = 12;

/**
 * The roles an admin may set up (create, reset) in the console. Whoever holds an account's set-up
 * link owns it: an admin who could set up an approver (or another admin) could approve their own
 * batches with it. So approvers and admins are set up by whoever runs the server, with the CLI,
 * and an approver never approves work made by an account under the same control (`set_up_by`,
 * src/approvals/service.ts).
 */
export const CONSOLE_SET_UP_ROLES: readonly ConsoleRole[] = ['viewer', 'maker'];

/**
 * An account waiting for its set-up link, as a create or a reset leaves it: no password, no
 * authenticator, unlocked; whoever holds the link (`actor`, a console user, or null for the CLI)
 * controls it, recorded as set_up_by.
 */
function awaitingSetUp(actor: AuditActor) {
  return {
    status: 'pending' as const,
    password_hash: null,
    totp_secret: null,
    totp_last_step: null,
    failed_count: 0,
    locked_until: null,
    set_up_by: actor.kind === 'user' ? actor.id : null,
  };
}

/** True when `actor` may create or reset an account of `role`: the operator any, a console user only viewers and makers. */
export function maySetUp(actor: AuditActor, role: ConsoleRole): boolean {
  return actor.kind !== 'user' || CONSOLE_SET_UP_ROLES.includes(role);
}

function setUpRefused(role: ConsoleRole): AppError {
  return new AppError(
    'FORBIDDEN',
    'Forbidden',
    `In the console an admin sets up only viewer and maker accounts; an ${role} is created and reset by whoever runs the server (payrail users create|reset): whoever holds a set-up link owns the account`,
  );
}

/** Approvers and admins release money and manage people: they need a second factor. */
export function needsTotp(role: ConsoleRole): boolean {
  return role === 'approver' || role === 'admin';
}

/** A user as `payrail users list` prints it (never a hash or secret). */
export interface UserView {
  id: string;
  email: string;
  role: ConsoleRole;
  status: 'pending' | 'active' | 'disabled';
  clients: string[];
  totp: boolean;
  lockedUntil: string | null;
  lastSignInAt: string | null;
  /** The console user who created or last reset the account (held its set-up link); null: the CLI. */
  setUpBy: string | null;
  createdAt: string;
}

export type SignInResult = { ok: true; user: ConsoleUser; token: string; csrfToken: string } | { ok: false; reason: 'invalid' | 'locked' };

export interface SessionInfo {
  user: ConsoleUser;
  csrfToken: string;
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const newToken = (): string => randomBytes(32).toString('base64url');
const totpSealing = (userId: string): SealingContext => ({ info: 'payrail console_users.totp_secret v1', aad: userId, what: `the TOTP secret of ${userId}` });

/** Constant-time equality of two strings (CSRF tokens). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface ConsoleUsersDeps {
  db: Db;
  clock: Clock;
  audit: AuditLog;
  masterKey: Uint8Array | undefined;
  /** Minutes without a request after which a session ends. */
  idleMinutes: number;
}

export function createConsoleUsers({ db, clock, audit, masterKey, idleMinutes }: ConsoleUsersDeps) {
  // Unknown emails lock like known ones (in memory, per process), so "locked" says nothing about
  // whether an email has an account.
  const unknownFailures = new Map<string, { count: number; lockedUntil: number }>();

  async function clientsOf(userId: string, tx: DbOrTx = db): Promise<string[]> {
    const rows = await tx.selectFrom('console_user_clients').select('client_id').where('user_id', '=', userId).orderBy('client_id').execute();
    return rows.map((r) => r.client_id);
  }

  async function view(row: ConsoleUserRow, tx: DbOrTx = db): Promise<UserView> {
    return {
      id: row.id,
      email: row.email,
      role: row.role,
      status: row.status,
      clients: await clientsOf(row.id, tx),
      totp: row.totp_secret !== null,
      lockedUntil: row.locked_until !== null && row.locked_until > isoAt(clock()) ? row.locked_until : null,
      lastSignInAt: row.last_sign_in_at,
      setUpBy: row.set_up_by,
      createdAt: row.created_at,
    };
  }

  async function row(id: string, tx: DbOrTx = db): Promise<ConsoleUserRow | undefined> {
    return tx.selectFrom('console_users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async function mustExist(id: string, tx: DbOrTx = db): Promise<ConsoleUserRow> {
    const r = await row(id, tx);
    if (!r) throw new AppError('NOT_FOUND', 'Not found', `no console user ${id}`);
    return r;
  }

  async function newSetupLink(tx: DbOrTx, userId: string): Promise<string> {
    const token = newToken();
    const now = clock();
    await tx
      .insertInto('console_setup_links')
      .values({ id: sha256(token), user_id: userId, created_at: isoAt(now), expires_at: isoAt(now + SETUP_LINK_HOURS * 3600_000), used_at: null })
      .execute();
    return token;
  }

  async function endSessionsOf(tx: DbOrTx, userId: string): Promise<void> {
    await tx.deleteFrom('console_sessions').where('user_id', '=', userId).execute();
  }

  async function toConsoleUser(r: ConsoleUserRow, tx: DbOrTx = db): Promise<ConsoleUser> {
    return { id: r.id, email: r.email, role: r.role, clientIds: await clientsOf(r.id, tx) };
  }

  async function createSession(tx: DbOrTx, userId: string, sourceAddress: string | null): Promise<{ token: string; csrfToken: string }> {
    const token = newToken();
    const csrfToken = newToken();
    const now = clock();
    await tx
      .insertInto('console_sessions')
      .values({
        id: sha256(token),
        user_id: userId,
        csrf_token: csrfToken,
        source_address: sourceAddress,
        created_at: isoAt(now),
        last_seen_at: isoAt(now),
        expires_at: isoAt(now + SESSION_MAX_HOURS * 3600_000),
      })
      .execute();
    return { token, csrfToken };
  }

  /**
   * Counts a failed sign-in of a known user; the tenth locks the account. The count is added in
   * the database (one statement), so sign-ins sent at the same moment each count.
   */
  async function recordFailure(r: ConsoleUserRow): Promise<'invalid' | 'locked'> {
    const row = await db
      .updateTable('console_users')
      .set({ failed_count: sql<number>`failed_count + 1`, updated_at: isoAt(clock()) })
      .where('id', '=', r.id)
      .returning('failed_count')
      .executeTakeFirst();
    if (!row || row.failed_count < MAX_FAILED_SIGN_INS) return 'invalid';
    await db
      .updateTable('console_users')
      .set({ failed_count: 0, locked_until: isoAt(clock() + LOCK_MINUTES * 60_000), updated_at: isoAt(clock()) })
      .where('id', '=', r.id)
      .execute();
    return 'locked';
  }

  function recordUnknownFailure(key: string): 'invalid' | 'locked' {
    const now = clock();
    const f = unknownFailures.get(key) ?? { count: 0, lockedUntil: 0 };
    f.count += 1;
    if (f.count >= MAX_FAILED_SIGN_INS) {
      f.count = 0;
      f.lockedUntil = now + LOCK_MINUTES * 60_000;
    }
    unknownFailures.delete(key);
    unknownFailures.set(key, f);
    // Bounded: the oldest entries go first (a Map keeps insertion order).
    if (unknownFailures.size > 10_000) unknownFailures.delete(unknownFailures.keys().next().value!);
    return f.lockedUntil > now ? 'locked' : 'invalid';
  }

  return {
    /**
     * A new user (status `pending`) and their one-time set-up link's token. Refuses a malformed or
     * taken email, an unknown role, no clients, and client ids that do not exist; and, for a
     * console user, a role they may not set up (FORBIDDEN, before anything else is looked at).
     */
    async create(
      input: { email: string; role: string; clientIds: string[] },
      actor: AuditActor,
      sourceAddress: string | null = null,
    ): Promise<{ user: UserView; setupToken: string }> {
      if ((ROLES as readonly string[]).includes(input.role) && !maySetUp(actor, input.role as ConsoleRole)) throw setUpRefused(input.role as ConsoleRole);
      const errors: FieldError[] = [];
      const email = input.email.trim();
      if (!EMAIL.test(email) || email.length > 254) errors.push({ path: 'email', code: 'INVALID_EMAIL', message: 'must be an email address' });
      if (!(ROLES as readonly string[]).includes(input.role))
        errors.push({ path: 'role', code: 'INVALID_ROLE', message: `must be one of ${ROLES.join(', ')}` });
      const clientIds = [...new Set(input.clientIds.map((c) => c.trim()).filter((c) => c !== ''))];
      if (clientIds.length === 0) errors.push({ path: 'clients', code: 'REQUIRED', message: 'give the user at least one client' });
      if (clientIds.length > 0) {
        const known = new Set((await db.selectFrom('clients').select('id').where('id', 'in', clientIds).execute()).map((r) => r.id));
        const unknown = clientIds.filter((c) => !known.has(c));
        if (unknown.length > 0) errors.push({ path: 'clients', code: 'UNKNOWN_CLIENT', message: `no such client: ${unknown.join(', ')}` });
      }
      if (errors.length === 0) {
        const taken = await db.selectFrom('console_users').select('id').where('email_key', '=', email.toLowerCase()).executeTakeFirst();
        if (taken) errors.push({ path: 'email', code: 'EMAIL_TAKEN', message: 'a console user with this email exists' });
      }
      if (errors.length > 0) throw new AppError('VALIDATION_FAILED', 'The request is invalid', 'the user was not created', errors);
      return db.transaction().execute(async (tx) => {
        const now = isoAt(clock());
        const id = newId('consoleUser', clock());
        await tx
          .insertInto('console_users')
          .values({
            id,
            email,
            email_key: email.toLowerCase(),
            role: input.role as ConsoleRole,
            ...awaitingSetUp(actor),
            last_sign_in_at: null,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await tx
          .insertInto('console_user_clients')
          .values(clientIds.map((c) => ({ user_id: id, client_id: c })))
          .execute();
        const setupToken = await newSetupLink(tx, id);
        await audit.record(tx, {
          actor,
          sourceAddress,
          action: 'console_user.create',
          object: { type: 'console-user', id },
          details: { email, role: input.role, clients: clientIds },
        });
        return { user: await view((await row(id, tx))!, tx), setupToken };
      });
    },

    async list(): Promise<UserView[]> {
      const rows = await db.selectFrom('console_users').selectAll().orderBy('id').execute();
      return Promise.all(rows.map((r) => view(r)));
    },

    /** The id of a user named by id or email; NOT_FOUND otherwise. */
    async idOf(idOrEmail: string): Promise<string> {
      const r = await db
        .selectFrom('console_users')
        .select('id')
        .where((eb) => eb.or([eb('id', '=', idOrEmail), eb('email_key', '=', idOrEmail.trim().toLowerCase())]))
        .executeTakeFirst();
      if (!r) throw new AppError('NOT_FOUND', 'Not found', `no console user ${idOrEmail}`);
      return r.id;
    },

    async get(id: string): Promise<UserView | undefined> {
      const r = await row(id);
      return r && view(r);
    },

    /** Disables a user and ends their sessions; they cannot sign in until reset. */
    async disable(id: string, actor: AuditActor, sourceAddress: string | null = null): Promise<UserView> {
      return db.transaction().execute(async (tx) => {
        await mustExist(id, tx);
        await tx
          .updateTable('console_users')
          .set({ status: 'disabled', updated_at: isoAt(clock()) })
          .where('id', '=', id)
          .execute();
        await endSessionsOf(tx, id);
        await audit.record(tx, { actor, sourceAddress, action: 'console_user.disable', object: { type: 'console-user', id } });
        return view((await row(id, tx))!, tx);
      });
    },

    /**
     * Clears the password and TOTP, ends the sessions, unlocks, and issues a new set-up link
     * (earlier links stop working). The way back for a disabled or locked-out user. Whoever
     * resets holds the new link: recorded as `set_up_by`; a console user resets only the roles
     * they may set up (FORBIDDEN otherwise, nothing changed).
     */
    async reset(id: string, actor: AuditActor, sourceAddress: string | null = null): Promise<{ user: UserView; setupToken: string }> {
      return db.transaction().execute(async (tx) => {
        const target = await mustExist(id, tx);
        if (!maySetUp(actor, target.role)) throw setUpRefused(target.role);
        await tx
          .updateTable('console_users')
          .set({
            ...awaitingSetUp(actor),
            updated_at: isoAt(clock()),
          })
          .where('id', '=', id)
          .execute();
        await endSessionsOf(tx, id);
        await tx
          .updateTable('console_setup_links')
          .set({ used_at: isoAt(clock()) })
          .where('user_id', '=', id)
          .where('used_at', 'is', null)
          .execute();
        const setupToken = await newSetupLink(tx, id);
        await audit.record(tx, { actor, sourceAddress, action: 'console_user.reset', object: { type: 'console-user', id } });
        return { user: await view((await row(id, tx))!, tx), setupToken };
      });
    },

    /** The user a set-up link is for, while it is unused and unexpired. */
    async setupLinkUser(token: string): Promise<{ id: string; email: string; role: ConsoleRole } | undefined> {
      const link = await db.selectFrom('console_setup_links').selectAll().where('id', '=', sha256(token)).executeTakeFirst();
      if (!link || link.used_at !== null || link.expires_at <= isoAt(clock())) return undefined;
      const r = await row(link.user_id);
      if (!r || r.status === 'disabled') return undefined;
      return { id: r.id, email: r.email, role: r.role };
    },

    totpUri,

    /** A fresh TOTP secret and its otpauth URI, for the set-up page (kept in its form until confirmed). */
    newTotp(email: string): { secret: string; uri: string } {
      const secret = newTotpSecret();
      return { secret, uri: totpUri(secret, email) };
    },

    /**
     * Completes a set-up link: the password (and, for approvers and admins, the TOTP secret
     * confirmed by a code). Returns the problem to show, or null when done (the link is used up).
     */
    async completeSetup(token: string, input: { password: string; confirm: string; totpSecret?: string; code?: string }): Promise<string | null> {
      const link = await this.setupLinkUser(token);
      if (!link) return 'This set-up link is not valid any more: ask an administrator for a new one.';
      if (input.password !== input.confirm) return 'The two passwords differ.';
      const problem = passwordProblem(input.password, link.email);
      if (problem) return problem;
      let totpSecret: string | null = null;
      let step: number | null = null;
      if (needsTotp(link.role)) {
        if (!input.totpSecret || !/^[A-Z2-7]{16,}$/.test(input.totpSecret)) return 'Enrol an authenticator first.';
        step = await checkTotp(input.totpSecret, (input.code ?? '').trim(), clock(), null);
        if (step === null) return 'The authenticator code is wrong: check the time on your device and try the next code.';
        totpSecret = input.totpSecret;
      }
      const passwordHash = await hashPassword(input.password);
      return db.transaction().execute(async (tx) => {
        const now = isoAt(clock());
        const used = await tx
          .updateTable('console_setup_links')
          .set({ used_at: now })
          .where('id', '=', sha256(token))
          .where('used_at', 'is', null)
          .executeTakeFirst();
        if (used.numUpdatedRows === 0n) return 'This set-up link is not valid any more: ask an administrator for a new one.';
        await tx
          .updateTable('console_users')
          .set({
            status: 'active',
            password_hash: passwordHash,
            totp_secret: totpSecret === null ? null : sealSecret(totpSecret, totpSealing(link.id), masterKey),
            totp_last_step: step,
            failed_count: 0,
            locked_until: null,
            updated_at: now,
          })
          .where('id', '=', link.id)
          .execute();
        await audit.record(tx, {
          actor: { kind: 'user', id: link.id },
          action: 'console_user.setup',
          object: { type: 'console-user', id: link.id },
          details: { totp: totpSecret !== null },
        });
        return null;
      });
    },

    /**
     * Email, password and (approvers, admins) TOTP code → a new session. Unknown emails cost the
     * same Argon2 verification as known ones; ten failures lock for 15 minutes; a locked account
     * is refused even with the right password. Every outcome is audited with the address.
     */
    async signIn(input: { email: string; password: string; code: string; sourceAddress: string | null }): Promise<SignInResult> {
      const key = input.email.trim().toLowerCase();
      const r = await db.selectFrom('console_users').selectAll().where('email_key', '=', key).executeTakeFirst();
      const now = clock();
      const failed = async (reason: 'invalid' | 'locked', why: string): Promise<SignInResult> => {
        await audit.record(audit.db, {
          actor: r ? { kind: 'user', id: r.id } : { kind: 'system', id: 'console' },
          sourceAddress: input.sourceAddress,
          action: 'console.sign_in_failed',
          object: { type: 'console-user', id: r?.id ?? 'unknown' },
          details: { email: input.email.trim().slice(0, 254), reason: why },
        });
        return { ok: false, reason };
      };
      if (!r || r.password_hash === null || r.status !== 'active') {
        await burnPasswordCheck(input.password);
        const lockedUnknown = unknownFailures.get(key);
        if (lockedUnknown && lockedUnknown.lockedUntil > now) return failed('locked', 'locked');
        return failed(recordUnknownFailure(key), r ? `user ${r.status}` : 'unknown email');
      }
      const passwordOk = await verifyPassword(r.password_hash, input.password);
      if (r.locked_until !== null && r.locked_until > isoAt(now)) return failed('locked', 'locked');
      if (!passwordOk) return failed(await recordFailure(r), 'wrong password');
      let step: number | null = r.totp_last_step;
      if (needsTotp(r.role)) {
        if (r.totp_secret === null) return failed(await recordFailure(r), 'no authenticator enrolled');
        const secret = openSecret(r.totp_secret, totpSealing(r.id), masterKey);
        step = await checkTotp(secret, input.code.trim(), now, r.totp_last_step);
        if (step === null) return failed(await recordFailure(r), 'wrong authenticator code');
      }
      const signedIn = await db.transaction().execute(async (tx) => {
        // A code is good once: the step is recorded only over an older one, so two sign-ins sent
        // at the same moment with one code cannot both pass.
        const taken = await tx
          .updateTable('console_users')
          .set({ failed_count: 0, locked_until: null, totp_last_step: step, last_sign_in_at: isoAt(now), updated_at: isoAt(now) })
          .where('id', '=', r.id)
          .$if(needsTotp(r.role), (q) => q.where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)])))
          .executeTakeFirst();
        if (Number(taken.numUpdatedRows) === 0) return null;
        const session = await createSession(tx, r.id, input.sourceAddress);
        await audit.record(tx, {
          actor: { kind: 'user', id: r.id },
          sourceAddress: input.sourceAddress,
          action: 'console.sign_in',
          object: { type: 'console-user', id: r.id },
        });
        return { ok: true as const, user: await toConsoleUser(r, tx), ...session };
      });
      return signedIn ?? failed(await recordFailure(r), 'authenticator code already used');
    },

    /**
     * The session of a cookie token, touched (its idle clock restarts), or undefined when there is
     * none, it was idle too long, or it passed its absolute end (then it is deleted).
     */
    async session(token: string): Promise<SessionInfo | undefined> {
      if (token === '' || token.length > 100) return undefined;
      const id = sha256(token);
      const s = await db.selectFrom('console_sessions').selectAll().where('id', '=', id).executeTakeFirst();
      if (!s) return undefined;
      const now = clock();
      if (Date.parse(s.last_seen_at) + idleMinutes * 60_000 <= now || s.expires_at <= isoAt(now)) {
        await db.deleteFrom('console_sessions').where('id', '=', id).execute();
        return undefined;
      }
      const r = await row(s.user_id);
      if (!r || r.status !== 'active') return undefined;
      // One write a minute at most: the idle timeout is in minutes.
      if (now - Date.parse(s.last_seen_at) >= 60_000)
        await db
          .updateTable('console_sessions')
          .set({ last_seen_at: isoAt(now) })
          .where('id', '=', id)
          .execute();
      return { user: await toConsoleUser(r), csrfToken: s.csrf_token };
    },

    /** A signed-in session for a user, without the sign-in form (tests; never a route). */
    async startSession(userId: string, sourceAddress: string | null = null): Promise<{ token: string; csrfToken: string }> {
      return createSession(db, userId, sourceAddress);
    },

    /** Ends the session of a cookie token (sign-out). */
    async endSession(token: string, sourceAddress: string | null = null): Promise<void> {
      const id = sha256(token);
      const s = await db.selectFrom('console_sessions').select('user_id').where('id', '=', id).executeTakeFirst();
      if (!s) return;
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('console_sessions').where('id', '=', id).execute();
        await audit.record(tx, {
          actor: { kind: 'user', id: s.user_id },
          sourceAddress,
          action: 'console.sign_out',
          object: { type: 'console-user', id: s.user_id },
        });
      });
    },

    /** Test seam: an active user with a password (and TOTP secret) set directly, no set-up link. */
    async activate(id: string, input: { password: string; totpSecret?: string }): Promise<void> {
      await db
        .updateTable('console_users')
        .set({
          status: 'active',
          password_hash: await hashPassword(input.password),
          totp_secret: input.totpSecret === undefined ? null : sealSecret(input.totpSecret, totpSealing(id), masterKey),
          updated_at: isoAt(clock()),
        })
        .where('id', '=', id)
        .execute();
    },
  };
}

export type ConsoleUsers = ReturnType<typeof createConsoleUsers>;
