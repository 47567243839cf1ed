/**
 * The two codes of the SIP device life cycle — not to be confused [seed 002]:
 *
 * - the **verification code** (one-time password): 6 digits, generated in the Teams admin center, dialled on the
 *   device as `*55*<code>` to enroll it [seed 001];
 * - the **pairing code** (device login code): 9 letters and digits such as `PY89F9J3N`, entered on the device login
 *   page to sign a user in; not case sensitive [seed 002].
 */
import { randomInt } from 'node:crypto';

/** Random integer in [0, max): injectable so tests and scenarios can make codes predictable. */
export type RandomInt = (max: number) => number;

export const cryptoRandomInt: RandomInt = (max) => randomInt(max);

export function newVerificationCode(random: RandomInt): string {
  return String(random(1_000_000)).padStart(6, '0');
}

/** Upper-case letters and digits without the look-alikes 0/O and 1/I. */
const PAIRING_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function newPairingCode(random: RandomInt): string {
  let code = '';
  for (let i = 0; i < 9; i++) code += PAIRING_ALPHABET[random(PAIRING_ALPHABET.length)];
  return code;
}

/** What a person typed as a pairing code, ready to compare: spaces and dashes dropped, upper case. */
export function normalizePairingCode(input: string): string {
  return input.replace(/[\s-]/g, '').toUpperCase();
}

/** What a person dialled after `*55*`: digits only. */
export function normalizeVerificationCode(input: string): string {
  return input.replace(/[\s#]/g, '');
}
