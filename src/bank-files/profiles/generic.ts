// The `generic` profile: the layout payrail wrote before profiles existed (RAILS.md §2), for the
// sandbox bank and any bank that takes textbook ISO 20022. The rail's name is the local instrument,
// a proxy keeps payrail's type name as a proprietary code, domestic charges are SLEV, and nothing
// is required beyond the rail rules. pain.001.001.09 unless PAYRAIL_PAIN001_VERSION says 03.
import { RAIL_TYPES } from '../../rails/rails.ts';
import type { Code, Pain001Profile } from './model.ts';

const byName = (names: readonly string[]): Record<string, Code> => Object.fromEntries(names.map((n) => [n, { prtry: n }]));

export const GENERIC: Pain001Profile = {
  name: 'generic',
  description: 'textbook ISO 20022 (the sandbox bank); rail names as local instruments',
  version: '09',
  rails: RAIL_TYPES,
  serviceLevel: {},
  localInstrument: Object.fromEntries(RAIL_TYPES.map((rail) => [rail, { prtry: rail }])),
  domesticChargeBearer: 'SLEV',
  agentCountry: false,
  proxyPlacement: 'prxy-with-filler',
  proxyCodes: { FPS: byName(['FPS_ID', 'MOBILE', 'EMAIL', 'HKID']), PAYNOW: byName(['MOBILE', 'NRIC', 'UEN', 'VPA']) },
  underscoreInEndToEndId: true,
  fileName: 'pain001-{batchId}-{attempt}.xml',
  requires: { debtorLegalName: false, debtorCountry: false, crossBorderTownAndCountry: false },
};
