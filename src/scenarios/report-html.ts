/**
 * The HTML report of a rehearsal: verdict and failures, totals (side by side with the comparison run when there is
 * one), an inline SVG timeline of every device's state over lab time, and the per-device outcomes with what to fix.
 * Plain HTML and SVG, no scripts, so the file can be attached to a bug report and opened anywhere.
 */
import { escapeHtml } from '../shared/html.ts';
import { formatDuration } from './duration.ts';
import type { RunReport, Segment } from './report.ts';

const COLOURS: Record<string, string> = {
  off: '#9e9e9e',
  booting: '#ffb74d',
  running: '#66bb6a',
  rebooting: '#e53935',
  'in-service': '#66bb6a',
  unregistered: '#cfd8dc',
  searching: '#ef9a9a',
  'out-of-range': '#ba68c8',
  starting: '#ffe082',
  stopping: '#bcaaa4',
  'installing-firmware': '#64b5f6',
};
/** Above this many handsets the timeline shows how many are without service instead of one row each. */
const MAX_HANDSET_ROWS = 120;
const WIDTH = 900;
const LABEL = 90;

export function renderReportHtml(main: RunReport, comparison?: RunReport, wall?: { mainMs: number; comparisonMs?: number }): string {
  const runs = comparison ? [main, comparison] : [main];
  const title = `Rehearsal: ${main.scenario}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;margin-top:28px}table{border-collapse:collapse;margin:8px 0}
td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f5f5f5}
.passed{color:#2e7d32}.failed{color:#c62828}.num{text-align:right}.legend span{display:inline-block;margin-right:12px}
.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
.runs{display:flex;gap:24px;flex-wrap:wrap}.runs>div{flex:1;min-width:420px}svg{font:10px sans-serif}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p>Seed ${main.seed} · start ${escapeHtml(main.start)} · lab time ${formatDuration(main.virtualMs)}${
    wall ? ` · wall time ${(wall.mainMs / 1000).toFixed(2)} s (${Math.round(main.virtualMs / Math.max(1, wall.mainMs)).toLocaleString('en')}× real time)` : ''
  }</p>
${runs.map((r) => `<p>Run <b>${escapeHtml(runLabel(r))}</b>: <b class="${r.verdict}">${r.verdict.toUpperCase()}</b>${r.failures.length ? ` — ${r.failures.length} failed expectation(s)` : ''}</p>`).join('\n')}
${failuresTable(main)}
<h2>Totals</h2>
${totalsTable(runs)}
<h2>Timeline</h2>
${legend()}
<div class="runs">${runs.map((r) => `<div><h3>${escapeHtml(runLabel(r))}</h3>${timelineSvg(r)}</div>`).join('')}</div>
<h2>Devices</h2>
${devicesTable(main)}
${comparison ? `<h2>Devices (${escapeHtml(runLabel(comparison))})</h2>${devicesTable(comparison)}` : ''}
</body></html>
`;
}

function runLabel(r: RunReport): string {
  return r.variant ? `${r.variant}` : `${r.profile}`;
}

function failuresTable(r: RunReport): string {
  if (r.failures.length === 0) return '';
  const rows = r.failures
    .map((f) => `<tr><td class="num">${f.step}</td><td>${escapeHtml(f.name)}</td><td>${escapeHtml(f.expectation)}</td><td>${escapeHtml(f.actual)}</td></tr>`)
    .join('');
  return `<h2>Failed expectations</h2><table><tr><th>Step</th><th>Name</th><th>Expected</th><th>Actual</th></tr>${rows}</table>`;
}

function totalsTable(runs: RunReport[]): string {
  const t = runs.map((r) => r.totals);
  const row = (label: string, values: Array<string | number>) =>
    `<tr><th>${escapeHtml(label)}</th>${values.map((v) => `<td class="num">${escapeHtml(String(v))}</td>`).join('')}</tr>`;
  const keyed = (pick: (x: RunReport['totals']) => Record<string, number>, prefix: string) => {
    const keys = [...new Set(t.flatMap((x) => Object.keys(pick(x))))].sort();
    return keys.map((k) => row(`${prefix}: ${k}`, t.map((x) => pick(x)[k] ?? 0))).join('');
  };
  return `<table><tr><th></th>${runs.map((r) => `<th>${escapeHtml(runLabel(r))}</th>`).join('')}</tr>
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

function legend(): string {
  return `<p class="legend">${Object.entries(COLOURS)
    .map(([s, c]) => `<span><i style="background:${c}"></i>${escapeHtml(s)}</span>`)
    .join('')}</p>`;
}

function timelineSvg(r: RunReport): string {
  const end = Math.max(1, r.virtualMs);
  const bases = r.devices.filter((d) => d.kind === 'base');
  const handsets = r.devices.filter((d) => d.kind === 'handset');
  const rowH = bases.length + Math.min(handsets.length, MAX_HANDSET_ROWS) > 60 ? 4 : 14;
  const x = (t: number) => LABEL + (t / end) * (WIDTH - LABEL - 10);
  const parts: string[] = [];
  let y = 20;
  const row = (name: string, segments: Segment[]) => {
    if (rowH >= 10) parts.push(`<text x="0" y="${y + rowH - 3}">${escapeHtml(name)}</text>`);
    for (const s of segments) {
      const w = Math.max(0.5, x(s.to) - x(s.from));
      const tip = `${name}: ${s.state}${s.reason ? ` (${s.reason})` : ''} ${formatDuration(s.from)}–${formatDuration(s.to)}`;
      parts.push(`<rect x="${x(s.from).toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${rowH - 1}" fill="${COLOURS[s.state] ?? '#000'}"><title>${escapeHtml(tip)}</title></rect>`);
    }
    y += rowH;
  };
  parts.push(`<text x="0" y="12" font-weight="bold">Bases (${bases.length})</text>`);
  for (const b of bases) row(b.name, r.timeline[b.name] ?? []);
  y += 16;
  if (handsets.length <= MAX_HANDSET_ROWS) {
    parts.push(`<text x="0" y="${y - 4}" font-weight="bold">Handsets (${handsets.length})</text>`);
    for (const h of handsets) row(h.name, r.timeline[h.name] ?? []);
  } else {
    parts.push(`<text x="0" y="${y - 4}" font-weight="bold">Handsets without service (of ${handsets.length})</text>`);
    y = outageChart(parts, r, handsets.map((h) => h.name), x, y, handsets.length);
  }
  const ticks = axis(end, x, y + 4);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y + 30}" viewBox="0 0 ${WIDTH} ${y + 30}">${parts.join('')}${ticks}</svg>`;
}

/** A step chart of how many handsets (that had service once) are without it, over time. */
function outageChart(parts: string[], r: RunReport, names: string[], x: (t: number) => number, y: number, total: number): number {
  const deltas = new Map<number, number>();
  for (const name of names) {
    const segs = r.timeline[name] ?? [];
    const first = segs.findIndex((s) => s.state === 'in-service');
    if (first < 0) continue;
    for (const s of segs.slice(first)) {
      if (s.state === 'in-service') continue;
      deltas.set(s.from, (deltas.get(s.from) ?? 0) + 1);
      deltas.set(s.to, (deltas.get(s.to) ?? 0) - 1);
    }
  }
  const h = 120;
  const times = [...deltas.keys()].sort((a, b) => a - b);
  let count = 0;
  let max = 1;
  const points: Array<[number, number]> = [[0, 0]];
  for (const t of times) {
    count += deltas.get(t)!;
    max = Math.max(max, count);
    points.push([t, count]);
  }
  const yOf = (n: number) => y + h - (n / max) * h;
  let d = `M${x(0)},${yOf(0)}`;
  for (let i = 1; i < points.length; i++) d += ` H${x(points[i]![0]).toFixed(1)} V${yOf(points[i]![1]).toFixed(1)}`;
  d += ` H${x(r.virtualMs)}`;
  parts.push(`<path d="${d}" fill="none" stroke="#e53935" stroke-width="1.5"/>`);
  parts.push(`<text x="0" y="${y + 10}">${max}</text><text x="0" y="${y + h}">0</text>`);
  parts.push(`<text x="${LABEL}" y="${y + h + 12}" fill="#666">peak ${max} of ${total} handsets without service</text>`);
  return y + h + 16;
}

function axis(end: number, x: (t: number) => number, y: number): string {
  const steps = [60_000, 300_000, 900_000, 3_600_000, 4 * 3_600_000, 12 * 3_600_000, 86_400_000, 7 * 86_400_000];
  const step = steps.find((s) => end / s <= 10) ?? steps[steps.length - 1]!;
  const out: string[] = [`<line x1="${LABEL}" x2="${x(end)}" y1="${y}" y2="${y}" stroke="#999"/>`];
  for (let t = 0; t <= end; t += step) out.push(`<text x="${x(t).toFixed(1)}" y="${y + 12}" text-anchor="middle">${formatDuration(t) || '0'}</text>`);
  return out.join('');
}

function devicesTable(r: RunReport): string {
  const failed = r.devices.filter((d) => d.outcome === 'failed');
  const ok = r.devices.length - failed.length;
  const rows = failed
    .slice(0, 500)
    .map(
      (d) =>
        `<tr><td>${escapeHtml(d.name)}</td><td>${d.kind}</td><td>${escapeHtml(d.id)}</td><td>${escapeHtml(d.state)}</td><td>${escapeHtml(d.error ?? '')}</td><td>${escapeHtml(d.fix ?? '')}</td></tr>`,
    )
    .join('');
  return `<p>${ok} of ${r.devices.length} devices ended well.${failed.length > 500 ? ' The first 500 problems:' : ''}</p>${
    failed.length ? `<table><tr><th>Device</th><th>Kind</th><th>MAC / IPEI</th><th>State</th><th>Error</th><th>What to fix</th></tr>${rows}</table>` : ''
  }`;
}
