/**
 * Every fault of the catalogue, injected and undone on a small lab: the devices show the fault while it is active
 * and recover once it is cleared.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BaseStation } from '../../src/devices/base-station/base-station.ts';
import type { Handset } from '../../src/devices/handset/handset.ts';
import type { Lab } from '../../src/lab/lab.ts';
import { faultsOf } from '../../src/live/faults/fault-board.ts';
import { FAULT_CATALOGUE } from '../../src/live/faults/fault-types.ts';
import { registerHandset, waitForBootedLab } from '../devices/handset/steps.ts';
import { GUIDE_FIRMWARE_SETTINGS, MINUTE, openTestLab } from '../support/lab.ts';

const TEAMS_URL = 'http://emea.ipp.sdg.teams.microsoft.com/00${IPEI}.cfg';

describe('The fault catalogue', () => {
  let lab: Lab;
  let base: BaseStation;
  let handset: Handset;
  beforeEach(async () => {
    lab = await openTestLab();
    base = [...lab.bases.values()][0]!;
    handset = [...lab.handsets.values()][0]!;
    await waitForBootedLab(lab, base, handset);
  });
  afterEach(async () => {
    await lab.close();
  });

  const provisioned = async () => {
    await registerHandset(lab, base, handset, 1);
    base.updateSettings({ itspMethod: 'Periodically', itspInterval: '3600', provisioningOption: 'ConfigURL', configUrl: TEAMS_URL });
    await lab.clock.advanceUntil(() => base.flash.provisioning.pendingSwitchReboots === 0 && base.state === 'running', 60 * MINUTE);
    await lab.clock.advanceUntil(() => base.snapshot.context.provisioning.phase === 'applied', 10 * MINUTE);
  };
  const fetchNow = async () => {
    base.send({ type: 'FETCH_PROVISIONING' });
    await lab.clock.advanceUntil(() => base.snapshot.context.provisioning.phase !== 'fetching', MINUTE);
    await lab.settle();
    return base.snapshot.context.provisioning;
  };

  it('lists every fault, each available (the SIP one: sip-server-fault.test.ts)', () => {
    expect(FAULT_CATALOGUE.map((f) => f.type)).toContain('sip-server');
    expect(FAULT_CATALOGUE.filter((f) => !f.available)).toEqual([]);
  });

  it('base power loss, and power back', async () => {
    const fault = faultsOf(lab).inject({ type: 'base-power-loss', bases: [base.mac] });
    expect(base.state).toBe('off');
    expect(faultsOf(lab).list().map((f) => f.id)).toEqual([fault.id]);
    faultsOf(lab).clear(fault.id);
    await lab.clock.advanceUntil(() => base.state === 'running', 5 * MINUTE);
    expect(base.state).toBe('running');
    expect(faultsOf(lab).list()).toEqual([]);
  });

  it('handset power loss and out of range, and back', async () => {
    await registerHandset(lab, base, handset, 1);
    const power = faultsOf(lab).inject({ type: 'handset-power-loss', handsets: [handset.ipei] });
    expect(handset.state).toBe('off');
    faultsOf(lab).clear(power.id);
    await lab.clock.advanceUntil(() => handset.state === 'in-service', MINUTE);
    const range = faultsOf(lab).inject({ type: 'handset-out-of-range', handsets: [handset.ipei] });
    await lab.clock.advanceUntil(() => handset.state === 'out-of-range', MINUTE);
    expect(handset.state).toBe('out-of-range');
    faultsOf(lab).clear(range.id);
    await lab.clock.advanceUntil(() => handset.state === 'in-service', MINUTE);
    expect(handset.state).toBe('in-service');
  });

  it('network loss for a site: the base cannot reach the provisioning service until it is back', async () => {
    await provisioned();
    const fault = faultsOf(lab).inject({ type: 'site-network-loss', site: lab.siteOfBase(base.mac) });
    expect(await fetchNow()).toMatchObject({ phase: 'error', code: 'PRV-02' });
    expect(base.snapshot.context.provisioning.message).toContain('no route to host');
    faultsOf(lab).clear(fault.id);
    expect((await fetchNow()).phase).toBe('applied');
  });

  it('provisioning server 5xx and timeouts, and normal answers again', async () => {
    await provisioned();
    const error = faultsOf(lab).inject({ type: 'provisioning-server', mode: 'error', status: 503 });
    expect(await fetchNow()).toMatchObject({ phase: 'error', code: 'PRV-04' });
    expect(base.snapshot.context.provisioning.message).toContain('HTTP 503');
    faultsOf(lab).clear(error.id);
    const hang = faultsOf(lab).inject({ type: 'provisioning-server', mode: 'timeout' });
    expect(await fetchNow()).toMatchObject({ phase: 'error', code: 'PRV-02' });
    faultsOf(lab).clear(hang.id);
    expect((await fetchNow()).phase).toBe('applied');
  });

  it('firmware server missing a file: FWU-03 until the file is back', async () => {
    const fault = faultsOf(lab).inject({ type: 'firmware-missing', file: 'RoveB4_v8003_b0009.fwu' });
    base.updateSettings(GUIDE_FIRMWARE_SETTINGS);
    await lab.clock.advanceUntil(() => base.snapshot.context.firmware.phase === 'error', 10 * MINUTE);
    expect(base.snapshot.context.firmware.code).toBe('FWU-03');
    faultsOf(lab).clear(fault.id);
    base.updateSettings(GUIDE_FIRMWARE_SETTINGS);
    await lab.clock.advanceUntil(() => base.flash.firmware === '8.0.3.0009' && base.state === 'running', 30 * MINUTE);
    expect(base.flash.firmware).toBe('8.0.3.0009');
  });

  it('wrong ConfigURL: DNS failure; undo saves the old URL back', async () => {
    await provisioned();
    const fault = faultsOf(lab).inject({ type: 'wrong-config-url', bases: [base.mac] });
    expect(base.flash.settings.configUrl).toBe('http://emea.ipp.sdg.teams.microsfot.com/00${IPEI}.cfg');
    await lab.clock.advanceUntil(() => base.flash.provisioning.pendingSwitchReboots === 0 && base.state === 'running', 60 * MINUTE);
    await lab.clock.advanceUntil(() => base.snapshot.context.provisioning.phase === 'error', 10 * MINUTE);
    expect(base.snapshot.context.provisioning.code).toBe('PRV-01');
    faultsOf(lab).clear(fault.id);
    expect(base.flash.settings.configUrl).toBe(TEAMS_URL);
  });

  it('untrusted public IP: the site reaches Teams from another IP until undone', () => {
    const site = lab.teams.sites()[0]!;
    const fault = faultsOf(lab).inject({ type: 'untrusted-public-ip', site: site.id });
    expect(lab.teams.sites()[0]!.publicIp).toBe('192.0.2.1');
    faultsOf(lab).clear(fault.id);
    expect(lab.teams.sites()[0]!.publicIp).toBe(site.publicIp);
  });

  it('expired codes is a flag scenario enrollment honours; a fault with a duration clears itself', async () => {
    const fault = faultsOf(lab).inject({ type: 'expired-codes', durationMs: 10 * MINUTE });
    expect(faultsOf(lab).expiredCodes).toBe(true);
    expect(fault.until).toBe(fault.since + 10 * MINUTE);
    await lab.clock.advance(11 * MINUTE);
    expect(faultsOf(lab).expiredCodes).toBe(false);
    expect(faultsOf(lab).list()).toEqual([]);
  });
});
