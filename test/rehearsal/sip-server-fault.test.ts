/**
 * The sip-server fault: the lab's registrar (or a Teams region's) answers 5xx or nothing. A technician sees it where
 * the device shows it — the base's Home/Status line list and the handset's idle screen — and sees the lines come back
 * by themselves once the registrar answers again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Handset } from '../../src/devices/handset/handset.ts';
import { runScenario } from '../../src/rehearsal/runner.ts';
import { faultsOf } from '../../src/live/faults/fault-board.ts';
import { loadScenarioFile } from '../../src/rehearsal/scenario-loader.ts';
import { registerHandset, screen, waitForBootedLab } from '../devices/handset/steps.ts';
import { HOUR, MINUTE } from '../support/lab.ts';
import { ADMIN_LOGIN, get, openConfiguredWebAdmin, visibleText, type WebAdminWorld } from '../devices/base-station/web-admin/web-admin-client.ts';

describe('SIP server fault', () => {
  let world: WebAdminWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  /** The calls-demo lab, its first handset registered and its line 1001 up on sip.lab.test. */
  async function lineUp(): Promise<{ world: WebAdminWorld; alice: Handset; bob: Handset }> {
    world = await openConfiguredWebAdmin({ template: 'calls-demo' });
    const { lab, base } = world;
    const [alice, bob] = [...lab.handsets.values()] as [Handset, Handset];
    await waitForBootedLab(lab, base, alice, bob);
    await registerHandset(lab, base, alice, 1);
    await lab.clock.advanceUntil(() => alice.view().line?.state === 'OK', MINUTE);
    expect(alice.view().line?.state).toBe('OK');
    return { world, alice, bob };
  }
  const homeStatus = async (w: WebAdminWorld) => visibleText((await get(w.app, '', ADMIN_LOGIN)).body);

  it('503: the line shows Error with the reason at its next refresh; undone, it is OK again at its next retry', async () => {
    const { world, alice } = await lineUp();
    const { lab, base } = world;
    const fault = faultsOf(lab).inject({ type: 'sip-server', server: 'lab' });
    expect(fault.summary).toBe('SIP registrar sip.lab.test answers 503 with Retry-After (REGISTER, new calls)');
    expect(lab.telephony.sip.activeFault).toEqual({ mode: 'error', status: 503 });
    expect(alice.view().line?.state).toBe('OK'); // the binding is still valid: nothing happens until the refresh
    // A new call gets the same answer (the echo test number lives on the registrar).
    alice.press('9999{green}');
    await lab.clock.advanceUntil(() => alice.view().call?.state === 'ended', MINUTE);
    expect(alice.view().call?.end).toMatchObject({ cause: 'failed', statusCode: 503 });
    expect(screen(alice)).toContain('Call failed');

    expect(await lab.clock.advanceUntil(() => alice.view().line?.state === 'Error', 2 * HOUR)).toBe(true);
    const reason = '503 Service Unavailable (SIP server out of service)';
    expect(alice.view().line).toMatchObject({ extension: '1001', state: 'Error', reason });
    expect(lab.telephony.lineStatuses(base.mac)).toEqual([expect.objectContaining({ extension: '1001', state: 'Error', reason })]);
    await lab.clock.advanceUntil(() => alice.view().screen === 'idle', MINUTE);
    expect(screen(alice)).toContain('Line error');
    expect(await homeStatus(world)).toContain(`1001@${base.mac} (sip.lab.test) Error ${reason}`);
    // Retry-After: 30 is a floor for the back-off.
    const status = lab.telephony.group(base.mac)!.line('1001')!.status();
    expect(status.nextAttemptAt! - lab.clock.now()).toBeGreaterThanOrEqual(30_000);

    faultsOf(lab).clear(fault.id);
    expect(lab.telephony.sip.activeFault).toBeNull();
    expect(await lab.clock.advanceUntil(() => alice.view().line?.state === 'OK', HOUR)).toBe(true);
    expect(await homeStatus(world)).toContain(`1001@${base.mac} (sip.lab.test) OK`);
    expect(screen(alice)).toContain('1001');
  });

  it('timeout: a REGISTER that gets no answer fails after 32 s of lab time (408), then retries with back-off', async () => {
    const { world, bob } = await lineUp();
    const { lab, base } = world;
    const fault = faultsOf(lab).inject({ type: 'sip-server', mode: 'timeout', server: 'sip.lab.test' });
    // Bob's line registers for the first time while the registrar is silent.
    await registerHandset(lab, base, bob, 2);
    expect(await lab.clock.advanceUntil(() => bob.view().line?.state === 'Error', MINUTE)).toBe(true);
    expect(bob.view().line?.reason).toBe('408 Request Timeout (no answer from the SIP server)');
    const dropped = lab.telephony.sip.timeline.entries({ method: 'REGISTER' }).filter((e) => e.detail === 'not answered (SIP server fault: timeout)');
    expect(dropped).toHaveLength(1);
    expect(lab.clock.now() - dropped[0]!.at).toBe(32_000);
    expect(await homeStatus(world)).toContain(`1002@${base.mac} (sip.lab.test) Error 408 Request Timeout`);

    // Still silent: the next attempt times out too, and the back-off grows.
    const line = lab.telephony.group(base.mac)!.line('1002')!;
    await lab.clock.advanceUntil(() => line.status().failures >= 2, 10 * MINUTE);
    expect(line.status().failures).toBe(2);

    faultsOf(lab).clear(fault.id);
    expect(await lab.clock.advanceUntil(() => bob.view().line?.state === 'OK', HOUR)).toBe(true);
  });

  it('names its registrars: the lab, the Teams ones, one region; overlapping faults fall back to the older one', async () => {
    world = await openConfiguredWebAdmin();
    const { lab } = world;
    const { sip, teamsSip } = lab.telephony;
    const board = faultsOf(lab);
    const emea = board.inject({ type: 'sip-server', region: 'EMEA', mode: 'timeout' });
    expect(teamsSip.get('EMEA')!.activeFault).toEqual({ mode: 'timeout' });
    expect([sip, teamsSip.get('NOAM')!, teamsSip.get('APAC')!].map((s) => s.activeFault)).toEqual([null, null, null]);
    const all = board.inject({ type: 'sip-server', status: 500 });
    expect([sip, ...teamsSip.values()].every((s) => s.activeFault?.status === 500)).toBe(true);
    board.clear(all.id);
    expect(teamsSip.get('EMEA')!.activeFault).toEqual({ mode: 'timeout' });
    expect(sip.activeFault).toBeNull();
    board.clear(emea.id);
    expect(teamsSip.get('EMEA')!.activeFault).toBeNull();
    expect(board.inject({ type: 'sip-server', server: 'teams' }).summary).toContain('noam.sip.sdg.teams.microsoft.com, emea.sip.sdg.teams.microsoft.com, apac');
    board.clearAll();
    expect(() => board.inject({ type: 'sip-server', server: 'pbx.example.com' })).toThrow(/no SIP server "pbx.example.com"/);
    expect(() => board.inject({ type: 'sip-server', region: 'MARS' })).toThrow(/no Teams region "MARS"/);
    expect(() => board.inject({ type: 'sip-server', status: 404 })).toThrow(/500 to 599/);
  });

  it('in a scenario: the Teams registrar answers 503, then nothing; the lines show it and come back each time', async () => {
    const { failures, report } = await runScenario(loadScenarioFile('fixtures/scenarios/sip-registrar-outage.yaml'));
    expect(failures).toEqual([]);
    expect(report.verdict).toBe('passed');
  });
});
