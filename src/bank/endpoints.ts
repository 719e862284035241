// Where payrail's files for a bank go and where that bank's answers come from: the sandbox bank
// (every test-mode client) or one of the live bank connections (chosen by the sender account's
// bank). The composition root builds these; the dispatcher, the single-payment file collector
// and the acknowledgement readers only see this interface.
// (First cut, fixed for the parallel work on live mode; the connections branch implements it.)
import type { ProfileName } from '../bank-files/profiles/index.ts';
import type { FileTransport } from './connector.ts';

export interface BankEndpoint {
  /** `sandbox` for test mode, else the bank connection's id. */
  readonly id: string;
  /** The pain.001 profile of the bank's files. */
  readonly profile: ProfileName;
  /** The bank's id for the customer (pain.001 InitgPty/Id/OrgId/Othr/Id); an account may override it. */
  readonly customerId?: string;
  /** Upload pain.001, read pain.002 (already signed/encrypted and decrypted/verified when the connection uses OpenPGP). */
  readonly transport: FileTransport;
  /** Keeps a local copy of a file sent or received (the audit trail). */
  keepCopy(direction: 'sent' | 'received', name: string, content: string | Uint8Array): Promise<void>;
}

export interface BankEndpoints {
  /** The sandbox bank: every test-mode client's payments go here. */
  readonly sandbox: BankEndpoint;
  /** The live connection serving a sender account's bank (a BIC, matched on its first 8 characters), if any. */
  forBank(bank: string): BankEndpoint | undefined;
  /** Every endpoint in use: the sandbox and each live connection. */
  all(): BankEndpoint[];
  /** An endpoint by id (`sandbox` or a connection's): where a file recorded with that id goes on. */
  byId(id: string): BankEndpoint | undefined;
}
