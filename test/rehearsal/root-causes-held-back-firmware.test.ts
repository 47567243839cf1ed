/**
 * A handset below 8.0.3 at the end is held back by its base when the base's Auto provisioning offers it nothing newer
 * it can fetch: the report gives the handset that base setting as its root cause, grouped per base, with the fix in
 * the guide's words (Rove30FwVersion / Rove30FwBranch). h1's base names 8.0.2.0001, h2's names 8.0.3.0009 but no
 * FirmwareServer, h3's names nothing for Rove 30; h4's base offers 8.0.3.0009 from the firmware server, so h4 updates.
 */
import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/rehearsal/report-html.ts';
import { rehearse } from '../../src/rehearsal/runner.ts';
import { parseScenario } from '../../src/rehearsal/scenario-loader.ts';

const SERVER = 'firmwareServer: http://downloads.polycom.com/, firmwarePath: /voice/dect-ip-phones/Rove/, firmwareMethod: Periodically, firmwareInterval: 30';
const SCENARIO = `name: handset firmware held back by the base
lab:
  sites:
    - { id: hq, name: Head office, publicIp: 203.0.113.10 }
  bases:
    - { id: b1, model: B4, site: hq, handsets: [ { id: h1, model: Rove 30 } ] }
    - { id: b2, model: B4, site: hq, handsets: [ { id: h2, model: Rove 30 } ] }
    - { id: b3, model: B4, site: hq, handsets: [ { id: h3, model: Rove 30 } ] }
    - { id: b4, model: B4, site: hq, handsets: [ { id: h4, model: Rove 30 } ] }
steps:
  - waitUntil: { base: "*", state: running }
    timeout: 10m
  - register: { handsets: "*" }
  - settings: { bases: b1, values: { ${SERVER}, rove30FwVersion: 8002, rove30FwBranch: "0001" } }
  - settings: { bases: b2, values: { rove30FwVersion: 8003, rove30FwBranch: "0009" } }
  - settings: { bases: b3, values: { ${SERVER} } }
  - settings: { bases: b4, values: { ${SERVER}, rove30FwVersion: 8003, rove30FwBranch: "0009" } }
  - wait: 1h
`;

describe('A handset held below 8.0.3 by its base\u2019s Auto provisioning', () => {
  it('is linked to that base setting, and the fix names Rove30FwVersion / Rove30FwBranch', { timeout: 120_000 }, async () => {
    const { main } = await rehearse(parseScenario(SCENARIO));
    const { report } = main;
    const device = (name: string) => report.devices.find((d) => d.name === name)!;
    for (const name of ['h1', 'h2', 'h3']) expect(device(name).error).toBe('firmware 8.0.0.0402 below 8.0.3 (Teams minimum)');
    expect(device('h1').rootCause).toEqual({
      kind: 'base',
      subject: 'b1',
      error: 'Auto provisioning holds Rove 30 handsets at 8.0.2.0001 (Rove30FwVersion / Rove30FwBranch), below 8.0.3',
      fix: expect.stringMatching(/^Set Rove30FwVersion and Rove30FwBranch on the base to 8\.0\.3 or later \(the guide's: 8003 and 0009\), with FirmwareServer and FirmwarePath \(System Management → Auto provisioning\)/),
    });
    expect(device('h2').rootCause).toMatchObject({ kind: 'base', subject: 'b2', error: expect.stringMatching(/^the base cannot fetch the Rove 30 image 8\.0\.3\.0009: /) });
    expect(device('h3').rootCause).toMatchObject({ kind: 'base', subject: 'b3', error: expect.stringMatching(/^Auto provisioning names no Rove 30 firmware/) });
    expect(device('h1').fix).toBe(device('h1').rootCause!.fix);

    expect(device('h4')).toMatchObject({ outcome: 'ok', error: null });
    expect(device('h4').rootCause).toBeUndefined();

    expect((report.rootCauses ?? []).map((g) => [g.subject, g.handsets])).toEqual(expect.arrayContaining([['b1', ['h1']], ['b2', ['h2']], ['b3', ['h3']]]));
    const page = renderReportHtml(report);
    expect(page).toMatch(/root cause \(base b1\)/);
    expect(page).toContain('Auto provisioning holds Rove 30 handsets at 8.0.2.0001');
  });
});
