/**
 * An IT lead asks not "how long does the rollout take" but "between what and what": `rehearse --runs 3` plays the
 * plan three times — run 1 on the modelled timings, the others with boot, fetch, download and user delays drawn
 * around them — and reports each key number as min / median / max. The same seed gives the same runs (beside in a
 * worker thread or not); another seed, other timings.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { rehearseFile } from '../../../src/rehearsal/rehearse-file.ts';
import { KEY_ROWS } from '../../../src/rehearsal/report-comparison.ts';
import { runScenario } from '../../../src/rehearsal/runner.ts';
import { rehearseRuns } from '../../../src/rehearsal/runs/run-series.ts';
import { parseScenario } from '../../../src/rehearsal/scenario-loader.ts';

/** One B4 with two handsets switched to the Teams ConfigURL: three reboots, each a boot the runs vary. */
const SMALL = `name: Three reboots
seed: 3
lab:
  bases:
    - id: b1
      model: B4
      handsets: { count: 2, model: Rove 30 }
steps:
  - waitUntil: { base: b1, state: running }
    timeout: 10m
  - register: { handsets: "b1/*" }
  - settings:
      bases: b1
      values:
        itspMethod: Periodically
        itspInterval: 3600
        provisioningOption: ConfigURL
        configUrl: http://emea.ipp.sdg.teams.microsoft.com/00\${IPEI}.cfg
  - waitUntil: { base: b1, state: running, pendingProvisioningReboots: 0 }
    timeout: 1h
  - expect: { base: b1, rebootsFor: { reason: applying new provisioning settings, count: 3 } }
`;

function quiet(): NodeJS.WriteStream {
  return new PassThrough().resume() as unknown as NodeJS.WriteStream;
}

describe('Rehearsing a plan several times with varied timings', () => {
  it('reports min / median / max of each key number, in the summary, report.json and report.html', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rove-runs-'));
    writeFileSync(path.join(dir, 'small.yaml'), SMALL);
    const out: string[] = [];
    const outcome = await rehearseFile(path.join(dir, 'small.yaml'), { speed: 'max', compare: true, runs: 3, reportDir: path.join(dir, 'report') }, { out: (l) => out.push(l), err: quiet() });
    expect(outcome.exitCode).toBe(0);

    const json = JSON.parse(readFileSync(path.join(dir, 'report', 'report.json'), 'utf8'));
    expect(json.runs.count).toBe(3);
    const [plan] = json.runs.plans;
    expect(plan.runs.map((r: { run: number }) => r.run)).toEqual([1, 2, 3]);
    expect(plan.runs[0].timingSeed).toBeNull();
    expect(plan.runs[1].timings.bootMs).toBeGreaterThanOrEqual(72_000);
    expect(plan.runs[1].timings.bootMs).toBeLessThanOrEqual(108_000);
    for (const { key } of KEY_ROWS) {
      const r = plan.ranges[key];
      expect(r.min).toBeLessThanOrEqual(r.median);
      expect(r.median).toBeLessThanOrEqual(r.max);
    }
    // Three boots of other lengths: the lab time and the minutes without service differ from run to run.
    expect(plan.ranges.labMs.min).toBeLessThan(plan.ranges.labMs.max);
    expect(plan.ranges.handsetMinutesWithoutService.min).toBeLessThan(plan.ranges.handsetMinutesWithoutService.max);
    expect(plan.ranges.reboots).toEqual({ min: 3, median: 3, max: 3 });
    // The rest of the report is run 1's: the modelled timings, as a plain rehearsal gives them.
    const plain = await runScenario(parseScenario(SMALL));
    expect(json.virtualMs).toBe(plain.report.virtualMs);
    expect(plan.runs[0].numbers.handsetMinutesWithoutService).toBe(plain.report.totals.handsetMinutesWithoutService);

    const html = readFileSync(path.join(dir, 'report', 'report.html'), 'utf8');
    expect(html).toContain('<h2>3 runs with varied timings</h2>\n<p>Three reboots: <b class="passed">PASSED in every run</b></p>');
    expect(html).toContain('<th>min</th><th>median</th><th>max</th>');
    const r = plan.ranges.handsetMinutesWithoutService;
    expect(html).toContain(`<tr><th>Handset-minutes without service</th><td class="num">${r.min}</td><td class="num">${r.median}</td><td class="num">${r.max}</td></tr>`);

    expect(out[0]).toMatch(/^3 runs in [\d.]+ s \(run 1 on the modelled timings, the others varied around them\); min \/ median \/ max:$/);
    expect(out).toContain('PASSED in every run: Three reboots');
    expect(out).toContain(`  Handset-minutes without service: ${r.min} / ${r.median} / ${r.max}`);
    expect(out).toContain('  Base reboots: 3 / 3 / 3');
  });

  it('prints a failure that every run has once, naming the runs', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rove-runs-fail-'));
    writeFileSync(path.join(dir, 'small.yaml'), SMALL.replace('count: 3 } }', 'count: 4 } }'));
    const out: string[] = [];
    const outcome = await rehearseFile(path.join(dir, 'small.yaml'), { speed: 'max', compare: false, runs: 3, reportDir: path.join(dir, 'report') }, { out: (l) => out.push(l), err: quiet() });
    expect(outcome.exitCode).toBe(1);
    const failures = out.filter((l) => l.includes('✗'));
    expect(failures).toEqual([expect.stringMatching(/^ {2}✗ every run, step 5 \(5\. expect\): expected /)]);
    expect(out).toContain('FAILED in 3 of 3 runs: Three reboots');
  });

  it('gives the same runs for the same seed, beside in a worker or not, and other timings for another seed', { timeout: 120_000 }, async () => {
    const scenario = parseScenario(SMALL);
    const a = await rehearseRuns(scenario, { runs: 3, parallel: false });
    const b = await rehearseRuns(scenario, { runs: 3, parallel: true });
    expect(b.summary).toEqual(a.summary);
    const c = await rehearseRuns(scenario, { runs: 3, seed: 4, parallel: false });
    const timings = (s: typeof a) => s.summary.plans[0]!.runs.map((r) => r.timings);
    expect(timings(c)).not.toEqual(timings(a));
    expect(c.summary.plans[0]!.runs.map((r) => r.numbers.labMs)).not.toEqual(a.summary.plans[0]!.runs.map((r) => r.numbers.labMs));
    // Run 1 plays the modelled timings whatever the seed.
    expect(c.summary.plans[0]!.runs[0]!.numbers.labMs).toBe(a.summary.plans[0]!.runs[0]!.numbers.labMs);
  });
});
