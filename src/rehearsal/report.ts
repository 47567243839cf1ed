/**
 * The outcome of a run, as data (report.json; report-html.ts draws it): per-device outcome with the error and what to
 * fix, totals (handset-minutes without service, reboots by cause, sign-in failures by error), the failed expectations,
 * and each device's state over lab time (the timeline). Nothing here reads the wall clock, so the same seed gives the
 * same report.
 */
import { meetsTeamsMinimum } from '../devices/base-station/firmware-version.ts';
import type { Lab } from '../lab/lab.ts';
import { hardwareIdForIpei } from '../cloud/teams/devices/hardware-id.ts';
import type { LabDirectory } from './build-lab.ts';
import { formatDuration } from './duration.ts';
import { INTERRUPTED_UPDATE, type LabEvent, type Recorder } from './recorder.ts';
import type { CompareSpec, Scenario } from './scenario-types.ts';

/** An expectation that did not hold (or a step that threw): the report lists them with the step they belong to. */
export interface Failure {
  /** 1-based step number (0: the lab's set-up before the first step). */
  step: number;
  name: string;
  expectation: string;
  actual: string;
}

export interface Segment {
  /** Lab ms since the start. */
  from: number;
  to: number;
  state: string;
  reason?: string;
}

export interface DeviceOutcome {
  name: string;
  kind: 'base' | 'handset';
  /** MAC or IPEI. */
  id: string;
  /** The base's site (a handset's is its base's): the report's timeline groups a large lab by site. */
  site?: string;
  outcome: 'ok' | 'failed';
  state: string;
  error: string | null;
  fix: string | null;
  reboots?: number;
  /** Bases: firmware updates a power cut interrupted while the image was being written (only when there were any). */
  firmwareUpdatesInterrupted?: number;
  minutesWithoutService?: number;
  teams?: { list: string; userStatus: string | null } | null;
}

export interface Totals {
  bases: number;
  handsets: number;
  basesRunning: number;
  handsetsInService: number;
  handsetsSignedIn: number;
  handsetMinutesWithoutService: number;
  rebootsByCause: Record<string, number>;
  reboots: number;
  powerCycles: number;
  signIns: { succeeded: number; failed: number };
  signInFailuresByError: Record<string, number>;
  enrollFailuresByError: Record<string, number>;
  baseErrorsByCode: Record<string, number>;
}

export interface RunReport {
  scenario: string;
  seed: number;
  /** Firmware behaviour of this run. */
  profile: string;
  variant: string | null;
  start: string;
  virtualMs: number;
  verdict: 'passed' | 'failed';
  failures: Failure[];
  totals: Totals;
  devices: DeviceOutcome[];
  timeline: Record<string, Segment[]>;
}

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

/** What to do about an error, by its code or words (the Teams errors verbatim). */
const FIXES: Array<[RegExp, string]> = [
  [
    new RegExp(INTERRUPTED_UPDATE),
    'Keep the base powered while it installs firmware (status "Installing … — do not power off the base"); once it runs again it downloads and installs the image at its next firmware check (or reboot it to check 60 s after the boot).',
  ],
  [/FWU-01|PRV-01/, 'The host name does not resolve: check FirmwareServer / ConfigURL spelling and DNS.'],
  [/FWU-02|PRV-02/, 'The server does not answer: check the site\'s network, firewall and the server.'],
  [/FWU-03/, 'The firmware file is not on the server: check FirmwarePath and the version/branch fields.'],
  [/PRV-03/, 'The provisioning file is not there: check the ConfigURL (host, path, ${IPEI} placeholder).'],
  [/FWU-0[4-7]|PRV-0[45]/, 'The server answered with an error or a wrong file: check the server and the URL.'],
  [/Device not found in records/, "Add the handset's hardware id (00 + IPEI) under Teams devices → Provision devices, in the region the base uses."],
  [/BulkSignIn Tag missing/, "Put /tenantid/<tenant id>/ in the ConfigURL, and let the base fetch the handset's file after the device was added (next ITSP interval) before bulk sign-in."],
  [/Device is offline/, "The base must have fetched the handset's file (ConfigURL) within 2 hours before bulk sign-in: wait for its next ITSP fetch."],
  [/Trusted IP/, "Add the site's public IP to Trusted IPs (Locations → Network topology)."],
  [/deadline expired/, 'Bulk sign-in works within 72 h of adding the device; sign this one in interactively.'],
  [/Duplicate devices/, 'Remove the duplicate hardware id from the CSV.'],
  [/wrong format/, 'Write HardwareId as 00-00-xx-xx-xx-xx (00 + IPEI, with dashes).'],
  [/User not found/, 'Check the Username (UPN): the account must exist in the tenant.'],
  [/phone number/i, 'Assign a phone number to the user (Voice → Phone numbers).'],
  [/licence/i, 'Assign a licence that includes Teams Phone.'],
  [/AllowSIPDevicesCalling/, 'Assign a calling policy with AllowSIPDevicesCalling (SIP devices can be used for calls).'],
  [/CAP policy/, 'Assign an IP phone policy with SignInMode CommonAreaPhoneSignIn.'],
  [/Multifactor/, 'Bulk sign-in needs an account without MFA.'],
  [/[Pp]assword/, "Fix the account's password options (no change at next login, minimum age 0)."],
  [/expired/, 'Generate a new verification code and enter it within 24 hours.'],
  [/not registered/, 'Register the handset: Specific Handsets → Register on the base, then Settings → Connectivity → Register with the access code.'],
  [/below 8\.0\.3/, 'Set the Rove 30/40 firmware version and branch on the base (Auto provisioning) so the handset updates over the air.'],
  [/no service|out-of-range|searching/, 'Check the base is running and the handset is in range of it.'],
];

export function fixFor(error: string): string | null {
  return FIXES.find(([re]) => re.test(error))?.[1] ?? null;
}

/** Groups reboot reasons into causes (the `(reboot n of m)` and versions are dropped). */
export function causeOf(reason: string): string {
  if (reason.startsWith('Firmware update')) return 'Firmware update';
  if (reason.startsWith('ITSP provisioning: applying new provisioning settings')) return 'ITSP provisioning target changed (ConfigURL)';
  if (reason.startsWith('ITSP provisioning: new configuration')) return 'New provisioning configuration (sign-in, policy)';
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
  // Power cuts during an install, by base, in one pass (filtering all events once per base was 254 × 25,000 looks).
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
    // A power cut while the base wrote an image: the update did not happen unless a later attempt installed it.
    const cuts = cutsByBase.get(named.id) ?? [];
    const lastCut = cuts.at(-1);
    const target = lastCut ? /installing (\S+)\)$/.exec(lastCut.reason!)?.[1] : undefined;
    const unfinished = lastCut && base.flash.firmware !== target ? `${lastCut.reason} at ${formatDuration(lastCut.t)}; the base runs ${base.flash.firmware}` : null;
    const stateError = base.state !== 'running' ? `base is ${base.state}` : null;
    const error = [stateError, unfinished].filter(Boolean).join('; ') || (err ? `${err.code ?? ''} ${err.message}`.trim() : null);
    devices.push({
      name: named.id,
      kind: 'base',
      id: named.mac,
      site: named.site,
      outcome: error ? 'failed' : 'ok',
      state: base.state,
      error,
      fix: error ? (fixFor(error) ?? 'Check power and the base\'s status page.') : null,
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
    else if (enroll && !enroll.ok && device?.userStatus !== 'Signed in') error = `enrollment refused: ${enroll.reason}`;
    devices.push({
      name: named.id,
      kind: 'handset',
      id: named.ipei,
      ...siteOf(directory, named.baseId),
      outcome: error ? 'failed' : 'ok',
      state: handset.state,
      error,
      fix: error ? fixFor(error) : null,
      minutesWithoutService: round1(minutes),
      teams: device ? { list: device.list, userStatus: device.userStatus } : null,
    });
  }
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
