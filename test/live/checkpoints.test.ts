/**
 * Checkpoints: save a lab, change it, restore it — every device and the tenant are as they were, and the devices come
 * back through a power cycle, as after a restart. Also the factory reset of one device.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../src/lab/lab.ts';
import { LabStore } from '../../src/lab/lab-store.ts';
import { factoryReset, listCheckpoints, restoreCheckpoint, restoreStoreCheckpoint, saveCheckpoint, saveStoreCheckpoint } from '../../src/live/checkpoints.ts';
import { hardwareIdForIpei } from '../../src/cloud/teams/devices/hardware-id.ts';
import { registerHandset, waitForBootedLab } from '../devices/handset/steps.ts';
import { MINUTE, openTestLab } from '../support/lab.ts';

describe('Checkpoints', () => {
  let lab: Lab;
  afterEach(async () => {
    await lab?.close();
  });

  it('round trip: a restored lab has its bases, handsets and Teams devices back, power-cycled', async () => {
    lab = await openTestLab();
    const base = [...lab.bases.values()][0]!;
    const handset = [...lab.handsets.values()][0]!;
    await waitForBootedLab(lab, base, handset);
    await registerHandset(lab, base, handset, 1);
    saveCheckpoint(lab, 'registered');
    expect(listCheckpoints(lab.store).map((c) => c.name)).toEqual(['registered']);

    base.updateSettings({ ntpServer: 'time.example.com' });
    base.deregisterHandset(handset.ipei);
    lab.teams.addDevices([{ macAddress: hardwareIdForIpei(handset.ipei) }], 'api');
    await lab.settle();
    expect(base.subscriptions).toEqual([]);

    await restoreCheckpoint(lab, 'registered');
    const restored = lab.getBase(base.mac)!;
    expect(restored).not.toBe(base);
    expect(restored.state).toBe('booting');
    expect(restored.flash.settings.ntpServer).not.toBe('time.example.com');
    expect(restored.subscriptions.map((s) => s.ipei)).toEqual([handset.ipei]);
    expect(lab.teams.device(hardwareIdForIpei(handset.ipei))).toBeUndefined();
    const again = lab.getHandset(handset.ipei)!;
    await lab.clock.advanceUntil(() => again.state === 'in-service', 5 * MINUTE);
    expect(again.view()).toMatchObject({ state: 'in-service', baseMac: base.mac, slot: 1 });
  });

  it('on a lab file that is not running: save, change, restore', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rove-cp-'));
    try {
      const file = path.join(dir, 'lab.db');
      lab = await openTestLab({ file });
      const mac = [...lab.bases.keys()][0]!;
      await lab.close();
      let store = new LabStore(file);
      saveStoreCheckpoint(store, 'start');
      store.put('base', mac, { ...store.list<{ mac: string }>('base')[0]!, powered: false });
      store.close();
      store = new LabStore(file);
      expect(store.list<{ powered: boolean }>('base')[0]!.powered).toBe(false);
      restoreStoreCheckpoint(store, 'start');
      expect(store.list<{ powered: boolean }>('base')[0]!.powered).toBe(true);
      store.close();
      lab = await openTestLab({ file });
      expect(lab.getBase(mac)!.state).toBe('booting');
    } finally {
      await lab.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('factory reset of one handset and one base', async () => {
    lab = await openTestLab();
    const base = [...lab.bases.values()][0]!;
    const handset = [...lab.handsets.values()][0]!;
    await waitForBootedLab(lab, base, handset);
    await registerHandset(lab, base, handset, 1);
    expect(factoryReset(lab, handset.ipei)).toEqual({ kind: 'handset', id: handset.ipei });
    expect(lab.getHandset(handset.ipei)!.record.subscription).toBeNull();
    base.updateSettings({ ntpServer: 'time.example.com' });
    factoryReset(lab, base.mac);
    await lab.clock.advanceUntil(() => lab.getBase(base.mac)!.state === 'running', 5 * MINUTE);
    expect(lab.getBase(base.mac)!.flash.settings.ntpServer).toBe('pool.ntp.org');
  });
});
