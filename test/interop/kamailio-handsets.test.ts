/**
 * Issue 4's "done when": the lab's handsets register and call through a real Kamailio. The base's SIP → Servers entry
 * names Kamailio's domain with Kamailio's WebSocket as outbound proxy; two handsets registered to the base get
 * extensions on it, and one calls the other from its keypad; with the entry's transport set to UDP the lines come back
 * over UDP and call again. Real time (a real SIP peer), loopback only.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Handset } from '../../src/devices/handset/handset.ts';
import type { Lab } from '../../src/lab/lab.ts';
import { openRealTimeLab } from '../support/lab.ts';
import { registerHandset, waitForBootedLab } from '../devices/handset/steps.ts';
import { startKamailio, type RunningKamailio } from './support/kamailio.ts';
import { waitFor } from './support/net.ts';

const DOMAIN = 'kamailio.lab.test';
const ACCOUNTS = [
  { extension: '2001', password: 'kam-secret-2001' },
  { extension: '2002', password: 'kam-secret-2002' },
];

let kamailio: RunningKamailio;
let lab: Lab;

beforeAll(async () => {
  kamailio = await startKamailio({ domain: DOMAIN, accounts: ACCOUNTS });
  lab = await openRealTimeLab({ seedDefaultLab: false });
});

afterAll(async () => {
  await lab?.close();
  await kamailio?.stop();
});

const until = (check: () => boolean) => waitFor(check, { attempts: 200, intervalMs: 50 });

describe('Handsets of a lab base through a real Kamailio (WebSocket)', () => {
  test('two registered handsets register their lines to Kamailio and call each other from the keypad', async () => {
    const base = lab.addBase({ model: 'B4' });
    const alice = lab.addHandset({ model: 'Rove 30' });
    const bob = lab.addHandset({ model: 'Rove 40' });
    await waitForBootedLab(lab, base, alice, bob);
    await registerHandset(lab, base, alice, 1);
    await registerHandset(lab, base, bob, 2);

    const proxy = new URL(kamailio.wsUrl).host;
    base.send({
      type: 'SET_SIP_CONFIG',
      sip: {
        servers: [{ id: 1, address: DOMAIN, port: 5060, transport: 'WS', registrationExpiry: 600, outboundProxy: proxy }],
        extensions: ACCOUNTS.map((a, i) => ({
          extension: a.extension,
          authUser: a.extension,
          password: a.password,
          displayName: i === 0 ? 'Alice' : 'Bob',
          serverId: 1,
          handset: (i === 0 ? alice : bob).ipei,
        })),
      },
    });
    const lineOk = (h: Handset) => h.view().line?.state === 'OK';
    expect(await until(() => lineOk(alice) && lineOk(bob)), kamailio.log().slice(-3000)).toBe(true);
    expect(lab.telephony.lineStatuses(base.mac).map((l) => [l.extension, l.server, l.state])).toEqual([
      ['2001', DOMAIN, 'OK'],
      ['2002', DOMAIN, 'OK'],
    ]);

    alice.press('2002{green}');
    expect(await until(() => bob.view().call?.state === 'ringing'), kamailio.log().slice(-3000)).toBe(true);
    bob.press('{green}');
    expect(await until(() => alice.view().call?.state === 'connected' && bob.view().call?.state === 'connected')).toBe(true);
    alice.press('{red}');
    expect(await until(() => bob.view().call === null || bob.view().call?.state === 'ended')).toBe(true);
  });

  test('with the server entry set to UDP, the lines re-register over UDP and a call still goes through', async () => {
    const base = [...lab.bases.values()][0]!;
    const [alice, bob] = [...lab.handsets.values()];
    const config = base.flash.sip!;
    base.send({
      type: 'SET_SIP_CONFIG',
      sip: { ...config, servers: config.servers.map((s) => ({ ...s, transport: 'UDP' as const, outboundProxy: `127.0.0.1:${kamailio.port}` })) },
    });
    const lineOk = (h: Handset) => h.view().line?.state === 'OK';
    expect(await until(() => lab.telephony.lineStatuses(base.mac).every((l) => l.state === "OK") && lineOk(alice!) && lineOk(bob!)), JSON.stringify(lab.telephony.lineStatuses(base.mac))).toBe(true);
    const line = lab.telephony.group(base.mac)!.line('2001')!;
    expect(line.userAgent.transport.protocol).toBe('UDP');

    // The last call's "Call ended" screen goes first.
    expect(await waitFor(() => alice!.view().screen === 'idle' && bob!.view().screen === 'idle', { attempts: 300, intervalMs: 50 })).toBe(true);
    bob!.press('2001{green}');
    expect(await until(() => alice!.view().call?.state === 'ringing'), kamailio.log().slice(-3000)).toBe(true);
    alice!.press('{green}');
    expect(await until(() => alice!.view().call?.state === 'connected' && bob!.view().call?.state === 'connected')).toBe(true);
    bob!.press('{red}');
    expect(await until(() => alice!.view().call === null || alice!.view().call?.state === 'ended')).toBe(true);
  });
});
