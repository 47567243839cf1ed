/**
 * What the helpdesk needs from a rehearsal (issue 14, "helpdesk outputs"): per user, the device, the outcome with the
 * error and its fix, and *when* the phone is without service, in clock time ("your phone is down from 10:40 to
 * 10:42: the base restarts to apply your sign-in"); per site, the windows when some users there have no service and
 * how many; and how much of that falls in working hours, so a rollout can be moved out of them.
 *
 * Computed from the report's timeline only (report.ts builds it; nothing here reads the lab), so it is the same for
 * the same seed. Clock times are in the scenario's `helpdesk.timeZone` (default: UTC, as the default start is).
 * Working hours default to Monday–Friday 08:00–18:00 — a common office day, not a product fact: set them in the file.
 */
import type { DeviceOutcome, Segment } from './report-types.ts';
import { rootCauseText } from './root-causes.ts';
import type { Helpdesk, HelpdeskSpec, HelpdeskUser, SiteOutage, Weekday } from './helpdesk-types.ts';

export type { Helpdesk, HelpdeskSpec } from './helpdesk-types.ts';

/** A common office day, not a product fact (the file's `helpdesk.workingHours` sets it). */
const DEFAULT_HOURS = { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'] as Weekday[], from: '08:00', to: '18:00' };

interface Window {
  from: number;
  to: number;
  cause: string;
}

/**
 * The helpdesk's view of a run. `devices` and `timeline` are the report's; `startMs` the lab's start; `users` the
 * display names the file gave.
 */
export function buildHelpdesk(input: {
  devices: DeviceOutcome[];
  timeline: Record<string, Segment[]>;
  startMs: number;
  spec?: HelpdeskSpec;
  displayNames?: ReadonlyMap<string, string>;
}): Helpdesk {
  const { devices, timeline, startMs } = input;
  const timeZone = input.spec?.timeZone ?? 'UTC';
  const hours = { ...DEFAULT_HOURS, ...input.spec?.workingHours };
  const clock = new ClockTime(timeZone, startMs);
  const working = workingMinutes(clock, hours);
  const users: HelpdeskUser[] = [];
  // Totals are summed before rounding (each window's 0.1-minute rounding added up drifted from report.json's minutes).
  let workingUserMinutes = 0;
  const bySite = new Map<string, Array<Window & { user: string }>>();
  for (const d of devices) {
    if (d.kind !== 'handset' || !d.user) continue;
    const windows = outagesOf(timeline[d.name] ?? [], timeline[d.base ?? ''] ?? []);
    const outages = windows.map((w) => ({ from: clock.iso(w.from), to: clock.iso(w.to), minutes: round1((w.to - w.from) / 60_000), workingMinutes: round1(working(w.from, w.to)), cause: w.cause }));
    // In ms, then minutes, as report.ts counts them: the same rounding of the same total.
    const minutes = windows.reduce((n, w) => n + (w.to - w.from), 0) / 60_000;
    const workingMinutesOf = windows.reduce((n, w) => n + working(w.from, w.to), 0);
    if (round1(workingMinutesOf) > 0) workingUserMinutes += workingMinutesOf;
    const signedIn = d.teams?.userStatus === 'Signed in';
    users.push({
      upn: d.user,
      ...(input.displayNames?.get(d.user.toLowerCase()) ? { displayName: input.displayNames.get(d.user.toLowerCase())! } : {}),
      handset: d.name,
      ipei: d.id,
      base: d.base ?? '',
      ...(d.site ? { site: d.site } : {}),
      // A user signed in on Teams whose handset still cannot call (no line, no service at the end) has failed.
      outcome: d.error ? 'failed' : signedIn ? 'signed in' : 'not signed in',
      error: d.error,
      // The user's own account is what the error already names; a base, the plan's timing or the tenant is news.
      rootCause: d.rootCause && d.rootCause.kind !== 'user' ? rootCauseText(d.rootCause) : null,
      fix: d.fix,
      minutesWithoutService: round1(minutes),
      workingMinutesWithoutService: round1(workingMinutesOf),
      outages,
    });
    if (d.site) {
      const list = bySite.get(d.site) ?? [];
      for (const w of windows) list.push({ ...w, user: d.user });
      bySite.set(d.site, list);
    }
  }
  const sites: SiteOutage[] = [];
  for (const [site, windows] of bySite) {
    for (const merged of mergeWindows(windows)) {
      sites.push({
        site,
        from: clock.iso(merged.from),
        to: clock.iso(merged.to),
        minutes: round1((merged.to - merged.from) / 60_000),
        workingMinutes: round1(working(merged.from, merged.to)),
        users: merged.users,
        peakUsers: merged.peak,
        causes: merged.causes,
      });
    }
  }
  sites.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.site < b.site ? -1 : 1));
  const inWorkingHours = users.filter((u) => u.workingMinutesWithoutService > 0);
  return {
    timeZone,
    workingHours: hours,
    users,
    sites,
    workingHoursSummary: { users: inWorkingHours.length, ofUsers: users.length, userMinutes: round1(workingUserMinutes) },
  };
}

/**
 * A handset's stretches without service from its first time in service on (as minutesWithoutService counts them),
 * each with its cause: what its base was doing when it went (a reboot's reason, a power cut), else its own state.
 */
export function outagesOf(handset: Segment[], base: Segment[]): Window[] {
  const first = handset.findIndex((s) => s.state === 'in-service');
  if (first < 0) return [];
  const out: Window[] = [];
  for (let i = first + 1; i < handset.length; i++) {
    const s = handset[i]!;
    if (s.state === 'in-service') continue;
    const cause = causeAt(s, base);
    const last = out[out.length - 1];
    // A handset restarting after its update goes installing → starting → searching: one outage, one cause.
    if (last && last.to === s.from) last.to = s.to;
    else out.push({ from: s.from, to: s.to, cause });
  }
  return out;
}

function causeAt(s: Segment, base: Segment[]): string {
  if (s.state === 'installing-firmware') return 'Handset firmware update (over the air)';
  // The base segment the outage began in, or the reboot/cut just before it (the handset notices a few seconds late).
  let cause: Segment | undefined;
  for (const b of base) {
    if (b.from > s.from) break;
    if (b.state !== 'running') cause = b;
    else if (b.to > s.from && b.from < s.from - 10_000) cause = undefined;
  }
  if (cause?.state === 'rebooting') return `Base reboot: ${cause.reason ?? 'restart'}`.replace(/\s*\(reboot \d+ of \d+\)/, '');
  if (cause?.state === 'off') return `Base off${cause.reason ? `: ${cause.reason}` : ' (power)'}`;
  if (cause) return `Base ${cause.state}`;
  return s.state === 'searching' ? 'Searching (out of range of its base, or its base stopped)' : `Handset ${s.state}`;
}

function mergeWindows(windows: Array<Window & { user: string }>): Array<{ from: number; to: number; users: number; peak: number; causes: string[] }> {
  const sorted = [...windows].sort((a, b) => a.from - b.from || a.to - b.to);
  const out: Array<{ from: number; to: number; members: Array<Window & { user: string }> }> = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w.from <= last.to) {
      last.to = Math.max(last.to, w.to);
      last.members.push(w);
    } else out.push({ from: w.from, to: w.to, members: [w] });
  }
  return out.map((m) => ({ from: m.from, to: m.to, users: new Set(m.members.map((x) => x.user)).size, peak: peak(m.members), causes: [...new Set(m.members.map((x) => x.cause))] }));
}

/** Most windows open at one moment (a sweep over starts and ends). */
function peak(windows: Window[]): number {
  const edges = windows.flatMap((w) => [[w.from, 1], [w.to, -1]] as Array<[number, number]>).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let most = 0;
  for (const [, d] of edges) most = Math.max(most, (open += d));
  return most;
}

/**
 * Lab ms → clock time in a time zone. The zone's UTC offset comes from Intl once per quarter hour of absolute time
 * (offsets only change on quarter hours), the fields from that offset: a full-scale report has ~10,000 outages.
 */
export class ClockTime {
  private readonly parts: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();
  constructor(
    readonly timeZone: string,
    readonly startMs: number,
  ) {
    this.parts = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  /** Minutes the zone is ahead of UTC at an absolute time. */
  offsetMin(ms: number): number {
    const bucket = Math.floor(ms / 900_000);
    let off = this.offsets.get(bucket);
    if (off === undefined) {
      const at = bucket * 900_000;
      const p = Object.fromEntries(this.parts.formatToParts(at).map((x) => [x.type, x.value]));
      off = Math.round((Date.UTC(+p['year']!, +p['month']! - 1, +p['day']!, +p['hour']!, +p['minute']!, +p['second']!) - at) / 60_000);
      this.offsets.set(bucket, off);
    }
    return off;
  }

  /** The local wall-clock time of a lab time, as ms since 1970 "local" (read it with the UTC getters). */
  localMs(labMs: number): number {
    const abs = this.startMs + labMs;
    return abs + this.offsetMin(abs) * 60_000;
  }

  /** `2026-11-02T10:40:00+01:00` for a lab time. */
  iso(labMs: number): string {
    const abs = this.startMs + labMs;
    const off = this.offsetMin(abs);
    const local = new Date(abs + off * 60_000).toISOString().slice(0, 19);
    const abs_ = Math.abs(off);
    return `${local}${off === 0 ? 'Z' : `${off < 0 ? '-' : '+'}${two(Math.floor(abs_ / 60))}:${two(abs_ % 60)}`}`;
  }
}

const DAY = 86_400_000;
/** 1970-01-01 was a Thursday. */
const WEEKDAY_OF_EPOCH_DAY: readonly Weekday[] = ['Thu', 'Fri', 'Sat', 'Sun', 'Mon', 'Tue', 'Wed'];

/** Minutes of [from, to) (lab ms) inside working hours: each local day's open hours intersected with the window. */
function workingMinutes(clock: ClockTime, hours: { days: Weekday[]; from: string; to: string }): (from: number, to: number) => number {
  const [fh, fm] = hours.from.split(':').map(Number) as [number, number];
  const [th, tm] = hours.to.split(':').map(Number) as [number, number];
  const open = (fh * 60 + fm) * 60_000;
  const close = (th * 60 + tm) * 60_000;
  const days = new Set(hours.days);
  return (from, to) => {
    const a = clock.localMs(from);
    const b = a + (to - from);
    let ms = 0;
    for (let day = Math.floor(a / DAY); day * DAY < b; day++) {
      if (!days.has(WEEKDAY_OF_EPOCH_DAY[((day % 7) + 7) % 7]!)) continue;
      ms += Math.max(0, Math.min(b, day * DAY + close) - Math.max(a, day * DAY + open));
    }
    return ms / 60_000;
  };
}

/** `2026-11-02 09:16:40–09:17:47` (the date again when the window ends on another day): how a person reads it out. */
export function clockSpan(fromIso: string, toIso: string): string {
  const day = (iso: string) => iso.slice(0, 10);
  const time = (iso: string) => iso.slice(11, 19);
  return `${day(fromIso)} ${time(fromIso)}–${day(toIso) === day(fromIso) ? '' : `${day(toIso)} `}${time(toIso)}`;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
