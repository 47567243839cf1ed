/**
 * The HTML report of a rehearsal: verdict and failures, totals (side by side with the comparison run when there is
 * one, the rows where the runs differ marked), an inline SVG timeline per run on one shared time scale, and the
 * devices that did not end well, grouped by error with what to fix, then one by one.
 *
 * The timeline draws one row per device while that stays readable (up to {@link DETAIL_ROWS} devices); a larger lab
 * gets bands instead: how many bases and handsets were in each state over time, and one band per site.
 * Plain HTML and SVG, no scripts, so the file can be attached to a bug report and opened anywhere. Built with the
 * escaping `html` tag: scenario names, device names, errors and reasons come from files and devices, not from here.
 */
import { html, join, type SafeHtml } from '../kernel/html.ts';
import { formatDuration } from './duration.ts';
import type { DeviceOutcome, RunReport, Segment } from './report.ts';
import { deviceCauseNote, rootCausesSection } from './root-causes-html.ts';
import { helpdeskSection } from './helpdesk-html.ts';

/** Stacking order of the state bands: the good states at the bottom, the trouble above them. */
const COLOURS: Record<string, string> = {
  running: '#66bb6a',
  'in-service': '#43a047',
  booting: '#ffb74d',
  starting: '#ffe082',
  'installing-firmware': '#64b5f6',
  rebooting: '#e53935',
  stopping: '#bcaaa4',
  searching: '#ef9a9a',
  'out-of-range': '#ba68c8',
  unregistered: '#cfd8dc',
  off: '#9e9e9e',
};
const STATE_ORDER = Object.keys(COLOURS);
/** Up to this many devices the timeline has a row per device; above it, bands of state counts. */
export const DETAIL_ROWS = 80;
/** In a large lab, bases still get a row each up to this many. */
const DETAIL_BASES = 40;
/** At most this many site bands (the sites with most handset-minutes without service). */
const MAX_SITES = 40;
/** SVG width; the plot runs from LABEL to WIDTH - RIGHT. */
const WIDTH = 1000;
const LABEL = 130;
const RIGHT = 20;
/** Axis labels are at least this far apart. */
export const MIN_TICK_GAP = 70;
/** Width of one column of a state band, px. */
const BIN_PX = 2;

export function renderReportHtml(main: RunReport, comparison?: RunReport, wall?: { mainMs: number; comparisonMs?: number }): string {
  const runs = comparison ? [main, comparison] : [main];
  const walls = [wall?.mainMs, wall?.comparisonMs];
  const title = `Rehearsal: ${main.scenario}`;
  const end = Math.max(1, ...runs.map((r) => r.virtualMs));
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;margin-top:28px}h3{font-size:15px;margin:16px 0 4px}table{border-collapse:collapse;margin:8px 0}
td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f5f5f5}
.passed{color:#2e7d32}.failed{color:#c62828}.num{text-align:right}.legend span{display:inline-block;margin-right:12px}
.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
tr.differs td{background:#fff8e1;font-weight:600}.note{color:#666}
svg.timeline{display:block;width:100%;max-width:${WIDTH}px;height:auto;font:10px sans-serif}
</style></head><body>
<h1>${title}</h1>
<p>Seed ${main.seed} · start ${main.start}</p>
${join(runs.map((r, i) => runLine(r, walls[i])), '\n')}
${join(runs.map((r) => failuresTable(r, runs.length > 1)), '\n')}
<h2>Totals</h2>
${totalsTable(runs)}
<h2>Timeline</h2>
${legend()}
${runs.length > 1 && html`<p class="note">Both runs on the same time scale, one above the other.</p>`}
${join(runs.map((r) => html`<section class="run"><h3>${runLabel(r)}</h3>${timelineSvg(r, end)}</section>`), '\n')}
<h2>Devices</h2>
${join(runs.map((r) => html`${runs.length > 1 && html`<h3>${runLabel(r)}</h3>`}${rootCausesSection(r)}${devicesSection(r)}`), '\n')}
${helpdeskSection(main.helpdesk)}
</body></html>
`.value;
}

function runLabel(r: RunReport): string {
  return r.variant ? `${r.variant}` : `${r.profile}`;
}

function runLine(r: RunReport, wallMs: number | undefined): SafeHtml {
  const failed = r.failures.length ? ` — ${r.failures.length} failed expectation(s)` : '';
  const speed = wallMs === undefined ? '' : ` · wall time ${(wallMs / 1000).toFixed(2)} s (${Math.round(r.virtualMs / Math.max(1, wallMs)).toLocaleString('en')}× real time)`;
  return html`<p>Run <b>${runLabel(r)}</b>: <b class="${r.verdict}">${r.verdict.toUpperCase()}</b>${failed} · lab time ${formatDuration(r.virtualMs)}${speed}</p>`;
}

function failuresTable(r: RunReport, named: boolean): SafeHtml {
  if (r.failures.length === 0) return html``;
  const rows = r.failures.map((f) => html`<tr><td class="num">${f.step}</td><td>${f.name}</td><td>${f.expectation}</td><td>${f.actual}</td></tr>`);
  return html`<h2>Failed expectations${named && html` (${runLabel(r)})`}</h2><table><tr><th>Step</th><th>Name</th><th>Expected</th><th>Actual</th></tr>${rows}</table>`;
}

function totalsTable(runs: RunReport[]): SafeHtml {
  const t = runs.map((r) => r.totals);
  const row = (label: string, values: Array<string | number>) => {
    const differs = values.length > 1 && values.some((v) => String(v) !== String(values[0]));
    return html`<tr${differs && html` class="differs"`}><th>${label}</th>${values.map((v) => html`<td class="num">${v}</td>`)}</tr>`;
  };
  const keyed = (pick: (x: RunReport['totals']) => Record<string, number>, prefix: string) => {
    const keys = [...new Set(t.flatMap((x) => Object.keys(pick(x))))].sort();
    return keys.map((k) => row(`${prefix}: ${k}`, t.map((x) => pick(x)[k] ?? 0)));
  };
  return html`${runs.length > 1 && html`<p class="note">Rows where the runs differ are highlighted.</p>`}<table class="totals"><tr><th></th>${runs.map((r) => html`<th>${runLabel(r)}</th>`)}</tr>
${row('Lab time', runs.map((r) => formatDuration(r.virtualMs)))}
${row('Bases running / total', t.map((x) => `${x.basesRunning} / ${x.bases}`))}
${row('Handsets in service / total', t.map((x) => `${x.handsetsInService} / ${x.handsets}`))}
${row('Handsets signed in', t.map((x) => x.handsetsSignedIn))}
${row('Handset-minutes without service', t.map((x) => x.handsetMinutesWithoutService))}
${row('Base reboots', t.map((x) => x.reboots))}
${keyed((x) => x.rebootsByCause, 'Reboots')}
${row('Power cuts', t.map((x) => x.powerCycles))}
${row('Sign-ins succeeded', t.map((x) => x.signIns.succeeded))}
${row('Sign-ins failed', t.map((x) => x.signIns.failed))}
${keyed((x) => x.signInFailuresByError, 'Sign-in failed')}
${keyed((x) => x.enrollFailuresByError, 'Enrollment refused')}
${keyed((x) => x.baseErrorsByCode, 'Base error')}
</table>`;
}

function legend(): SafeHtml {
  return html`<p class="legend">${Object.entries(COLOURS).map(([s, c]) => html`<span><i style="background:${c}"></i>${s}</span>`)}</p>`;
}

/** What the timeline drawing needs: the run's time scale and where the next row goes. */
interface Canvas {
  parts: SafeHtml[];
  y: number;
  /** The shared end of the time scale (the longer run's lab time). */
  end: number;
  x: (t: number) => number;
}

function timelineSvg(r: RunReport, end: number): SafeHtml {
  const x = (t: number) => LABEL + (t / end) * (WIDTH - LABEL - RIGHT);
  const c: Canvas = { parts: [], y: 0, end, x };
  const bases = r.devices.filter((d) => d.kind === 'base');
  const handsets = r.devices.filter((d) => d.kind === 'handset');
  if (bases.length + handsets.length <= DETAIL_ROWS) {
    heading(c, `Bases (${bases.length})`);
    for (const b of bases) deviceRow(c, b.name, r.timeline[b.name] ?? []);
    if (handsets.length) {
      c.y += 8;
      heading(c, `Handsets (${handsets.length})`);
      for (const h of handsets) deviceRow(c, h.name, r.timeline[h.name] ?? []);
    }
  } else {
    if (bases.length <= DETAIL_BASES) {
      heading(c, `Bases (${bases.length})`);
      for (const b of bases) deviceRow(c, b.name, r.timeline[b.name] ?? []);
    } else {
      heading(c, `Bases by state (${bases.length})`);
      stateBand(c, r, bases, `${bases.length}`, 70, 'bases');
    }
    c.y += 8;
    heading(c, `Handsets by state (${handsets.length})`);
    stateBand(c, r, handsets, `${handsets.length}`, 110, 'handsets');
    c.parts.push(html`<text x="${LABEL}" y="${c.y + 10}" fill="#555">${outageCaption(r, handsets)}</text>`);
    c.y += 16;
    siteBands(c, r, bases, handsets);
  }
  if (r.virtualMs < end) {
    c.parts.push(html`<line x1="${x(r.virtualMs).toFixed(1)}" x2="${x(r.virtualMs).toFixed(1)}" y1="0" y2="${c.y}" stroke="#333" stroke-dasharray="3,3"><title>end of this run (${formatDuration(r.virtualMs)})</title></line>`);
  }
  const ticks = axis(c, c.y + 4);
  const height = c.y + 24;
  return html`<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">${c.parts}${ticks}</svg>`;
}

function heading(c: Canvas, text: string): void {
  c.parts.push(html`<text x="0" y="${c.y + 12}" font-weight="bold">${text}</text>`);
  c.y += 16;
}

const ROW_H = 14;

function deviceRow(c: Canvas, name: string, segments: Segment[]): void {
  c.parts.push(html`<text x="0" y="${c.y + ROW_H - 3}">${name}</text>`);
  for (const s of segments) {
    const w = Math.max(0.5, c.x(s.to) - c.x(s.from));
    const tip = `${name}: ${s.state}${s.reason ? ` (${s.reason})` : ''} ${formatDuration(s.from)}–${formatDuration(s.to)}`;
    c.parts.push(html`<rect x="${c.x(s.from).toFixed(1)}" y="${c.y}" width="${w.toFixed(1)}" height="${ROW_H - 1}" fill="${COLOURS[s.state] ?? '#000'}"><title>${tip}</title></rect>`);
  }
  c.y += ROW_H;
}

/**
 * How many of `devices` were in each state, as a stacked band: one column per {@link BIN_PX} pixels holding the
 * time-weighted average count of each state over that column, so a two-minute reboot of every base still shows.
 * Equal neighbouring columns are drawn as one; each column group carries the counts as a tooltip.
 */
function stateBand(c: Canvas, r: RunReport, devices: DeviceOutcome[], label: string, height: number, noun: string): void {
  const plotW = WIDTH - LABEL - RIGHT;
  const bins = Math.floor(plotW / BIN_PX);
  const counts = stateCounts(devices.map((d) => r.timeline[d.name] ?? []), c.end, bins, r.virtualMs);
  const total = Math.max(1, devices.length);
  const scale = height / total;
  c.parts.push(html`<rect x="${LABEL}" y="${c.y}" width="${plotW}" height="${height}" fill="none" stroke="#ddd"/>`);
  if (label) c.parts.push(html`<text x="${LABEL - 4}" y="${c.y + 9}" text-anchor="end">${label}</text><text x="${LABEL - 4}" y="${c.y + height}" text-anchor="end">0</text>`);
  let b = 0;
  while (b < bins) {
    const key = stackKey(counts[b]!, scale);
    let e = b + 1;
    while (e < bins && stackKey(counts[e]!, scale) === key) e++;
    if (key !== '') {
      const from = (b * c.end) / bins;
      const to = (e * c.end) / bins;
      const tip = `${labTime(from)}–${formatDuration(to)}: ${STATE_ORDER.filter((s) => (counts[b]!.get(s) ?? 0) >= 0.05)
        .map((s) => `${s} ${formatCount(counts[b]!.get(s)!)}`)
        .join(', ')} ${noun}`;
      const rects: SafeHtml[] = [];
      let top = c.y + height;
      for (const s of STATE_ORDER) {
        const h = (counts[b]!.get(s) ?? 0) * scale;
        if (h < 0.05) continue;
        top -= h;
        rects.push(html`<rect x="${(LABEL + b * BIN_PX).toFixed(1)}" y="${top.toFixed(2)}" width="${(e - b) * BIN_PX}" height="${h.toFixed(2)}" fill="${COLOURS[s] ?? '#000'}"/>`);
      }
      c.parts.push(html`<g><title>${tip}</title>${rects}</g>`);
    }
    b = e;
  }
  c.y += height + 2;
}

function stackKey(counts: Map<string, number>, scale: number): string {
  return STATE_ORDER.map((s) => ((counts.get(s) ?? 0) * scale).toFixed(1))
    .join(',')
    .replace(/^(0\.0,)*0\.0$/, '');
}

/** Lab time as the axis shows it: `0` at the start rather than `0ms`. */
function labTime(ms: number): string {
  return ms === 0 ? '0' : formatDuration(ms);
}

function formatCount(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** Time-weighted average number of devices in each state per column, over [0, end) in `bins` columns. */
export function stateCounts(timelines: Segment[][], end: number, bins: number, runEnd: number): Array<Map<string, number>> {
  const changes: Array<[number, string, number]> = [];
  for (const segments of timelines) {
    for (const s of segments) {
      changes.push([s.from, s.state, 1], [Math.min(s.to, runEnd), s.state, -1]);
    }
  }
  changes.sort((a, b) => a[0] - b[0]);
  const out = Array.from({ length: bins }, () => new Map<string, number>());
  const current = new Map<string, number>();
  const binMs = end / bins;
  const accrue = (from: number, to: number) => {
    let b = Math.min(bins - 1, Math.floor(from / binMs));
    while (from < to && b < bins) {
      const until = Math.min(to, (b + 1) * binMs);
      const share = (until - from) / binMs;
      if (share > 0) {
        for (const [state, n] of current) if (n > 0) out[b]!.set(state, (out[b]!.get(state) ?? 0) + n * share);
      }
      from = until;
      b++;
    }
  };
  let t = 0;
  for (const [at, state, delta] of changes) {
    if (at > t) accrue(t, at);
    t = Math.max(t, at);
    current.set(state, (current.get(state) ?? 0) + delta);
  }
  return out;
}

/** The peak number of handsets without service (from their first time in service on), in words. */
function outageCaption(r: RunReport, handsets: DeviceOutcome[]): string {
  const deltas = new Map<number, number>();
  for (const h of handsets) {
    const segs = r.timeline[h.name] ?? [];
    const first = segs.findIndex((s) => s.state === 'in-service');
    if (first < 0) continue;
    for (const s of segs.slice(first)) {
      if (s.state === 'in-service') continue;
      deltas.set(s.from, (deltas.get(s.from) ?? 0) + 1);
      deltas.set(s.to, (deltas.get(s.to) ?? 0) - 1);
    }
  }
  let count = 0;
  let peak = 0;
  let peakAt = 0;
  for (const t of [...deltas.keys()].sort((a, b) => a - b)) {
    count += deltas.get(t)!;
    if (count > peak) [peak, peakAt] = [count, t];
  }
  return peak === 0
    ? `No handset lost service after it first had it; ${r.totals.handsetMinutesWithoutService} handset-minutes without service.`
    : `At worst ${peak} of ${handsets.length} handsets without service (at ${labTime(peakAt)}); ${r.totals.handsetMinutesWithoutService} handset-minutes in all.`;
}

/** One thin state band per site (its handsets, or its bases when it has none), worst sites first when there are many. */
function siteBands(c: Canvas, r: RunReport, bases: DeviceOutcome[], handsets: DeviceOutcome[]): void {
  const sites = new Map<string, { bases: DeviceOutcome[]; handsets: DeviceOutcome[] }>();
  for (const d of [...bases, ...handsets]) {
    if (!d.site) continue;
    const entry = sites.get(d.site) ?? sites.set(d.site, { bases: [], handsets: [] }).get(d.site)!;
    (d.kind === 'base' ? entry.bases : entry.handsets).push(d);
  }
  if (sites.size < 2) return;
  let names = [...sites.keys()].sort();
  if (names.length > MAX_SITES) {
    const outage = (n: string) => sites.get(n)!.handsets.reduce((sum, h) => sum + (h.minutesWithoutService ?? 0), 0);
    names = names.sort((a, b) => outage(b) - outage(a)).slice(0, MAX_SITES).sort();
  }
  c.y += 8;
  heading(c, sites.size > MAX_SITES ? `By site (the ${MAX_SITES} of ${sites.size} with most time without service)` : `By site (${sites.size})`);
  for (const name of names) {
    const site = sites.get(name)!;
    const devices = site.handsets.length ? site.handsets : site.bases;
    const minutes = Math.round(site.handsets.reduce((sum, h) => sum + (h.minutesWithoutService ?? 0), 0));
    const label = `${name} · ${site.bases.length} B / ${site.handsets.length} H`;
    c.parts.push(html`<text x="0" y="${c.y + 12}"><title>${`${name}: ${site.bases.length} bases, ${site.handsets.length} handsets, ${minutes} handset-minutes without service`}</title>${label}</text>`);
    stateBand(c, r, devices, '', 16, site.handsets.length ? `handsets at ${name}` : `bases at ${name}`);
    c.y += 2;
  }
}

/** A time axis with labels at round steps, at least {@link MIN_TICK_GAP} px apart, and light grid lines above it. */
function axis(c: Canvas, y: number): SafeHtml {
  const steps = [60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 2 * 3_600_000, 4 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000, 86_400_000, 2 * 86_400_000, 7 * 86_400_000];
  const pxPerMs = (WIDTH - LABEL - RIGHT) / c.end;
  const step = steps.find((s) => s * pxPerMs >= MIN_TICK_GAP) ?? Math.ceil(MIN_TICK_GAP / pxPerMs);
  const out: SafeHtml[] = [html`<line x1="${LABEL}" x2="${c.x(c.end)}" y1="${y}" y2="${y}" stroke="#999"/>`];
  for (let t = 0; t <= c.end; t += step) {
    const x = c.x(t).toFixed(1);
    out.push(html`<line x1="${x}" x2="${x}" y1="0" y2="${y}" stroke="#000" stroke-opacity="0.08"/>`);
    out.push(html`<text class="tick" x="${x}" y="${y + 12}" text-anchor="middle">${labTime(t)}</text>`);
  }
  return join(out);
}

/** The devices that did not end well: grouped by error with what to fix, then one by one (folded when many). */
function devicesSection(r: RunReport): SafeHtml {
  const failed = r.devices.filter((d) => d.outcome === 'failed');
  const ok = r.devices.length - failed.length;
  const summary = html`<p>${ok} of ${r.devices.length} devices ended well.</p>`;
  if (failed.length === 0) return summary;
  const groups = new Map<string, DeviceOutcome[]>();
  for (const d of failed) {
    const key = d.error ?? 'unknown';
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  const byError = [...groups.entries()]
    .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
    .map(([error, ds]) => {
      const names = ds.slice(0, 8).map((d) => d.name).join(', ') + (ds.length > 8 ? ` and ${ds.length - 8} more` : '');
      return html`<tr><td>${error}</td><td class="num">${ds.length}</td><td>${ds[0]!.fix}</td><td>${names}</td></tr>`;
    });
  const rows = failed
    .slice(0, 500)
    .map((d) => html`<tr><td>${d.name}</td><td>${d.kind}</td><td>${d.site}</td><td>${d.id}</td><td>${d.state}</td><td>${d.error}${deviceCauseNote(d)}</td><td>${d.fix}</td></tr>`);
  const list = html`<table><tr><th>Device</th><th>Kind</th><th>Site</th><th>MAC / IPEI</th><th>State</th><th>Error</th><th>What to fix</th></tr>${rows}</table>`;
  const more = failed.length > 500 ? ' (the first 500)' : '';
  return html`${summary}<table class="by-error"><tr><th>Error</th><th>Devices</th><th>What to fix</th><th>Which</th></tr>${byError}</table>
<details${failed.length <= 30 && html` open`}><summary>Each device that did not end well: ${failed.length}${more}</summary>${list}</details>`;
}
