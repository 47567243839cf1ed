/**
 * A real SIP phone (SIPp) registered to a running lab's SIP server over UDP, called from a handset's keypad: SIPp
 * answers as its built-in uas does, echoing the Vias comma-joined on one line (RFC 3261 §7.3.1); the handset must see
 * the call ring, connect, and end when it hangs up (before, it stayed "Calling…"). Real time, loopback only.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Lab } from '../../src/lab/lab.ts';
import { openRealTimeLab } from '../support/lab.ts';
import { registerHandset, waitForBootedLab } from '../devices/handset/steps.ts';
import { freeUdpPort, runSipp } from './support/sipp.ts';
import { waitFor } from './support/net.ts';

let lab: Lab;

beforeAll(async () => {
  lab = await openRealTimeLab({ template: 'calls-demo' });
});

afterAll(async () => {
  await lab?.close();
});

const until = (check: () => boolean) => waitFor(check, { attempts: 200, intervalMs: 50 });

describe('A handset calls SIPp registered to the lab over UDP', () => {
  test('SIPp (-sn uas, its Contact registered) answers with comma-joined Vias; the handset connects, hangs up, SIPp sees the BYE', async () => {
    const sip = await lab.telephony.sip.listen({ udp: 0 });
    const base = lab.getBase('0004F2A00001')!;
    const alice = [...lab.handsets.values()][0]!;
    await waitForBootedLab(lab, base, alice);
    await registerHandset(lab, base, alice, 1);
    expect(await until(() => alice.view().line?.state === 'OK')).toBe(true);

    // SIPp is extension 1004 of the calls-demo lab (its fourth handset's, which is not registered): one SIPp answers
    // calls with the built-in uas scenario, another registers that one's address as 1004's Contact.
    const uasPort = await freeUdpPort();
    const phone = runSipp({ scenario: 'uas', target: sip.udp!, transport: 'udp', localPort: uasPort, timeoutS: 20 });
    const registration = await runSipp({
      scenario: join(import.meta.dirname, 'sipp', 'register-contact.xml'),
      target: sip.udp!,
      transport: 'udp',
      service: '1004',
      user: '1004',
      password: 'lab-1004',
      extraArgs: ['-key', 'uas_port', String(uasPort)],
    });
    expect(registration.code, `${registration.output}\n${registration.errors}`).toBe(0);
    expect(lab.telephony.sip.isRegistered('1004')).toBe(true);

    alice.press('1004{green}');
    expect(await until(() => alice.view().call?.state === 'connected'), JSON.stringify(alice.view().call)).toBe(true);
    alice.press('{red}');
    expect(await until(() => alice.view().call === null || alice.view().call?.state === 'ended')).toBe(true);
    const run = await phone;
    expect(run.code, `${run.output}\n${run.errors}`).toBe(0);
  });
});
