/**
 * Undoing a wrong ConfigURL when the base cannot take a settings save (rebooting, booting, off): a real base's web
 * admin does not answer then, so the old ConfigURL is saved back as soon as it is up again — through the same
 * settings save the web admin's Save does — and a lab closed meanwhile still owes that save when it is opened again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BaseStation } from '../../src/devices/base-station/base-station.ts';
import { VirtualClock } from '../../src/kernel/virtual-clock.ts';
import { Lab } from '../../src/lab/lab.ts';
import { LabStore } from '../../src/lab/lab-store.ts';
import { faultsOf, restoreFaults } from '../../src/live/faults/fault-board.ts';
import { labReadouts } from '../../src/training/lab-readouts.ts';
import { waitForBootedLab } from '../devices/handset/steps.ts';
import { MINUTE } from '../support/lab.ts';

const TEAMS_URL = 'http://emea.ipp.sdg.teams.microsoft.com/00${IPEI}.cfg';
const START = Date.UTC(2026, 10, 2, 9);

describe('Undoing a wrong ConfigURL while the base is not up', () => {
  let dir: string;
  let file: string;
  let lab: Lab | undefined;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'rove-fault-undo-'));
    file = path.join(dir, 'lab.db');
  });
  afterEach(async () => {
    await lab?.close();
    lab = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(): Promise<Lab> {
    const store = new LabStore(file);
    const saved = store.getMeta<number>('clockNow');
    store.close();
    lab = await Lab.open({ file, clock: new VirtualClock({ start: saved ?? START, paused: true }) });
    restoreFaults(lab);
    return lab;
  }

  const onlyBase = (l: Lab) => [...l.bases.values()][0]!;
  /** The ConfigURL as the web admin's Auto Provisioning page (and `GET /api/bases/:mac/settings`) shows it. */
  const shownConfigUrl = (l: Lab, base: BaseStation) => labReadouts(l).bases(base.mac)[0]!.settings.configUrl;

  async function provisionedLab(): Promise<{ l: Lab; base: BaseStation }> {
    const l = await open();
    const base = onlyBase(l);
    await waitForBootedLab(l, base, [...l.handsets.values()][0]!);
    base.updateSettings({ itspMethod: 'Periodically', itspInterval: '3600', provisioningOption: 'ConfigURL', configUrl: TEAMS_URL });
    await l.clock.advanceUntil(() => base.flash.provisioning.pendingSwitchReboots === 0 && base.state === 'running', 60 * MINUTE);
    return { l, base };
  }

  it('undone while the base reboots for the wrong URL: once up, it has the old ConfigURL back', async () => {
    const { l, base } = await provisionedLab();
    const fault = faultsOf(l).inject({ type: 'wrong-config-url', bases: [base.mac] });
    await l.clock.advanceUntil(() => base.state === 'rebooting', 10 * MINUTE);
    expect(base.state).toBe('rebooting');
    faultsOf(l).clear(fault.id);
    expect(faultsOf(l).list()).toEqual([]);
    await l.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    await l.clock.advanceUntil(() => base.flash.provisioning.pendingSwitchReboots === 0 && base.state === 'running', 60 * MINUTE);
    expect(shownConfigUrl(l, base)).toBe(TEAMS_URL);
  });

  it('undone by its own end while the base is off: the old ConfigURL is saved when power is back and it has booted', async () => {
    const { l, base } = await provisionedLab();
    faultsOf(l).inject({ type: 'wrong-config-url', bases: [base.mac], durationMs: 30 * MINUTE });
    await l.clock.advanceUntil(() => base.flash.provisioning.pendingSwitchReboots === 0 && base.state === 'running', 60 * MINUTE);
    const cut = faultsOf(l).inject({ type: 'base-power-loss', bases: [base.mac] });
    await l.clock.advance(31 * MINUTE);
    expect(faultsOf(l).list().map((f) => f.type)).toEqual(['base-power-loss']);
    expect(base.state).toBe('off');
    faultsOf(l).clear(cut.id);
    await l.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    await l.clock.advanceUntil(() => base.flash.provisioning.pendingSwitchReboots === 0 && base.state === 'running', 60 * MINUTE);
    expect(shownConfigUrl(l, base)).toBe(TEAMS_URL);
  });

  it('injected while the base reboots: the wrong URL is saved once it is up, and undone the old one is back', async () => {
    const { l, base } = await provisionedLab();
    base.send({ type: 'REBOOT', reason: 'Reboot' });
    await l.clock.advanceUntil(() => base.state === 'rebooting', MINUTE);
    const fault = faultsOf(l).inject({ type: 'wrong-config-url', bases: [base.mac] });
    expect(shownConfigUrl(l, base)).toBe(TEAMS_URL);
    await l.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    await l.clock.advance(1);
    expect(shownConfigUrl(l, base)).toBe('http://emea.ipp.sdg.teams.microsfot.com/00${IPEI}.cfg');
    await l.clock.advanceUntil(() => base.state === 'rebooting', 10 * MINUTE);
    faultsOf(l).clear(fault.id);
    await l.clock.advanceUntil(() => base.flash.provisioning.pendingSwitchReboots === 0 && base.state === 'running', 60 * MINUTE);
    expect(shownConfigUrl(l, base)).toBe(TEAMS_URL);
  });

  it('a lab closed before the base was up again still saves the old ConfigURL when it is opened and the base is up', async () => {
    const { l, base } = await provisionedLab();
    const fault = faultsOf(l).inject({ type: 'wrong-config-url', bases: [base.mac] });
    await l.clock.advanceUntil(() => base.state === 'rebooting', 10 * MINUTE);
    faultsOf(l).clear(fault.id);
    await l.close();
    lab = undefined;
    const again = await open();
    const reopened = onlyBase(again);
    await again.clock.advanceUntil(() => reopened.flash.provisioning.pendingSwitchReboots === 0 && reopened.state === 'running', 60 * MINUTE);
    await again.clock.advance(MINUTE);
    expect(shownConfigUrl(again, reopened)).toBe(TEAMS_URL);
    expect(faultsOf(again).list()).toEqual([]);
  });
});
