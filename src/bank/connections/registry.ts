// The BankEndpoints of one process: the sandbox (test mode) and one endpoint per bank connection in
// the database. Every process refreshes it at least once a minute (the workers' loop) and at once
// after a change of its own, so a connection added on one instance reaches all of them. An endpoint
// is rebuilt when its connection changes and closed when it goes away. A connection that cannot be
// opened (a sealed key and no master key, an OpenPGP key payrail cannot load) is left out with its
// reason in the log and in its state: its batches wait, nothing crashes.
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../../clock.ts';
import type { FileTransport } from '../connector.ts';
import type { BankEndpoint, BankEndpoints } from '../endpoints.ts';
import { keepAuditCopy } from '../setup.ts';
import type { BankConnectionsStore, StoredConnection } from './store.ts';
import { bicPrefix } from './validation.ts';

/** A live endpoint and what the workers need besides the interface. */
export interface ConnectionEndpoint extends BankEndpoint {
  readonly ackTimeoutMinutes: number;
  readonly version: string;
}

export interface RegistryDeps {
  store: BankConnectionsStore;
  /** The sandbox endpoint, built by the composition root. */
  sandbox: BankEndpoint;
  /** Local copies of live files: `<archiveRoot>/<connection id>/{sent,received}`. */
  archiveRoot: string;
  logger: Logger;
  clock: Clock;
  /** Builds a connection's transport (SFTP, wrapped with OpenPGP when it has a bank key). */
  openTransport(connection: StoredConnection): Promise<FileTransport>;
}

export interface BankEndpointRegistry extends BankEndpoints {
  /** An endpoint by id: `sandbox` or a connection's id. */
  byId(id: string): BankEndpoint | undefined;
  /** Reads the connections again; builds, rebuilds and closes endpoints to match. */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

/** How long a connection that could not be opened waits before the next attempt (unless it changes). */
const RETRY_FAILED_MS = 60_000;

export function createBankEndpointRegistry({ store, sandbox, archiveRoot, logger, clock, openTransport }: RegistryDeps): BankEndpointRegistry {
  const live = new Map<string, ConnectionEndpoint>();
  /** prefix → connection id */
  let routes = new Map<string, string>();
  /** Connections that failed to open: not tried again until they change or a minute has passed. */
  const failed = new Map<string, { version: string; at: number }>();
  let refreshing: Promise<void> | undefined;
  /** One more refresh after the running one, shared by every call made while it runs. */
  let again: Promise<void> | undefined;
  let closed = false;

  function refresh(): Promise<void> {
    if (closed) return Promise.resolve();
    if (!refreshing) {
      refreshing = doRefresh().finally(() => {
        refreshing = undefined;
      });
      return refreshing;
    }
    // The running refresh may have read the connections before the caller's change: the caller
    // waits for one that starts after it asked (and callers meanwhile share that one).
    again ??= refreshing
      .catch(() => {})
      .then(() => {
        again = undefined;
        return refresh();
      });
    return again;
  }

  /**
   * The connection's transport, its uploads watched: a failed upload (the dispatcher's or the
   * single-file collector's) is recorded in the connection's state, so `banks list` and /readyz
   * show a file that does not reach the bank even while the inbox reads fine.
   */
  function watchUploads(id: string, transport: FileTransport): FileTransport {
    return {
      ...transport,
      async upload(name, content) {
        try {
          await transport.upload(name, content);
        } catch (err) {
          const reason = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim();
          await store.recordUploadError(id, name, reason).catch((e: unknown) => logger.warn({ err: e, connection: id }, 'recording a failed upload failed'));
          throw err;
        }
        await store.recordUploaded(id, name).catch((e: unknown) => logger.warn({ err: e, connection: id }, 'recording an upload failed'));
      },
    };
  }

  async function build(connection: StoredConnection): Promise<ConnectionEndpoint> {
    const transport = watchUploads(connection.id, await openTransport(connection));
    const dir = join(archiveRoot, connection.id);
    return {
      id: connection.id,
      profile: connection.profile,
      ...(connection.customerId !== null && { customerId: connection.customerId }),
      transport,
      ackTimeoutMinutes: connection.ackTimeoutMinutes,
      version: connection.version,
      keepCopy: (direction, name, content) => keepAuditCopy(join(dir, direction), name, content),
    };
  }

  async function retire(id: string): Promise<void> {
    const endpoint = live.get(id);
    live.delete(id);
    await endpoint?.transport.close().catch((err: unknown) => logger.warn({ err, connection: id }, 'closing a bank connection failed'));
  }

  async function doRefresh(): Promise<void> {
    const current = await store.versions();
    for (const id of [...live.keys()]) {
      if (current.get(id)?.version !== live.get(id)!.version) await retire(id);
    }
    const nextRoutes = new Map<string, string>();
    for (const [id, { version, bics }] of current) {
      const failure = failed.get(id);
      const waiting = failure !== undefined && failure.version === version && clock() - failure.at < RETRY_FAILED_MS;
      if (!live.has(id) && !waiting) {
        try {
          live.set(id, await build(await store.load(id)));
          failed.delete(id);
          logger.info({ connection: id }, 'bank connection ready');
        } catch (err) {
          failed.set(id, { version, at: clock() });
          const message = `cannot open the connection: ${(err as Error).message}`;
          logger.error({ connection: id, reason: message }, 'bank connection cannot be used');
          await store.recordError(id, message).catch(() => {});
        }
      }
      if (live.has(id)) for (const bic of bics) nextRoutes.set(bicPrefix(bic), id);
    }
    routes = nextRoutes;
    for (const id of failed.keys()) if (!current.has(id)) failed.delete(id);
  }

  return {
    sandbox,
    forBank(bank: string) {
      const id = routes.get(bicPrefix(bank));
      return id === undefined ? undefined : live.get(id);
    },
    byId(id: string) {
      return id === sandbox.id ? sandbox : live.get(id);
    },
    all() {
      return [sandbox, ...live.values()];
    },
    refresh,
    async close() {
      closed = true;
      await again?.catch(() => {});
      await refreshing?.catch(() => {});
      for (const id of [...live.keys()]) await retire(id);
    },
  };
}
