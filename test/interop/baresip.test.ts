/**
 * baresip (a real softphone, Debian `baresip`) registers to the lab's SIP server as extension 1004 of the calls-demo
 * lab, over UDP and over TLS (the lab's self-signed certificate given as its CA), and calls a handset: the handset rings
 * with the call, and stops ringing when baresip hangs up. Real time, loopback, every wait bounded.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Handset } from '../../src/devices/handset/handset.ts';
import type { Lab } from '../../src/lab/lab.ts';
import { openRealTimeLab } from '../support/lab.ts';
import type { NetworkListeners } from '../../src/sip/server/listeners.ts';
import { registerHandset, waitForBootedLab } from '../devices/handset/steps.ts';
import { type RunningBaresip, startBaresip } from './support/baresip.ts';
import { waitFor } from './support/net.ts';

let lab: Lab;
let alice: Handset;
let sip: NetworkListeners['addresses'];
let cert: string;
let phone: RunningBaresip | undefined;

beforeAll(async () => {
  lab = await openRealTimeLab({ template: 'calls-demo' });
  const identity = await lab.sipTlsIdentity();
  cert = identity.cert;
  sip = await lab.telephony.sip.listen({ udp: 0, tls: 0, tlsIdentity: identity });
  const base = lab.getBase('0004F2A00001')!;
  alice = [...lab.handsets.values()][0]!;
  await waitForBootedLab(lab, base, alice);
  await registerHandset(lab, base, alice, 1);
});

afterEach(async () => {
  await phone?.stop();
  phone = undefined;
});

afterAll(async () => {
  await lab?.close();
});

const until = (check: () => boolean) => waitFor(check, { attempts: 200, intervalMs: 50 });

describe('baresip registers to the lab and calls a handset', () => {
  test.each([
    ['UDP', 'udp'],
    ['TLS', 'tls'],
  ] as const)('over %s: registered as 1004, its call rings on the handset', async (_name, transport) => {
    expect(await until(() => alice.view().line?.state === 'OK')).toBe(true);
    const port = transport === 'udp' ? sip.udp!.port : sip.tls!.port;
    phone = await startBaresip({
      account: `<sip:1004@sip.lab.test;transport=${transport}>;auth_pass=lab-1004;outbound="sip:127.0.0.1:${port};transport=${transport}";regint=600`,
      caCertificate: cert,
    });
    const trace = () => phone!.output().slice(-4000);
    expect(await until(() => lab.telephony.sip.isRegistered('1004')), trace()).toBe(true);
    expect(lab.telephony.sip.registrations().find((r) => r.extension === '1004')).toMatchObject({ transport: transport.toUpperCase() });

    await phone.command('dial', 'sip:1001@sip.lab.test');
    expect(await until(() => alice.view().call?.state === 'ringing'), `${JSON.stringify(alice.view().call)}\n${trace()}`).toBe(true);
    expect(alice.view().call).toMatchObject({ remote: { user: '1004' } });
    await phone.command('hangup');
    expect(await until(() => alice.view().call === null || alice.view().call?.state === 'ended'), trace()).toBe(true);
    // The binding goes with baresip (it unregisters as it quits), so the next transport starts afresh.
    await phone.stop();
    phone = undefined;
    expect(await until(() => !lab.telephony.sip.isRegistered('1004'))).toBe(true);
  });
});
