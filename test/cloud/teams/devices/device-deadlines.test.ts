/** The gateway's timer (devices/device-deadlines.ts): policy sync and offboarding on the lab clock. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { DeviceChange } from '../../../../src/cloud/teams/gateway.ts';
import type { Lab } from '../../../../src/lab/lab.ts';
import { HOUR } from '../../../support/lab.ts';
import { DAY, HW, useGatewayLab } from '../gateway-steps.ts';

describe('Teams SIP Gateway: device deadlines', () => {
  const steps = useGatewayLab();
  let lab: Lab;
  let changes: DeviceChange[];
  beforeEach(() => {
    lab = steps.lab;
    changes = steps.changes;
  });
  const { addHandset, enrolled } = steps;

  describe('after sign-in', () => {
    const signedIn = () => {
      enrolled();
      const { code } = lab.teams.requestPairingCode(HW, 'device');
      expect(lab.teams.signIn(code, 'adele.vance@contoso.com').ok).toBe(true);
    };

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
});
