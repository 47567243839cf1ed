/**
 * The outcome of a run, as data (report.json; report-html.ts draws it): per-device outcome with the error and what to
 * fix, totals (handset-minutes without service, reboots by cause, sign-in failures by error), the failed expectations,
 * and each device's state over lab time (the timeline). Nothing here reads the wall clock, so the same seed gives the
 * same report.
 */
import { meetsTeamsMinimum } from '../devices/base-station/firmware-version.ts';
import type { Lab } from '../lab/lab.ts';
import { fileValue } from '../devices/base-station/config-file.ts';
import { hardwareIdForIpei } from '../cloud/teams/devices/hardware-id.ts';
import type { LabDirectory } from './build-lab.ts';
import { formatDuration } from './duration.ts';
import { INTERRUPTED_UPDATE, type LabEvent, type Recorder } from './recorder.ts';
import type { CompareSpec, Scenario } from './scenario-types.ts';
import { linkRootCauses } from './root-causes.ts';
import { buildHelpdesk } from './helpdesk.ts';
import type { DeviceOutcome, Failure, RunReport, Segment, Totals } from './report-types.ts';
import { fixFor } from './fixes.ts';

export type { DeviceOutcome, Failure, RootCause, RootCauseGroup, RunReport, Segment, Totals } from './report-types.ts';

export interface ReportInput {
  scenario: Scenario;
  seed: number;
  lab: Lab;
  directory: LabDirectory;
  recorder: Recorder;
  failures: Failure[];
  startMs: number;
  variant: CompareSpec | undefined;
}

/**
 * Groups reboot reasons into causes, in the firmware's own words as the helpdesk and site outages give them (the
 * `(reboot n of m)` and versions dropped), with what brought them about in brackets.
 */
export function causeOf(reason: string): string {
  if (reason.startsWith('Firmware update')) return 'Firmware update';
  if (reason.startsWith('ITSP provisioning: applying new provisioning settings')) return 'ITSP provisioning: applying new provisioning settings (ConfigURL changed)';
  if (reason.startsWith('ITSP provisioning: new configuration')) return 'ITSP provisioning: new configuration (sign-in, policy)';
  return reason.replace(/\s*\(reboot \d+ of \d+\)/, '');
}

export function buildReport(input: ReportInput): RunReport {
  const { scenario, lab, directory, recorder, failures, startMs } = input;
  const end = lab.clock.now() - startMs;
  const events = recorder.sorted();
  const timeline = buildTimeline(events, end);
  const rebootsByCause: Record<string, number> = {};
  let reboots = 0;
  let powerCycles = 0;
  for (const e of events) {
    if (e.kind !== 'base') continue;
    if (e.state === 'rebooting') {
      reboots++;
      const cause = causeOf(e.reason ?? 'Reboot');
      rebootsByCause[cause] = (rebootsByCause[cause] ?? 0) + 1;
    } else if (e.state === 'off' && e.t > 0) powerCycles++;
  }
  const signInFailuresByError: Record<string, number> = {};
  const enrollFailuresByError: Record<string, number> = {};
  const lastSignIn = new Map<string, LabEvent>();
  const lastEnroll = new Map<string, LabEvent>();
  let signedOk = 0;
  let signedFailed = 0;
  for (const e of events) {
    if ((e.kind === 'sign-in' || e.kind === 'bulk') && e.ok !== undefined) {
      lastSignIn.set(e.device, e);
      if (e.ok) signedOk++;
      else {
        signedFailed++;
        const key = e.reason ?? 'unknown';
        signInFailuresByError[key] = (signInFailuresByError[key] ?? 0) + 1;
      }
    } else if (e.kind === 'enroll') {
      lastEnroll.set(e.device, e);
      if (!e.ok) enrollFailuresByError[e.reason ?? 'unknown'] = (enrollFailuresByError[e.reason ?? 'unknown'] ?? 0) + 1;
    }
  }
  const devices: DeviceOutcome[] = [];
  const baseErrorsByCode: Record<string, number> = {};
  // Power cuts during an update (download or install), by base, in one pass (filtering all events once per base was
  // 254 × 25,000 looks).
  const cutsByBase = new Map<string, LabEvent[]>();
  for (const e of events) {
    if (e.kind !== 'base' || e.state !== 'off' || !e.reason?.startsWith(INTERRUPTED_UPDATE)) continue;
    const list = cutsByBase.get(e.device);
    if (list) list.push(e);
    else cutsByBase.set(e.device, [e]);
  }
  for (const named of directory.bases.values()) {
    const base = lab.bases.get(named.mac)!;
    const ctx = base.snapshot.context;
    const err = ctx.firmware.phase === 'error' ? ctx.firmware : ctx.provisioning.phase === 'error' ? ctx.provisioning : null;
    if (err?.code) baseErrorsByCode[err.code] = (baseErrorsByCode[err.code] ?? 0) + 1;
    // A power cut while the base downloaded or wrote an image: the update did not happen unless a later attempt
    // installed it.
    const cuts = cutsByBase.get(named.id) ?? [];
    const lastCut = cuts.at(-1);
    const target = lastCut ? /(?:downloading|installing) (\S+)\)$/.exec(lastCut.reason!)?.[1] : undefined;
    const unfinished = lastCut && base.flash.firmware !== target ? `${lastCut.reason} at ${formatDuration(lastCut.t)}; the base runs ${base.flash.firmware}` : null;
    const stateError = base.state !== 'running' ? `base is ${base.state}` : null;
    // Every problem the base has, not the first: an update cut short and a mistyped ConfigURL are two fixes.
    const parts = [stateError, unfinished, err ? `${err.code ?? ''} ${err.message}`.trim() : null].filter((p): p is string => Boolean(p));
    const error = parts.join('; ') || null;
    const fixes = [...new Set(parts.map((p) => fixFor(p)).filter((f): f is string => f !== null))];
    devices.push({
      name: named.id,
      kind: 'base',
      id: named.mac,
      site: named.site,
      outcome: error ? 'failed' : 'ok',
      state: base.state,
      error,
      fix: error ? (fixes.join(' ') || 'Check power and the base\'s status page.') : null,
      reboots: (timeline[named.id] ?? []).filter((s) => s.state === 'rebooting').length,
      ...(cuts.length ? { firmwareUpdatesInterrupted: cuts.length } : {}),
    });
  }
  let minutesWithout = 0;
  let inService = 0;
  let signedIn = 0;
  const handsets = [...directory.handsetByIpei.values()];
  for (const named of handsets) {
    const handset = lab.handsets.get(named.ipei)!;
    const minutes = minutesWithoutService(timeline[named.id] ?? []);
    minutesWithout += minutes;
    if (handset.state === 'in-service') inService++;
    const device = lab.teams.device(hardwareIdForIpei(named.ipei));
    if (device?.userStatus === 'Signed in') signedIn++;
    const sign = lastSignIn.get(named.id);
    const enroll = lastEnroll.get(named.id);
    let error: string | null = null;
    if (!handset.record.subscription) error = 'not registered to a base';
    else if (handset.state !== 'in-service') error = `no service (${handset.state})`;
    else if (!meetsTeamsMinimum(handset.record.firmware)) error = `firmware ${handset.record.firmware} below 8.0.3 (Teams minimum)`;
    else if (sign && !sign.ok) error = sign.reason ?? 'sign-in failed';
    // Teams has the user signed in, but the handset works only once its base applied the user's file (its line).
    else if (device?.userStatus === 'Signed in') error = lineMissing(lab, handset.record.subscription.baseMac, named.ipei);
    else if (enroll && !enroll.ok) error = `enrollment refused: ${enroll.reason}`;
    devices.push({
      name: named.id,
      ...(named.alias ? { position: named.alias } : {}),
      kind: 'handset',
      id: named.ipei,
      ...siteOf(directory, named.baseId),
      base: named.baseId,
      ...(named.user ? { user: named.user } : {}),
      outcome: error ? 'failed' : 'ok',
      state: handset.state,
      error,
      fix: error ? fixFor(error) : null,
      minutesWithoutService: round1(minutes),
      teams: device ? { list: device.list, userStatus: device.userStatus } : null,
    });
  }
  const causes = linkRootCauses(devices, { lab, directory, recorder });
  const basesRunning = [...directory.bases.values()].filter((b) => lab.bases.get(b.mac)!.state === 'running').length;
  return {
    scenario: scenario.name,
    seed: input.seed,
    profile: lab.profile.name,
    variant: input.variant ? (input.variant.label ?? null) : null,
    start: new Date(startMs).toISOString(),
    virtualMs: end,
    verdict: failures.length === 0 ? 'passed' : 'failed',
    failures,
    totals: {
      bases: directory.bases.size,
      handsets: handsets.length,
      basesRunning,
      handsetsInService: inService,
      handsetsSignedIn: signedIn,
      handsetMinutesWithoutService: round1(minutesWithout),
      rebootsByCause: sortKeys(rebootsByCause),
      reboots,
      powerCycles,
      signIns: { succeeded: signedOk, failed: signedFailed },
      signInFailuresByError: sortKeys(signInFailuresByError),
      enrollFailuresByError: sortKeys(enrollFailuresByError),
      baseErrorsByCode: sortKeys(baseErrorsByCode),
    },
    devices,
    ...causes,
    helpdesk: buildHelpdesk({
      devices,
      timeline,
      startMs,
      ...(scenario.helpdesk ? { spec: scenario.helpdesk } : {}),
      displayNames: new Map((scenario.lab.users ?? []).filter((u) => u.displayName).map((u) => [u.upn.toLowerCase(), u.displayName!])),
    }),
    timeline,
  };
}

/** Each device's states as segments over the run, from its transition events. */
function buildTimeline(events: LabEvent[], end: number): Record<string, Segment[]> {
  const out: Record<string, Segment[]> = {};
  for (const e of events) {
    if ((e.kind !== 'base' && e.kind !== 'handset') || e.state === undefined) continue;
    const list = (out[e.device] ??= []);
    const last = list[list.length - 1];
    if (last) {
      if (last.state === e.state) continue;
      last.to = e.t;
      if (last.to === last.from) list.pop();
    }
    list.push({ from: e.t, to: end, state: e.state, ...(e.reason ? { reason: e.reason } : {}) });
  }
  return out;
}

/**
 * Null when the handset's base applied the signed-in user's file (TEAMS_STATE signed-in: the handset has the user's
 * line); else what stops it — a base whose ConfigURL fails keeps the file it had before the sign-in.
 */
function lineMissing(lab: Lab, baseMac: string, ipei: string): string | null {
  const state = fileValue(lab.bases.get(baseMac)?.flash.provisioning.applied[ipei], 'TEAMS_STATE');
  if (state === 'signed-in') return null;
  return `signed in on Teams, but the handset has no line for the user: its base has not applied the user's file (TEAMS_STATE ${state ?? 'none'})`;
}

/** A handset is without service from its first time in service on, whenever it is not in service. */
export function minutesWithoutService(segments: Segment[]): number {
  const first = segments.findIndex((s) => s.state === 'in-service');
  if (first < 0) return 0;
  let ms = 0;
  for (const s of segments.slice(first)) if (s.state !== 'in-service') ms += s.to - s.from;
  return ms / 60_000;
}

function siteOf(directory: LabDirectory, baseId: string): { site?: string } {
  const site = directory.bases.get(baseId)?.site;
  return site ? { site } : {};
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function sortKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
