/** Pairing codes, sign-in and sign-out (devices/device-sign-in.ts). */
import { beforeEach, describe, expect, it } from 'vitest';
import type { DeviceChange } from '../../../../src/cloud/teams/gateway.ts';
import type { Lab } from '../../../../src/lab/lab.ts';
import { MINUTE } from '../../../support/lab.ts';
import { HW, useGatewayLab } from '../gateway-steps.ts';

describe('Teams SIP Gateway: signing users in and out', () => {
  const steps = useGatewayLab();
  let lab: Lab;
  let changes: DeviceChange[];
  beforeEach(() => {
    lab = steps.lab;
    changes = steps.changes;
  });
  const { enrolled } = steps;

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
  });
});
