/**
 * The numbers an IT lead compares plans by — total lab time, users who lost service and the handset-minutes, base
 * reboots (by cause), failures — taken from a run's report; side by side with the difference for two plans (or two
 * firmwares), and as ranges (min / median / max) over the runs of `rehearse --runs N`. Data only (report.json);
 * report-comparison-html.ts draws it. Its own module so the report itself (report.ts) stays as it is.
 */
import type { RunReport } from './report.ts';

/** The key numbers of one run. */
export interface KeyNumbers {
  /** Lab ms from the start to the end of the last step. */
  labMs: number;
  /** Handsets (users) that were without service at some time after their first time in service. */
  usersWithoutService: number;
  handsetMinutesWithoutService: number;
  reboots: number;
  rebootsByCause: Record<string, number>;
  failedExpectations: number;
  devicesFailed: number;
  signInsFailed: number;
}

export type KeyName = Exclude<keyof KeyNumbers, 'rebootsByCause'>;

/** The key numbers in the order the report shows them, with their words. */
export const KEY_ROWS: ReadonlyArray<{ key: KeyName; label: string; time?: true }> = [
  { key: 'labMs', label: 'Total time (lab time)', time: true },
  { key: 'usersWithoutService', label: 'Users without service at some time' },
  { key: 'handsetMinutesWithoutService', label: 'Handset-minutes without service' },
  { key: 'reboots', label: 'Base reboots' },
  { key: 'failedExpectations', label: 'Failed expectations' },
  { key: 'devicesFailed', label: 'Devices that did not end well' },
  { key: 'signInsFailed', label: 'Sign-ins failed' },
];

export function keyNumbers(r: RunReport): KeyNumbers {
  const handsets = r.devices.filter((d) => d.kind === 'handset');
  return {
    labMs: r.virtualMs,
    usersWithoutService: handsets.filter((h) => (h.minutesWithoutService ?? 0) > 0).length,
    handsetMinutesWithoutService: r.totals.handsetMinutesWithoutService,
    reboots: r.totals.reboots,
    rebootsByCause: r.totals.rebootsByCause,
    failedExpectations: r.failures.length,
    devicesFailed: r.devices.filter((d) => d.outcome === 'failed').length,
    signInsFailed: r.totals.signIns.failed,
  };
}

export interface ComparisonRow {
  /** A key number's name, or `reboots: <cause>`. */
  key: string;
  label: string;
  main: number;
  comparison: number;
  /** comparison − main: negative is fewer / shorter in the comparison. */
  difference: number;
  time?: true;
}

/** Two runs side by side: what each plan (or firmware) is called, and each key number with the difference. */
export interface SideBySide {
  main: string;
  comparison: string;
  rows: ComparisonRow[];
}

/** Names of a run in the report: its variant's label, else its firmware profile. */
export function runName(r: RunReport): string {
  return r.variant ?? r.profile;
}

/** Two runs' key numbers with the difference; two plans are called by their names (the main one by its scenario's). */
export function sideBySide(main: RunReport, comparison: RunReport): SideBySide {
  const plans = main.scenario !== comparison.scenario;
  return {
    main: plans ? main.scenario : runName(main),
    comparison: comparison.variant ?? (plans ? comparison.scenario : comparison.profile),
    rows: comparisonRows(keyNumbers(main), keyNumbers(comparison)),
  };
}

/** Each key number of `a` and `b` with the difference; reboots by cause after the reboots. */
export function comparisonRows(a: KeyNumbers, b: KeyNumbers): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  for (const { key, label, time } of KEY_ROWS) {
    rows.push({ key, label, main: a[key], comparison: b[key], difference: round1(b[key] - a[key]), ...(time ? { time } : {}) });
    if (key !== 'reboots') continue;
    for (const cause of [...new Set([...Object.keys(a.rebootsByCause), ...Object.keys(b.rebootsByCause)])].sort()) {
      const x = a.rebootsByCause[cause] ?? 0;
      const y = b.rebootsByCause[cause] ?? 0;
      rows.push({ key: `reboots: ${cause}`, label: `Reboots: ${cause}`, main: x, comparison: y, difference: y - x });
    }
  }
  return rows;
}

export interface Range {
  min: number;
  median: number;
  max: number;
}

/** min / median / max of `values` (the median of an even count is the mean of the middle two). */
export function rangeOf(values: number[]): Range {
  if (values.length === 0) throw new RangeError('a range needs at least one value');
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: sorted[0]!, median: round1(median), max: sorted.at(-1)! };
}

/** Each key number's range over runs, and each reboot cause's. */
export function keyRanges(runs: KeyNumbers[]): Record<KeyName, Range> & { rebootsByCause: Record<string, Range> } {
  const out = {} as Record<KeyName, Range> & { rebootsByCause: Record<string, Range> };
  for (const { key } of KEY_ROWS) out[key] = rangeOf(runs.map((r) => r[key]));
  const causes = [...new Set(runs.flatMap((r) => Object.keys(r.rebootsByCause)))].sort();
  out.rebootsByCause = Object.fromEntries(causes.map((c) => [c, rangeOf(runs.map((r) => r.rebootsByCause[c] ?? 0))]));
  return out;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
