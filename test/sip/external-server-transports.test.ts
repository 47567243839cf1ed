/**
 * A base whose SIP → Servers entry names a server outside the lab: its line goes over the entry's transport (UDP,
 * TLS) to that server's real listener, and a TLS certificate the base cannot check keeps the line from registering,
 * with the reason on the base's status, until the entry accepts all certificates. The "outside" server is a second
 * embedded SIP server on loopback (domain 127.0.0.1), with a self-signed certificate. Real time, loopback.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkServer, EMPTY_SIP_CONFIG, type SipServerConfig } from '../../src/devices/base-station/sip-config.ts';
import type { BaseStation } from '../../src/devices/base-station/base-station.ts';
import type { Handset } from '../../src/devices/handset/handset.ts';
import { VirtualClock } from '../../src/kernel/virtual-clock.ts';
import type { Lab } from '../../src/lab/lab.ts';
import { openRealTimeLab } from '../support/lab.ts';
import type { NetworkListeners } from '../../src/sip/server/listeners.ts';
import { SipServer } from '../../src/sip/server/sip-server.ts';
import { makeTlsIdentity } from '../../src/sip/server/tls-identity.ts';
import { registerHandset, waitForBootedLab } from '../devices/handset/steps.ts';
import { waitFor } from '../interop/support/net.ts';

const PASSWORD = 'outside-5001';
let clock: VirtualClock;
let outside: SipServer;
let addresses: NetworkListeners['addresses'];
let lab: Lab;
let base: BaseStation;
let handset: Handset;

beforeAll(async () => {
  clock = new VirtualClock({ speed: 1 });
  outside = new SipServer({ clock, domain: '127.0.0.1', accounts: [{ extension: '5001', password: PASSWORD }] });
  addresses = await outside.listen({ udp: 0, tls: 0, tlsIdentity: await makeTlsIdentity() });
  lab = await openRealTimeLab({ seedDefaultLab: false });
  base = lab.addBase({ model: 'B4' });
  handset = lab.addHandset({ model: 'Rove 30' });
  await waitForBootedLab(lab, base, handset);
  await registerHandset(lab, base, handset, 1);
});

afterAll(async () => {
  await lab?.close();
  await outside?.close();
  clock?.dispose();
});

function configure(server: Omit<SipServerConfig, 'id' | 'address' | 'registrationExpiry' | 'outboundProxy'> & Partial<SipServerConfig>): void {
  base.send({
    type: 'SET_SIP_CONFIG',
    sip: {
      servers: [{ id: 1, address: '127.0.0.1', registrationExpiry: 600, outboundProxy: '', ...server }],
      extensions: [{ extension: '5001', authUser: '5001', password: PASSWORD, displayName: 'Outside', serverId: 1, handset: handset.ipei }],
    },
  });
}

const until = (check: () => boolean) => waitFor(check, { attempts: 200, intervalMs: 50 });
const status = () => lab.telephony.lineStatuses(base.mac)[0];

describe('A base line to a server outside the lab, over the transport its entry names', () => {
  test('UDP: the line registers over UDP, from its own socket', async () => {
    configure({ port: addresses.udp!.port, transport: 'UDP' });
    expect(await until(() => status()?.state === 'OK'), JSON.stringify(status())).toBe(true);
    expect(outside.registrations()).toMatchObject([{ extension: '5001', transport: 'UDP' }]);
    expect(handset.view().line?.state).toBe('OK');
  });

  test('TLS with certificates checked: not registered, and the status says why', async () => {
    configure({ port: addresses.tls!.port, transport: 'TLS' });
    expect(await until(() => status()?.state === 'Error'), JSON.stringify(status())).toBe(true);
    expect(status()?.reason).toContain('self-signed certificate, not trusted');
  });

  test('TLS accepting all certificates: registered over TLS', async () => {
    configure({ port: addresses.tls!.port, transport: 'TLS', acceptAllCertificates: true });
    expect(await until(() => status()?.state === 'OK'), JSON.stringify(status())).toBe(true);
    expect(outside.registrations().find((r) => r.transport === 'TLS')).toMatchObject({ extension: '5001' });
  });

  test('an outbound proxy is where the line connects: a server name that does not resolve is never looked up', async () => {
    configure({ address: 'pbx.example.invalid', port: 5060, transport: 'TCP', outboundProxy: '127.0.0.1:1' });
    expect(await until(() => status()?.state === 'Error'), JSON.stringify(status())).toBe(true);
    expect(status()?.reason).toBe('Cannot reach the SIP server: tcp 127.0.0.1:1: connection refused (no SIP server listens there)');
    configure({ address: '127.0.0.1', port: 1, transport: 'UDP', outboundProxy: `127.0.0.1:${addresses.udp!.port}` });
    expect(await until(() => status()?.state === 'OK'), JSON.stringify(status())).toBe(true);
  });
});

describe('SIP → Servers: Accept all certificates', () => {
  const typed = { address: 'pbx.example.com', port: '5061', transport: 'TLS', registrationExpiry: '600', outboundProxy: '' };

  test('no (the default) keeps the entry as before the setting; yes is kept; anything else is refused with the field named', () => {
    const checked = checkServer(typed, EMPTY_SIP_CONFIG);
    expect(checked.ok && checked.value).toEqual({ id: 1, address: 'pbx.example.com', port: 5061, transport: 'TLS', registrationExpiry: 600, outboundProxy: '' });
    const all = checkServer({ ...typed, acceptAllCertificates: 'yes' }, EMPTY_SIP_CONFIG);
    expect(all.ok && all.value.acceptAllCertificates).toBe(true);
    const wrong = checkServer({ ...typed, acceptAllCertificates: 'maybe' }, EMPTY_SIP_CONFIG);
    expect(!wrong.ok && wrong.errors.map((e) => e.message)).toEqual(['Accept all certificates (TLS, WSS): must be yes or no']);
    expect(checkServer({ ...typed, transport: 'WSS' }, EMPTY_SIP_CONFIG).ok).toBe(true);
  });
});
