/**
 * Bulk sign-in on real handsets: each successful row signs the device in exactly as a manual sign-in does, so on a
 * base with the reboot-on-sign-in firmware every signed-in handset costs the whole DECT server a reboot (issue 6).
 */
import { describe, expect, it } from 'vitest';
import { hardwareIdForIpei, formatHardwareId } from '../../src/cloud/teams/devices/hardware-id.ts';
import { screen } from '../devices/handset/steps.ts';
import { MINUTE } from '../support/lab.ts';
import { addCapUser, csv } from '../cloud/teams/bulk/bulk-support.ts';
import { settled, teamsReadyLab } from './teams-steps.ts';

const HOUR = 60 * MINUTE;

async function bulkRehearsal(profile?: string) {
  const probe = await teamsReadyLab(profile ? { lab: { profile } } : {});
  const tenant = probe.lab.teams.tenant.id;
  await probe.lab.close();
  // Bulk sign-in needs the tenant id in the provisioning URL (seed 003).
  const world = await teamsReadyLab({
    configUrl: `http://emea.ipp.sdg.teams.microsoft.com/tenantid/${tenant}/00\${IPEI}.cfg`,
    ...(profile ? { lab: { profile } } : {}),
  });
  const { lab, base, handset, other } = world;
  lab.teams.setBulkSignIn('Enabled');
  const devices = [handset, other].map((h) => hardwareIdForIpei(h.ipei));
  const added = lab.teams.addDevices(devices.map((macAddress) => ({ macAddress })), 'api');
  expect(added.ok).toBe(true);
  // The base fetches the handsets' files again (hourly), now known to the gateway with the tenant id in the URL.
  base.send({ type: 'FETCH_PROVISIONING' });
  await lab.clock.advanceUntil(settled(base, handset, other), 2 * HOUR);
  const users = [addCapUser(lab, 1), addCapUser(lab, 2)];
  const rebootsBefore = base.status().reboots;

  const { BatchId } = lab.teams.bulk.submit({ region: 'EMEA', csv: csv(users.map((u, i) => [u, formatHardwareId(devices[i]!)])) });
  await lab.clock.advanceUntil(() => lab.teams.bulk.status(BatchId).BatchStatus === 'Completed', 10 * MINUTE);
  const batch = lab.teams.bulk.status(BatchId);
  // Done when the technician sees both numbers on the handsets, and the base has settled.
  const shows = (h: typeof handset, n: string) => screen(h).join('\n').includes(n);
  await lab.clock.advanceUntil(() => settled(base, handset, other)() && shows(handset, '+14255560001') && shows(other, '+14255560002'), 2 * HOUR);
  return { lab, base, handset, other, batch, reboots: base.status().reboots - rebootsBefore };
}

describe('Bulk sign-in on a Rove system', () => {
  it('signs both handsets in: each shows its number, and the base reboots for the sign-ins (rove-8.0)', async () => {
    const { lab, base, handset, other, batch, reboots } = await bulkRehearsal();
    try {
      expect(batch.BatchItem.map((i) => [i.Status, i.Error])).toEqual([
        ['success', null],
        ['success', null],
      ]);
      expect(screen(handset).join('\n')).toContain('+14255560001');
      expect(screen(other).join('\n')).toContain('+14255560002');
      expect(reboots).toBeGreaterThanOrEqual(1);
      expect(base.status().rebootLog.some((e) => e.reason === 'ITSP provisioning: new configuration')).toBe(true);
    } finally {
      await lab.close();
    }
  });

  it('with a firmware that does not reboot on sign-in, the same batch costs no reboot', async () => {
    const { lab, handset, batch, reboots } = await bulkRehearsal('no-reboot-on-sign-in');
    try {
      expect(batch.BatchItem.every((i) => i.Status === 'success')).toBe(true);
      expect(screen(handset).join('\n')).toContain('+14255560001');
      expect(reboots).toBe(0);
    } finally {
      await lab.close();
    }
  });
});
