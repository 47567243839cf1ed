/**
 * The checks a user's details and a policy name must pass before the tenant saves them, with the errors an
 * administrator gets for bad input (`USER_NAME_INVALID`, `PHONE_NUMBER_INVALID`, `LICENCE_INVALID`, `POLICY_NOT_FOUND`,
 * `PASSWORD_AGE_INVALID`, `POLICY_IDENTITY_INVALID`). Sign-in refusals are elsewhere: `sign-in-checks.ts`.
 */
import {
  ERR_LICENCE_INVALID,
  ERR_PASSWORD_AGE_INVALID,
  ERR_PHONE_NUMBER_INVALID,
  ERR_POLICY_IDENTITY_INVALID,
  ERR_POLICY_NOT_FOUND,
  ERR_POLICY_NOT_FOUND_2,
  ERR_USER_NAME_INVALID,
} from '../../../kernel/error-catalogue.ts';
import { isE164, LICENCES, type Tenant, type TeamsUser } from './tenant-model.ts';

/** Throws for a user the tenant must not hold: name, number, licence, policies that do not exist, password age. */
export function checkUser(tenant: Tenant, user: TeamsUser): void {
  if (user.displayName.trim() === '' || user.displayName.length > 128) throw new ERR_USER_NAME_INVALID();
  if (user.phoneNumber !== null && !isE164(user.phoneNumber)) {
    throw new ERR_PHONE_NUMBER_INVALID(user.phoneNumber);
  }
  if (user.licence !== null && !Object.hasOwn(LICENCES, user.licence)) {
    throw new ERR_LICENCE_INVALID(Object.keys(LICENCES).join(', '));
  }
  if (user.callingPolicy !== null && !tenant.callingPolicies.some((p) => p.identity === user.callingPolicy)) {
    throw new ERR_POLICY_NOT_FOUND(user.callingPolicy);
  }
  if (user.ipPhonePolicy !== null && !tenant.ipPhonePolicies.some((p) => p.identity === user.ipPhonePolicy)) {
    throw new ERR_POLICY_NOT_FOUND_2(user.ipPhonePolicy);
  }
  const age = user.password.minimumAgeDays;
  if (!Number.isInteger(age) || age < 0 || age > 998) throw new ERR_PASSWORD_AGE_INVALID();
}

/** A policy's identity as the cmdlets take it (`Tag:` prefix dropped), or throws POLICY_IDENTITY_INVALID. */
export function checkIdentity(identity: string): string {
  const id = identity.trim().replace(/^Tag:/i, '');
  if (!/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/.test(id)) throw new ERR_POLICY_IDENTITY_INVALID(identity);
  return id;
}
