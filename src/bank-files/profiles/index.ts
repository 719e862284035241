// pain.001 bank profiles (BANKS.md §3): what each bank wants in the files payrail sends it. The
// names are fixed (live mode stores them on bank connections); each profile is a table of values
// in its own file (model.ts says what a profile decides).
import { DBS_SG } from './dbs-sg.ts';
import { GENERIC } from './generic.ts';
import { HSBC_HK } from './hsbc-hk.ts';
import { JPM_APAC } from './jpm-apac.ts';
import type { Pain001Profile } from './model.ts';

export const PROFILE_NAMES = ['generic', 'jpm-apac', 'hsbc-hk', 'dbs-sg'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export function isProfileName(value: string): value is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(value);
}

export const PROFILES: Readonly<Record<ProfileName, Pain001Profile>> = {
  generic: GENERIC,
  'jpm-apac': JPM_APAC,
  'hsbc-hk': HSBC_HK,
  'dbs-sg': DBS_SG,
};

export function profileNamed(name: ProfileName): Pain001Profile {
  return PROFILES[name];
}

export type { Code, Pain001Profile, ProxyPlacement, ServiceLevel } from './model.ts';
