/**
 * How much JavaScript heap a rehearsal gets, and running it in a process that has it.
 *
 * Why: a full-scale rehearsal (254 bases, 1,000 handsets, 1,000 SIP lines) keeps about 100-120 MB of live data, but
 * V8, left alone, lets garbage pile up to 500 MB between collections because the machine has the memory. Capping the
 * old space near what the lab needs keeps the process under 300 MB for the full Rove system at a cost of a few
 * percent of CPU time (docs/performance.md). The cap grows with the lab — 64 MB plus about 90 KB per base or handset,
 * at least 128 MB — so a bigger lab than the shipped ones gets room instead of an out-of-memory crash.
 *
 * Within that cap V8 still collects the whole heap more often than the cap needs: under a cap this small it lets the
 * heap grow only ≈ 1.1–1.5× its live size before the next full collection (23 of them in the full-scale main run).
 * `--heap-growing-percent=100` lets it grow 2× (14 of them), with the same peak memory (the heap never reaches the cap
 * either way: 262–291 MB for the whole process) and ≈ 4 % less CPU time (docs/performance.md, session 15).
 *
 * `rove-sim rehearse` runs itself again with `--max-old-space-size` for a lab of 400 devices or more (a smaller one
 * stays far below 300 MB anyway, and starting node again costs ~2 s), unless the user has chosen a heap size
 * (`node --max-old-space-size=…` or `NODE_OPTIONS`); `ROVE_SIM_HEAP=off` turns this off.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { rehearsalBundle } from './rehearsal-bundle.ts';
import type { Scenario } from './scenario-types.ts';

const HEAP_FLAG = '--max-old-space-size';
/** How far V8 lets the heap grow between full collections in the sized node (see above). */
const GROWING_FLAG = '--heap-growing-percent=100';
const MARK = 'ROVE_SIM_HEAP';
/** Labs smaller than this run in the process as started (their peak stays well under 300 MB). */
export const SIZED_FROM_DEVICES = 400;

/** Bases and handsets the scenario's lab will have. */
export function labDeviceCount(scenario: Scenario): number {
  let devices = 0;
  const g = scenario.lab.generate;
  if (g) devices += g.bases + (g.handsets ?? (g.handsetsPerBase ?? 0) * g.bases);
  for (const base of scenario.lab.bases ?? []) {
    devices += 1 + (Array.isArray(base.handsets) ? base.handsets.length : (base.handsets?.count ?? 0));
  }
  return devices;
}

/**
 * The scenario file read as plain YAML, unchecked, when its lab's size can be read from it (numbers where the schema
 * wants them); undefined otherwise (unreadable, not YAML, or a lab of unexpected shape: the checked file decides).
 */
export function rawScenario(file: string): Scenario | undefined {
  try {
    const data = parse(readFileSync(file, 'utf8')) as Scenario;
    return Number.isFinite(labDeviceCount(data)) ? data : undefined;
  } catch {
    return undefined;
  }
}

/** Old-space size in MB for a rehearsal of this scenario. */
export function rehearsalHeapMb(scenario: Scenario): number {
  return Math.max(128, Math.ceil(64 + labDeviceCount(scenario) * 0.09));
}

/** True when this process already runs with a heap size chosen by the user or by `rehearseWithHeap`. */
function heapChosen(): boolean {
  const mark = process.env[MARK];
  if (mark !== undefined) return true;
  return process.execArgv.some((a) => a.startsWith(HEAP_FLAG)) || (process.env['NODE_OPTIONS'] ?? '').includes(HEAP_FLAG);
}

/**
 * Runs this same command again in a node with the heap for `scenario`, output and exit code passed through. Returns
 * the child's exit code, or undefined when this process should run the rehearsal itself (heap already chosen).
 * The child runs the sources bundled (rehearsal-bundle.ts), or, where no bundle can be made, as this process does.
 */
export async function rehearseWithHeap(scenario: Scenario): Promise<number | undefined> {
  // Starting node again costs ~2 s of module loading: worth it only where the uncapped peak would pass 300 MB.
  if (heapChosen() || labDeviceCount(scenario) < SIZED_FROM_DEVICES) return undefined;
  const heapMb = rehearsalHeapMb(scenario);
  const entry =
    (await rehearsalBundle((reason) => process.stderr.write(`rove-sim: running the TypeScript sources (no bundle: ${reason})\n`))) ??
    process.argv[1] ??
    fileURLToPath(new URL('../../bin/rove-sim.js', import.meta.url));
  const child = spawnSync(process.execPath, [...process.execArgv, `${HEAP_FLAG}=${heapMb}`, GROWING_FLAG, entry, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, [MARK]: String(heapMb) },
  });
  if (child.error) throw child.error;
  return child.status ?? (child.signal ? 128 + 2 : 1);
}
