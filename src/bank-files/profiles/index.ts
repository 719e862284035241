// pain.001 bank profiles (BANKS.md §3): what each bank wants in the files payrail sends it.
// STUB: the names are fixed for the parallel work on live mode; the profiles branch fills the tables.
export const PROFILE_NAMES = ['generic', 'jpm-apac', 'hsbc-hk', 'dbs-sg'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export function isProfileName(value: string): value is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(value);
}
