// What a pain.001 bank profile decides (BANKS.md §3): a table of values per bank, read by the
// writer (src/bank-files/pain001) and by the creation checks (requirements.ts). No bank gets a code
// path of its own: a difference between banks is a different value in a table. What every profile
// writes alike, when payrail knows it: InitgPty/Id (the bank's customer id), Dbtr/Nm (the account's
// legal name, else its name) and Dbtr/PstlAdr (the account's country and address lines); a bank
// that needs them says so in `requires`, and a payment from an account without them is refused.
import type { RailType } from '../../rails/rails.ts';
import type { Pain001Version } from '../pain001/model.ts';

/** A code of an ISO external code set (`Cd`) or the bank's own (`Prtry`). */
export type Code = { cd: string } | { prtry: string };

/** PmtTpInf/SvcLvl/Cd values payrail writes (ExternalServiceLevel1Code). */
export type ServiceLevel = 'URGP' | 'NURG' | 'SDVA';

/** Where a proxy-addressed receiver (FPS, PAYNOW) goes in CdtrAcct. */
export type ProxyPlacement =
  /** V09 CdtrAcct/Prxy, with the filler `NOTPROVIDED` in the Id the schema requires. */
  | 'prxy-with-filler'
  /** V09 CdtrAcct/Prxy, and the proxy value itself as Id/Othr/Id (no filler; the value must fit 34). */
  | 'prxy-and-id'
  /** Id/Othr/Id = the value, Id/Othr/SchmeNm = the proxy type (the usual V03 place; fits 34). */
  | 'scheme-name';

/** payrail's proxy types per rail (RAILS.md §1), each with the code the bank wants. */
export interface ProxyCodes {
  FPS: Readonly<Record<string, Code>>;
  PAYNOW: Readonly<Record<string, Code>>;
}

/** Patterns of a file name: `{messageId}`, `{batchId}`, `{attempt}`, `{date}` (YYYYMMDD payment date), `{created}` (YYYYMMDDHHMMSS UTC). */
export type FileNamePattern = `${string}.xml`;

/** What a bank insists on at creation, beyond the rail rules. */
export interface ProfileRequirements {
  /** The sender account must have a legal name (Dbtr/Nm). */
  debtorLegalName: boolean;
  /** The sender account must have a country (Dbtr/PstlAdr/Ctry). */
  debtorCountry: boolean;
  /** CBFT/TT receivers need `address.city` and a country (Cdtr/PstlAdr/TwnNm + Ctry). */
  crossBorderTownAndCountry: boolean;
  /** CBFT/TT: at most this many unstructured address lines next to the structured fields (hybrid address). */
  crossBorderMaxAddressLines?: number;
  /** CBFT/TT to these countries need a `purpose`. */
  purposeRequiredTo?: readonly string[];
  /** CBFT/TT currencies the bank does not send. */
  crossBorderCurrenciesRefused?: readonly string[];
}

export interface Pain001Profile {
  name: string;
  /** One line for docs and `payrail banks list`. */
  description: string;
  version: Pain001Version;
  /** The rails the bank takes files for. */
  rails: readonly RailType[];
  /** PmtTpInf/SvcLvl/Cd per rail; none written for a rail not listed. */
  serviceLevel: Partial<Record<RailType, ServiceLevel>>;
  /** PmtTpInf/LclInstrm per rail; none written for a rail not listed. */
  localInstrument: Partial<Record<RailType, Code>>;
  /** ChrgBr when the payments name no charge bearer (domestic rails). */
  domesticChargeBearer: 'SLEV' | 'DEBT';
  /** DbtrAgt and CdtrAgt carry FinInstnId/PstlAdr/Ctry (the BIC's country; HK for a 3-digit code). */
  agentCountry: boolean;
  proxyPlacement: ProxyPlacement;
  proxyCodes: ProxyCodes;
  /** Whether `_` may appear in EndToEndId (the customer reference). */
  underscoreInEndToEndId: boolean;
  fileName: FileNamePattern;
  requires: ProfileRequirements;
}
