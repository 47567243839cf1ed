/** Verification codes and *55* enrollment (devices/enrollment.ts). */
import { beforeEach, describe, expect, it } from 'vitest';
import type { DeviceChange } from '../../../../src/cloud/teams/gateway.ts';
import type { Lab } from '../../../../src/lab/lab.ts';
import { HOUR } from '../../../support/lab.ts';
import { HW, IPEI, useGatewayLab } from '../gateway-steps.ts';

describe('Teams SIP Gateway: enrollment', () => {
  const steps = useGatewayLab();
  let lab: Lab;
  let changes: DeviceChange[];
  beforeEach(() => {
    lab = steps.lab;
    changes = steps.changes;
  });
  const { addHandset, enrolled } = steps;

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
});
