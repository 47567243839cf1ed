/**
 * An IT lead runs `rove-sim rehearse FILE` from a shell: the command sizes its JavaScript heap to the lab (it runs
 * itself again with --max-old-space-size), prints the verdict with lab time, speed and peak memory, writes the
 * report, and exits 0 when every expectation held. A file that is not a scenario gets its line-numbered problems and
 * exit code 2.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { labDeviceCount, rehearsalHeapMb } from '../../src/rehearsal/rehearsal-heap.ts';
import { loadScenarioFile, parseScenario } from '../../src/rehearsal/scenario-loader.ts';
import { runCli } from '../support/cli.ts';


const run = runCli;

describe('rove-sim rehearse from a shell', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rove-rehearse-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs the guide's scenario and exits 0 with the report written", { timeout: 120_000 }, async () => {
    const report = path.join(dir, 'guide');
    const { code, stdout, stderr } = await run(['rehearse', 'fixtures/scenarios/guide-single-handset.yaml', '--report', report]);
    expect(stderr).not.toMatch(/heap sized/); // a small lab runs in the process as started
    expect(stdout).toMatch(/^PASSED: .* — lab time \S+ in [\d.]+ s \([\d,]+× real time\), peak memory \d+ MB$/m);
    expect(code).toBe(0);
    expect(existsSync(path.join(report, 'report.html'))).toBe(true);
    expect(existsSync(path.join(report, 'events.jsonl'))).toBe(true);
  });

  it('runs a 400-device lab in a node whose heap is sized to it', { timeout: 180_000 }, async () => {
    const file = path.join(dir, 'four-hundred.yaml');
    writeFileSync(file, 'name: Four hundred\nlab:\n  generate: { bases: 100, handsets: 300, sites: 4 }\nsteps:\n  - waitUntil: { base: "*", state: running }\n    timeout: 10m\n');
    const { code, stdout, stderr } = await run(['rehearse', file, '--report', path.join(dir, 'four-hundred')]);
    expect(stderr).toMatch(/JavaScript heap sized to the lab: 128 MB/);
    expect(stdout).toMatch(/^PASSED: Four hundred/m);
    expect(code).toBe(0);
    // the user's own choice is left alone
    expect(stderr).not.toMatch(/no bundle/); // the sized node ran the bundled sources (rehearsal-bundle.ts)
    const off = await run(['rehearse', file, '--report', path.join(dir, 'four-hundred-off')], { ROVE_SIM_HEAP: 'off' });
    expect(off.stderr).not.toMatch(/heap sized/);
    expect(off.code).toBe(0);
    // The bundle is the same simulator: the same report as the TypeScript sources run in the process as started.
    const report = (name: string) => readFileSync(path.join(dir, name, 'report.json'), 'utf8');
    expect(report('four-hundred')).toBe(report('four-hundred-off'));
  });

  it('reports a broken scenario file with its line and exits 2', { timeout: 60_000 }, async () => {
    const file = path.join(dir, 'broken.yaml');
    writeFileSync(file, 'name: Broken\nlab:\n  bases:\n    - { id: b1, model: B9 }\nsteps: []\n');
    const { code, stderr, stdout } = await run(['rehearse', file]);
    expect(stderr).toMatch(/broken\.yaml:4: /);
    expect(stderr).toMatch(/\n1 problem; nothing run\.\n$/);
    expect(stdout).toBe('');
    expect(code).toBe(2);
  });

  it('reports a broken file of a large lab the same way: its line, nothing on stdout, exit 2', { timeout: 60_000 }, async () => {
    // The node that hands a large lab over to one with a sized heap does not check the file: the other one does.
    const file = path.join(dir, 'broken-large.yaml');
    writeFileSync(file, 'name: Broken large\nlab:\n  generate: { bases: 100, handsets: 300, sites: 4 }\nsteps:\n  - waitUntil: { base: "*", state: runing }\n');
    const { code, stderr, stdout } = await run(['rehearse', file]);
    expect(stderr).toMatch(/broken-large\.yaml:5: .*runing.*did you mean "running"/);
    expect(stderr).not.toMatch(/heap sized/);
    expect(stdout).toBe('');
    expect(code).toBe(2);
  });

  it('refuses, before anything runs, a file that is not there and a misspelt --compare-profile or --compare-plan (exit 2)', { timeout: 60_000 }, async () => {
    const missing = await run(['rehearse', path.join(dir, 'nope.yaml')]);
    expect(missing.stderr).toBe(`nope.yaml: no such file (looked for ${path.join(dir, 'nope.yaml')})\n`);
    expect(missing.code).toBe(2);
    const check = await run(['plan', 'check', path.join(dir, 'nope.yaml')]);
    expect(check.stderr).toMatch(/^nope\.yaml: no such file/);
    expect(check.code).toBe(2);

    const guide = 'fixtures/scenarios/guide-single-handset.yaml';
    const profile = await run(['rehearse', guide, '--compare-profile', 'no-reboot-on-signin', '--report', path.join(dir, 'never')]);
    expect(profile.stderr).toMatch(/^--compare-profile: unknown firmware profile "no-reboot-on-signin" \(did you mean "no-reboot-on-sign-in"\?\) \(known: .*rove-8\.0/);
    expect(profile.stderr).not.toMatch(/step \d/); // refused before the main run, not after it
    expect(profile.stdout).toBe('');
    expect(profile.code).toBe(2);
    expect(existsSync(path.join(dir, 'never'))).toBe(false);

    // A mistyped option value: its one line and a pointer to --help (not the whole help), exit 2 like any refused input.
    const runs = await run(['rehearse', guide, '--runs', '101']);
    expect(runs.stderr).toBe("error: option '--runs <n>' argument '101' is invalid. must be a whole number from 1 to 100\n(add --help for the options)\n");
    expect(runs.code).toBe(2);
    expect((await run(['rehearse', '--help'])).code).toBe(0);

    const plan = await run(['rehearse', guide, '--compare-plan', path.join(dir, 'no-plan.yaml')]);
    expect(plan.stderr).toMatch(/^--compare-plan \S+no-plan\.yaml: no plan file "no-plan\.yaml" \(looked for \S+no-plan\.yaml; the path is relative to the working directory\)/);
    expect(plan.code).toBe(2);
  });
});

describe('The heap a rehearsal gets', () => {
  it('grows with the lab: at least 128 MB; the full Rove system gets about 180 MB', () => {
    const full = loadScenarioFile('fixtures/scenarios/full-scale-rollout.yaml');
    expect(labDeviceCount(full)).toBe(1254);
    expect(rehearsalHeapMb(full)).toBeGreaterThanOrEqual(170);
    expect(rehearsalHeapMb(full)).toBeLessThanOrEqual(190);
    const small = parseScenario('name: s\nlab:\n  bases:\n    - { id: b1, model: B4, handsets: { count: 3, model: Rove 30 } }\nsteps: []\n');
    expect(labDeviceCount(small)).toBe(4);
    expect(rehearsalHeapMb(small)).toBe(128);
    const big = parseScenario('name: b\nlab:\n  generate: { bases: 500, handsetsPerBase: 8 }\nsteps: []\n');
    expect(labDeviceCount(big)).toBe(4500);
    expect(rehearsalHeapMb(big)).toBeGreaterThan(rehearsalHeapMb(full));
  });
});
