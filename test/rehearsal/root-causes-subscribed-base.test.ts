/**
 * A base's root cause goes only to the handsets subscribed to that base, and only when the base's problem is what
 * stops them (a newcomer's reproduction, accept-scratch fw2.yaml, copied here): h1 is listed under b1 but the scenario
 * never registers it, b1's firmware update is cut mid-install — h1 is "not registered to a base", which is its own
 * problem (register it), not b1's firmware. h2 is registered on b2, whose update is cut mid-download and then finds
 * no file (FWU-03): h2's own firmware is below 8.0.3 because b2's Auto provisioning names no Rove 30 firmware — that
 * setting is h2's cause, not b2's FWU-03. h3 is registered on b3, which is off at the end: its "no service" is b3's.
 */
import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/rehearsal/report-html.ts';
import { rehearse } from '../../src/rehearsal/runner.ts';
import { parseScenario } from '../../src/rehearsal/scenario-loader.ts';

const SCENARIO = `name: firmware interrupted, one handset never registered
lab:
  sites:
    - { id: hq, name: Head office, publicIp: 203.0.113.10 }
  bases:
    - { id: b1, model: B4, site: hq, handsets: [ { id: h1, model: Rove 30 } ] }
    - { id: b2, model: B4, site: hq, handsets: [ { id: h2, model: Rove 30 } ] }
    - { id: b3, model: B4, site: hq, handsets: [ { id: h3, model: Rove 30 } ] }
steps:
  - waitUntil: { base: "*", state: running }
    timeout: 10m
  - register: { handsets: [h2, h3] }
  - fault: { id: install-cut, type: base-power-loss, bases: b1, during: install, duration: 10m }
  - fault: { id: dl-cut, type: base-power-loss, bases: b2, during: download, duration: 1m }
  - settings:
      bases: "*"
      values:
        firmwareServer: http://downloads.polycom.com/
        firmwarePath: /voice/dect-ip-phones/Rove/
        firmwareMethod: Periodically
        firmwareInterval: 30
        baseFwVersion: 8003
        baseFwBranch: "0009"
  - wait: 4m
  - fault: { id: nofile, type: firmware-missing, file: RoveB4_v8003_b0009.fwu }
  - wait: 20m
  - fault: { id: b3-off, type: base-power-loss, bases: b3 }
  - wait: 2m
`;

describe('A base\u2019s root cause, given only to the handsets it explains', () => {
  it('gives a never-registered handset no base cause, and an old-firmware one its base\u2019s Auto provisioning, not the base\u2019s firmware error', { timeout: 120_000 }, async () => {
    const { main } = await rehearse(parseScenario(SCENARIO));
    const { report } = main;
    const device = (name: string) => report.devices.find((d) => d.name === name)!;
    expect(device('b1').error).toMatch(/^Firmware update interrupted \(power off while installing 8\.0\.3\.0009\)/);
    expect(device('b2').outcome).toBe('failed');

    const h1 = device('h1');
    expect(h1).toMatchObject({ outcome: 'failed', error: 'not registered to a base' });
    expect(h1.rootCause).toBeUndefined();
    expect(h1.fix).toMatch(/^Register the handset/);

    const h2 = device('h2');
    expect(h2.error).toMatch(/^firmware 8\.0\.0\.0402 below 8\.0\.3/);
    expect(h2.rootCause).toMatchObject({
      kind: 'base',
      subject: 'b2',
      error: 'Auto provisioning names no Rove 30 firmware (Rove30FwVersion / Rove30FwBranch empty): its Rove 30 handsets keep the firmware they came with',
    });
    expect(h2.fix).toMatch(/^Set Rove30FwVersion and Rove30FwBranch on the base to 8\.0\.3 or later/);

    const h3 = device('h3');
    expect(h3.error).toMatch(/^no service/);
    expect(h3.rootCause).toMatchObject({ kind: 'base', subject: 'b3', error: 'base is off', fix: expect.stringMatching(/^Power the base back on/) });
    expect(device('b3').fix).toBe('Power the base back on (mains or PoE): it is off at the end, and its handsets have no service.');
    expect(report.rootCauses).toEqual([
      expect.objectContaining({ kind: 'base', subject: 'b2', handsets: ['h2'] }),
      expect.objectContaining({ kind: 'base', subject: 'b3', handsets: ['h3'] }),
    ]);

    const page = renderReportHtml(report);
    expect(page).not.toMatch(/root cause \(base b1\)/);
    expect(page).toMatch(/root cause \(base b2\)/);
    expect(page).toMatch(/root cause \(base b3\)/);
  });
});
