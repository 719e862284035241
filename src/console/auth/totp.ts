// TOTP (RFC 6238) for approvers and admins: SHA-1, 6 digits, 30 s, as every authenticator app
// expects. A code is accepted once (the user's last accepted time step is kept), and one step
// either side of now, for clocks that drift.
import { generate, generateSecret, generateURI, verify } from 'otplib';

export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(secret: string, email: string): string {
  return generateURI({ issuer: 'payrail', label: email, secret });
}

/** The code for `nowMs` (tests sign in with it). */
export function totpCode(secret: string, nowMs: number): Promise<string> {
  return generate({ secret, epoch: Math.floor(nowMs / 1000) });
}

/**
 * The time step of `code` if it is valid at `nowMs` and newer than `lastStep`, else null.
 */
export async function checkTotp(secret: string, code: string, nowMs: number, lastStep: number | null): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const epoch = Math.floor(nowMs / 1000);
  const result = await verify({ secret, token: code, epoch, epochTolerance: 30 });
  if (!result.valid) return null;
  const step = Math.floor(epoch / 30) + result.delta;
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}
