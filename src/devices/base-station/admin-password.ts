/**
 * The web admin password: policy and storage.
 *
 * Seed 000: the first login is admin/admin and the password must be changed before anything else. The strength rule
 * below is the simulator's (the real rule is not published; docs/fidelity.md).
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { AdminPassword } from './base-flash.ts';

export const PASSWORD_RULE =
  'at least 8 characters, with at least one letter and one digit, not "admin" and not the user name';

/** Returns why a new password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string): string | undefined {
  // The not-admin rule first: "admin" is refused because it is the factory password, not because it is short.
  if (/^admin/i.test(password) && password.toLowerCase().replace(/\d+$/, '') === 'admin') {
    return 'The password must not be "admin" or "admin" followed by digits.';
  }
  if (password.length < 8) return 'The password must have at least 8 characters.';
  if (password.length > 64) return 'The password must have at most 64 characters.';
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return 'The password must contain at least one letter and one digit.';
  if (/[^\x21-\x7e]/.test(password)) return 'The password may contain only printable ASCII characters without spaces.';
  return undefined;
}

// Low scrypt cost: the simulator checks the password on every basic-auth request.
const COST = { N: 1024, r: 8, p: 1 } as const;

export function hashPassword(password: string): AdminPassword {
  const salt = randomBytes(16).toString('hex');
  return { salt, hash: scryptSync(password, salt, 32, COST).toString('hex') };
}

export function verifyPassword(password: string, stored: AdminPassword): boolean {
  const hash = scryptSync(password, stored.salt, 32, COST);
  const expected = Buffer.from(stored.hash, 'hex');
  return expected.length === hash.length && timingSafeEqual(hash, expected);
}
