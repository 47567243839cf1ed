// Types of replay-state.js (plain browser JavaScript, imported by the tests and the replay server's payload type).

/** An event of the log (src/scenarios/recorder.ts LabEvent), with the reboot cause the server adds. */
export interface ReplayEvent {
  t: number;
  kind: string;
  device: string;
  state?: string;
  reason?: string;
  detail?: string;
  ok?: boolean;
  /** On `base rebooting`: the reason grouped as the report groups it (src/scenarios/report.ts causeOf). */
  cause?: string;
}

export interface ReplayBase {
  name: string;
  /** null until its first event. */
  state: string | null;
  /** Lab ms of the last state change. */
  since: number | null;
  /** Why it is in this state (reboot reason, Power on / Power off). */
  reason: string | null;
  reboots: number;
  lastReboot: string | null;
  /** Last firmware or provisioning error: `PRV-03: …`. */
  error: string | null;
  /** Its handsets (named after it, `b1/2`, or given by the log header's handsetBases) and how many are in service. */
  handsets: number;
  inService: number;
}

export interface ReplayHandset {
  name: string;
  base: string | null;
  state: string | null;
  since: number | null;
  /** Last Teams device change (`provisioned`, `enrolled`, `signed-in`, …) and the admin center list it put it on. */
  teams: string | null;
  teamsList: string | null;
  user: string | null;
  signIn: 'ok' | 'failed' | null;
  signInReason: string | null;
  enroll: 'ok' | 'failed' | null;
  enrollReason: string | null;
}

export interface ReplayCounters {
  reboots: number;
  rebootsByCause: Record<string, number>;
  /** Bases switched off after the start. */
  powerCuts: number;
  basesByState: Record<string, number>;
  handsetsByState: Record<string, number>;
  handsetsInService: number;
  /** Handsets with a known state other than in service. */
  handsetsWithoutService: number;
  /** Sign-ins one by one and bulk sign-in rows. */
  signIns: { ok: number; failed: number };
  enrollments: { ok: number; failed: number };
  failures: number;
  lastFailure: string | null;
  /** Active faults by id. */
  faults: Record<string, string>;
  /** The step the run is in. */
  step: string | null;
}

export interface ReplayChanges {
  all: boolean;
  bases: Set<number>;
  handsets: Set<number>;
}

export const CHECKPOINT_EVERY: number;
export function indexAfter(events: readonly ReplayEvent[], t: number): number;

export class ReplayState {
  constructor(events: readonly ReplayEvent[], options?: { checkpointEvery?: number; handsetBases?: Record<string, string> });
  readonly events: readonly ReplayEvent[];
  readonly checkpointEvery: number;
  readonly end: number;
  readonly baseNames: string[];
  readonly handsetNames: string[];
  readonly baseIndex: Map<string, number>;
  readonly handsetIndex: Map<string, number>;
  readonly index: number;
  readonly time: number;
  readonly bases: ReplayBase[];
  readonly handsets: ReplayHandset[];
  readonly counters: ReplayCounters;
  seek(t: number): void;
  latest(n: number): ReplayEvent[];
  takeChanges(): ReplayChanges;
}

export function teamsStatus(h: ReplayHandset): { text: string; tone: 'ok' | 'error' | 'wait' | 'none' };
