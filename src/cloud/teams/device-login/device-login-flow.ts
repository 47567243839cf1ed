/**
 * The device login page's steps without the HTML: what https://microsoft.com/devicelogin does with a pairing code and
 * an account, and the words it shows at each step. The page (device-login-plugin.ts) and scenario sign-in
 * (src/rehearsal/steps/teams/sign-in.ts) both go through here, so a scenario records what the user would read.
 *
 *   Enter code (lookupPairingCode) ──▶ Pick an account (user) ──▶ Continue (signIn)
 */
import type { TeamsGateway } from '../gateway.ts';
import type { SignInProblem } from '../tenant/sign-in-checks.ts';
import type { TeamsUser } from '../tenant/tenant-model.ts';

/** Pick an account, "Use another account" left empty. */
export const ACCOUNT_EMPTY = 'Enter a valid email address, phone number, or Skype name.';
/** Pick an account, "Use another account" with a name the tenant does not know. */
export const ACCOUNT_UNKNOWN = "We couldn't find an account with that username. Try another, or get a new Microsoft account.";
/** Added to the gateway's refusal on the "Sign-in refused" page. */
export const NOT_SIGNED_IN = 'The device was not signed in.';

export type CodeStep = { ok: true } | { ok: false; message: string };
export type AccountStep = { ok: true; user: TeamsUser } | { ok: false; message: string; reenterCode: boolean };

/** Enter code → Next: the code is looked up (not case sensitive); the error shown above the field when not found. */
export function enterCode(gateway: TeamsGateway, otc: string): CodeStep {
  const found = gateway.lookupPairingCode(otc.trim());
  return found.ok ? { ok: true } : { ok: false, message: found.message };
}

/** Pick an account: the code is checked again, then the account. `reenterCode`: the page went back to Enter code. */
export function pickAccount(gateway: TeamsGateway, otc: string, upn: string): AccountStep {
  const found = gateway.lookupPairingCode(otc);
  if (!found.ok) return { ok: false, message: found.message, reenterCode: true };
  if (upn.trim() === '') return { ok: false, message: ACCOUNT_EMPTY, reenterCode: false };
  const user = gateway.user(upn.trim());
  if (!user) return { ok: false, message: ACCOUNT_UNKNOWN, reenterCode: false };
  return { ok: true, user };
}

export type DeviceLoginOutcome =
  | { ok: true; user: TeamsUser }
  | { ok: false; step: 'code' | 'account' | 'approve'; message: string; problems: SignInProblem[] };

/**
 * The whole page for one user: enters the code, picks the account (typed under "Use another account" when it is not
 * listed), and presses Continue. The outcome is signed in, or the words the page shows where it stopped (for the
 * gateway's refusal: its alert and then each problem, as the page lists them).
 */
export function signInOnDeviceLogin(gateway: TeamsGateway, otc: string, upn: string): DeviceLoginOutcome {
  const code = enterCode(gateway, otc);
  if (!code.ok) return { ok: false, step: 'code', message: code.message, problems: [] };
  const account = pickAccount(gateway, otc.trim(), upn);
  if (!account.ok) return { ok: false, step: account.reenterCode ? 'code' : 'account', message: account.message, problems: [] };
  const result = gateway.signIn(otc.trim(), account.user.upn);
  if (result.ok) return { ok: true, user: result.user };
  if (result.code !== 'PREREQUISITES') return { ok: false, step: 'code', message: result.message, problems: [] };
  return { ok: false, step: 'approve', message: `${result.message} ${NOT_SIGNED_IN}`, problems: result.problems };
}
