/**
 * A technician reboots a base over and over: after each boot the handsets are back in service on their extensions,
 * and the lab's SIP server saw each line register afresh with a Call-ID it never had before — what a rebooted phone
 * sends, although the lab keeps the lines' sip.js user agents across the reboots (src/sip/line/line-agent.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Handset } from '../../src/devices/handset/handset.ts';
import type { Lab } from '../../src/lab/lab.ts';
import { registerHandset, waitForBootedLab } from '../devices/handset/steps.ts';
import { MINUTE, openTestLab } from '../support/lab.ts';

function inService(handset: Handset): boolean {
  return handset.view().line?.state === 'OK' && handset.state === 'in-service' && handset.view().screen === 'idle';
}

async function until(lab: Lab, what: () => boolean, ms = MINUTE): Promise<void> {
  if (!(await lab.clock.advanceUntil(what, ms))) throw new Error('timed out on the lab clock');
}

describe('Lines across base reboots in the lab', () => {
  let lab: Lab | undefined;
  afterEach(async () => {
    await lab?.close();
    lab = undefined;
  });

  it('three reboots: each time both handsets are in service again and every REGISTER after the boot has a new Call-ID', async () => {
    lab = await openTestLab({ template: 'calls-demo' });
    const base = lab.getBase('0004F2A00001')!;
    const [alice, bob] = [...lab.handsets.values()] as [Handset, Handset];
    await waitForBootedLab(lab, base, alice, bob);
    await registerHandset(lab, base, alice, 1);
    await registerHandset(lab, base, bob, 2);
    await until(lab, () => inService(alice) && inService(bob));

    const callIdsBefore = new Set(lab.telephony.sip.timeline.entries({ method: 'REGISTER' }).map((e) => e.callId));
    for (let reboot = 1; reboot <= 3; reboot++) {
      const since = lab.clock.now();
      base.send({ type: 'REBOOT', reason: 'REBOOT (web admin)' });
      await until(lab, () => base.state !== 'running');
      await until(lab, () => base.state === 'running' && inService(alice) && inService(bob), 10 * MINUTE);
      expect([alice, bob].map((h) => h.view().line)).toEqual([
        expect.objectContaining({ extension: '1001', state: 'OK' }),
        expect.objectContaining({ extension: '1002', state: 'OK' }),
      ]);
      const afterBoot = lab.telephony.sip.timeline.entries({ method: 'REGISTER', since }).filter((e) => e.direction === 'in' && e.status === 200);
      expect(afterBoot.map((e) => e.user).sort()).toEqual(['1001', '1002']);
      for (const entry of afterBoot) {
        expect(callIdsBefore.has(entry.callId)).toBe(false);
        callIdsBefore.add(entry.callId);
      }
    }

    // And the lines work: Alice calls Bob on the lines of the last boot.
    alice.press('1002{green}');
    await until(lab, () => bob.view().call?.state === 'ringing');
    bob.press('{green}');
    await until(lab, () => alice.view().call?.state === 'connected');
  });

  it('over-the-air progress leaves a line as it is; new firmware on the handset brings a line with the new User-Agent', async () => {
    lab = await openTestLab({ template: 'calls-demo' });
    const base = lab.getBase('0004F2A00001')!;
    const [alice, bob] = [...lab.handsets.values()] as [Handset, Handset];
    await waitForBootedLab(lab, base, alice, bob);
    await registerHandset(lab, base, alice, 1);
    await until(lab, () => inService(alice));
    const line = lab.telephony.group(base.mac)!.line('1001')!;

    base.reportHandset({ ipei: alice.ipei, firmwareUpdate: { to: '8.0.3.0009', percent: 40 } });
    expect(base.subscriptions[0]!.firmwareUpdate).toEqual({ to: '8.0.3.0009', percent: 40 });
    await lab.clock.advance(MINUTE);
    expect(lab.telephony.group(base.mac)!.line('1001')).toBe(line);

    const since = lab.clock.now();
    base.reportHandset({ ipei: alice.ipei, firmware: '8.0.3.0009', firmwareUpdate: null });
    await until(lab, () => inService(alice) && lab!.telephony.group(base.mac)!.line('1001') !== line);
    await until(lab, () => lab!.telephony.sip.timeline.entries({ method: 'REGISTER', since }).some((e) => e.status === 200));
    expect(lab.telephony.group(base.mac)!.line('1001')!.userAgent.configuration.userAgentString).toBe(`RoveB4 8.0.0.0402 ${base.mac} Rove30 8.0.3.0009`);
  });
});
