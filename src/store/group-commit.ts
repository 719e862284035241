// Group commit for SQLite. A commit with synchronous=FULL waits for the disk (fsync), and
// better-sqlite3 waits on the event loop's thread: one commit per request caps every writing
// endpoint at the disk's flush rate, whatever the CPU could do. Here the transactions of
// concurrent requests run one after another inside one database transaction, each in a
// savepoint of its own, and are committed together: one flush for the group.
//
// Durability is unchanged: a member's promise settles only after the COMMIT that holds its rows
// (or the failure that lost them), so nothing is answered before it is on disk. Isolation is that
// of running the members one after another: each sees the rows of the members before it, and they
// commit or fail together. A member whose work throws is rolled back to its savepoint alone and
// gets its error; the others go on. Members must use only the `tx` they are given: SQLite has one
// connection, held by the group until it commits.
import type { ControlledTransaction } from 'kysely';
import type { Db, Tx } from './database.ts';
import type { Tables } from './schema.ts';

/** Runs `work` in a transaction; settles after that transaction committed (or failed). */
export type Transact = <T>(work: (tx: Tx) => Promise<T>) => Promise<T>;

const FAILED = Symbol('failed');

interface Member {
  work: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** Transactions committed one by one: PostgreSQL flushes concurrent commits together on its own. */
export function plainTransactions(db: Db): Transact {
  return (work) => db.transaction().execute(work);
}

/**
 * Group commit: members that ask while a group is waiting to start join it. A group starts once
 * the requests already under way have had their turn (setImmediate: after the event loop's I/O
 * phase), so a lone request waits for nothing and concurrent ones share a commit.
 */
export function createGroupCommit(db: Db, { maxMembers = 100 }: { maxMembers?: number } = {}): Transact {
  const queue: Member[] = [];
  let scheduled = false;

  function schedule(): void {
    if (scheduled || queue.length === 0) return;
    scheduled = true;
    setImmediate(() => {
      const members = queue.splice(0, maxMembers);
      runGroup(members)
        // The group failed (BEGIN, COMMIT, a broken transaction): every member not answered yet
        // fails with it (a promise settles once, so those already answered keep their answer).
        .catch((err: unknown) => members.forEach((m) => m.reject(err)))
        .finally(() => {
          scheduled = false;
          schedule();
        });
    });
  }

  /** One member in its savepoint: its result, or FAILED (its error is its own). Throws when the transaction is gone. */
  async function runMember(trx: ControlledTransaction<Tables>, member: Member): Promise<unknown> {
    const inSavepoint = await trx.savepoint('member').execute();
    try {
      const value = await member.work(inSavepoint);
      await inSavepoint.releaseSavepoint('member').execute();
      return value;
    } catch (err) {
      member.reject(err);
      // Fails only when the transaction itself is gone (an I/O error, say): then nobody in it can commit.
      await inSavepoint.rollbackToSavepoint('member').execute();
      await inSavepoint.releaseSavepoint('member').execute();
      return FAILED;
    }
  }

  /** Runs the members in one transaction and answers them after its commit; throws if the group failed. */
  async function runGroup(members: Member[]): Promise<void> {
    const trx = await db.startTransaction().execute();
    let committed = false;
    try {
      const done: { member: Member; value: unknown }[] = [];
      for (const member of members) {
        const value = await runMember(trx, member);
        if (value !== FAILED) done.push({ member, value });
      }
      await trx.commit().execute();
      committed = true;
      for (const { member, value } of done) member.resolve(value);
    } finally {
      if (!committed)
        await trx
          .rollback()
          .execute()
          .catch(() => undefined);
    }
  }

  return <T>(work: (tx: Tx) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      schedule();
    });
}
