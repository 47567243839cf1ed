import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src/lab/lab.ts';
import type { DeviceChange } from '../../../src/cloud/teams/gateway.ts';
import { HOUR, MINUTE, openTestLab } from '../../support/lab.ts';

const DAY = 24 * HOUR;
/** A Rove 30 handset's IPEI and its Teams hardware id ("00" + IPEI, seed 000). */
const IPEI = '0087654321';
const HW = `00${IPEI}`;

describe('Teams SIP Gateway: tenant, enrollment, sign-in and the device life cycle', () => {
  let lab: Lab;
  let changes: DeviceChange[];
  beforeEach(async () => {
    lab = await openTestLab();
    changes = [];
    lab.teams.onDeviceChange((c) => changes.push(c));
  });
  afterEach(async () => {
    await lab.close();
  });

  const addHandset = () => {
    const added = lab.teams.addDevices([{ macAddress: HW, location: 'Warehouse, handset 1' }], 'api');
    expect(added.ok).toBe(true);
  };
  const enrolled = (region: 'EMEA' | 'NOAM' = 'EMEA') => {
    addHandset();
    const { code } = lab.teams.generateVerificationCode(HW);
    expect(lab.teams.enroll(HW, code, region)).toMatchObject({ ok: true });
  };

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

  describe('provisioning a device (Waiting on activation)', () => {
    it('accepts "00" + IPEI and refuses the base MAC, a bare IPEI and garbage, each with a hint', () => {
      const base = lab.teams.addDevices([{ macAddress: '00:04:F2:A0:00:01' }], 'api');
      expect(base).toMatchObject({ ok: false });
      const message = !base.ok ? base.problems[0]!.message : '';
      expect(message).toContain('MAC address of a Rove base station');
      expect(message).toContain('"00" followed by the handset\'s IPEI');
      const ipei = lab.teams.addDevices([{ macAddress: IPEI }], 'api');
      expect(!ipei.ok && ipei.problems[0]!.message).toContain('like an IPEI');
      const bad = lab.teams.addDevices([{ macAddress: 'hello' }], 'api');
      expect(!bad.ok && bad.problems[0]!.message).toContain('not a valid MAC address');
      addHandset();
      expect(lab.teams.device('00-00-87-65-43-21')).toMatchObject({ state: 'provisioned', list: 'Waiting on activation', ipei: IPEI, location: 'Warehouse, handset 1' });
      const again = lab.teams.addDevices([{ macAddress: HW }], 'api');
      expect(!again.ok && again.problems[0]!.message).toContain('already been added');
    });

    it('adds nothing when one row of several is refused', () => {
      const result = lab.teams.addDevices(
        [{ macAddress: '000011111111' }, { macAddress: '0004F2A00001' }, { macAddress: '000022222222' }, { macAddress: '00-00-11-11-11-11' }],
        'api',
      );
      expect(result.ok).toBe(false);
      expect(!result.ok && result.problems.map((p) => p.row)).toEqual([2, 4]);
      expect(lab.teams.devices()).toEqual([]);
    });
  });

  describe('verification codes', () => {
    it('are 6 digits, valid 24 hours on the lab clock, and a new one replaces the old', async () => {
      addHandset();
      const first = lab.teams.generateVerificationCode(HW);
      expect(first.code).toMatch(/^\d{6}$/);
      expect(first.expiresAt - first.issuedAt).toBe(24 * HOUR);
      await lab.clock.advance(24 * HOUR - 1);
      expect(lab.teams.device(HW)?.verificationCodeStatus).toBe('valid');
      await lab.clock.advance(1);
      expect(lab.teams.device(HW)?.verificationCodeStatus).toBe('expired');
      expect(lab.teams.enroll(HW, first.code, 'EMEA')).toMatchObject({ ok: false, code: 'CODE_EXPIRED' });
      const second = lab.teams.generateVerificationCode(HW);
      if (second.code !== first.code) {
        expect(lab.teams.enroll(HW, first.code, 'EMEA')).toMatchObject({ ok: false, code: 'CODE_REPLACED' });
      }
      expect(lab.teams.enroll(HW, second.code, 'EMEA')).toMatchObject({ ok: true });
    });
  });

  describe('enrollment (*55*<code>)', () => {
    it('moves the device from Waiting on activation to Waiting for sign in, user status Signed out', () => {
      addHandset();
      const { code } = lab.teams.generateVerificationCode(HW);
      expect(lab.teams.enroll(HW, '000000' === code ? '111111' : '000000', 'EMEA')).toMatchObject({ ok: false, code: 'CODE_WRONG' });
      const result = lab.teams.enroll(HW, code, 'EMEA');
      expect(result).toMatchObject({ ok: true, device: { state: 'enrolled', list: 'Waiting for sign in', userStatus: 'Signed out', region: 'EMEA' } });
      expect(changes.map((c) => c.kind)).toEqual(['provisioned', 'code-generated', 'enrolled']);
      expect(changes.at(-1)).toMatchObject({ ipei: IPEI, checkSync: false });
      expect(lab.teams.enroll(HW, code, 'EMEA')).toMatchObject({ ok: false, code: 'CODE_USED' });
      expect(() => lab.teams.generateVerificationCode(HW)).toThrow(/not waiting on activation/);
    });

    it('refuses a device nobody added, and one enrolled in another region: "Device not found in records."', () => {
      expect(lab.teams.enroll('000011112222', '123456', 'EMEA')).toEqual({ ok: false, code: 'DEVICE_NOT_FOUND', message: 'Device not found in records.' });
      enrolled('EMEA');
      expect(lab.teams.enroll(HW, '123456', 'NOAM')).toMatchObject({ ok: false, message: 'Device not found in records.' });
      expect(() => lab.teams.requestPairingCode(HW, 'device', 'NOAM')).toThrow('Device not found in records.');
      expect(lab.teams.requestPairingCode(HW, 'device', 'EMEA').code).toMatch(/^[A-Z0-9]{9}$/);
    });
  });

  describe('sign-in with a pairing code', () => {
    it('signs in a ready user, tells the device to re-provision, and lists it under SIP devices', () => {
      enrolled();
      const pairing = lab.teams.requestPairingCode(HW, 'admin-center');
      expect(pairing.url).toBe('https://microsoft.com/devicelogin');
      expect(pairing.expiresAt - lab.clock.now()).toBe(15 * MINUTE);
      const result = lab.teams.signIn(pairing.code.toLowerCase(), 'Adele.Vance@contoso.com');
      expect(result).toMatchObject({ ok: true, device: { state: 'signedIn', list: 'SIP devices', userStatus: 'Signed in', everSignedIn: true } });
      expect(lab.teams.device(HW)?.user).toEqual({ upn: 'adele.vance@contoso.com', displayName: 'Adele Vance', phoneNumber: '+14255550101', sipCallingAllowed: true });
      expect(changes.at(-1)).toMatchObject({ kind: 'signed-in', checkSync: true, reboot: false });
      expect(lab.teams.signIn(pairing.code, 'alex.wilber@contoso.com')).toMatchObject({ ok: false, code: 'PAIRING_CODE_INVALID' });
    });

    it('refuses users without number, SIP calling policy or licence, with the service\'s words', () => {
      enrolled();
      const { code } = lab.teams.requestPairingCode(HW, 'device');
      const problems = (upn: string) => {
        const r = lab.teams.signIn(code, upn);
        return r.ok ? [] : r.problems.map((p) => p.message);
      };
      expect(problems('johanna.lorenz@contoso.com')).toEqual(['User missing phone number assignment.']);
      expect(problems('joni.sherman@contoso.com')).toEqual(['User missing AllowSIPDevicesCalling policy assignment']);
      expect(problems('lidia.holloway@contoso.com')).toEqual(['User has no licence.']);
      expect(problems('nobody@contoso.com')).toEqual(['User not found in tenant.']);
      expect(lab.teams.device(HW)?.state).toBe('enrolled');
      expect(lab.teams.signIn(code, 'lee.gu@contoso.com')).toMatchObject({ ok: true });
    });

    it('expires pairing codes after 15 minutes and says so', async () => {
      enrolled();
      const { code } = lab.teams.requestPairingCode(HW, 'device');
      await lab.clock.advance(15 * MINUTE);
      expect(lab.teams.lookupPairingCode(code)).toMatchObject({ ok: false, code: 'PAIRING_CODE_EXPIRED' });
      expect(changes.at(-1)?.kind).toBe('pairing-expired');
      expect(lab.teams.signIn(code, 'adele.vance@contoso.com')).toMatchObject({ ok: false, code: 'PAIRING_CODE_EXPIRED' });
      const fresh = lab.teams.requestPairingCode(HW, 'device');
      expect(lab.teams.signIn(fresh.code, 'adele.vance@contoso.com')).toMatchObject({ ok: true });
    });
  });

  describe('after sign-in', () => {
    const signedIn = () => {
      enrolled();
      const { code } = lab.teams.requestPairingCode(HW, 'device');
      expect(lab.teams.signIn(code, 'adele.vance@contoso.com').ok).toBe(true);
    };

    it('signs out from the admin center or the device, and can sign in again', () => {
      signedIn();
      expect(lab.teams.signOut(HW, 'admin-center')).toMatchObject({ state: 'signedOut', list: 'SIP devices', userStatus: 'Signed out', user: null });
      expect(changes.at(-1)).toMatchObject({ kind: 'signed-out', checkSync: true });
      expect(() => lab.teams.signOut(HW, 'device')).toThrow(/no user signed in/);
      const { code } = lab.teams.requestPairingCode(HW, 'device');
      expect(lab.teams.signIn(code, 'alex.wilber@contoso.com')).toMatchObject({ ok: true });
    });

    it('restart asks the device to re-provision and restart', () => {
      signedIn();
      lab.teams.restart(HW);
      expect(changes.at(-1)).toMatchObject({ kind: 'restart', checkSync: true, reboot: true });
    });

    it('syncs a policy change to the signed-in device within one hour', async () => {
      signedIn();
      lab.teams.updateUser('adele.vance@contoso.com', { phoneNumber: '+14255550199' });
      expect(lab.teams.device(HW)?.user?.phoneNumber).toBe('+14255550101');
      await lab.clock.advance(HOUR);
      expect(lab.teams.device(HW)?.user?.phoneNumber).toBe('+14255550199');
      expect(changes.at(-1)).toMatchObject({ kind: 'policy-sync', checkSync: true });
      lab.teams.setCallingPolicy('SIPDevices', { allowSipDevicesCalling: false });
      await lab.clock.advance(HOUR);
      expect(lab.teams.device(HW)?.user?.sipCallingAllowed).toBe(false);
    });
  });

  describe('offboarding', () => {
    it('offboards an unpaired device after 14 days without contact', async () => {
      enrolled();
      await lab.clock.advance(13 * DAY);
      lab.teams.deviceSeen(HW, 'EMEA');
      await lab.clock.advance(14 * DAY - 1);
      expect(lab.teams.device(HW)?.state).toBe('enrolled');
      await lab.clock.advance(1);
      expect(lab.teams.device(HW)).toMatchObject({ state: 'offboarded', list: 'Offboarded' });
      expect(changes.at(-1)?.kind).toBe('offboarded');
      expect(lab.teams.addDevices([{ macAddress: HW }], 'api').ok).toBe(true);
    });

    it('offboards a paired device after 30 days without contact', async () => {
      enrolled();
      const { code } = lab.teams.requestPairingCode(HW, 'device');
      lab.teams.signIn(code, 'adele.vance@contoso.com');
      await lab.clock.advance(29 * DAY);
      expect(lab.teams.device(HW)?.state).toBe('signedIn');
      await lab.clock.advance(DAY);
      expect(lab.teams.device(HW)?.state).toBe('offboarded');
    });

    it('does not offboard devices still waiting on activation', async () => {
      addHandset();
      await lab.clock.advance(60 * DAY);
      expect(lab.teams.device(HW)?.state).toBe('provisioned');
    });
  });

  describe('persistence', () => {
    it('keeps the tenant, devices and codes across a restart of the simulator', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'teams-gateway-'));
      const file = path.join(dir, 'lab.db');
      const first = await openTestLab({ file });
      first.teams.addDevices([{ macAddress: HW }], 'api');
      const { code } = first.teams.generateVerificationCode(HW);
      first.teams.updateUser('adele.vance@contoso.com', { mfa: true });
      await first.close();
      const second = await openTestLab({ file });
      expect(second.teams.device(HW)?.verificationCode?.code).toBe(code);
      expect(second.teams.user('adele.vance@contoso.com')?.mfa).toBe(true);
      expect(second.teams.enroll(HW, code, 'APAC')).toMatchObject({ ok: true });
      await second.close();
      rmSync(dir, { recursive: true, force: true });
    });
  });
});
