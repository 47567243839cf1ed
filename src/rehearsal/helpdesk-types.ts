/** The shapes of the helpdesk outputs (helpdesk.ts computes them; the report, its HTML and the CSV files show them). */

export interface HelpdeskSpec {
  /** IANA time zone of the clock times (`Europe/London`), default UTC. */
  timeZone?: string;
  workingHours?: { days?: Weekday[]; from?: string; to?: string };
}

export type Weekday = 'Mon' | 'Tue' | 'Wed' | 'Thu' | 'Fri' | 'Sat' | 'Sun';

/** One stretch of time a handset was without service, in the lab's clock. */
export interface Outage {
  /** ISO 8601 with the time zone's offset. */
  from: string;
  to: string;
  minutes: number;
  /** Of those minutes, how many fall in working hours. */
  workingMinutes: number;
  /** Why, in words: the base's reboot reason, a power cut, the handset's own firmware update, searching. */
  cause: string;
}

export interface HelpdeskUser {
  upn: string;
  displayName?: string;
  handset: string;
  ipei: string;
  base: string;
  site?: string;
  /** signed in · failed (with the error) · not signed in (no error: never asked to). */
  outcome: 'signed in' | 'failed' | 'not signed in';
  error: string | null;
  /** Where the error comes from when it lies elsewhere — a base, the plan's timing, the tenant: `base PAR-B3: PRV-01 …`. */
  rootCause: string | null;
  fix: string | null;
  minutesWithoutService: number;
  workingMinutesWithoutService: number;
  outages: Outage[];
}

export interface SiteOutage {
  site: string;
  from: string;
  to: string;
  minutes: number;
  workingMinutes: number;
  /** Users (handsets with a user) without service at some moment of the window. */
  users: number;
  /** The most at the same moment. */
  peakUsers: number;
  causes: string[];
}

export interface Helpdesk {
  timeZone: string;
  workingHours: { days: Weekday[]; from: string; to: string };
  users: HelpdeskUser[];
  sites: SiteOutage[];
  /** Users who lose service in working hours, and those minutes summed. */
  workingHoursSummary: { users: number; ofUsers: number; userMinutes: number };
}

