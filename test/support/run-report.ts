/**
 * Run reports made up for the report page's tests: the reboot-on-sign-in story (one B4, its handsets off the air at
 * each sign-in reboot, none in the comparison run) at any size, spread over sites.
 */
import type { DeviceOutcome, RunReport, Segment } from '../../src/rehearsal/report.ts';

const M = 60_000;

export interface FakeRunOptions {
  bases: number;
  handsetsPerBase: number;
  sites?: number;
  /** Sign-in reboots of every base, 2 minutes apart from 12 minutes on. */
  signInReboots: number;
  virtualMs: number;
  variant?: string;
  /** Handsets (every n-th) whose sign-in failed, with this error. */
  failedSignIns?: { every: number; error: string; fix: string };
}

export function fakeRunReport(o: FakeRunOptions): RunReport {
  const devices: DeviceOutcome[] = [];
  const timeline: Record<string, Segment[]> = {};
  const sites = o.sites ?? 1;
  const rebootAt = Array.from({ length: o.signInReboots }, (_, i) => 12 * M + i * 2 * M);
  let failed = 0;
  for (let b = 1; b <= o.bases; b++) {
    const name = `b${String(b).padStart(3, '0')}`;
    const site = `site-${String(((b - 1) % sites) + 1).padStart(2, '0')}`;
    devices.push({ name, kind: 'base', id: `0004F2${String(b).padStart(6, '0')}`, site, outcome: 'ok', state: 'running', error: null, fix: null, reboots: rebootAt.length });
    timeline[name] = segments(['booting', 'running'], rebootAt, ['rebooting', 'booting', 'running'], o.virtualMs, 90_000);
    for (let h = 1; h <= o.handsetsPerBase; h++) {
      const hname = `${name}/${h}`;
      const fails = o.failedSignIns && (b * o.handsetsPerBase + h) % o.failedSignIns.every === 0;
      if (fails) failed++;
      devices.push({
        name: hname,
        kind: 'handset',
        id: `0328D${String(b * 100 + h).padStart(5, '0')}`,
        site,
        outcome: fails ? 'failed' : 'ok',
        state: 'in-service',
        error: fails ? o.failedSignIns!.error : null,
        fix: fails ? o.failedSignIns!.fix : null,
        minutesWithoutService: rebootAt.length * 1.5,
        teams: null,
      });
      timeline[hname] = segments(['unregistered', 'in-service'], rebootAt, ['searching', 'in-service'], o.virtualMs, 3 * M + h * 1_000);
    }
  }
  const handsets = o.bases * o.handsetsPerBase;
  return {
    scenario: 'Reboot on sign-in',
    seed: 30,
    profile: 'rove-8.0',
    variant: o.variant ?? null,
    start: '2026-11-02T09:00:00.000Z',
    virtualMs: o.virtualMs,
    verdict: 'passed',
    failures: [],
    totals: {
      bases: o.bases,
      handsets,
      basesRunning: o.bases,
      handsetsInService: handsets,
      handsetsSignedIn: handsets - failed,
      handsetMinutesWithoutService: handsets * rebootAt.length * 1.5,
      rebootsByCause: {
        'ITSP provisioning: applying new provisioning settings (ConfigURL changed)': 3 * o.bases,
        ...(rebootAt.length ? { 'ITSP provisioning: new configuration (sign-in, policy)': rebootAt.length * o.bases } : {}),
      },
      reboots: (3 + rebootAt.length) * o.bases,
      powerCycles: 0,
      signIns: { succeeded: handsets - failed, failed },
      signInFailuresByError: failed ? { [o.failedSignIns!.error]: failed } : {},
      enrollFailuresByError: {},
      baseErrorsByCode: {},
    },
    devices,
    timeline,
  };
}

/** Start states, then at each of `at` a detour through `during` (90 s each step) back to its last state. */
function segments(start: string[], at: number[], during: string[], end: number, firstChange: number): Segment[] {
  const out: Segment[] = [{ from: 0, to: firstChange, state: start[0]! }];
  let t = firstChange;
  for (const s of start.slice(1)) out.push({ from: t, to: end, state: s });
  for (const when of at) {
    if (when <= t || when >= end) continue;
    out[out.length - 1]!.to = when;
    let u = when;
    for (const state of during) {
      const next = state === during[during.length - 1] ? end : Math.min(end, u + 45_000);
      out.push({ from: u, to: next, state });
      u = next;
    }
    t = when;
  }
  return out;
}
