/**
 * Bulk sign-in (New-CsSdgBulkSignInRequest, seed 003): an administrator prepares Contoso's tenant and handsets, then
 * signs them in 100 at a time. Each documented error is met under its own cause, crafted in the tenant or on the
 * device; the rows run on the lab clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../src/kernel/virtual-clock.ts';
import { Lab } from '../../../../src/lab/lab.ts';
import { restoreCheckpoint, saveCheckpoint } from '../../../../src/live/checkpoints.ts';
import { BULK_BATCH_KIND, type BulkSignInBatch, type BulkSignInGateway, BulkSignInService } from '../../../../src/cloud/teams/bulk/batch-service.ts';
import type { DeviceChange } from '../../../../src/cloud/teams/gateway.ts';
import { DEFAULT_GATEWAY_PROFILE } from '../../../../src/cloud/teams/gateway-profile.ts';
import { DEFAULT_TENANT } from '../../../../src/cloud/teams/tenant/default-tenant.ts';
import { HOUR, openTestLab } from '../../../support/lab.ts';
import { MemoryDocumentStore } from '../../../support/memory-document-store.ts';
import { addCapUser, csv, csvId, errorsOf, HQ_BASE, hw, readyDevice, runBatch } from './bulk-support.ts';

const LOBBY = 'FirstFloorLobbyPhone1@contoso.com';

describe('Bulk sign-in: the batch service', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await openTestLab();
    lab.teams.setBulkSignIn('Enabled');
  });
  afterEach(async () => {
    await lab.close();
  });

  it('returns a BatchId at once, works through the rows on the lab clock and moves to Completed', async () => {
    readyDevice(lab, 1);
    readyDevice(lab, 2);
    const signedIn: DeviceChange[] = [];
    lab.teams.onDeviceChange((c) => c.kind === 'signed-in' && signedIn.push(c));
    const { BatchId, BatchStatus } = lab.teams.bulk.submit({ region: 'EMEA', csv: csv([[LOBBY, csvId(1)], ['warehouse.dect1@contoso.com', csvId(2)]]) });
    expect(BatchStatus).toBe('InProgress');
    expect(lab.teams.bulk.status(BatchId).BatchItem.map((i) => i.Status)).toEqual(['pending', 'pending']);
    await lab.clock.advance(lab.teams.profile.bulkRowProcessingMs);
    expect(lab.teams.bulk.status(BatchId).BatchItem.map((i) => i.Status)).toEqual(['success', 'pending']);
    await lab.clock.advance(lab.teams.profile.bulkRowProcessingMs);
    const done = lab.teams.bulk.status(BatchId);
    expect(done).toMatchObject({ BatchStatus: 'Completed', Region: 'EMEA', SubmittedBy: 'admin@contoso.com' });
    expect(done.BatchItem).toMatchObject([
      { UserName: LOBBY, HardwareId: '00-00-11-11-00-01', Status: 'success', Error: null },
      { UserName: 'warehouse.dect1@contoso.com', HardwareId: '00-00-11-11-00-02', Status: 'success', Error: null },
    ]);
    // Signed in exactly as with a pairing code: the same change, with the check-sync that makes the base re-fetch.
    expect(signedIn.map((c) => [c.hardwareId, c.checkSync, c.device.user?.upn])).toEqual([
      [hw(1), true, LOBBY],
      [hw(2), true, 'warehouse.dect1@contoso.com'],
    ]);
    expect(lab.teams.device(hw(1))).toMatchObject({ state: 'signedIn', list: 'SIP devices', userStatus: 'Signed in' });
    expect(lab.teams.bulk.summary()).toMatchObject([{ BatchId, BatchStatus: 'Completed', Status: 'succeeded', TotalCount: 2, SuccessCount: 2 }]);
  });

  it('refuses 101 devices, and a fourth running batch in a region, changing nothing', async () => {
    const rows = Array.from({ length: 101 }, (_, i): [string, string] => [`cap${i}@contoso.com`, csvId(i + 1)]);
    expect(() => lab.teams.bulk.submit({ region: 'EMEA', csv: csv(rows) })).toThrow(/line 102: at most 100 devices per request: the file has 101/);
    for (let i = 0; i < 3; i++) lab.teams.bulk.submit({ region: 'EMEA', csv: csv([[LOBBY, csvId(1)]]) });
    expect(() => lab.teams.bulk.submit({ region: 'EMEA', csv: csv([[LOBBY, csvId(1)]]) })).toThrow(/At most 3 bulk sign-in requests per region/);
    expect(lab.teams.bulk.submit({ region: 'apac', csv: csv([[LOBBY, csvId(1)]]) }).Region).toBe('APAC');
    expect(lab.teams.bulk.summary()).toHaveLength(4);
    await lab.clock.advance(lab.teams.profile.bulkRowProcessingMs);
    expect(lab.teams.bulk.submit({ region: 'EMEA', csv: csv([[LOBBY, csvId(1)]]) }).BatchStatus).toBe('InProgress');
  });

  it('answers "Access Denied" to an administrator without an authentication role', () => {
    lab.teams.connectAdmin('teams.admin@contoso.com');
    expect(() => lab.teams.bulk.submit({ region: 'EMEA', csv: csv([[LOBBY, csvId(1)]]) })).toThrow(/^Access Denied$/);
    expect(() => lab.teams.bulk.summary()).toThrow(/^Access Denied$/);
    lab.teams.connectAdmin('auth.admin@contoso.com');
    expect(lab.teams.bulk.submit({ region: 'EMEA', csv: csv([[LOBBY, csvId(1)]]) }).SubmittedBy).toBe('auth.admin@contoso.com');
  });

  it('is refused while BulkSignIn is Disabled', () => {
    lab.teams.setBulkSignIn('Disabled');
    expect(() => lab.teams.bulk.submit({ region: 'EMEA', csv: csv([[LOBBY, csvId(1)]]) })).toThrow(/BulkSignIn is Disabled/);
  });

  it('keeps a running batch across a restart of the simulator and finishes it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rove-bulk-'));
    const file = path.join(dir, 'lab.db');
    const clock = () => new VirtualClock({ start: Date.UTC(2026, 10, 2, 9, 0, 0), paused: true });
    const first = await Lab.open({ file, clock: clock() });
    first.teams.setBulkSignIn('Enabled');
    readyDevice(first, 1);
    const { BatchId } = first.teams.bulk.submit({ region: 'EMEA', csv: csv([[LOBBY, csvId(1)], ['nobody@contoso.com', csvId(2)]]) });
    await first.close();
    const again = await Lab.open({ file, clock: clock() });
    try {
      expect(again.teams.bulk.status(BatchId).BatchStatus).toBe('InProgress');
      await again.clock.advance(2 * again.teams.profile.bulkRowProcessingMs);
      expect(errorsOf(again.teams.bulk.status(BatchId))).toEqual([null, 'User not found in tenant.']);
    } finally {
      await again.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('after a checkpoint restore, runs again the rows the checkpoint had pending', async () => {
    for (const n of [1, 2, 3]) readyDevice(lab, n);
    const rows: Array<[string, string]> = [1, 2, 3].map((n) => [addCapUser(lab, n), csvId(n)]);
    const { BatchId } = lab.teams.bulk.submit({ region: 'EMEA', csv: csv(rows) });
    const rowMs = lab.teams.profile.bulkRowProcessingMs;
    await lab.clock.advance(rowMs);
    saveCheckpoint(lab, 'one-row-done');
    await lab.clock.advance(2 * rowMs);
    expect(lab.teams.bulk.status(BatchId).BatchStatus).toBe('Completed');
    await restoreCheckpoint(lab, 'one-row-done');
    const restored = lab.teams.bulk.status(BatchId);
    expect(restored.BatchItem.map((i) => i.Status)).toEqual(['success', 'pending', 'pending']);
    // Lab time does not go back: both rows are past due and run at once, in order, as after a restart.
    const changes: string[] = [];
    lab.teams.bulk.onChange((b) => changes.push(b.BatchItem.map((i) => i.Status).join(',')));
    await lab.clock.advance(1);
    expect(changes).toEqual(['success,success,success']);
    const done = lab.teams.bulk.status(BatchId);
    expect(done).toMatchObject({ BatchStatus: 'Completed', CompletedTime: restored.CreatedTime + 3 * rowMs });
    expect(done.BatchItem.map((i) => i.ProcessedTime! - restored.CreatedTime)).toEqual([rowMs, 2 * rowMs, 3 * rowMs]);
  });
});

describe('Bulk sign-in: every documented error under its own cause', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await openTestLab();
    lab.teams.setBulkSignIn('Enabled');
  });
  afterEach(async () => {
    await lab.close();
  });

  /** One ready device (n = 1) and one row for it; `craft` breaks one thing first. */
  const one = async (craft: () => void, user = LOBBY, hardwareId = csvId(1)) => {
    readyDevice(lab, 1);
    craft();
    return errorsOf(await runBatch(lab, [[user, hardwareId]]))[0];
  };

  it('User not found in tenant.', async () => {
    expect(await one(() => {}, 'FirstFloorLobbyPhone9@contoso.com')).toBe('User not found in tenant.');
  });
  it('User missing phone number assignment.', async () => {
    expect(await one(() => lab.teams.updateUser(LOBBY, { phoneNumber: null }))).toBe('User missing phone number assignment.');
  });
  it('User missing AllowSIPDevicesCalling policy assignment', async () => {
    expect(await one(() => lab.teams.updateUser(LOBBY, { callingPolicy: 'Global' }))).toBe('User missing AllowSIPDevicesCalling policy assignment');
  });
  it('User missing CAP policy assignment.', async () => {
    expect(await one(() => {}, 'warehouse.dect2@contoso.com')).toBe('User missing CAP policy assignment.');
  });
  it('Device not found in records. (never provisioned, or the wrong -Region)', async () => {
    expect(await one(() => {}, LOBBY, csvId(9))).toBe('Device not found in records.');
    const wrongRegion = await runBatch(lab, [[LOBBY, csvId(1)]], 'NOAM');
    expect(errorsOf(wrongRegion)).toEqual(['Device not found in records.']);
  });
  it('BulkSignIn Tag missing for the device (no /tenantid/ in the provisioning URL)', async () => {
    lab.teams.addDevices([{ macAddress: hw(1) }], 'api');
    lab.teams.handleProvisioningRequest(hw(1), 'EMEA', 'en', undefined, HQ_BASE);
    expect(errorsOf(await runBatch(lab, [[LOBBY, csvId(1)]]))).toEqual(['BulkSignIn Tag missing for the device']);
  });
  it('Device is offline. (its base is switched off, or it has not been heard from)', async () => {
    expect(await one(() => lab.getBase(HQ_BASE)!.send({ type: 'POWER_OFF' }))).toBe('Device is offline.');
    lab.getBase(HQ_BASE)!.send({ type: 'POWER_ON' });
    await lab.clock.advance(3 * HOUR);
    expect(errorsOf(await runBatch(lab, [['warehouse.dect1@contoso.com', csvId(1)]]))).toEqual(['Device is offline.']);
  });
  it('Public IP not configured as Trusted IP. (the site is not trusted, or another tenant id in the URL)', async () => {
    const warehouse = lab.addBase({ model: 'B4', site: 'warehouse' });
    readyDevice(lab, 2, { baseMac: warehouse.mac });
    readyDevice(lab, 3, { tenantId: '11111111-2222-4333-8444-555555555555' });
    expect(errorsOf(await runBatch(lab, [[LOBBY, csvId(2)], ['warehouse.dect1@contoso.com', csvId(3)]]))).toEqual([
      'Public IP not configured as Trusted IP.',
      'Public IP not configured as Trusted IP.',
    ]);
    lab.teams.addTrustedIp('198.51.100.0', 24);
    lab.teams.handleProvisioningRequest(hw(2), 'EMEA', 'en', '8f6a1c2e-3b4d-4e5f-9a6b-7c8d9e0f1a2b', warehouse.mac);
    expect(errorsOf(await runBatch(lab, [[LOBBY, csvId(2)]]))).toEqual([null]);
  });
  it('Duplicate devices found for bulk sign-in. (twice in the file, or one handset heard through two bases) with the IPs', async () => {
    readyDevice(lab, 1);
    expect(errorsOf(await runBatch(lab, [[LOBBY, csvId(1)], ['warehouse.dect1@contoso.com', csvId(1)]]))).toEqual([
      'Duplicate devices found for bulk sign-in. IP addresses: 203.0.113.10, 203.0.113.10',
      'Duplicate devices found for bulk sign-in. IP addresses: 203.0.113.10, 203.0.113.10',
    ]);
    const warehouse = lab.addBase({ model: 'B4', site: 'warehouse' });
    lab.teams.handleProvisioningRequest(hw(1), 'EMEA', 'en', '8f6a1c2e-3b4d-4e5f-9a6b-7c8d9e0f1a2b', warehouse.mac);
    expect(errorsOf(await runBatch(lab, [[LOBBY, csvId(1)]]))).toEqual(['Duplicate devices found for bulk sign-in. IP addresses: 198.51.100.20, 203.0.113.10']);
  });
  it('Input hardware-ID is of wrong format', async () => {
    readyDevice(lab, 1);
    expect(errorsOf(await runBatch(lab, [[LOBBY, '000011110001'], [LOBBY, '00:00:11:11:00:01'], [LOBBY, '0011110001']]))).toEqual(
      Array(3).fill('Input hardware-ID is of wrong format'),
    );
  });
  it('On-premises AD configuration failure. (a synced user; password writeback off or the connector broken)', async () => {
    expect(
      await one(() => {
        lab.teams.updateUser(LOBBY, { onPremisesSynced: true });
        lab.teams.setOnPremisesAd({ syncEnabled: true, passwordWriteback: false });
      }),
    ).toBe('On-premises AD configuration failure.');
  });
  it('On-premises AD throttling detected (a synced user in a batch larger than the AD takes)', async () => {
    readyDevice(lab, 1);
    lab.teams.updateUser(LOBBY, { onPremisesSynced: true });
    lab.teams.setOnPremisesAd({ syncEnabled: true, passwordWriteback: true, healthy: true, throttleBatchSize: 2 });
    const batch = await runBatch(lab, [[LOBBY, csvId(1)], ['nobody1@contoso.com', csvId(7)], ['nobody2@contoso.com', csvId(8)]]);
    expect(errorsOf(batch)[0]).toBe('On-premises AD throttling detected');
    expect(errorsOf(await runBatch(lab, [[LOBBY, csvId(1)]]))).toEqual([null]);
  });
  it("The Password writeback service failed to set a password on the tenant's local directory.", async () => {
    expect(
      await one(() => lab.teams.updateUser(LOBBY, { password: { mustChangeAtNextLogin: true } })),
    ).toBe("The Password writeback service failed to set a password on the tenant's local directory.");
  });

  it('Bulk Sign-in deadline expired. — 72 h after a new device was added, 168 h after a sign-out', async () => {
    readyDevice(lab, 1);
    readyDevice(lab, 2);
    await lab.clock.advance(72 * HOUR - 10 * 60_000);
    for (const n of [1, 2]) lab.teams.handleProvisioningRequest(hw(n), 'EMEA', 'en', '8f6a1c2e-3b4d-4e5f-9a6b-7c8d9e0f1a2b', HQ_BASE);
    expect(errorsOf(await runBatch(lab, [[LOBBY, csvId(1)]]))).toEqual([null]);
    await lab.clock.advance(11 * 60_000);
    expect(errorsOf(await runBatch(lab, [['warehouse.dect1@contoso.com', csvId(2)]]))).toEqual(['Bulk Sign-in deadline expired.']);

    // A signed-out device: 168 h from its sign-out, and no tenant id needed.
    lab.teams.signOut(hw(1), 'api');
    await lab.clock.advance(168 * HOUR - 10 * 60_000);
    lab.teams.handleProvisioningRequest(hw(1), 'EMEA', 'en', undefined, HQ_BASE);
    const before = lab.teams.bulk.submit({ region: 'EMEA', csv: csv([[LOBBY, csvId(1)]]) });
    await lab.clock.advance(lab.teams.profile.bulkRowProcessingMs);
    expect(errorsOf(lab.teams.bulk.status(before.BatchId))).toEqual([null]);
    lab.teams.signOut(hw(1), 'api');
    await lab.clock.advance(168 * HOUR + 60_000);
    lab.teams.handleProvisioningRequest(hw(1), 'EMEA', 'en', undefined, HQ_BASE);
    expect(errorsOf(await runBatch(lab, [[LOBBY, csvId(1)]]))).toEqual(['Bulk Sign-in deadline expired.']);
  });
});

describe('Bulk sign-in: the trusted-IP error in the words seed 003 quotes (start --untrusted-ip-error detailed)', () => {
  let lab: Lab;
  afterEach(async () => {
    await lab.close();
  });

  it('"Public IP IPv4 - <IP>, IPv6 -  for the device is not trusted. Please whitelist the public IP in TAC…" with the device\'s public IP', async () => {
    lab = await openTestLab({ teamsProfile: { bulkUntrustedIpError: 'detailed', bulkMissingTagError: 'not-trusted' } });
    lab.teams.setBulkSignIn('Enabled');
    const warehouse = lab.addBase({ model: 'B4', site: 'warehouse' });
    readyDevice(lab, 2, { baseMac: warehouse.mac });
    readyDevice(lab, 3, { tenantId: '11111111-2222-4333-8444-555555555555' });
    readyDevice(lab, 4, { tenantId: null });
    readyDevice(lab, 5);
    expect(errorsOf(await runBatch(lab, [[LOBBY, csvId(2)], ['warehouse.dect1@contoso.com', csvId(3)], ['reception@contoso.com', csvId(4)], ['warehouse.dect1@contoso.com', csvId(5)]]))).toEqual([
      'Public IP IPv4 - 198.51.100.20, IPv6 -  for the device is not trusted. Please whitelist the public IP in TAC…',
      'Public IP IPv4 - 203.0.113.10, IPv6 -  for the device is not trusted. Please whitelist the public IP in TAC…',
      'Public IP IPv4 - 203.0.113.10, IPv6 -  for the device is not trusted. Please whitelist the public IP in TAC…',
      null,
    ]);
  });
});

describe('Bulk sign-in: a rehearsal of 100 handsets with planted mistakes', () => {
  it('comes back with exactly the planted errors; every other handset is signed in', async () => {
    const lab = await openTestLab();
    try {
      lab.teams.setBulkSignIn('Enabled');
      const warehouse = lab.addBase({ model: 'B4', site: 'warehouse' });
      const rows: Array<[string, string]> = [];
      const planted = new Map<number, string>();
      for (let n = 1; n <= 100; n++) {
        const upn = addCapUser(lab, n);
        if (n !== 10) readyDevice(lab, n, n === 20 ? { tenantId: null } : n === 30 ? { baseMac: warehouse.mac } : n === 40 ? { region: 'NOAM' } : {});
        rows.push([n === 50 ? `cap-typo${n}@contoso.com` : upn, n === 60 ? hw(n) : n === 71 ? csvId(70) : csvId(n)]);
      }
      lab.teams.updateUser('cap80@contoso.com', { phoneNumber: null });
      lab.teams.updateUser('cap81@contoso.com', { callingPolicy: 'Global' });
      lab.teams.updateUser('cap82@contoso.com', { ipPhonePolicy: 'Global' });
      lab.teams.updateUser('cap83@contoso.com', { password: { minimumAgeDays: 1 } });
      planted
        .set(10, 'Device not found in records.')
        .set(20, 'BulkSignIn Tag missing for the device')
        .set(30, 'Public IP not configured as Trusted IP.')
        .set(40, 'Device not found in records.')
        .set(50, 'User not found in tenant.')
        .set(60, 'Input hardware-ID is of wrong format')
        .set(70, 'Duplicate devices found for bulk sign-in. IP addresses: 203.0.113.10, 203.0.113.10')
        .set(71, 'Duplicate devices found for bulk sign-in. IP addresses: 203.0.113.10, 203.0.113.10')
        .set(80, 'User missing phone number assignment.')
        .set(81, 'User missing AllowSIPDevicesCalling policy assignment')
        .set(82, 'User missing CAP policy assignment.')
        .set(83, "The Password writeback service failed to set a password on the tenant's local directory.");
      const batch = await runBatch(lab, rows);
      expect(batch.BatchStatus).toBe('Completed');
      batch.BatchItem.forEach((item, i) => {
        const n = i + 1;
        expect([n, item.Status, item.Error]).toEqual([n, planted.has(n) ? 'failed' : 'success', planted.get(n) ?? null]);
      });
      expect(lab.teams.devices().filter((d) => d.state === 'signedIn')).toHaveLength(100 - planted.size);
      expect(lab.teams.bulk.summary()[0]).toMatchObject({ Status: 'failed', SuccessCount: 88, FailedCount: 12 });
    } finally {
      await lab.close();
    }
  });
});

describe('Bulk sign-in: the batch service on its own', () => {
  /** Just the gateway facts the service reads (BulkSignInGateway), here a tenant with no devices at all. */
  const open = () => {
    const clock = new VirtualClock({ start: Date.UTC(2026, 0, 5, 9), paused: true });
    const store = new MemoryDocumentStore();
    const notes: string[] = [];
    const gateway: BulkSignInGateway = {
      tenant: { ...DEFAULT_TENANT.tenant, sipDevicesConfiguration: { identity: 'Global', bulkSignIn: 'Enabled' } },
      user: (upn) => (upn === LOBBY ? { ...DEFAULT_TENANT.users[0]!, tenantId: DEFAULT_TENANT.tenant.id } : undefined),
      deviceRecord: () => undefined,
      deviceWhereabouts: () => undefined,
      noteDevice: (_id, text) => notes.push(text),
      bulkSignInDevice: () => {
        throw new Error('no row can pass without a device');
      },
    };
    const service = new BulkSignInService({ gateway, store, clock, profile: DEFAULT_GATEWAY_PROFILE });
    return { clock, store, service, notes };
  };

  it('runs a batch against any gateway that gives it the facts, and keeps it in the store', async () => {
    const { clock, store, service } = open();
    const { BatchId } = service.submit({ region: 'EMEA', csv: csv([[LOBBY, csvId(1)]]) });
    await clock.advance(DEFAULT_GATEWAY_PROFILE.bulkRowProcessingMs);
    expect(service.status(BatchId)).toMatchObject({ BatchStatus: 'Completed', BatchItem: [{ Status: 'failed', Error: 'Device not found in records.' }] });
    expect(store.ids(BULK_BATCH_KIND)).toEqual([BatchId]);
    service.dispose();
  });

  it('gives each listener its own copy of the batch, after every processed row', async () => {
    const { clock, service } = open();
    const copies: BulkSignInBatch[] = [];
    service.onChange((b) => copies.push(b));
    service.onChange((b) => {
      copies.push(b);
      b.BatchItem[0]!.Status = 'pending';
    });
    const { BatchId } = service.submit({ region: 'EMEA', rows: [{ userName: LOBBY, hardwareId: csvId(1) }] });
    await clock.advance(DEFAULT_GATEWAY_PROFILE.bulkRowProcessingMs);
    expect(copies).toHaveLength(2);
    expect(copies[0]).not.toBe(copies[1]);
    expect(copies[0]!.BatchItem[0]!.Status).toBe('failed');
    expect(service.status(BatchId).BatchItem[0]!.Status).toBe('failed');
    service.dispose();
  });
});
