import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../src/lab/lab.ts';
import { buildApp } from '../../src/server/build-app.ts';
import { parseBulkHardwareId, parseBulkSignInCsv } from '../../src/teams-gateway/bulk-sign-in.ts';
import { HOUR, openTestLab } from '../support/lab.ts';

const TENANT = '8f6a1c2e-3b4d-4e5f-9a6b-7c8d9e0f1a2b';
const LOBBY = '000011110001';
const DOCK = '000011110002';

describe('Bulk sign-in (New-CsSdgBulkSignInRequest, seed 003)', () => {
  let lab: Lab;
  let app: FastifyInstance;
  beforeEach(async () => {
    lab = await openTestLab();
    app = await buildApp({ lab });
  });
  afterEach(async () => {
    await app.close();
    await lab.close();
  });

  /** Devices added in the admin center that fetched their file with the tenant id, from the head office. */
  const readyDevices = () => {
    lab.teams.addDevices([{ macAddress: LOBBY }, { macAddress: DOCK }], 'api');
    for (const hw of [LOBBY, DOCK]) {
      lab.teams.handleProvisioningRequest(hw, 'EMEA', 'en', TENANT);
      lab.teams.deviceSeen(hw, 'EMEA', { siteId: 'hq' });
    }
  };
  const request = (payload: object) => app.inject({ method: 'POST', url: '/api/teams/bulk-sign-in', payload });

  it('reads the CSV header Username,HardwareId and hardware ids like 1A-2B-3C-D4-E5-F6', () => {
    expect(parseBulkHardwareId('1A-2B-3C-D4-E5-F6')).toBe('1A2B3CD4E5F6');
    expect(parseBulkHardwareId('1a-2b-3c-d4-e5-f6:001')).toBe('1A2B3CD4E5F6');
    expect(parseBulkHardwareId('1A2B3CD4E5F6')).toBeUndefined();
    expect(parseBulkSignInCsv('Username,HardwareId\r\nFirstFloorLobbyPhone1@contoso.com,1A-2B-3C-D4-E5-F6\r\n')).toEqual({
      ok: true,
      rows: [{ row: 2, userName: 'FirstFloorLobbyPhone1@contoso.com', hardwareId: '1A-2B-3C-D4-E5-F6' }],
    });
  });

  it('is refused while BulkSignIn is Disabled', async () => {
    readyDevices();
    const res = await request({ region: 'EMEA', devices: [{ userName: 'FirstFloorLobbyPhone1@contoso.com', hardwareId: '00-00-11-11-00-01' }] });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'BULK_SIGN_IN_DISABLED' });
  });

  it('signs in a common area phone account without password, and reports each failure in the service\'s words', async () => {
    readyDevices();
    lab.teams.setBulkSignIn('Enabled');
    const csv = [
      'Username,HardwareId',
      'FirstFloorLobbyPhone1@contoso.com,00-00-11-11-00-01',
      'warehouse.dect2@contoso.com,00-00-11-11-00-02',
      'reception@contoso.com,00-00-99-99-99-99',
      'warehouse.dect1@contoso.com,000011110002',
    ].join('\r\n');
    const res = await request({ region: 'EMEA', csv });
    expect(res.statusCode).toBe(201);
    const batch = res.json();
    expect(batch).toMatchObject({ BatchStatus: 'Completed', Region: 'EMEA' });
    expect(batch.BatchItem.map((i: { Status: string; Error: string | null }) => [i.Status, i.Error])).toEqual([
      ['Success', null],
      ['Failed', 'User missing CAP policy assignment.'],
      ['Failed', 'Device not found in records.'],
      ['Failed', 'Input hardware-ID is of wrong format'],
    ]);
    expect(lab.teams.device(LOBBY)).toMatchObject({ state: 'signedIn', user: { upn: 'FirstFloorLobbyPhone1@contoso.com' } });
    expect((await app.inject(`/api/teams/bulk-sign-in/${batch.BatchId}`)).json().BatchId).toBe(batch.BatchId);
    expect((await app.inject('/api/teams/bulk-sign-in')).json().items).toHaveLength(1);
  });

  it('needs the tenant id in the URL, a trusted public IP, a device that is online, the right region and the deadline', async () => {
    lab.teams.setBulkSignIn('Enabled');
    lab.teams.addDevices([{ macAddress: LOBBY }, { macAddress: DOCK }], 'api');
    lab.teams.handleProvisioningRequest(LOBBY, 'EMEA');
    lab.teams.handleProvisioningRequest(DOCK, 'EMEA', 'en', TENANT);
    lab.teams.deviceSeen(DOCK, 'EMEA', { siteId: 'warehouse' });
    const items = () =>
      lab.teams
        .bulkSignIn(
          [
            { row: 1, userName: 'warehouse.dect1@contoso.com', hardwareId: '00-00-11-11-00-01' },
            { row: 2, userName: 'FirstFloorLobbyPhone1@contoso.com', hardwareId: '00-00-11-11-00-02' },
          ],
          'EMEA',
        )
        .BatchItem.map((i) => i.Error);
    expect(items()).toEqual(['BulkSignIn Tag missing for the device', 'Public IP not configured as Trusted IP.']);
    lab.teams.setTrustedIps(['203.0.113.10', '198.51.100.0/24']);
    expect(lab.teams.bulkSignIn([{ row: 1, userName: 'FirstFloorLobbyPhone1@contoso.com', hardwareId: '00-00-11-11-00-02' }], 'NOAM').BatchItem[0]?.Error).toBe(
      'Device not found in records.',
    );
    await lab.clock.advance(3 * HOUR);
    expect(items()[1]).toBe('Device is offline.');
    await lab.clock.advance(70 * HOUR);
    lab.teams.deviceSeen(DOCK, 'EMEA');
    expect(items()[1]).toBe('Bulk Sign-in deadline expired.');
  });

  it('refuses more than 100 devices per request', () => {
    lab.teams.setBulkSignIn('Enabled');
    const rows = Array.from({ length: 101 }, (_, i) => ({ row: i + 1, userName: 'x@contoso.com', hardwareId: '00-00-00-00-00-01' }));
    expect(() => lab.teams.bulkSignIn(rows, 'EMEA')).toThrow(/at most 100 devices/);
  });
});
