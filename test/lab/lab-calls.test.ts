/**
 * The default lab's SIP, as a technician meets it: register two handsets, their lines come up on the base's embedded
 * SIP server, and they call each other from their keypads. Everything through handset.press() and the views.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BaseStation } from '../../src/devices/base-station/base-station.ts';
import type { Handset } from '../../src/devices/handset/handset.ts';
import type { Lab } from '../../src/lab/lab.ts';
import { registerHandset, screen, waitForBootedLab } from '../devices/handset/steps.ts';
import { MINUTE, openTestLab } from '../support/lab.ts';

async function twoHandsetLab(): Promise<{ lab: Lab; base: BaseStation; alice: Handset; bob: Handset }> {
  const lab = await openTestLab({ template: 'calls-demo' });
  const base = lab.getBase('0004F2A00001')!;
  const [alice, bob] = [...lab.handsets.values()] as [Handset, Handset];
  await waitForBootedLab(lab, base, alice, bob);
  await registerHandset(lab, base, alice, 1);
  await registerHandset(lab, base, bob, 2);
  await lab.clock.advanceUntil(() => lineOk(alice) && lineOk(bob), MINUTE);
  return { lab, base, alice, bob };
}

function lineOk(handset: Handset): boolean {
  return handset.view().line?.state === 'OK';
}

async function until(lab: Lab, what: () => boolean, ms = MINUTE): Promise<void> {
  if (!(await lab.clock.advanceUntil(what, ms))) throw new Error('timed out on the lab clock');
}

describe('SIP lines in the lab', () => {
  let lab: Lab | undefined;
  afterEach(async () => {
    await lab?.close();
    lab = undefined;
  });

  it('a registered handset gets its extension: the line registers to the lab SIP server and the idle screen shows it', async () => {
    const setup = await twoHandsetLab();
    lab = setup.lab;
    const { base, alice, bob } = setup;
    expect(alice.view().line).toMatchObject({ extension: '1001', state: 'OK', identity: '1001@sip.lab.test' });
    expect(alice.record.line).toBe('1001');
    expect(screen(alice)).toContain('1001');
    expect(lab.telephony.lineStatuses(base.mac)).toEqual([
      expect.objectContaining({ extension: '1001', ipei: alice.ipei, server: 'sip.lab.test', state: 'OK' }),
      expect.objectContaining({ extension: '1002', ipei: bob.ipei, server: 'sip.lab.test', state: 'OK' }),
    ]);
    expect(lab.telephony.sip.isRegistered('1001')).toBe(true);
    // Handsets 3 and 4 are not registered to the base: their extensions have no line.
    expect(lab.telephony.sip.isRegistered('1003')).toBe(false);
  });

  it('Alice calls Bob: ringing with the caller shown, green answers, both connected with a green LED, red hangs up', async () => {
    const setup = await twoHandsetLab();
    lab = setup.lab;
    const { base, alice, bob } = setup;

    alice.press('1002{green}');
    await until(lab, () => bob.view().call?.state === 'ringing');
    expect(bob.view()).toMatchObject({ screen: 'call', call: { direction: 'incoming', remote: { user: '1001' } } });
    expect(screen(bob)).toEqual(expect.arrayContaining(['Handset 1', '1001', 'Incoming call']));
    expect(bob.view().tones.map((t) => t.tone)).toContain('ringing');
    await until(lab, () => alice.view().call?.state === 'ringing');
    expect(screen(alice)).toContain('Ringing...');

    bob.press('{green}');
    await until(lab, () => alice.view().call?.state === 'connected' && bob.view().call?.state === 'connected');
    expect(alice.view().leds.status).toBe('green');
    expect(bob.view().leds.status).toBe('green');
    expect(screen(bob)).toContain('Connected');
    expect(base.status().activeCalls).toBe(2);

    alice.press('{red}');
    await until(lab, () => bob.view().call?.state === 'ended' || bob.view().call === null);
    expect(screen(bob)).toContain('Call ended');
    await until(lab, () => alice.view().screen === 'idle' && bob.view().screen === 'idle');
    expect(alice.view().leds.status).toBe('off');
    expect(base.status().activeCalls).toBe(0);
  });

  it('busy: a second caller hears busy while Bob is on a call', async () => {
    const setup = await twoHandsetLab();
    lab = setup.lab;
    const { base, alice, bob } = setup;
    const carol = [...lab.handsets.values()][2]!;
    await registerHandset(lab, base, carol, 3);
    await until(lab, () => lineOk(carol));

    alice.press('1002{green}');
    await until(lab, () => bob.view().call?.state === 'ringing');
    bob.press('{green}');
    await until(lab, () => alice.view().call?.state === 'connected');

    carol.press('1002{green}');
    await until(lab, () => carol.view().call?.state === 'ended');
    expect(carol.view().call?.end?.cause).toBe('busy');
    expect(screen(carol)).toContain('Busy');
    expect(carol.view().tones.map((t) => t.tone)).toContain('busy');
  });

  it('no answer: an unanswered call ends after the line profile noAnswerMs', async () => {
    const setup = await twoHandsetLab();
    lab = setup.lab;
    const { alice, bob } = setup;
    alice.press('1002{green}');
    await until(lab, () => bob.view().call?.state === 'ringing');
    await until(lab, () => alice.view().call?.state === 'ended', 2 * MINUTE);
    expect(alice.view().call?.end?.cause).toBe('no-answer');
    expect(screen(alice)).toContain('No answer');
    expect(screen(bob)).toContain('Missed call');
  });

  it('hold, resume and blind transfer from the soft keys', async () => {
    const setup = await twoHandsetLab();
    lab = setup.lab;
    const { base, alice, bob } = setup;
    const carol = [...lab.handsets.values()][2]!;
    await registerHandset(lab, base, carol, 3);
    await until(lab, () => lineOk(carol));

    alice.press('1002{green}');
    await until(lab, () => bob.view().call?.state === 'ringing');
    bob.press('{green}');
    await until(lab, () => alice.view().call?.state === 'connected');

    alice.press('{soft1}');
    await until(lab, () => alice.view().call?.onHold === true);
    expect(screen(alice)).toContain('On hold');
    await until(lab, () => bob.view().call?.heldByRemote === true);
    expect(screen(bob)).toContain('Held');
    alice.press('{soft1}');
    await until(lab, () => alice.view().call?.onHold === false);

    // Bob transfers Alice to Carol: Transfer, the number, OK.
    bob.press('{soft2}1003{ok}');
    await until(lab, () => carol.view().call?.state === 'ringing');
    expect(carol.view().call?.remote.user).toBe('1001');
    carol.press('{green}');
    await until(lab, () => alice.view().call?.state === 'connected' && alice.view().call?.remote.user === '1003');
    await until(lab, () => bob.view().screen === 'idle');
  });

  it('a base reboot drops the call, the other side sees it, and the lines come back (paced storm)', async () => {
    const setup = await twoHandsetLab();
    lab = setup.lab;
    const { base, alice, bob } = setup;
    alice.press('9999{green}');
    await until(lab, () => alice.view().call?.state === 'connected');
    bob.press('1001{green}');
    await until(lab, () => bob.view().call?.state === 'ended');
    expect(bob.view().call?.end?.cause).toBe('busy');
    await until(lab, () => bob.view().screen === 'idle');

    const since = lab.clock.now();
    base.send({ type: 'FORCED_REBOOT', reason: 'test' });
    await until(lab, () => alice.view().screen !== 'call');
    expect(screen(alice)).toContain('Call ended');
    await until(lab, () => base.state === 'running' && lineOk(alice) && lineOk(bob), 10 * MINUTE);
    const registers = lab.telephony.sip.timeline
      .entries({ method: 'REGISTER', since })
      .filter((e) => e.status === 200)
      .map((e) => e.at);
    expect(registers.length).toBeGreaterThanOrEqual(2);
    // Paced as the firmware does: line n starts n × registerSpacingMs after the boot.
    expect(registers[1]! - registers[0]!).toBeGreaterThanOrEqual(100);
  });

  it('a call between two handsets drops when the base loses power; REBOOT waits for a call to end', async () => {
    const setup = await twoHandsetLab();
    lab = setup.lab;
    const { base, alice, bob } = setup;
    alice.press('1002{green}');
    await until(lab, () => bob.view().call?.state === 'ringing');
    bob.press('{green}');
    await until(lab, () => alice.view().call?.state === 'connected');

    base.send({ type: 'REBOOT', reason: 'REBOOT (web admin)' });
    await lab.clock.advance(MINUTE);
    expect(base.state).toBe('running');
    expect(base.status().rebootPending).toBe('REBOOT (web admin)');
    alice.press('{red}');
    await until(lab, () => base.state === 'rebooting');

    await until(lab, () => base.state === 'running' && lineOk(alice) && lineOk(bob) && [alice, bob].every((h) => h.state === 'in-service' && h.view().screen === 'idle'), 10 * MINUTE);
    alice.press('1002{green}');
    await until(lab, () => bob.view().call?.state === 'ringing');
    bob.press('{green}');
    await until(lab, () => alice.view().call?.state === 'connected');
    base.setPower(false);
    await until(lab, () => alice.view().screen !== 'call' && bob.view().screen !== 'call');
    expect(screen(alice)).toContain('Call ended');
  });
});
