import { describe, expect, it } from 'vitest';
import { DEFAULT_TENANT } from '../../../../src/cloud/teams/tenant/default-tenant.ts';
import { checkIdentity, checkUser } from '../../../../src/cloud/teams/tenant/tenant-input-checks.ts';
import type { TeamsUser } from '../../../../src/cloud/teams/tenant/tenant-model.ts';

/** What an administrator's input must be before the tenant saves it (tenant/tenant-input-checks.ts). */
describe('Tenant input checks', () => {
  const tenant = DEFAULT_TENANT.tenant;
  const adele: TeamsUser = { ...DEFAULT_TENANT.users.find((u) => u.upn === 'adele.vance@contoso.com')!, tenantId: tenant.id };
  const codeFor = (user: Partial<TeamsUser>) => {
    try {
      checkUser(tenant, { ...adele, ...user });
      return 'ok';
    } catch (error) {
      return (error as { code: string }).code;
    }
  };

  it('lets a well-formed user through', () => {
    expect(codeFor({})).toBe('ok');
  });

  it('refuses each bad field with its code', () => {
    expect(codeFor({ displayName: ' ' })).toBe('USER_NAME_INVALID');
    expect(codeFor({ phoneNumber: '0049 69 555' })).toBe('PHONE_NUMBER_INVALID');
    expect(codeFor({ licence: 'Free' as never })).toBe('LICENCE_INVALID');
    expect(codeFor({ callingPolicy: 'Nope' })).toBe('POLICY_NOT_FOUND');
    expect(codeFor({ ipPhonePolicy: 'Nope' })).toBe('POLICY_NOT_FOUND');
    expect(codeFor({ password: { ...adele.password, minimumAgeDays: 999 } })).toBe('PASSWORD_AGE_INVALID');
  });

  it('takes a policy identity with or without Tag:, and refuses one that is not a name', () => {
    expect(checkIdentity(' Tag:SIPDevices ')).toBe('SIPDevices');
    expect(() => checkIdentity('-x')).toThrow(expect.objectContaining({ code: 'POLICY_IDENTITY_INVALID' }));
  });
});
