/** The tenant part of the gateway (tenant/tenant-directory.ts): the default tenant every lab starts with, and the part alone. */
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TENANT } from '../../../../src/cloud/teams/tenant/default-tenant.ts';
import { SITE_KIND, TENANT_KIND, TenantDirectory, USER_KIND } from '../../../../src/cloud/teams/tenant/tenant-directory.ts';
import type { Lab } from '../../../../src/lab/lab.ts';
import { MemoryDocumentStore } from '../../../support/memory-document-store.ts';
import { openTestLab } from '../../../support/lab.ts';
import { useGatewayLab } from '../gateway-steps.ts';

describe('Teams SIP Gateway: the tenant', () => {
  const steps = useGatewayLab();
  let lab: Lab;
  beforeEach(() => {
    lab = steps.lab;
  });

  describe('the default tenant', () => {
    it('is Contoso with a fixed tenant id and 20 users, some deliberately misconfigured', () => {
      const tenant = lab.teams.tenant;
      expect(tenant).toMatchObject({ id: '8f6a1c2e-3b4d-4e5f-9a6b-7c8d9e0f1a2b', organizationName: 'Contoso' });
      expect(lab.teams.users()).toHaveLength(20);
      expect(tenant.callingPolicies.find((p) => p.identity === 'Global')?.allowSipDevicesCalling).toBe(false);
      expect(tenant.callingPolicies.find((p) => p.identity === 'SIPDevices')?.allowSipDevicesCalling).toBe(true);
      expect(tenant.ipPhonePolicies.map((p) => p.signInMode)).toEqual(['UserSignIn', 'CommonAreaPhoneSignIn', 'MeetingSignIn']);
      expect(tenant.sipDevicesConfiguration).toEqual({ identity: 'Global', bulkSignIn: 'Disabled' });
      expect(lab.teams.user('johanna.lorenz@contoso.com')?.phoneNumber).toBeNull();
      expect(lab.teams.user('joni.sherman@contoso.com')?.callingPolicy).toBeNull();
      expect(lab.teams.user('lee.gu@contoso.com')?.mfa).toBe(true);
      expect(lab.teams.user('lidia.holloway@contoso.com')?.licence).toBeNull();
      expect(lab.teams.user('Miriam.Graham@Contoso.com')?.password.mustChangeAtNextLogin).toBe(true);
      expect(lab.teams.sites().map((s) => s.publicIp)).toEqual(['203.0.113.10', '198.51.100.20']);
    });

    it('is the same in every new lab, and a lab created without the default lab has none', async () => {
      const other = await openTestLab();
      expect(other.teams.users().map((u) => u.phoneNumber)).toEqual(lab.teams.users().map((u) => u.phoneNumber));
      await other.close();
      const empty = await openTestLab({ seedDefaultLab: false });
      expect(empty.teams.hasTenant).toBe(false);
      await empty.close();
    });
  });
});

describe('TenantDirectory on its own', () => {
  const open = (store = new MemoryDocumentStore()) => {
    const changed: string[] = [];
    const directory = new TenantDirectory({ store, onPoliciesChanged: () => changed.push('policies') });
    return { store, directory, changed };
  };

  it('starts without a tenant (TENANT_MISSING) and creates one once (TENANT_EXISTS)', () => {
    const { directory } = open();
    expect(directory.hasTenant).toBe(false);
    expect(directory.tenantIfAny).toBeUndefined();
    expect(() => directory.tenant).toThrow(expect.objectContaining({ code: 'TENANT_MISSING', statusCode: 404 }));
    directory.createTenant(DEFAULT_TENANT);
    expect(directory.tenant.organizationName).toBe('Contoso');
    expect(() => directory.createTenant(DEFAULT_TENANT)).toThrow(expect.objectContaining({ code: 'TENANT_EXISTS', statusCode: 409 }));
  });

  it('writes the tenant, its users and sites to the store, and reads them back', () => {
    const { store, directory } = open();
    directory.createTenant(DEFAULT_TENANT);
    expect(store.ids(TENANT_KIND)).toEqual([DEFAULT_TENANT.tenant.id]);
    expect(store.ids(USER_KIND)).toHaveLength(20);
    expect(store.ids(USER_KIND)[0]).toBe(`${DEFAULT_TENANT.tenant.id}/${DEFAULT_TENANT.users[0]!.upn.toLowerCase()}`);
    expect(store.ids(SITE_KIND)).toEqual(['hq', 'warehouse']);
    const again = open(store).directory;
    expect(again.users()).toEqual(directory.users());
    expect(again.site('warehouse')).toEqual(directory.site('warehouse'));
  });

  it('announces the changes that can reach a signed-in device, and only those', () => {
    const { directory, changed } = open();
    directory.createTenant(DEFAULT_TENANT);
    expect(changed).toEqual([]);
    directory.setTrustedIps(['203.0.113.10']);
    directory.setBulkSignIn('Enabled');
    directory.setSite({ id: 'lab', name: 'Lab', publicIp: '192.0.2.1' });
    expect(changed).toEqual([]);
    directory.updateUser('adele.vance@contoso.com', { phoneNumber: '+14255550199' });
    directory.setCallingPolicy('SIPDevices', { allowSipDevicesCalling: false });
    directory.setIpPhonePolicy('CommonAreaPhone', { signInMode: 'CommonAreaPhoneSignIn' });
    directory.updateTenant({ organizationName: 'Contoso Ltd' });
    expect(changed).toEqual(['policies', 'policies', 'policies', 'policies']);
  });

  it('raises the tenant errors with their codes', () => {
    const { directory } = open();
    directory.createTenant(DEFAULT_TENANT);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return (error as { code: string }).code;
      }
      return 'no error';
    };
    expect(code(() => directory.updateTenant({ organizationName: ' ' }))).toBe('TENANT_NAME_INVALID');
    expect(code(() => directory.addUser({ ...DEFAULT_TENANT.users[0]!, upn: 'nobody' }))).toBe('USER_UPN_INVALID');
    expect(code(() => directory.addUser(DEFAULT_TENANT.users[0]!))).toBe('USER_EXISTS');
    expect(code(() => directory.updateUser('nobody@contoso.com', {}))).toBe('USER_NOT_FOUND');
    expect(code(() => directory.setIpPhonePolicy('X', { signInMode: 'Nope' as never }))).toBe('SIGN_IN_MODE_INVALID');
    expect(code(() => directory.setBulkSignIn('On' as never))).toBe('BULK_SIGN_IN_INVALID');
    expect(code(() => directory.addTrustedIp('300.1.1.1'))).toBe('TRUSTED_IP_INVALID');
    expect(code(() => directory.removeTrustedIp('192.0.2.99'))).toBe('TRUSTED_IP_NOT_FOUND');
    expect(code(() => directory.setSite({ id: 'Bad Id', name: '', publicIp: '192.0.2.1' }))).toBe('SITE_ID_INVALID');
    expect(code(() => directory.setSite({ id: 'ok', name: '', publicIp: 'x' }))).toBe('SITE_IP_INVALID');
    expect(code(() => directory.connectAdmin('nobody@contoso.com'))).toBe('ADMIN_NOT_FOUND');
    expect(code(() => directory.setAdmin({ upn: 'a@contoso.com', displayName: 'A', roles: ['Boss' as never] }))).toBe('ADMIN_ROLE_INVALID');
    expect(code(() => directory.setOnPremisesAd({ throttleBatchSize: 0 }))).toBe('THROTTLE_INVALID');
  });
});
