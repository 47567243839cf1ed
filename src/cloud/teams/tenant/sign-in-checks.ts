/**
 * What the gateway checks before it signs a user in on a SIP device. Messages are Microsoft's words where a source
 * gives them (the bulk sign-in errors of seed 003); the others are the simulator's and listed in docs/fidelity.md.
 * Each problem also says what to change, because the lab is for practice.
 */
import {
  effectiveCallingPolicy,
  effectiveIpPhonePolicy,
  hasTeamsPhone,
  type Tenant,
  type TeamsUser,
} from './tenant-model.ts';

export type SignInProblemCode =
  | 'USER_NOT_FOUND'
  | 'NO_LICENCE'
  | 'NO_PHONE_NUMBER'
  | 'NO_SIP_CALLING_POLICY'
  | 'NO_CAP_POLICY'
  | 'MFA_ENABLED'
  | 'PASSWORD_OPTIONS';

export interface SignInProblem {
  code: SignInProblemCode;
  /** What the service reports. */
  message: string;
  /** What an administrator changes to fix it. */
  fix: string;
}

/**
 * `interactive`: a person signs in on the device login page (MFA and password options are that person's business).
 * `bulk`: `New-CsSdgBulkSignInRequest` signs in without a password, so the account must also be a common area phone
 * account without MFA and with plain password options [seed 003].
 */
export type SignInMode = 'interactive' | 'bulk';

export function signInProblems(tenant: Tenant, user: TeamsUser | undefined, mode: SignInMode): SignInProblem[] {
  if (!user) {
    return [{ code: 'USER_NOT_FOUND', message: 'User not found in tenant.', fix: 'Check the user name (UPN); the account must exist in this tenant.' }];
  }
  const problems: SignInProblem[] = [];
  if (!hasTeamsPhone(user)) {
    problems.push({
      code: 'NO_LICENCE',
      message: user.licence === null ? 'User has no licence.' : `User's licence (${user.licence}) does not include Teams Phone.`,
      fix: 'Assign a licence that includes Teams Phone (for shared devices: Microsoft Teams Shared Devices).',
    });
  }
  if (!user.phoneNumber) {
    problems.push({ code: 'NO_PHONE_NUMBER', message: 'User missing phone number assignment.', fix: 'Assign a phone number to the user (Voice → Phone numbers, or Users → the user → Phone number).' });
  }
  const calling = effectiveCallingPolicy(tenant, user);
  if (!calling?.allowSipDevicesCalling) {
    problems.push({
      code: 'NO_SIP_CALLING_POLICY',
      message: 'User missing AllowSIPDevicesCalling policy assignment',
      fix: `Assign a calling policy with "SIP devices can be used for calls" turned on (the user has ${calling ? `"${calling.identity}"` : 'no policy'}), or turn it on in that policy.`,
    });
  }
  if (mode === 'bulk') {
    if (effectiveIpPhonePolicy(tenant, user)?.signInMode !== 'CommonAreaPhoneSignIn') {
      problems.push({ code: 'NO_CAP_POLICY', message: 'User missing CAP policy assignment.', fix: 'Assign an IP phone policy with SignInMode CommonAreaPhoneSignIn.' });
    }
    if (user.mfa) {
      problems.push({ code: 'MFA_ENABLED', message: 'Multifactor authentication is enabled for the user.', fix: 'Bulk sign-in needs an account without MFA.' });
    }
    const p = user.password;
    if (p.mustChangeAtNextLogin || p.cannotChange || p.minimumAgeDays > 0) {
      problems.push({
        code: 'PASSWORD_OPTIONS',
        message: "The Password writeback service failed to set a password on the tenant's local directory.",
        fix: 'Clear "User must change password at next login" and "User\'s password can\'t be changed", and set the minimum password age to 0.',
      });
    }
  }
  return problems;
}
