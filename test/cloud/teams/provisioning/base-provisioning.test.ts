/**
 * The base and the gateway together, without SIP: a registered handset's `00${IPEI}.cfg` is fetched by the base from
 * the emulated EMEA provisioning service; after the admin adds, enrolls and signs the handset in, the check-sync the
 * gateway asks for (sent here by the test, later by the SIP wiring) makes the base fetch the user's line — and reboot
 * once, the guide's reboot on sign-in.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../../src/lab/lab.ts';
import type { DeviceChange } from '../../../../src/cloud/teams/gateway.ts';
import { hardwareIdForIpei } from '../../../../src/cloud/teams/devices/hardware-id.ts';
import { registerHandset, waitForBootedLab } from '../../../devices/handset/steps.ts';
import { MINUTE, openTestLab } from '../../../support/lab.ts';

const TEAMS_EMEA = 'http://emea.ipp.sdg.teams.microsoft.com/00${IPEI}.cfg';

describe('A Rove base provisioned by the emulated Teams SIP Gateway', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await openTestLab();
  });
  afterEach(async () => {
    await lab.close();
  });

  it('gets the onboarding file for its handset, then the user\'s line after sign-in, rebooting once', async () => {
    const base = [...lab.bases.values()][0]!;
    const handset = [...lab.handsets.values()][0]!;
    await waitForBootedLab(lab, base, handset);
    await registerHandset(lab, base, handset, 1);
    base.updateSettings({ itspMethod: 'Periodically', itspInterval: '3600', provisioningOption: 'ConfigURL', configUrl: TEAMS_EMEA });
    await lab.clock.advanceUntil(() => base.status().pendingProvisioningReboots === 0 && base.state === 'running', 60 * MINUTE);
    await lab.clock.advanceUntil(() => base.flash.provisioning.applied[handset.ipei] !== undefined, 10 * MINUTE);
    expect(base.flash.provisioning.applied[handset.ipei]).toMatchObject({ TEAMS_STATE: 'onboarding', TEAMS_REGION: 'EMEA' });

    const hw = hardwareIdForIpei(handset.ipei);
    const checkSyncs: DeviceChange[] = [];
    lab.teams.onDeviceChange((c) => {
      if (c.checkSync) checkSyncs.push(c);
    });
    expect(lab.teams.addDevices([{ macAddress: hw, location: 'Warehouse' }], 'api').ok).toBe(true);
    expect(lab.teams.enroll(hw, lab.teams.generateVerificationCode(hw).code, 'EMEA').ok).toBe(true);
    expect(lab.teams.signIn(lab.teams.requestPairingCode(hw, 'device', 'EMEA').code, 'adele.vance@contoso.com').ok).toBe(true);
    expect(checkSyncs.map((c) => [c.kind, c.ipei])).toEqual([['signed-in', handset.ipei]]);

    const rebootsBefore = base.status().reboots;
    base.send({ type: 'FETCH_PROVISIONING' });
    await lab.clock.advanceUntil(() => base.flash.provisioning.applied[handset.ipei]?.['TEAMS_STATE'] === 'signed-in' && base.state === 'running', 10 * MINUTE);
    expect(base.flash.provisioning.applied[handset.ipei]).toMatchObject({ SIP_LINE_LABEL: '+14255550101', SIP_DISPLAY_NAME: 'Adele Vance' });
    expect(base.status().reboots - rebootsBefore).toBe(1);
    expect(lab.teams.device(hw)?.lastContactRegion).toBe('EMEA');

    // Nothing changes on the next periodic fetch: no further reboot.
    await lab.clock.advance(2 * 60 * MINUTE);
    expect(base.status().reboots - rebootsBefore).toBe(1);
  });
});
