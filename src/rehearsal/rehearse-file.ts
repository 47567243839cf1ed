/**
 * `rove-sim rehearse FILE`: loads the scenario, hands over to a node with a heap sized to the lab when it is large
 * (rehearsal-heap.ts), runs it (with its comparison beside it), writes report.json, report.html and events.jsonl, and
 * prints the verdict. The simulator itself is loaded only after the hand-over decision: the first node of a large
 * rehearsal needs only the scenario loader.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PROFILES } from '../devices/base-station/firmware-profile.ts';
import { didYouMean } from '../kernel/did-you-mean.ts';
import { formatDuration } from './duration.ts';
import { rawScenario, rehearseWithHeap } from './rehearsal-heap.ts';
import type { RunReport } from './report.ts';
import type { RunResult } from './run-result.ts';
import { KEY_ROWS, sideBySide, type KeyName } from './report-comparison.ts';
import type { Progress } from './run-options.ts';
import type { Rehearsal } from './runner.ts';
import type { PlanRuns, RunsSummary } from './runs/runs-summary.ts';
import { loadPlanFile, loadScenarioFile, refusedText, ScenarioError } from './scenario-loader.ts';
import type { CompareSpec } from './scenario-types.ts';

export interface RehearseOutcome {
  exitCode: number;
  reportDir: string;
}

/** Runs a scenario file and writes report.json, report.html and events.jsonl to `reportDir`. */
export async function rehearseFile(
  file: string,
  opts: { speed: 'max' | number; reportDir?: string; seed?: number; compareProfile?: string; comparePlan?: string; compare: boolean; labFile?: string; runs?: number },
  io: { out: (line: string) => void; err: NodeJS.WriteStream },
): Promise<RehearseOutcome> {
  const runs = opts.runs ?? 1;
  // Checked before anything runs: a misspelt profile used to surface only when the comparison started, after the main run.
  if (opts.compareProfile !== undefined && !(opts.compareProfile in PROFILES)) {
    const known = Object.keys(PROFILES);
    io.err.write(`--compare-profile: unknown firmware profile "${opts.compareProfile}"${didYouMean(opts.compareProfile, known)} (known: ${known.join(', ')})\n`);
    return { exitCode: 2, reportDir: '' };
  }
  if (runs > 1 && opts.labFile) {
    io.err.write('--runs and --lab do not go together: a lab file holds one run (leave out --lab, or --runs)\n');
    return { exitCode: 2, reportDir: '' };
  }
  // A large lab runs in a node whose heap is sized to it (rehearsal-heap.ts): this process hands over to that one as
  // soon as the file says how large the lab is, and that node checks the file (in the same words, with the same exit
  // code) — checking it here first would compile the scenario schema twice.
  const early = rawScenario(file);
  const earlyExit = early ? await rehearseWithHeap(early) : undefined;
  if (earlyExit !== undefined) return { exitCode: earlyExit, reportDir: '' };
  let scenario;
  let compare: CompareSpec | undefined;
  try {
    scenario = loadScenarioFile(file);
    // --compare-profile and --compare-plan make one comparison run in place of the file's own.
    if (opts.comparePlan) {
      const plan = loadPlanFile(opts.comparePlan, scenario);
      compare = { steps: plan.steps, planName: plan.name };
    }
    if (opts.compareProfile) compare = { ...compare, profile: opts.compareProfile };
  } catch (err) {
    if (err instanceof ScenarioError) {
      io.err.write(refusedText(err, 'nothing run'));
      return { exitCode: 2, reportDir: '' };
    }
    throw err;
  }
  // A file the plain YAML read could not size (more aliases than it follows, say) is sized once checked.
  const childExit = early ? undefined : await rehearseWithHeap(scenario);
  if (childExit !== undefined) return { exitCode: childExit, reportDir: '' };
  const heapMb = process.env['ROVE_SIM_HEAP'];
  if (heapMb && /^\d+$/.test(heapMb)) io.err.write(`JavaScript heap sized to the lab: ${heapMb} MB (ROVE_SIM_HEAP=off to leave it to node)\n`);
  if (!opts.compare) delete scenario.compare;
  const [{ progressReporter }, { rehearse }, { writeEventLog, eventLogHeader }, { renderReportHtml }] = await Promise.all([
    import('./progress.ts'),
    import('./runner.ts'),
    import('./event-log.ts'),
    import('./report-html.ts'),
  ]);
  const reportDir = opts.reportDir ?? path.join('rove-reports', path.basename(file).replace(/\.(ya?ml|json)$/i, ''));
  const progress = progressReporter(io.err, scenario.name);
  const shared = {
    speed: opts.speed,
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(compare ? { compare } : {}),
    onProgress: (p: Progress) => progress.update(p),
    ...(heapMb && /^\d+$/.test(heapMb) ? { heapMb: Number(heapMb) } : {}),
  };
  const wallStart = performance.now();
  let result: Rehearsal;
  let series: RunsSummary | undefined;
  if (runs > 1) {
    const { rehearseRuns } = await import('./runs/run-series.ts');
    ({ rehearsal: result, summary: series } = await rehearseRuns(scenario, {
      ...shared,
      runs,
      onRunDone: ({ plan, run, report, wallMs }) => {
        progress.done();
        io.err.write(`run ${run}/${runs}${plan === 'comparison' ? ' (comparison)' : ''}: ${report.verdict.toUpperCase()}, lab time ${formatDuration(report.virtualMs)}, ${report.totals.reboots} reboots, ${report.totals.handsetMinutesWithoutService} handset-minutes without service (${(wallMs / 1000).toFixed(2)} s)\n`);
      },
    }));
  } else {
    result = await rehearse(scenario, {
      ...shared,
      ...(opts.labFile ? { labFile: opts.labFile } : {}),
      onCompareProgress: (p) => progress.update(p, 'comparison'),
    });
  }
  const wallMs = performance.now() - wallStart;
  progress.done();
  await mkdir(reportDir, { recursive: true });
  const { main, comparison } = result;
  const header = (r: RunResult) => eventLogHeader(r.report);
  const both = comparison ? sideBySide(main.report, comparison.report) : undefined;
  await writeFile(
    path.join(reportDir, 'report.json'),
    `${JSON.stringify({ ...main.report, ...(comparison ? { comparison: comparison.report, sideBySide: both } : {}), ...(series ? { runs: series } : {}) }, null, 2)}\n`,
  );
  await writeEventLog(path.join(reportDir, 'events.jsonl'), header(main), main.events);
  // The comparison's helpdesk files too (comparison-helpdesk.csv, …): a site-by-site plan is judged by its outages.
  const written: string[] = [];
  const { helpdeskUsersCsv, siteOutagesCsv } = await import('./helpdesk-files.ts');
  for (const [prefix, report] of [['', main.report], ['comparison-', comparison?.report]] as const) {
    if (!report?.helpdesk) continue;
    await writeFile(path.join(reportDir, `${prefix}helpdesk.csv`), helpdeskUsersCsv(report.helpdesk));
    await writeFile(path.join(reportDir, `${prefix}site-outages.csv`), siteOutagesCsv(report.helpdesk));
    if (report.helpdesk.users.length) written.push(`${prefix}helpdesk.csv`, `${prefix}site-outages.csv`);
  }
  if (comparison) await writeEventLog(path.join(reportDir, 'events-compare.jsonl'), header(comparison), comparison.events);
  await writeFile(
    path.join(reportDir, 'report.html'),
    renderReportHtml(main.report, comparison?.report, { mainMs: main.wallMs, ...(comparison ? { comparisonMs: comparison.wallMs } : {}) }, series),
  );
  if (series) {
    io.out(`${series.count} runs${comparison ? ' of each plan' : ''} in ${(wallMs / 1000).toFixed(2)} s (run 1 on the modelled timings, the others varied around them); min / median / max:`);
    for (const plan of series.plans) summariseRuns(plan, io.out);
  } else {
    summarise(main.report, main.wallMs, io.out);
    if (comparison) summarise(comparison.report, comparison.wallMs, io.out);
  }
  if (both) summariseSideBySide(both, io.out, series);
  io.out(`Report: ${path.join(reportDir, 'report.html')} (also report.json, events.jsonl${comparison ? ', events-compare.jsonl' : ''}${written.map((f) => `, ${f}`).join('')})`);
  const failed = series
    ? series.plans.some((p) => p.runs.some((r) => r.failures.length > 0))
    : main.report.verdict === 'failed' || comparison?.report.verdict === 'failed';
  return { exitCode: failed ? 1 : 0, reportDir };
}

function summarise(r: RunReport, wallMs: number, out: (line: string) => void): void {
  const t = r.totals;
  // Peak memory of the process so far (both runs when there is a comparison): what the machine must have for this lab.
  const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
  out(`${r.verdict.toUpperCase()}: ${r.scenario}${r.variant && r.variant !== r.scenario ? ` [${r.variant}]` : ` [${r.profile}]`} — lab time ${formatDuration(r.virtualMs)} in ${(wallMs / 1000).toFixed(2)} s (${Math.round(r.virtualMs / Math.max(1, wallMs)).toLocaleString('en')}× real time), peak memory ${peakMb} MB`);
  out(`  ${t.basesRunning}/${t.bases} bases running, ${t.handsetsInService}/${t.handsets} handsets in service, ${t.handsetsSignedIn} signed in; ${t.reboots} reboots; ${t.handsetMinutesWithoutService} handset-minutes without service; sign-ins ${t.signIns.succeeded} ok / ${t.signIns.failed} failed`);
  const h = r.helpdesk;
  if (h && h.users.length) {
    const w = h.workingHours;
    out(`  ${h.workingHoursSummary.users} of ${h.workingHoursSummary.ofUsers} users lose service during working hours (${w.days.join(',')} ${w.from}–${w.to} ${h.timeZone}): ${h.workingHoursSummary.userMinutes} user-minutes`);
  }
  // A power cut during an update is worth a line even when a later attempt installed the image (the base is "ok").
  const cut = r.devices.filter((d) => (d.firmwareUpdatesInterrupted ?? 0) > 0);
  if (cut.length) {
    const recovered = cut.filter((d) => d.outcome === 'ok').length;
    out(`  ${cut.length} base${cut.length === 1 ? '' : 's'} had a firmware update interrupted by a power cut (${cut.map((d) => d.name).slice(0, 5).join(', ')}${cut.length > 5 ? ', …' : ''}): ${recovered} installed it later, ${cut.length - recovered} did not`);
  }
  for (const f of r.failures) out(`  ✗ step ${f.step} (${f.name}): expected ${f.expectation}; actual ${f.actual}`);
}


/**
 * The difference in one line per key number: `Base reboots: 72 → 60 (−12)`; over runs, between the medians
 * (`Base reboots: median 72 → 60 (−12)`).
 */
function summariseSideBySide(both: ReturnType<typeof sideBySide>, out: (line: string) => void, series?: RunsSummary): void {
  out(`Side by side${series ? ', medians of the runs' : ''}: ${both.main} → ${both.comparison}`);
  const [a, b] = series?.plans ?? [];
  for (const row of both.rows) {
    const ranged = a && b ? [medianOf(a, row.key), medianOf(b, row.key)] : undefined;
    const [x, y] = ranged ?? [row.main, row.comparison];
    if (row.key.startsWith('reboots: ') && x === 0 && y === 0) continue;
    const show = (n: number) => (row.time ? formatDuration(n) : String(n));
    const difference = Math.round((y! - x!) * 10) / 10;
    const d = difference === 0 ? '=' : `${difference > 0 ? '+' : '−'}${show(Math.abs(difference))}`;
    out(`  ${row.label}: ${show(x!)} → ${show(y!)} (${d})`);
  }
}

function medianOf(plan: PlanRuns, key: string): number {
  if (key.startsWith('reboots: ')) return plan.ranges.rebootsByCause[key.slice('reboots: '.length)]?.median ?? 0;
  return plan.ranges[key as KeyName].median;
}

/** One plan over its runs: the verdict of each, then each key number as min / median / max. */
function summariseRuns(plan: PlanRuns, out: (line: string) => void): void {
  const failing = plan.runs.filter((r) => r.failures.length > 0);
  out(`${failing.length ? `FAILED in ${failing.length} of ${plan.runs.length} runs` : 'PASSED in every run'}: ${plan.label}`);
  for (const { key, label, time } of KEY_ROWS) {
    const r = plan.ranges[key];
    const show = (n: number) => (time ? formatDuration(n) : String(n));
    out(`  ${label}: ${show(r.min)} / ${show(r.median)} / ${show(r.max)}`);
  }
  // The same failure in several runs is one line naming those runs (10 runs used to print it 10 times).
  const byFailure = new Map<string, number[]>();
  for (const run of failing) {
    for (const f of run.failures) {
      const line = `step ${f.step} (${f.name}): expected ${f.expectation}; actual ${f.actual}`;
      const runs = byFailure.get(line);
      if (runs) runs.push(run.run);
      else byFailure.set(line, [run.run]);
    }
  }
  const lines = [...byFailure];
  for (const [line, runs] of lines.slice(0, 8)) out(`  ✗ ${runsText(runs, plan.runs.length)}, ${line}`);
  if (lines.length > 8) out(`  … and ${lines.length - 8} other failures`);
}

/** `run 3`, `runs 1–5`, `every run`, `runs 1, 4, 7`. */
function runsText(runs: number[], of: number): string {
  if (runs.length === of && of > 1) return 'every run';
  if (runs.length === 1) return `run ${runs[0]}`;
  const consecutive = runs.every((r, i) => i === 0 || r === runs[i - 1]! + 1);
  return consecutive ? `runs ${runs[0]}–${runs.at(-1)}` : `runs ${runs.join(', ')}`;
}
