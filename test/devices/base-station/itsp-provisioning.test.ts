import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { factoryFlash } from '../../../src/devices/base-station/base-flash.ts';
import { appliedAfter, changesAnything, interpretFetches, provisioningRequests, settingsAfter } from '../../../src/devices/base-station/itsp-provisioning.ts';
import { ROVE_8_0_PROFILE } from '../../../src/devices/base-station/firmware-profile.ts';
import type { Lab } from '../../../src/lab/lab.ts';
import { MINUTE, openTestLab } from '../../support/lab.ts';

const TEAMS_EMEA = 'http://emea.ipp.sdg.teams.microsoft.com/00${IPEI}.cfg';

describe('ITSP provisioning (seed 000 "Configuration of the Poly Rove IP DECT system")', () => {
  let lab: Lab;
  let server: Server | undefined;
  afterEach(async () => {
    await lab?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  it('expands ConfigURL per registered handset (${IPEI}) and with the base MAC (${MAC})', () => {
    const flash = factoryFlash('0004F2A00001', 'B4');
    flash.settings = { ...flash.settings, provisioningOption: 'ConfigURL', configUrl: TEAMS_EMEA };
    flash.handsets = [
      { slot: 1, ipei: '0328D3C918', model: 'Rove 30' },
      { slot: 2, ipei: '0328D3C919', model: 'Rove 40' },
    ];
    expect(provisioningRequests(flash)).toEqual([
      { source: '0328D3C918', url: 'http://emea.ipp.sdg.teams.microsoft.com/000328D3C918.cfg' },
      { source: '0328D3C919', url: 'http://emea.ipp.sdg.teams.microsoft.com/000328D3C919.cfg' },
    ]);
    flash.settings.configUrl = 'http://prov.example.com/${MAC}.cfg';
    expect(provisioningRequests(flash)).toEqual([{ source: 'base', url: 'http://prov.example.com/0004F2A00001.cfg' }]);
    flash.settings.provisioningOption = 'Disabled';
    expect(provisioningRequests(flash)).toEqual([]);
  });

  it('counts as a change to reboot for: a new SIP account, not a new handset\'s first file, not a Teams state only (rove-8.0)', () => {
    const flash = factoryFlash('0004F2A00001', 'B4');
    const ipei = '0328D3C918';
    const file = (state: string, user: string) =>
      interpretFetches([{ source: ipei, url: `http://x/00${ipei}.cfg`, ok: true, body: `%TEAMS_STATE%: "${state}"\n%SIP_USER%: "${user}"\n%LANGUAGE%: "de"\n` }]);
    // The handset's first file: its line, no restart.
    expect(changesAnything(flash, file('onboarding', 'onboarding-1'), ROVE_8_0_PROFILE)).toBe(false);
    expect(changesAnything(flash, file('onboarding', 'onboarding-1'))).toBe(true);
    flash.provisioning = { ...flash.provisioning, applied: { [ipei]: file('onboarding', 'onboarding-1').applied[ipei]! } };
    // *55*: only %TEAMS_STATE% changes.
    expect(changesAnything(flash, file('waiting-for-sign-in', 'onboarding-1'), ROVE_8_0_PROFILE)).toBe(false);
    expect(changesAnything(flash, file('waiting-for-sign-in', 'onboarding-1'), { ...ROVE_8_0_PROFILE, rebootOnDisplayOnlyChange: true })).toBe(true);
    // Sign-in: the user's SIP account.
    expect(changesAnything(flash, file('signed-in', '+14255550101'), ROVE_8_0_PROFILE)).toBe(true);
    // A file for the whole base (no ${IPEI}) counts from the first one.
    expect(changesAnything(flash, interpretFetches([{ source: 'base', url: 'http://x/b.cfg', ok: true, body: '%X%: "1"\n' }]), ROVE_8_0_PROFILE)).toBe(true);
  });

  it('switching to the Teams ConfigURL reboots the DECT server three times, then it is configured', async () => {
    lab = await openTestLab();
    const base = lab.getBase('0004F2A00001')!;
    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    base.updateSettings({ itspMethod: 'Periodically', itspInterval: '3600', provisioningOption: 'ConfigURL', configUrl: TEAMS_EMEA });
    expect(base.status().pendingProvisioningReboots).toBe(3);

    await lab.clock.advance(60 * MINUTE);
    const reasons = base.status().rebootLog.filter((e) => e.kind === 'reboot').map((e) => e.reason).reverse();
    expect(reasons).toEqual([
      'ITSP provisioning: applying new provisioning settings (reboot 1 of 3)',
      'ITSP provisioning: applying new provisioning settings (reboot 2 of 3)',
      'ITSP provisioning: applying new provisioning settings (reboot 3 of 3)',
    ]);
    expect(base.state).toBe('running');
    expect(base.status().pendingProvisioningReboots).toBe(0);

    // The next hourly fetches bring nothing new: no more reboots.
    await lab.clock.advance(5 * 60 * MINUTE);
    expect(base.status().reboots).toBe(3);
  });

  it('a firmware profile without the quirk applies the new ConfigURL without rebooting', async () => {
    lab = await openTestLab({ profile: 'no-provisioning-reboots' });
    const base = lab.getBase('0004F2A00001')!;
    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    base.updateSettings({ itspMethod: 'Periodically', provisioningOption: 'ConfigURL', configUrl: TEAMS_EMEA });
    await lab.clock.advance(60 * MINUTE);
    expect(base.status().reboots).toBe(0);
  });

  it('fetches a ConfigURL on any HTTP server on loopback for real, applies known parameters, and reboots on change', async () => {
    const requests: string[] = [];
    server = createServer((req, res) => {
      requests.push(`${req.url} ${req.headers['user-agent']}`);
      res.end('# base config\n%NETWORK_SNTP_SERVER%: "ntp.example.org"\n%SIP_SERVER%: "sip.example.org"\n');
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;

    lab = await openTestLab({ profile: 'no-provisioning-reboots' });
    const base = lab.getBase('0004F2A00001')!;
    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    base.updateSettings({ itspMethod: 'Periodically', provisioningOption: 'ConfigURL', configUrl: `http://127.0.0.1:${port}/\${MAC}.cfg` });
    await lab.clock.advanceUntil(() => base.status().reboots === 1, 10 * MINUTE);

    expect(requests[0]).toBe('/0004F2A00001.cfg RoveB4 8.0.0.0402 0004F2A00001');
    expect(base.flash.settings.ntpServer).toBe('ntp.example.org');
    expect(base.flash.provisioning.applied['base']).toEqual({ NETWORK_SNTP_SERVER: 'ntp.example.org', SIP_SERVER: 'sip.example.org' });
    expect(base.status().rebootLog[0]?.reason).toBe('ITSP provisioning: new configuration');
  });

  it('a round that fetches what the base already runs with keeps the flash as it is; a changed file is applied', async () => {
    let body = '%NETWORK_SNTP_SERVER%: "ntp.example.org"\n';
    server = createServer((_req, res) => res.end(body));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    lab = await openTestLab({ profile: 'no-provisioning-reboots' });
    const base = lab.getBase('0004F2A00001')!;
    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    base.updateSettings({ itspMethod: 'Periodically', itspInterval: '600', provisioningOption: 'ConfigURL', configUrl: `http://127.0.0.1:${port}/\${MAC}.cfg` });
    await lab.clock.advanceUntil(() => base.flash.settings.ntpServer === 'ntp.example.org', 10 * MINUTE);
    const applied = base.flash;
    const appliedAt = base.status().provisioning.at ?? 0;
    await lab.clock.advanceUntil(() => (base.status().provisioning.at ?? 0) > appliedAt && base.status().provisioning.phase === 'applied', 20 * MINUTE);
    expect(base.status().provisioning.message).toBe('Configuration applied (1 file)');
    expect(base.flash).toBe(applied);

    body = '%NETWORK_SNTP_SERVER%: "ntp2.example.org"\n';
    await lab.clock.advanceUntil(() => base.flash.settings.ntpServer === 'ntp2.example.org', 20 * MINUTE);
    expect(base.flash.provisioning.applied['base']).toEqual({ NETWORK_SNTP_SERVER: 'ntp2.example.org' });
  });

  it('merges fetched files and settings as a spread would, keeping the objects that are entry for entry the same', () => {
    const a = { SIP_USER: 'u1', SIP_SERVER: 's' };
    const b = { SIP_USER: 'u2' };
    const before = { base: { X: '1' }, '0328D3C918': a, '0328D3C919': b };
    expect(appliedAfter(before, { '0328D3C918': { SIP_USER: 'u1', SIP_SERVER: 's' } })).toBe(before);
    const changed = appliedAfter(before, { '0328D3C919': { SIP_USER: 'u3' }, '0328D3C920': { SIP_USER: 'u4' } });
    expect(changed).toEqual({ ...before, '0328D3C919': { SIP_USER: 'u3' }, '0328D3C920': { SIP_USER: 'u4' } });
    expect(Object.keys(changed)).toEqual(['base', '0328D3C918', '0328D3C919', '0328D3C920']);
    expect(changed['0328D3C918']).toBe(a);
    // The same entries in another order are another file (the lab file and the report would show it).
    expect(appliedAfter(before, { '0328D3C918': { SIP_SERVER: 's', SIP_USER: 'u1' } })).not.toBe(before);

    const settings = factoryFlash('0004F2A00001', 'B4').settings;
    expect(settingsAfter(settings, { itspMethod: settings.itspMethod })).toBe(settings);
    expect(settingsAfter(settings, { ntpServer: 'ntp.example.org' })).toEqual({ ...settings, ntpServer: 'ntp.example.org' });
  });

  it('an unknown host fails visibly as a DNS failure would', async () => {
    lab = await openTestLab({ profile: 'no-provisioning-reboots' });
    const base = lab.getBase('0004F2A00001')!;
    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    base.updateSettings({ itspMethod: 'Periodically', provisioningOption: 'ConfigURL', configUrl: 'http://prov.nowhere.example/${MAC}.cfg' });
    await lab.clock.advanceUntil(() => base.status().provisioning.phase === 'error', 10 * MINUTE);
    expect(base.status().provisioning).toMatchObject({ code: 'PRV-01' });
    expect(base.status().provisioning.message).toContain('could not resolve host prov.nowhere.example');
  });

  it('a ConfigURL without its file (the Teams service root) is an error that says what to check, not a green "applied"', async () => {
    lab = await openTestLab({ profile: 'no-provisioning-reboots' });
    const base = lab.getBase('0004F2A00001')!;
    await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
    base.updateSettings({ itspMethod: 'Periodically', provisioningOption: 'ConfigURL', configUrl: 'http://emea.ipp.sdg.teams.microsoft.com/' });
    await lab.clock.advanceUntil(() => base.status().provisioning.phase === 'error' || base.status().provisioning.phase === 'applied', 10 * MINUTE);
    expect(base.status().provisioning).toMatchObject({ phase: 'error', code: 'PRV-05' });
    expect(base.status().provisioning.message).toContain('Configuration file could not be read: http://emea.ipp.sdg.teams.microsoft.com/ holds no %KEY%: "value" line');
    expect(base.status().provisioning.message).toContain('for one file per handset it needs ${IPEI}');
    expect(base.flash.provisioning.applied['base']).toBeUndefined();
  });
});
