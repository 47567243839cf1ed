/**
 * The shapes of a run's report (report.json): report.ts builds it, root-causes.ts adds the causes, report-html.ts
 * draws it. Apart from the code so the modules that fill a report do not import each other.
 */
import type { Helpdesk } from './helpdesk-types.ts';
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
  /** A handset the file gave an id of its own: its place on its base (`b1/2`). */
  position?: string;
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
  /** Bases: firmware updates a power cut interrupted while the image was downloaded or written (only when there were any). */
  firmwareUpdatesInterrupted?: number;
  minutesWithoutService?: number;
  teams?: { list: string; userStatus: string | null } | null;
  /** Handsets: the user the file gives it, and the base it is listed under (its place). */
  user?: string;
  base?: string;
  /** A failed handset whose failure comes from elsewhere: its base's error, the tenant, the user (root-causes.ts). */
  rootCause?: RootCause;
  /** Every failing check of its bulk sign-in row, when more than one failed (`error` is the first). */
  checks?: string[];
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
  /** What took the failed handsets down, each cause once with its handsets (root-causes.ts). */
  rootCauses?: RootCauseGroup[];
  /** Every failing check of the failed bulk sign-in rows, counted. */
  checksByError?: Record<string, number>;
  /** Per user and per site, when the phones are without service, in clock time (helpdesk.ts). */
  helpdesk?: Helpdesk;
  timeline: Record<string, Segment[]>;
}

export interface RootCause {
  /** Where the cause is: a base (its name), the tenant, a user's account (UPN), or the plan's timing. */
  kind: 'base' | 'tenant' | 'user' | 'timing';
  /** The base's name or the user's UPN (none for the tenant and timing). */
  subject?: string;
  error: string;
  fix: string;
}

/** One cause and the handsets it took down. */
export interface RootCauseGroup extends RootCause {
  handsets: string[];
}
