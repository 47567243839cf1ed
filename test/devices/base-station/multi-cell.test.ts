import { afterEach, describe, expect, it } from 'vitest';
import type { BaseStation } from '../../../src/devices/base-station/base-station.ts';
import type { Lab } from '../../../src/lab/lab.ts';
import { MINUTE, openTestLab } from '../../support/lab.ts';
import { joinSystem, syncStates, threeBaseSystem } from './multi-cell-steps.ts';

describe('Multi-cell: Rove B4 bases with the same system chain ID form one system (RTX)', () => {
  let lab: Lab;
  afterEach(async () => lab?.close());

  it('enabling multi-cell is saved at once but applied only after a reboot', async () => {
    lab = await openTestLab();
    const base = lab.getBase('0004F2A00001')!;
    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);

    const saved = base.updateSettings({ multiCellSystem: 'Enabled', systemChainId: '2275', baseRole: 'Primary' });
    expect(saved.ok).toBe(true);
    expect(base.flash.settings.multiCellSystem).toBe('Enabled');
    expect(base.status().multiCell).toMatchObject({ running: null, pending: true, syncStep: 'singleCell' });
    expect(lab.radio.chain(base.mac)).toEqual([]);

    base.send({ type: 'REBOOT', reason: 'Multi-cell settings (web admin)' });
    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    expect(base.status().multiCell).toMatchObject({ running: { chainId: 2275, role: 'primary' }, pending: false, chainLevel: 1 });
    expect(lab.radio.chain(base.mac)).toMatchObject([{ mac: base.mac, role: 'Primary', syncState: 'Locked', chainLevel: 1 }]);
  });

  it('a Rove B2 is single-cell: enabling multi-cell is refused with the reason, nothing is saved', async () => {
    lab = await openTestLab();
    const b2 = lab.addBase({ model: 'B2' });
    await lab.clock.advanceUntil(() => b2.state === 'running', 10 * MINUTE);

    const refused = b2.updateSettings({ multiCellSystem: 'Enabled', systemChainId: '512' });
    expect(refused).toEqual({
      ok: false,
      errors: [{ field: 'Multi cell system', message: 'Multi cell system: Rove B2 is a single-cell base: multi-cell needs a Rove B4' }],
    });
    expect(b2.flash.settings.multiCellSystem).toBe('Disabled');
    expect(b2.updateSettings({ systemChainId: '512' }).ok).toBe(true);
  });

  it('bad values are refused by their parameter name', async () => {
    lab = await openTestLab();
    const base = lab.getBase('0004F2A00001')!;
    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    const refused = base.updateSettings({ systemChainId: '70000', dectSyncSource: 'base two', dataSync: 'Broadcast' });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.errors.map((e) => e.field)).toEqual(['System chain ID', 'DECT sync source', 'Data sync']);
  });

  it('three B4 with the same chain ID: the secondaries search after boot and lock to the primary', async () => {
    lab = await openTestLab();
    const { primary, secondaries } = await threeBaseSystem(lab);
    const rows = lab.radio.chain(primary.mac);
    expect(rows.map((r) => [r.mac, r.role, r.syncState, r.chainLevel, r.syncSource])).toEqual([
      [primary.mac, 'Primary', 'Locked', 1, null],
      [secondaries[0]!.mac, 'Secondary', 'Locked', 2, primary.mac],
      [secondaries[1]!.mac, 'Secondary', 'Locked', 2, primary.mac],
    ]);
    expect(rows.every((r) => r.maxCalls === 8 && r.problem === null)).toBe(true);
    expect(lab.radio.chain(secondaries[1]!.mac)).toEqual(rows);
  });

  it('a secondary set to take sync from another secondary sits one chain level deeper', async () => {
    lab = await openTestLab();
    const { primary, secondaries } = await threeBaseSystem(lab);
    const [first, second] = secondaries as [BaseStation, BaseStation];
    second.updateSettings({ dectSyncSource: first.mac });
    second.send({ type: 'REBOOT', reason: 'DECT sync source' });
    expect(syncStates(lab, primary)).toEqual(['Locked', 'Locked', 'Unknown']);

    await lab.clock.advanceUntil(() => second.state === 'running', 10 * MINUTE);
    expect(syncStates(lab, primary)).toEqual(['Locked', 'Locked', 'Searching']);
    await lab.clock.advanceUntil(() => syncStates(lab, primary)[2] === 'Locked', MINUTE);
    expect(lab.radio.chain(primary.mac)[2]).toMatchObject({ chainLevel: 3, syncSource: first.mac });
  });

  it('when the primary goes down the secondaries run free after 10 s, search after 2 minutes, and lock again when it is back', async () => {
    lab = await openTestLab();
    const { primary } = await threeBaseSystem(lab);

    primary.setPower(false);
    expect(syncStates(lab, primary)).toEqual(['Unknown', 'Locked', 'Locked']);
    await lab.clock.advance(11_000);
    expect(syncStates(lab, primary)).toEqual(['Unknown', 'Free running', 'Free running']);
    await lab.clock.advance(2 * MINUTE);
    expect(syncStates(lab, primary)).toEqual(['Unknown', 'Searching', 'Searching']);

    primary.setPower(true);
    await lab.clock.advanceUntil(() => syncStates(lab, primary).every((s) => s === 'Locked'), 10 * MINUTE);
  });

  it('a secondary in a call when it gives up on sync shows Sync lost, and searches once the call ends', async () => {
    lab = await openTestLab();
    const { primary, secondaries } = await threeBaseSystem(lab);
    const inCall = secondaries[0]!;
    inCall.send({ type: 'CALL_STARTED' });

    primary.setPower(false);
    await lab.clock.advance(3 * MINUTE);
    expect(syncStates(lab, primary)).toEqual(['Unknown', 'Sync lost', 'Searching']);
    inCall.send({ type: 'CALL_ENDED' });
    expect(syncStates(lab, primary)).toEqual(['Unknown', 'Searching', 'Searching']);
  });

  it('a secondary whose chosen sync source is down is helped by the others: Assisted lock', async () => {
    lab = await openTestLab();
    const { primary, secondaries } = await threeBaseSystem(lab);
    const [first, second] = secondaries as [BaseStation, BaseStation];
    await joinSystem(lab, second, { dectSyncSource: first.mac });

    first.setPower(false);
    await lab.clock.advance(11_000);
    expect(syncStates(lab, primary)).toEqual(['Locked', 'Unknown', 'Assisted lock']);
    first.setPower(true);
    await lab.clock.advanceUntil(() => syncStates(lab, primary).every((s) => s === 'Locked'), 10 * MINUTE);
  });
});

describe('Multi-cell in the control API', () => {
  it('base items say whether multi-cell runs, what is pending, and the sync state', async () => {
    const { buildApp } = await import('../../../src/http/build-app.ts');
    const lab = await openTestLab();
    const app = await buildApp({ lab });
    try {
      const { primary, secondaries } = await threeBaseSystem(lab);
      secondaries[0]!.updateSettings({ systemChainId: '600' });
      const items = (await app.inject('/api/bases')).json().items as Array<{ mac: string; multiCell: unknown }>;
      expect(items.map((i) => i.multiCell)).toEqual([
        { enabled: true, pending: false, chainId: 512, role: 'primary', syncState: 'Locked', chainLevel: 1, syncSource: null },
        { enabled: true, pending: true, chainId: 512, role: 'secondary', syncState: 'Locked', chainLevel: 2, syncSource: primary.mac },
        { enabled: true, pending: false, chainId: 512, role: 'secondary', syncState: 'Locked', chainLevel: 2, syncSource: primary.mac },
      ]);
    } finally {
      await app.close();
      await lab.close();
    }
  });
});
