/**
 * The parts of report.html that compare: two plans (or firmwares) side by side with the difference
 * (report-comparison.ts), and the ranges over the runs of `rehearse --runs N` (runs/run-series.ts). Built with the
 * escaping `html` tag like the rest of the report (report-html.ts places these sections).
 */
import { html, join, type SafeHtml } from '../kernel/html.ts';
import { formatDuration } from './duration.ts';
import { KEY_ROWS, type ComparisonRow, type KeyName, type Range, type SideBySide } from './report-comparison.ts';
import type { RunsSummary } from './runs/runs-summary.ts';

/** Styles of these sections (report-html.ts puts them in the page's style sheet). */
export const COMPARISON_CSS = 'td.better{color:#2e7d32}td.worse{color:#c62828}table.side-by-side td:first-child{font-weight:600}';

/**
 * The two runs' key numbers and the difference (comparison − main); with `runs`, each plan's median and range over
 * its runs, and the difference of the medians.
 */
export function sideBySideHtml(sbs: SideBySide, runs?: RunsSummary): SafeHtml {
  const ranged = runs && runs.plans.length === 2 ? runs.plans : undefined;
  const rows = sbs.rows.map((row) => {
    const [a, b] = ranged ? [rangeFor(ranged[0]!.ranges, row.key), rangeFor(ranged[1]!.ranges, row.key)] : [undefined, undefined];
    const difference = a && b ? round1(b.median - a.median) : row.difference;
    const cell = (value: number, range: Range | undefined) => (range ? rangeText(range, row.time) : show(value, row.time));
    return html`<tr><td>${row.label}</td><td class="num">${cell(row.main, a)}</td><td class="num">${cell(row.comparison, b)}</td>${differenceCell(difference, row)}</tr>`;
  });
  const note = ranged
    ? html`<p class="note">Each plan ran ${runs!.count} times with varied timings: median (min–max); the difference is between the medians.</p>`
    : html`<p class="note">Both on the same starting lab. Difference: the comparison minus the main run (green: fewer or shorter).</p>`;
  return html`<h2>Side by side</h2>${note}<table class="side-by-side"><tr><th></th><th>${sbs.main}</th><th>${sbs.comparison}</th><th>Difference</th></tr>${rows}</table>`;
}

/** Each key number's min / median / max per plan over the runs, then each run's numbers and timings (folded). */
export function runsHtml(runs: RunsSummary): SafeHtml {
  const plans = runs.plans;
  const head = html`<tr><th></th>${plans.map((p) => html`<th colspan="3">${p.label}</th>`)}</tr><tr><th></th>${plans.map(() => html`<th>min</th><th>median</th><th>max</th>`)}</tr>`;
  const row = (label: string, pick: (p: RunsSummary['plans'][number]) => Range | undefined, time?: boolean) =>
    html`<tr><th>${label}</th>${plans.map((p) => {
      const r = pick(p) ?? { min: 0, median: 0, max: 0 };
      return html`<td class="num">${show(r.min, time)}</td><td class="num">${show(r.median, time)}</td><td class="num">${show(r.max, time)}</td>`;
    })}</tr>`;
  const causes = [...new Set(plans.flatMap((p) => Object.keys(p.ranges.rebootsByCause)))].sort();
  const rows: SafeHtml[] = [];
  for (const { key, label, time } of KEY_ROWS) {
    rows.push(row(label, (p) => p.ranges[key], time));
    if (key === 'reboots') for (const c of causes) rows.push(row(`Reboots: ${c}`, (p) => p.ranges.rebootsByCause[c]));
  }
  const timingKeys = [...new Set(plans.flatMap((p) => p.runs.flatMap((r) => Object.keys(r.timings))))].sort();
  const perRun = plans.map(
    (p) => html`<h3>${p.label}</h3><table class="per-run"><tr><th>Run</th><th>Timing seed</th>${KEY_ROWS.map((k) => html`<th>${k.label}</th>`)}${timingKeys.map((k) => html`<th>${k}</th>`)}</tr>${p.runs.map(
      (r) =>
        html`<tr><td class="num">${r.run}</td><td class="num">${r.timingSeed ?? 'modelled'}</td>${KEY_ROWS.map((k) => html`<td class="num">${show(r.numbers[k.key], k.time)}</td>`)}${timingKeys.map(
          (k) => html`<td class="num">${timingText(k, r.timings[k])}</td>`,
        )}</tr>`,
    )}</table>`,
  );
  const verdicts = plans.map((p) => {
    const failing = p.runs.filter((r) => r.failures.length > 0);
    return failing.length
      ? html`<p>${p.label}: <b class="failed">FAILED in ${failing.length} of ${p.runs.length} runs</b> (run ${failing.map((r) => r.run).join(', ')}: ${failing[0]!.failures[0]!.name} — expected ${failing[0]!.failures[0]!.expectation}; actual ${failing[0]!.failures[0]!.actual})</p>`
      : html`<p>${p.label}: <b class="passed">PASSED in every run</b></p>`;
  });
  return html`<h2>${runs.count} runs with varied timings</h2>
${verdicts}
<p class="note">${runs.variation}</p>
<table class="ranges">${head}${rows}</table>
<details><summary>Each run: its numbers and the timings drawn for it</summary>${join(perRun)}</details>
<p class="note">The timeline and the devices below are those of run 1 (the modelled timings).</p>`;
}

/** A drawn duration, or the users' pace factor (`user.pace`: ×1.13). */
function timingText(key: string, value: number | undefined): string {
  if (value === undefined) return '';
  return key.endsWith('.pace') ? `×${value}` : formatDuration(value);
}

function rangeFor(ranges: RunsSummary['plans'][number]['ranges'], key: string): Range | undefined {
  if (key.startsWith('reboots: ')) return ranges.rebootsByCause[key.slice('reboots: '.length)] ?? { min: 0, median: 0, max: 0 };
  return ranges[key as KeyName];
}

function rangeText(r: Range, time?: boolean): string {
  return r.min === r.max ? show(r.median, time) : `${show(r.median, time)} (${show(r.min, time)}–${show(r.max, time)})`;
}

function differenceCell(d: number, row: ComparisonRow): SafeHtml {
  if (d === 0) return html`<td class="num">=</td>`;
  // Every key number is better lower: less time, fewer users without service, reboots, failures.
  const text = `${d > 0 ? '+' : '−'}${show(Math.abs(d), row.time)}`;
  return html`<td class="num ${d < 0 ? 'better' : 'worse'}">${text}</td>`;
}

function show(n: number, time?: boolean): string {
  return time ? formatDuration(n) : String(n);
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
