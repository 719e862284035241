// The identifiers payrail generates for a pain.001 (BANKS.md §3): GrpHdr/MsgId, PmtInfId and
// InstrId use only the SWIFT x character set — no `_` — and at most 35 characters, because banks
// copy them into SWIFT fields and some refuse or strip anything else. They are derived from
// payrail's ids, deterministically and reversibly: the prefix upper-cased and the `_` dropped
// (`pymt_01J…` → `PYMT01J…`, `pymtb_01J…` → `PYMTB01J…`). The ULID after the prefix is already
// upper-case Crockford base 32, so two ids never share a file id. The acknowledgement matcher
// (src/acknowledgements/matching.ts) compares ids upper-cased and without `_`, so a status naming
// the file id finds the payment; payrailIdOf turns a file id back into the id it came from.
import { ID_PREFIXES } from '../../ids.ts';
import type { IdKind } from '../../ids.ts';

/** What a generated identifier may hold: the SWIFT x set without space, 1–35 characters. */
export const FILE_ID_PATTERN = /^[A-Za-z0-9/\-?:().,'+]{1,35}$/;

/** The id as a pain.001 carries it: `pymt_01J…` → `PYMT01J…`. */
export function fileIdOf(id: string): string {
  return id.toUpperCase().replaceAll('_', '');
}

/**
 * payrail's id of `kind` behind a file id (`PYMTB01J…` → `pymtb_01J…`); an id already in
 * payrail's form, or one that is neither, is returned unchanged.
 */
export function payrailIdOf(kind: IdKind, fileId: string): string {
  const prefix = ID_PREFIXES[kind];
  const match = new RegExp(`^${prefix}([0-9A-HJKMNP-TV-Z]{26})$`, 'i').exec(fileId.trim());
  return match ? `${prefix}_${match[1]!.toUpperCase()}` : fileId;
}
