/**
 * A site that loses its network loses its SIP too: the bases' lines reach their registrar no more than the
 * provisioning service (the same cut of the emulated internet). A registered line notices at its next re-REGISTER
 * (no answer: 408 after 32 s, then Error on the base's Home/Status and "Line error" on the handset), a call cannot be
 * placed, a base that boots meanwhile cannot reach the SIP server at all; once the network is back, the lines
 * register again at their next retry.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BaseStation } from '../../src/devices/base-station/base-station.ts';
import type { Handset } from '../../src/devices/handset/handset.ts';
import type { Lab } from '../../src/lab/lab.ts';
import { faultsOf } from '../../src/live/faults/fault-board.ts';
import { DEFAULT_LINE_PROFILE } from '../../src/sip/line/line-profile.ts';
import { registerHandset, screen, waitForBootedLab } from '../devices/handset/steps.ts';
import { HOUR, MINUTE, openTestLab } from '../support/lab.ts';

/** Longest wait for a line to try again after failures in a row (line profile), plus the 32 s of a lost REGISTER. */
const RETRY_BOUND = DEFAULT_LINE_PROFILE.retryMaxMs + MINUTE;

describe('Network loss for a site: the SIP lines', () => {
  let lab: Lab | undefined;
  afterEach(async () => {
    await lab?.close();
    lab = undefined;
  });

  async function twoHandsetLab(): Promise<{ lab: Lab; base: BaseStation; alice: Handset; bob: Handset }> {
    const l = await openTestLab({ template: 'calls-demo' });
    lab = l;
    const base = l.getBase('0004F2A00001')!;
    const [alice, bob] = [...l.handsets.values()] as [Handset, Handset];
    await waitForBootedLab(l, base, alice, bob);
    await registerHandset(l, base, alice, 1);
    await registerHandset(l, base, bob, 2);
    await l.clock.advanceUntil(() => lineState(alice) === 'OK' && lineState(bob) === 'OK', MINUTE);
    return { lab: l, base, alice, bob };
  }

  const lineState = (handset: Handset) => handset.view().line?.state;
  /** The lines as the base's Home/Status lists them. */
  const homeStatus = (l: Lab, base: BaseStation) => l.telephony.lineStatuses(base.mac).map((s) => ({ extension: s.extension, state: s.state, reason: s.reason }));

  it('registered lines fail at their re-REGISTER, calls cannot be placed; the network back, they register again', async () => {
    const { lab: l, base, alice, bob } = await twoHandsetLab();
    const fault = faultsOf(l).inject({ type: 'site-network-loss', site: l.siteOfBase(base.mac) });

    // Nothing reaches the other side: Bob's phone never rings, Alice's call ends unanswered.
    alice.press('1002{green}');
    await l.clock.advance(5_000);
    expect(screen(alice)).toContain('Calling...');
    await l.clock.advance(28_000);
    expect(bob.view().call).toBeNull();
    expect(screen(alice)).toContain('No answer');
    expect(alice.view().call?.end).toMatchObject({ statusCode: 408 });
    await l.clock.advanceUntil(() => alice.view().screen === 'idle', MINUTE);

    // The next re-REGISTER gets no answer: the lines are in error, on the base and on the handsets.
    expect(await l.clock.advanceUntil(() => lineState(alice) === 'Error' && lineState(bob) === 'Error', HOUR)).toBe(true);
    expect(homeStatus(l, base)).toEqual([
      { extension: '1001', state: 'Error', reason: '408 Request Timeout (no answer from the SIP server)' },
      { extension: '1002', state: 'Error', reason: '408 Request Timeout (no answer from the SIP server)' },
    ]);
    expect(screen(alice).join('\n')).toContain('Line error');
    alice.press('1002{green}');
    expect(screen(alice)).toEqual(expect.arrayContaining(['Line not registered']));
    await l.clock.advanceUntil(() => alice.view().screen === 'idle', MINUTE);
    // The registrar's bindings run out meanwhile (nothing refreshed them).
    await l.clock.advance(HOUR);
    expect(l.telephony.sip.isRegistered('1001')).toBe(false);

    faultsOf(l).clear(fault.id);
    expect(await l.clock.advanceUntil(() => lineState(alice) === 'OK' && lineState(bob) === 'OK', RETRY_BOUND)).toBe(true);
    expect(l.telephony.sip.isRegistered('1001')).toBe(true);
    alice.press('1002{green}');
    expect(await l.clock.advanceUntil(() => bob.view().call?.state === 'ringing', MINUTE)).toBe(true);
  });

  it('a base that boots without network cannot reach the SIP server; its lines register at their first retry after the network is back', async () => {
    const { lab: l, base, alice } = await twoHandsetLab();
    const fault = faultsOf(l).inject({ type: 'site-network-loss', bases: [base.mac] });
    base.send({ type: 'REBOOT', reason: 'Reboot' });
    await l.clock.advanceUntil(() => base.state === 'rebooting', MINUTE);
    await l.clock.advanceUntil(() => base.state === 'running' && lineState(alice) === 'Error', 10 * MINUTE);
    expect(homeStatus(l, base)[0]).toEqual({
      extension: '1001',
      state: 'Error',
      reason: 'Cannot reach the SIP server: no route to host sip.lab.test',
    });
    expect(l.telephony.sip.isRegistered('1001')).toBe(false);

    await l.clock.advance(10 * MINUTE);
    expect(lineState(alice)).toBe('Error');
    faultsOf(l).clear(fault.id);
    expect(await l.clock.advanceUntil(() => lineState(alice) === 'OK', RETRY_BOUND)).toBe(true);
    expect(homeStatus(l, base)[0]).toMatchObject({ extension: '1001', state: 'OK' });
  });
});
