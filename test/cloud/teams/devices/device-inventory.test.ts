/** Adding devices and acting on them (devices/device-inventory.ts). */
import { beforeEach, describe, expect, it } from 'vitest';
import type { DeviceChange } from '../../../../src/cloud/teams/gateway.ts';
import type { Lab } from '../../../../src/lab/lab.ts';
import { HW, IPEI, useGatewayLab } from '../gateway-steps.ts';

describe('Teams SIP Gateway: the device inventory', () => {
  const steps = useGatewayLab();
  let lab: Lab;
  let changes: DeviceChange[];
  beforeEach(() => {
    lab = steps.lab;
    changes = steps.changes;
  });
  const { addHandset, enrolled } = steps;

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

  describe('restart', () => {
    const signedIn = () => {
      enrolled();
      const { code } = lab.teams.requestPairingCode(HW, 'device');
      expect(lab.teams.signIn(code, 'adele.vance@contoso.com').ok).toBe(true);
    };

    it('restart asks the device to re-provision and restart', () => {
      signedIn();
      lab.teams.restart(HW);
      expect(changes.at(-1)).toMatchObject({ kind: 'restart', checkSync: true, reboot: true });
    });
  });
});
