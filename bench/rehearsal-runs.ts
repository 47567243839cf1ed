/**
 * `npm run bench:runs`: `rove-sim rehearse … --runs 10` of the 3-site company case (fixtures/scenarios/
 * company-3-sites-file-order.yaml: 12 bases, 80 handsets; main plan only) as a user runs it, in a process of its own:
 * the runs' own time (the summary's "10 runs in X s"), the process's wall time and its CPU time (both cores: the
 * runs go on in the main thread and a worker thread). Not a test: it only measures.
 *
 * Options: --scenario FILE, --runs N (default 10), --compare (also the file's comparison plan).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const scenario = option('--scenario') ?? 'fixtures/scenarios/company-3-sites-file-order.yaml';
const runs = option('--runs') ?? '10';
const reportDir = mkdtempSync(path.join(tmpdir(), 'rove-bench-runs-'));
try {
  const t0 = performance.now();
  // /usr/bin/time -f: the child's user + system CPU seconds, on stderr's last line.
  const child = spawnSync(
    '/usr/bin/time',
    ['-f', 'cpu %U %S', process.execPath, 'bin/rove-sim.js', 'rehearse', scenario, ...(args.includes('--compare') ? [] : ['--no-compare']), '--runs', runs, '--report', reportDir],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 30 * 60_000 },
  );
  const wallMs = performance.now() - t0;
  const series = /^(\d+) runs(?: of each plan)? in ([\d.]+) s/m.exec(child.stdout ?? '');
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(child.stderr ?? '');
  const verdicts = (child.stdout ?? '').split('\n').filter((l) => /^(PASSED in every run|FAILED in \d+ of \d+ runs)/.test(l));
  const rows: Array<[string, string]> = [
    ['Scenario', `${scenario}${args.includes('--compare') ? ' (and its comparison)' : ''}`],
    ['Runs', series ? `${series[1]} in ${series[2]} s` : `did not finish (exit ${child.status}): ${(child.stderr ?? '').trim().split('\n').slice(-3).join(' / ')}`],
    ['Process wall time', `${(wallMs / 1000).toFixed(1)} s (with start-up and writing the report)`],
    ['Process CPU time', cpu ? `${(Number(cpu[1]) + Number(cpu[2])).toFixed(1)} s (user ${cpu[1]} s, system ${cpu[2]} s)` : 'unknown (no /usr/bin/time)'],
    ['Verdicts', verdicts.join('; ') || '—'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
} finally {
  rmSync(reportDir, { recursive: true, force: true });
}
