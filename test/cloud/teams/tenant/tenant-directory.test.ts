/** The tenant part of the gateway (tenant/tenant-directory.ts): the default tenant every lab starts with. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../../src/lab/lab.ts';
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
