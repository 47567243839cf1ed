/**
 * The checks a user's details and a policy name must pass before the tenant saves them, with the errors an
 * administrator gets for bad input (`USER_NAME_INVALID`, `PHONE_NUMBER_INVALID`, `LICENCE_INVALID`, `POLICY_NOT_FOUND`,
 * `PASSWORD_AGE_INVALID`, `POLICY_IDENTITY_INVALID`). Sign-in refusals are elsewhere: `sign-in-checks.ts`.
 */
import { SimError } from '../../../kernel/errors.ts';
import { isE164, LICENCES, type Tenant, type TeamsUser } from './tenant-model.ts';

/** Throws for a user the tenant must not hold: name, number, licence, policies that do not exist, password age. */
export function checkUser(tenant: Tenant, user: TeamsUser): void {
  if (user.displayName.trim() === '' || user.displayName.length > 128) throw new SimError('USER_NAME_INVALID', 'the display name must have 1 to 128 characters');
  if (user.phoneNumber !== null && !isE164(user.phoneNumber)) {
    throw new SimError('PHONE_NUMBER_INVALID', `"${user.phoneNumber}" is not a phone number in E.164 form (e.g. +14255550101)`);
  }
  if (user.licence !== null && !Object.hasOwn(LICENCES, user.licence)) {
    throw new SimError('LICENCE_INVALID', `licence must be one of ${Object.keys(LICENCES).join(', ')}, or null`);
  }
  if (user.callingPolicy !== null && !tenant.callingPolicies.some((p) => p.identity === user.callingPolicy)) {
    throw new SimError('POLICY_NOT_FOUND', `there is no calling policy "${user.callingPolicy}"`, 404);
  }
  if (user.ipPhonePolicy !== null && !tenant.ipPhonePolicies.some((p) => p.identity === user.ipPhonePolicy)) {
    throw new SimError('POLICY_NOT_FOUND', `there is no IP phone policy "${user.ipPhonePolicy}"`, 404);
  }
  const age = user.password.minimumAgeDays;
  if (!Number.isInteger(age) || age < 0 || age > 998) throw new SimError('PASSWORD_AGE_INVALID', 'minimum password age is a whole number of days, 0 to 998');
}

/** A policy's identity as the cmdlets take it (`Tag:` prefix dropped), or throws POLICY_IDENTITY_INVALID. */
export function checkIdentity(identity: string): string {
  const id = identity.trim().replace(/^Tag:/i, '');
  if (!/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/.test(id)) throw new SimError('POLICY_IDENTITY_INVALID', `"${identity}" is not a policy name (letters, digits, space, _ . -; up to 64)`);
  return id;
}
