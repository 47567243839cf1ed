/**
 * A power cut aimed at the firmware install ("during install": the base is writing the image, its status page says
 * "do not power off the base") interrupts the update, and the report says so for that base instead of rating it ok.
 * So does one aimed at the download ("during download"): the image is lost with the power, the update did not happen.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { rehearseFile } from '../../src/rehearsal/rehearse-file.ts';
import { rehearse } from '../../src/rehearsal/runner.ts';
import { parseScenario } from '../../src/rehearsal/scenario-loader.ts';

const SCENARIO = `name: Power cut during the firmware install
lab:
  bases:
    - { id: b1, model: B4, firmware: 8.0.0.0402 }
    - { id: b2, model: B4, firmware: 8.0.0.0402 }
steps:
  - waitUntil: { base: "*", state: running }
    timeout: 10m
  - fault: { id: install-cut, type: base-power-loss, bases: b1, during: install, duration: 10m }
  - settings:
      bases: "*"
      values:
        firmwareServer: http://downloads.polycom.com/
        firmwarePath: /voice/dect-ip-phones/Rove/
        firmwareMethod: Periodically
        baseFwVersion: 8003
        baseFwBranch: "0009"
  - waitUntil: { base: b2, state: running, firmware: 8.0.3.0009 }
    timeout: 30m
  - name: b1 has power again
    waitUntil: { base: b1, state: running }
    timeout: 30m
`;

const RETRIED = `${SCENARIO}  - name: b1 installs the image at its next firmware check
    waitUntil: { base: b1, state: running, firmware: 8.0.3.0009 }
    timeout: 30m
`;

describe('A power cut during the firmware install', () => {
  it('cuts the base while it writes the image, and the report flags its interrupted update', async () => {
    const { main } = await rehearse(parseScenario(SCENARIO));
    expect(main.failures).toEqual([]);
    const cut = main.events.find((e) => e.device === 'b1' && e.state === 'off');
    expect(cut?.reason).toBe('Firmware update interrupted (power off while installing 8.0.3.0009)');
    const b1 = main.report.devices.find((d) => d.name === 'b1')!;
    expect(b1).toMatchObject({ outcome: 'failed', state: 'running', firmwareUpdatesInterrupted: 1 });
    expect(b1.error).toMatch(/^Firmware update interrupted \(power off while installing 8\.0\.3\.0009\) at \d+m\d*s?; the base runs 8\.0\.0\.0402$/);
    expect(b1.fix).toContain('Keep the base powered while it installs firmware');
    const b2 = main.report.devices.find((d) => d.name === 'b2')!;
    expect(b2).toMatchObject({ outcome: 'ok', error: null });
    expect(b2.firmwareUpdatesInterrupted).toBeUndefined();
  });

  it('words a cut while the base downloads the image as an interrupted update too, flagged and counted the same way', async () => {
    const { main } = await rehearse(parseScenario(SCENARIO.replace('id: install-cut, type: base-power-loss, bases: b1, during: install', 'id: download-cut, type: base-power-loss, bases: b1, during: download')));
    expect(main.failures).toEqual([]);
    const cut = main.events.find((e) => e.device === 'b1' && e.state === 'off');
    expect(cut?.reason).toBe('Firmware update interrupted (power off while downloading 8.0.3.0009)');
    const b1 = main.report.devices.find((d) => d.name === 'b1')!;
    expect(b1).toMatchObject({ outcome: 'failed', state: 'running', firmwareUpdatesInterrupted: 1 });
    expect(b1.error).toMatch(/^Firmware update interrupted \(power off while downloading 8\.0\.3\.0009\) at \d+m\d*s?; the base runs 8\.0\.0\.0402$/);
    expect(b1.fix).toContain('Keep the base powered while it updates its firmware');
    expect(main.report.timeline['b1']!.find((s) => s.state === 'off')?.reason).toBe('Firmware update interrupted (power off while downloading 8.0.3.0009)');
    expect(main.report.devices.find((d) => d.name === 'b2')).toMatchObject({ outcome: 'ok', error: null });
  });

  it('rates the base ok once a later attempt installed the image, still counting the interruption', async () => {
    const { main } = await rehearse(parseScenario(RETRIED));
    expect(main.failures).toEqual([]);
    expect(main.report.devices.find((d) => d.name === 'b1')).toMatchObject({ outcome: 'ok', error: null, firmwareUpdatesInterrupted: 1 });
  });

  it('reports a second problem of the interrupted base beside the interruption, each with its fix', async () => {
    // b1 has power again and no firmware check to retry the update (Disabled); then its ConfigURL is mistyped (a base
    // file: b1 has no handset whose ${IPEI} file it would fetch).
    const typo = `${SCENARIO}  - settings:
      bases: b1
      values:
        firmwareMethod: Disabled
        itspMethod: Periodically
        itspInterval: 3600
        provisioningOption: ConfigURL
        configUrl: http://emea.ipp.sdg.teams.microsft.com/tenantid/t1/rove.cfg
  - waitUntil: { base: b1, state: running, pendingProvisioningReboots: 0 }
    timeout: 30m
  - wait: 5m
`;
    const { main } = await rehearse(parseScenario(typo));
    const b1 = main.report.devices.find((d) => d.name === 'b1')!;
    expect(b1.outcome).toBe('failed');
    expect(b1.error).toMatch(/^Firmware update interrupted \(power off while installing 8\.0\.3\.0009\) at \d+m\d*s?; the base runs 8\.0\.0\.0402; PRV-01 /);
    expect(b1.error).toContain('emea.ipp.sdg.teams.microsft.com');
    expect(b1.fix).toContain('Keep the base powered while it installs firmware');
    expect(b1.fix).toContain('The host name does not resolve: check FirmwareServer / ConfigURL spelling and DNS.');
    expect(main.report.totals.baseErrorsByCode).toEqual({ 'PRV-01': 1 });
  });

  it('says so in the summary even when a later attempt installed the image', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rove-cut-'));
    try {
      writeFileSync(path.join(dir, 'retried.yaml'), RETRIED);
      const out: string[] = [];
      const outcome = await rehearseFile(path.join(dir, 'retried.yaml'), { speed: 'max', compare: false, reportDir: path.join(dir, 'report') }, { out: (l) => out.push(l), err: new PassThrough().resume() as unknown as NodeJS.WriteStream });
      expect(outcome.exitCode).toBe(0);
      expect(out).toContain('  1 base had a firmware update interrupted by a power cut (b1): 1 installed it later, 0 did not');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses "during" on a fault that is not a power cut of bases, at load', () => {
    expect(() => parseScenario(SCENARIO.replace('type: base-power-loss, bases: b1, during', 'type: handset-power-loss, handsets: "*", during'))).toThrow(
      'scenario.yaml:9: steps[1].fault.during (step 2): during applies to base-power-loss only',
    );
  });
});
