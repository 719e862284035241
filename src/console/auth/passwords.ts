// Console passwords: Argon2id (@node-rs/argon2; its defaults: 19 MiB, 2 passes, 1 lane, the
// OWASP minimum), at least 12 characters, and not one of the common passwords people pick
// (common-passwords.txt, where the list comes from is in its header).
import { readFileSync } from 'node:fs';
import { hash, verify } from '@node-rs/argon2';

export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 256;

const COMMON = new Set(
  readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#')),
);

/** Why a chosen password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, email: string): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `The password must have at most ${MAX_PASSWORD_LENGTH} characters.`;
  const lower = password.toLowerCase();
  // A listed password with digits or symbols around it ("Password2024!") is as easy to guess.
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  if (COMMON.has(lower) || (core.length >= 4 && COMMON.has(core))) return 'This password is too common: choose another one.';
  if (/^(.)\1+$/u.test(password)) return 'This password is one character repeated: choose another one.';
  if (lower.includes(email.toLowerCase().split('@')[0]!) && email.split('@')[0]!.length >= 4) return 'The password must not contain your email address.';
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// Verified against for unknown emails and users without a password, so a sign-in takes as long
// whether or not the email exists.
let dummy: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hash('payrail: no such user, same cost');
  await verifyPassword(await dummy, password);
}
