/**
 * Active faults belong to the lab file: a lab closed (or killed) with faults on comes back with them — the same
 * targets, start and end in lab time, the same undo — a fault cleared is gone from the file, a fault whose end passed
 * while the lab was closed ends as the lab opens, and a checkpoint keeps the faults it was saved with.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/kernel/virtual-clock.ts';
import { Lab } from '../../src/lab/lab.ts';
import { LabStore } from '../../src/lab/lab-store.ts';
import { restoreCheckpoint, saveCheckpoint } from '../../src/live/checkpoints.ts';
import { FAULT_KIND, faultsOf, restoreFaults } from '../../src/live/faults/fault-board.ts';
import { registerHandset, waitForBootedLab } from '../devices/handset/steps.ts';
import { MINUTE } from '../support/lab.ts';

const TEAMS_URL = 'http://emea.ipp.sdg.teams.microsoft.com/00${IPEI}.cfg';
const START = Date.UTC(2026, 10, 2, 9);

describe('Faults kept in the lab file', () => {
  let dir: string;
  let file: string;
  let lab: Lab | undefined;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'rove-faults-kept-'));
    file = path.join(dir, 'lab.db');
  });
  afterEach(async () => {
    await lab?.close();
    lab = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens the lab file as `rove-sim start` does: its kept faults are back at once. */
  async function open(at?: number): Promise<Lab> {
    const store = new LabStore(file);
    const saved = store.getMeta<number>('clockNow');
    store.close();
    lab = await Lab.open({ file, clock: new VirtualClock({ start: at ?? saved ?? START, paused: true }) });
    restoreFaults(lab);
    return lab;
  }

  async function reopen(at?: number): Promise<Lab> {
    await lab!.close();
    lab = undefined;
    return open(at);
  }

  const onlyBase = (l: Lab) => [...l.bases.values()][0]!;
  const fetchNow = async (l: Lab) => {
    const base = onlyBase(l);
    base.send({ type: 'FETCH_PROVISIONING' });
    await l.clock.advanceUntil(() => base.snapshot.context.provisioning.phase !== 'fetching', MINUTE);
    await l.settle();
    return base.snapshot.context.provisioning;
  };

  it('a lab reopened has its faults back, with their targets and lab times; each still works and undoes', async () => {
    let l = await open();
    const base = onlyBase(l);
    await waitForBootedLab(l, base, [...l.handsets.values()][0]!);
    await registerHandset(l, base, [...l.handsets.values()][0]!, 1);
    base.updateSettings({ itspMethod: 'Periodically', itspInterval: '3600', provisioningOption: 'ConfigURL', configUrl: TEAMS_URL });
    await l.clock.advanceUntil(() => base.flash.provisioning.pendingSwitchReboots === 0 && base.state === 'running', 60 * MINUTE);
    const board = faultsOf(l);
    board.inject({ id: 'router', type: 'site-network-loss', bases: [base.mac], durationMs: 30 * MINUTE });
    board.inject({ type: 'firmware-missing', file: 'RoveB4_v8003_b0009.fwu' });
    board.inject({ type: 'sip-server', mode: 'error', server: 'lab' });
    board.inject({ id: 'url', type: 'wrong-config-url', bases: [base.mac] });
    board.inject({ type: 'expired-codes' });
    const before = board.list();
    expect(before.map((f) => f.id)).toEqual(['router', 'firmware-missing-1', 'sip-server-2', 'url', 'expired-codes-3']);

    l = await reopen();
    const restored = faultsOf(l);
    expect(restored.list()).toEqual(before);
    expect(restored.expiredCodes).toBe(true);
    expect(l.firmwareHidden).toEqual(new Set(['/voice/dect-ip-phones/Rove/RoveB4_v8003_b0009.fwu']));
    await l.clock.advanceUntil(() => onlyBase(l).state === 'running', 10 * MINUTE);
    expect(await fetchNow(l)).toMatchObject({ phase: 'error', code: 'PRV-02' });

    // The undo of the wrong ConfigURL still knows the URL it replaced (the base saved the wrong one).
    expect(onlyBase(l).flash.settings.configUrl).toContain('microsfot');
    // (A base takes settings while it runs: past the reboots of its new provisioning target.)
    await l.clock.advanceUntil(() => onlyBase(l).flash.provisioning.pendingSwitchReboots === 0 && onlyBase(l).state === 'running', 60 * MINUTE);
    restored.clear('url');
    expect(onlyBase(l).flash.settings.configUrl).toBe(TEAMS_URL);
    // A new fault's name goes on after the kept ones.
    expect(restored.inject({ type: 'provisioning-server' }).id).toBe('provisioning-server-4');
    restored.clear('provisioning-server-4');

    // The router's 30 minutes count from when it went down, not from the reopening.
    await l.clock.advanceUntil(() => !restored.list().some((f) => f.id === 'router'), 40 * MINUTE);
    expect(l.clock.now()).toBe(before[0]!.until);
    await l.clock.advanceUntil(() => onlyBase(l).state === 'running', 10 * MINUTE);
    expect((await fetchNow(l)).phase).toBe('applied');

    // Cleared faults are gone from the file.
    restored.clear('firmware-missing-1');
    restored.clear('sip-server-2');
    l = await reopen();
    expect(faultsOf(l).list().map((f) => f.id)).toEqual(['expired-codes-3']);
    expect(l.firmwareHidden.size).toBe(0);
    faultsOf(l).clear('expired-codes-3');
    l = await reopen();
    expect(faultsOf(l).list()).toEqual([]);
    expect(l.store.list(FAULT_KIND)).toEqual([]);
  });

  it('a power cut whose end passed while the lab was closed ends as it opens: the base powers on', async () => {
    let l = await open();
    const base = onlyBase(l);
    await l.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    faultsOf(l).inject({ id: 'cut', type: 'base-power-loss', bases: [base.mac], durationMs: 5 * MINUTE });
    expect(base.state).toBe('off');
    await l.clock.advance(MINUTE);
    // Closed one minute in: reopened then, the base is still off, for 4 more minutes.
    l = await reopen();
    expect(onlyBase(l).state).toBe('off');
    expect(faultsOf(l).list().map((f) => f.id)).toEqual(['cut']);
    await l.clock.advance(4 * MINUTE - 1_000);
    expect(onlyBase(l).state).toBe('off');
    await l.clock.advance(2_000);
    expect(faultsOf(l).list()).toEqual([]);
    expect(onlyBase(l).state).not.toBe('off');

    faultsOf(l).inject({ id: 'cut-2', type: 'base-power-loss', bases: [base.mac], durationMs: 5 * MINUTE });
    const until = faultsOf(l).list()[0]!.until!;
    // Opened an hour later: the cut is over, the base boots.
    l = await reopen(until + 60 * MINUTE);
    expect(faultsOf(l).list()).toEqual([]);
    await l.clock.advanceUntil(() => onlyBase(l).state === 'running', 10 * MINUTE);
    expect(onlyBase(l).state).toBe('running');
  });

  it('a lab file made before faults were kept opens without any', async () => {
    const l = await open();
    l.store.flush();
    expect(l.store.list(FAULT_KIND)).toEqual([]);
    expect(faultsOf(l).list()).toEqual([]);
  });

  it('a checkpoint keeps the faults it was saved with, with the time they had left', async () => {
    const l = await open();
    const base = onlyBase(l);
    await waitForBootedLab(l, base, [...l.handsets.values()][0]!);
    await registerHandset(l, base, [...l.handsets.values()][0]!, 1);
    base.updateSettings({ itspMethod: 'Periodically', itspInterval: '3600', provisioningOption: 'ConfigURL', configUrl: TEAMS_URL });
    await l.clock.advanceUntil(() => base.flash.provisioning.pendingSwitchReboots === 0 && base.state === 'running', 60 * MINUTE);
    faultsOf(l).inject({ id: 'router', type: 'site-network-loss', bases: [base.mac], durationMs: 30 * MINUTE });
    await l.clock.advance(10 * MINUTE);
    saveCheckpoint(l, 'router-down');
    faultsOf(l).clear('router');
    faultsOf(l).inject({ id: 'other', type: 'firmware-missing', file: 'x.fwu' });
    await l.clock.advance(60 * MINUTE);

    await restoreCheckpoint(l, 'router-down');
    const [router, ...others] = faultsOf(l).list();
    expect(others).toEqual([]);
    expect(router).toMatchObject({ id: 'router', since: l.clock.now() - 10 * MINUTE, until: l.clock.now() + 20 * MINUTE });
    expect(l.firmwareHidden.size).toBe(0);
    await l.clock.advanceUntil(() => onlyBase(l).state === 'running', 10 * MINUTE);
    expect(await fetchNow(l)).toMatchObject({ phase: 'error', code: 'PRV-02' });
  });
});
