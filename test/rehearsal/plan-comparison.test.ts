/**
 * An IT lead compares two rollout plans on the same starting lab: the bulk sign-in CSV in the order of the user list
 * (each base's users spread over the file) against the same CSV grouped per base. Every sign-in makes the gateway send
 * check-sync and the base reboot; grouped per base, a base's later users are signed in while it is still down from
 * its first and it picks them all up with one more reboot, so it reboots fewer times. The report shows both plans side
 * by side with the difference.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rehearseFile } from '../../src/rehearsal/rehearse-file.ts';
import { loadScenarioFile, parseScenario, ScenarioError } from '../../src/rehearsal/scenario-loader.ts';

/** Two B4 bases with three handsets each; the service takes a minute per bulk row, so the sign-ins are far apart. */
const LAB = `seed: 5
teamsProfile: { bulkRowProcessingMs: 60000 }
lab:
  generate: { bases: 2, model: B4, firmware: 8.0.3.0009, handsetsPerBase: 3, handsetFirmware: 8.0.3.0009 }
`;

const steps = (order: string) => `steps:
  - waitUntil: { base: "*", state: running }
    timeout: 10m
  - register: { handsets: "*" }
  - settings:
      bases: "*"
      values:
        itspMethod: Periodically
        itspInterval: 3600
        provisioningOption: ConfigURL
        configUrl: http://emea.ipp.sdg.teams.microsoft.com/tenantid/\${TENANT_ID}/00\${IPEI}.cfg
  - waitUntil: { base: "*", state: running, pendingProvisioningReboots: 0 }
    timeout: 1h
  - teams: { provision: "*" }
  - wait: 61m
  - teams: { bulkSignIn: { handsets: ${order} } }
  - waitUntil: [{ teams: "*", line: signed-in }, { base: "*", state: running }, { handset: "*", state: in-service }]
    timeout: 1h
  - expect: { teams: "*", userStatus: Signed in }
`;

const FILE_ORDER = '[b001/1, b002/1, b001/2, b002/2, b001/3, b002/3]';
const PER_BASE = '[b001/*, b002/*]';

function writePlans(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'rove-plans-'));
  writeFileSync(path.join(dir, 'file-order.yaml'), `name: Bulk sign-in in file order\n${LAB}compare:\n  label: grouped per base\n  plan: per-base.yaml\n${steps(FILE_ORDER)}`);
  writeFileSync(path.join(dir, 'per-base.yaml'), `name: Bulk sign-in grouped per base\n${LAB}${steps(PER_BASE)}`);
  return dir;
}

/** Progress lines go nowhere. */
function quiet(): NodeJS.WriteStream {
  return new PassThrough().resume() as unknown as NodeJS.WriteStream;
}

describe('Comparing two rollout plans', () => {
  it('runs both on the same lab and shows them side by side: grouped per base, fewer base reboots', { timeout: 120_000 }, async () => {
    const dir = writePlans();
    const out: string[] = [];
    const outcome = await rehearseFile(path.join(dir, 'file-order.yaml'), { speed: 'max', compare: true, reportDir: path.join(dir, 'report') }, { out: (l) => out.push(l), err: quiet() });
    expect(outcome.exitCode).toBe(0);
    const json = JSON.parse(readFileSync(path.join(dir, 'report', 'report.json'), 'utf8'));
    expect(json.scenario).toBe('Bulk sign-in in file order');
    expect(json.comparison.scenario).toBe('Bulk sign-in grouped per base');
    expect(json.comparison.devices.map((d: { id: string }) => d.id)).toEqual(json.devices.map((d: { id: string }) => d.id));
    const row = (key: string) => json.sideBySide.rows.find((r: { key: string }) => r.key === key);
    expect(json.sideBySide.main).toBe('Bulk sign-in in file order');
    expect(json.sideBySide.comparison).toBe('grouped per base');
    const reboots = row('reboots');
    expect(reboots.comparison).toBeLessThan(reboots.main);
    expect(reboots.difference).toBe(reboots.comparison - reboots.main);
    expect(row('reboots: ITSP provisioning: new configuration (sign-in, policy)')).toMatchObject({ main: 6, comparison: 4, difference: -2 });
    expect(row('usersWithoutService')).toMatchObject({ main: 6, comparison: 6 });
    expect(row('handsetMinutesWithoutService').difference).toBeLessThan(0);
    expect(row('failedExpectations')).toMatchObject({ main: 0, comparison: 0 });
    // Each plan's helpdesk files: the comparison's beside the main plan's, its users' outages its own.
    const csvOf = (name: string) => readFileSync(path.join(dir, 'report', name), 'utf8').split('\r\n');
    expect(csvOf('comparison-helpdesk.csv')[0]).toBe(csvOf('helpdesk.csv')[0]);
    expect(csvOf('comparison-helpdesk.csv').filter(Boolean)).toHaveLength(json.comparison.helpdesk.users.length + 1);
    expect(csvOf('comparison-site-outages.csv')).not.toEqual(csvOf('site-outages.csv'));
    expect(out.at(-1)).toMatch(/\(also report\.json, events\.jsonl, events-compare\.jsonl, helpdesk\.csv, site-outages\.csv, comparison-helpdesk\.csv, comparison-site-outages\.csv\)$/);

    const html = readFileSync(path.join(dir, 'report', 'report.html'), 'utf8');
    const side = html.match(/<h2>Side by side<\/h2>[\s\S]*?<\/table>/)?.[0] ?? '';
    expect(side).toContain('<th>Bulk sign-in in file order</th><th>grouped per base</th><th>Difference</th>');
    expect(side).toMatch(/<tr><td>Reboots: ITSP provisioning: new configuration \(sign-in, policy\)<\/td><td class="num">6<\/td><td class="num">4<\/td><td class="num better">−2<\/td><\/tr>/);
    expect(side).toMatch(/<tr><td>Users without service at some time<\/td><td class="num">6<\/td><td class="num">6<\/td><td class="num">=<\/td><\/tr>/);
    expect(out).toContain('Side by side: Bulk sign-in in file order → grouped per base');
    expect(out).toContain('  Reboots: ITSP provisioning: new configuration (sign-in, policy): 6 → 4 (−2)');
  });

  it('refuses a plan that starts from another lab, at the line of compare.plan', () => {
    const dir = writePlans();
    writeFileSync(path.join(dir, 'per-base.yaml'), `name: Other lab\n${LAB.replace('seed: 5', 'seed: 6')}${steps(PER_BASE)}`);
    expect(() => loadScenarioFile(path.join(dir, 'file-order.yaml'))).toThrow(
      'file-order.yaml:8: compare.plan: the plan "per-base.yaml" starts from another lab (seed differs): both plans run on the same starting lab, so copy these from this file (another firmware for the comparison: compare.profile)',
    );
    expect(() => parseScenario(`name: x\n${LAB}compare: { plan: nowhere.yaml }\n${steps(PER_BASE)}`, 'x.yaml', { dir })).toThrow(/x\.yaml:6: compare\.plan: no plan file "nowhere\.yaml" \(looked for .*nowhere\.yaml; the path is relative to this file\)/);
  });

  it('refuses --compare-plan FILE of another lab before anything runs (exit 2)', async () => {
    const dir = writePlans();
    writeFileSync(path.join(dir, 'other-lab.yaml'), `name: Other lab\n${LAB.replace('bases: 2,', 'bases: 3,')}${steps(PER_BASE)}`);
    const errors: string[] = [];
    const err = new PassThrough();
    err.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
    const outcome = await rehearseFile(path.join(dir, 'per-base.yaml'), { speed: 'max', compare: true, comparePlan: path.join(dir, 'other-lab.yaml') }, { out: () => {}, err: err as unknown as NodeJS.WriteStream });
    expect(outcome.exitCode).toBe(2);
    expect(errors.join('')).toContain(`--compare-plan ${path.join(dir, 'other-lab.yaml')}: the plan "other-lab.yaml" starts from another lab (lab differs)`);
  });

  it('checks a plan written in the file (compare.steps) as the main plan is, at its own lines', () => {
    const text = `name: x\n${LAB}compare:\n  steps:\n    - teams: { bulkSignIn: { handsets: [b01/*] } }\n${steps(PER_BASE)}`;
    let error: ScenarioError | undefined;
    try {
      parseScenario(text, 'x.yaml');
    } catch (err) {
      error = err as ScenarioError;
    }
    expect(error?.message).toMatch(/^x\.yaml:8: compare\.steps\[0\]\.teams\.bulkSignIn\.handsets\[0\]: no base "b01" in the lab \(did you mean "b001"\?\)/);
  });
});
