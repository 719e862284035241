// One SFTP connection to the bank, opened on first use and replaced when the server goes away.
// Every operation gets one retry on a fresh connection: the operations payrail runs are safe to
// repeat (folder-exchange.ts), so a server restart costs a reconnect, not a failed batch.
import SftpClient from 'ssh2-sftp-client';
import type { ConnectConfig } from 'ssh2';
import { fingerprintOf, parseHostKey, SftpHostKeyError } from './sftp-host-key.ts';

/** Where the bank's SFTP server is and how payrail logs in and trusts it. */
export interface SftpSettings {
  host: string;
  port: number;
  username: string;
  /** The private key payrail authenticates with (PEM or OpenSSH format). */
  privateKey: string;
  /** The server's host key, pinned: an OpenSSH public key line or a `SHA256:` fingerprint. */
  hostKey: string;
  /** Folder on the server holding outbox/, inbox/, archive/, error/. */
  root: string;
  /** Connecting and logging in (default 10 s). */
  connectTimeoutMs?: number;
  /** One operation, e.g. uploading a large file (default 60 s). */
  operationTimeoutMs?: number;
}

export interface SftpSessionOptions {
  /** Runs on every new connection before it is used (e.g. creating the folders). */
  onConnect?(client: SftpClient): Promise<void>;
  /** Told when a connection is lost and replaced. */
  logger?: { warn(details: object, message: string): void };
}

/** An operation that took longer than its timeout; the connection it ran on is dropped. */
export class SftpTimeoutError extends Error {}

// A live server's refusal (no such file, permission denied) comes with an SFTP status number or
// one of these codes; retrying it on a new connection would not help. Anything else — reset,
// refused, end of stream, "no SFTP connection", a timeout — is the connection.
const SERVER_ANSWERS = new Set(['ENOENT', 'EACCES', 'ENOTDIR', 'ERR_BAD_PATH']);

export function isConnectionError(err: unknown): boolean {
  if (err instanceof SftpHostKeyError) return false;
  if (err instanceof SftpTimeoutError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code !== 'number' && !SERVER_ANSWERS.has(String(code));
}

// ssh2-sftp-client keeps the ssh2 Client as `client` but does not declare it: destroy() closes
// the socket at once, where end() would wait for a server that may be gone.
function destroy(client: SftpClient): void {
  (client as unknown as { client?: { destroy(): void } }).client?.destroy();
}

function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new SftpTimeoutError(`SFTP operation took more than ${ms} ms`));
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function createSftpSession(settings: SftpSettings, options: SftpSessionOptions = {}) {
  // Parsed now, so a wrong setting stops start-up rather than the first upload.
  const pinned = parseHostKey(settings.hostKey);
  let current: { client: SftpClient; ready: Promise<SftpClient> } | undefined;
  let closed = false;

  function drop(): void {
    if (current) destroy(current.client);
    current = undefined;
  }

  function open(): Promise<SftpClient> {
    let presented: string | undefined;
    // Any error, end or close outside an operation (the server went away while idle) retires
    // this connection; the next operation opens a new one.
    const forget = () => {
      if (current?.client === client) current = undefined;
    };
    const client = new SftpClient('payrail-bank', { error: forget, end: forget, close: forget });
    const config: ConnectConfig = {
      host: settings.host,
      port: settings.port,
      username: settings.username,
      privateKey: settings.privateKey,
      readyTimeout: settings.connectTimeoutMs ?? 10_000,
      // Notice a silently dead connection within about 30 s.
      keepaliveInterval: 10_000,
      keepaliveCountMax: 3,
      hostVerifier: (key: Buffer) => {
        if (pinned.matches(key)) return true;
        presented = fingerprintOf(key);
        return false;
      },
      ...(pinned.algorithms && { algorithms: { serverHostKey: pinned.algorithms as NonNullable<ConnectConfig['algorithms']>['serverHostKey'] } }),
    };
    const ready = client
      .connect(config)
      .then(async () => {
        await options.onConnect?.(client);
        return client;
      })
      .catch((err: unknown) => {
        forget();
        destroy(client);
        if (presented) throw new SftpHostKeyError(`${settings.host}:${settings.port} presented host key ${presented}, not the pinned ${pinned.fingerprint}`);
        throw err;
      });
    current = { client, ready };
    return ready;
  }

  async function attempt<T>(operation: (client: SftpClient) => Promise<T>): Promise<T> {
    if (closed) throw new Error('the SFTP transport is closed');
    const client = await (current?.ready ?? open());
    return withTimeout(operation(client), settings.operationTimeoutMs ?? 60_000, drop);
  }

  return {
    /** Runs `operation` on the connection; on a connection error, once more on a new one. */
    async run<T>(operation: (client: SftpClient) => Promise<T>): Promise<T> {
      try {
        return await attempt(operation);
      } catch (err) {
        if (!isConnectionError(err)) throw err;
        options.logger?.warn({ err }, 'bank SFTP connection lost; reconnecting');
        drop();
        return attempt(operation);
      }
    },
    async close(): Promise<void> {
      closed = true;
      const ready = current?.ready;
      current = undefined;
      const client = await ready?.catch(() => undefined);
      if (client) await withTimeout(client.end(), 5_000, () => destroy(client)).catch(() => destroy(client));
    },
  };
}

export type SftpSession = ReturnType<typeof createSftpSession>;
