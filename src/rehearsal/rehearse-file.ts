/**
 * `rove-sim rehearse FILE`: loads the scenario, hands over to a node with a heap sized to the lab when it is large
 * (rehearsal-heap.ts), runs it (with its comparison beside it), writes report.json, report.html and events.jsonl, and
 * prints the verdict. The simulator itself is loaded only after the hand-over decision: the first node of a large
 * rehearsal needs only the scenario loader.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatDuration } from './duration.ts';
import { rehearseWithHeap } from './rehearsal-heap.ts';
import type { RunReport } from './report.ts';
import type { RunResult } from './run-result.ts';
import { loadScenarioFile, ScenarioError } from './scenario-loader.ts';

export interface RehearseOutcome {
  exitCode: number;
  reportDir: string;
}

/** Runs a scenario file and writes report.json, report.html and events.jsonl to `reportDir`. */
export async function rehearseFile(
  file: string,
  opts: { speed: 'max' | number; reportDir?: string; seed?: number; compareProfile?: string; compare: boolean; labFile?: string },
  io: { out: (line: string) => void; err: NodeJS.WriteStream },
): Promise<RehearseOutcome> {
  let scenario;
  try {
    scenario = loadScenarioFile(file);
  } catch (err) {
    if (err instanceof ScenarioError) {
      io.err.write(`${err.message}\n`);
      return { exitCode: 2, reportDir: '' };
    }
    throw err;
  }
  // A large lab runs in a node whose heap is sized to it (rehearsal-heap.ts): this process hands over to that one.
  const childExit = rehearseWithHeap(scenario);
  if (childExit !== undefined) return { exitCode: childExit, reportDir: '' };
  const heapMb = process.env['ROVE_SIM_HEAP'];
  if (heapMb && /^\d+$/.test(heapMb)) io.err.write(`JavaScript heap sized to the lab: ${heapMb} MB (ROVE_SIM_HEAP=off to leave it to node)\n`);
  if (!opts.compare) delete scenario.compare;
  const [{ progressReporter }, { rehearse }, { writeEventLog }, { renderReportHtml }] = await Promise.all([
    import('./progress.ts'),
    import('./runner.ts'),
    import('./event-log.ts'),
    import('./report-html.ts'),
  ]);
  const reportDir = opts.reportDir ?? path.join('rove-reports', path.basename(file).replace(/\.(ya?ml|json)$/i, ''));
  const progress = progressReporter(io.err, scenario.name);
  const result = await rehearse(scenario, {
    speed: opts.speed,
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.compareProfile ? { compare: { profile: opts.compareProfile } } : {}),
    ...(opts.labFile ? { labFile: opts.labFile } : {}),
    onProgress: (p) => progress.update(p),
    onCompareProgress: (p) => progress.update(p, 'comparison'),
    ...(heapMb && /^\d+$/.test(heapMb) ? { heapMb: Number(heapMb) } : {}),
  });
  progress.done();
  await mkdir(reportDir, { recursive: true });
  const { main, comparison } = result;
  const header = (r: RunResult) => ({ scenario: r.report.scenario, seed: r.report.seed, profile: r.report.profile, variant: r.report.variant, start: r.report.start });
  await writeFile(path.join(reportDir, 'report.json'), `${JSON.stringify({ ...main.report, ...(comparison ? { comparison: comparison.report } : {}) }, null, 2)}\n`);
  await writeEventLog(path.join(reportDir, 'events.jsonl'), header(main), main.events);
  if (main.report.helpdesk) {
    const { helpdeskUsersCsv, siteOutagesCsv } = await import('./helpdesk-files.ts');
    await writeFile(path.join(reportDir, 'helpdesk.csv'), helpdeskUsersCsv(main.report.helpdesk));
    await writeFile(path.join(reportDir, 'site-outages.csv'), siteOutagesCsv(main.report.helpdesk));
  }
  if (comparison) await writeEventLog(path.join(reportDir, 'events-compare.jsonl'), header(comparison), comparison.events);
  await writeFile(
    path.join(reportDir, 'report.html'),
    renderReportHtml(main.report, comparison?.report, { mainMs: main.wallMs, ...(comparison ? { comparisonMs: comparison.wallMs } : {}) }),
  );
  summarise(main.report, main.wallMs, io.out);
  if (comparison) summarise(comparison.report, comparison.wallMs, io.out);
  io.out(`Report: ${path.join(reportDir, 'report.html')} (also report.json, events.jsonl${main.report.helpdesk?.users.length ? ', helpdesk.csv, site-outages.csv' : ''})`);
  const failed = main.report.verdict === 'failed' || comparison?.report.verdict === 'failed';
  return { exitCode: failed ? 1 : 0, reportDir };
}

function summarise(r: RunReport, wallMs: number, out: (line: string) => void): void {
  const t = r.totals;
  // Peak memory of the process so far (both runs when there is a comparison): what the machine must have for this lab.
  const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
  out(`${r.verdict.toUpperCase()}: ${r.scenario}${r.variant ? ` [${r.variant}]` : ` [${r.profile}]`} — lab time ${formatDuration(r.virtualMs)} in ${(wallMs / 1000).toFixed(2)} s (${Math.round(r.virtualMs / Math.max(1, wallMs)).toLocaleString('en')}× real time), peak memory ${peakMb} MB`);
  out(`  ${t.basesRunning}/${t.bases} bases running, ${t.handsetsInService}/${t.handsets} handsets in service, ${t.handsetsSignedIn} signed in; ${t.reboots} reboots; ${t.handsetMinutesWithoutService} handset-minutes without service; sign-ins ${t.signIns.succeeded} ok / ${t.signIns.failed} failed`);
  const h = r.helpdesk;
  if (h && h.users.length) {
    const w = h.workingHours;
    out(`  ${h.workingHoursSummary.users} of ${h.workingHoursSummary.ofUsers} users lose service during working hours (${w.days.join(',')} ${w.from}–${w.to} ${h.timeZone}): ${h.workingHoursSummary.userMinutes} user-minutes`);
  }
  for (const f of r.failures) out(`  ✗ step ${f.step} (${f.name}): expected ${f.expectation}; actual ${f.actual}`);
}

