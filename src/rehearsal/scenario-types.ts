/**
 * What a scenario file holds, after validation (scenario-schema.ts is the same shape as a JSON Schema; docs/scenarios.md
 * documents it with examples). Durations are still strings here; the runner parses them with duration.ts.
 */
import type { BaseModel } from '../devices/base-station/base-flash.ts';
import type { HandsetModel } from '../devices/handset/handset-record.ts';
import type { Region } from '../cloud/teams/regions.ts';

export type Duration = string | number;

/** A number to match exactly, or a range. */
export type NumberMatch = number | { min?: number; max?: number };

/**
 * Devices by name: `b1` (a base id), `b1/2` (the 2nd handset of base b1), `b1/*` (all handsets of b1), `*` (all of the
 * kind), `site:hq` (all of a site), or a handset's own `id`. A list selects the union.
 */
import type { HelpdeskSpec } from './helpdesk-types.ts';

export type Selector = string | string[];

export interface Scenario {
  name: string;
  description?: string;
  /** Seed of every generated thing (IPEIs, planted mistakes, codes). `--seed` overrides it. */
  seed?: number;
  /** Virtual start time (ISO 8601), default 2026-11-02T09:00:00Z. */
  start?: string;
  /** Base firmware behaviour profile (src/devices/base-station/firmware-profile.ts) and single values by name. */
  profile?: string;
  profileOverrides?: Record<string, number | boolean>;
  handsetProfile?: string;
  handsetProfileOverrides?: Record<string, number | boolean>;
  teamsProfile?: Record<string, number | boolean>;
  /** Run the same scenario again with another firmware behaviour and show both side by side. */
  compare?: CompareSpec;
  /** Clock time zone and working hours of the helpdesk outputs (helpdesk.ts). */
  helpdesk?: HelpdeskSpec;
  lab: LabSpec;
  steps: Step[];
}

export interface CompareSpec {
  label?: string;
  profile?: string;
  profileOverrides?: Record<string, number | boolean>;
  handsetProfile?: string;
  handsetProfileOverrides?: Record<string, number | boolean>;
}

export interface LabSpec {
  /** `default`: the Contoso tenant with its 20 users; `empty`: Contoso without users (generated or listed users only). */
  tenant?: 'default' | 'empty';
  /** Teams region the lab's devices use (provisioning host, enrollment, bulk sign-in). Default EMEA. */
  region?: Region;
  trustedIps?: string[];
  bulkSignIn?: 'Enabled' | 'Disabled';
  sites?: SiteSpec[];
  bases?: BaseSpec[];
  users?: UserSpec[];
  generate?: GenerateSpec;
  /** Multi-cell systems (Rove B4 only), set up as on each base's Multi-cell page before the first step. */
  chains?: ChainSpec[];
}

/**
 * A multi-cell system: its bases (by id) run `Multi cell system: Enabled` with this `System chain ID`; `primary` is the
 * data master (the "DECT server"), the others are secondaries. Handsets listed under any of its bases register on the
 * primary.
 */
export interface ChainSpec {
  /** System chain ID (1–65535). */
  id: number;
  bases: string[];
  primary: string;
  dataSync?: 'Multicast' | 'Peer-to-Peer';
  systemCombination?: '50 bases/3 repeaters' | '127 bases/1 repeater' | '254 bases/0 repeaters';
}

export interface SiteSpec {
  id: string;
  name?: string;
  publicIp: string;
}

export interface BaseSpec {
  id: string;
  model: BaseModel;
  firmware?: string;
  site?: string;
  /** The base's real MAC (`00:04:F2:A0:00:01`, any of : - . or none); default: generated. */
  mac?: string;
  powered?: boolean;
  handsets?: HandsetSpec[] | HandsetGroupSpec;
}

export interface HandsetSpec {
  /** The company's own id of the handset (`HS-0042`): the report and selectors use it instead of `b1/2`. */
  id?: string;
  /** The handset's real IPEI (hex `0328D12345` or the label's decimal form); default: generated from the seed. */
  ipei?: string;
  model: HandsetModel;
  firmware?: string;
  /** The Teams user this handset is for (sign-in steps use it). */
  user?: string;
  name?: string;
}

export interface HandsetGroupSpec {
  count: number;
  model?: HandsetModel;
  firmware?: string;
}

export interface UserSpec {
  upn: string;
  displayName?: string;
  phoneNumber?: string | null;
  licence?: string | null;
  callingPolicy?: string | null;
  ipPhonePolicy?: string | null;
  mfa?: boolean;
  mustChangePassword?: boolean;
}

export interface GenerateSpec {
  bases: number;
  model?: BaseModel;
  firmware?: string;
  /** Handsets on each base, or `handsets` in total spread evenly (first bases get one more). */
  handsetsPerBase?: number;
  handsets?: number;
  handsetModels?: HandsetModel[];
  handsetFirmware?: string;
  /** Spread the bases over this many sites `site-01`… with public IPs 198.18.0.<n> (RFC 2544 benchmark range). */
  sites?: number;
  /** One Teams user per handset (`user0001@contoso.com`…, common area phone accounts), default true. */
  users?: boolean;
  /** Share of generated users without a phone number: `10%` or a count. */
  accountsMissingNumber?: string | number;
  /** Share of generated users without a licence. */
  accountsUnlicensed?: string | number;
}

export type Step = StepCommon & StepAction;

export interface StepCommon {
  name?: string;
  /** Virtual time since the start at which the step begins (the runner waits until then). */
  at?: Duration;
  /** For waitUntil and register: give up after this much virtual time. */
  timeout?: Duration;
  /** Only in the main run or only in the comparison run (expectations that differ between the two). */
  run?: 'main' | 'compare';
}

export type StepAction =
  | { settings: { bases: Selector; values: Record<string, string | number> } }
  | { press: { handsets: Selector; keys: string } }
  | { register: { handsets: Selector; via?: 'keys' } }
  | { teams: TeamsAction }
  | { wait: Duration }
  | { waitUntil: Condition | Condition[] }
  | { power: { bases?: Selector; handsets?: Selector; on: boolean } }
  | { reboot: { bases: Selector; forced?: boolean } }
  | { fault: FaultSpec }
  | { clearFault: string }
  | { expect: Condition | Condition[] }
  | { checkpoint: string }
  | { restore: string };

export type TeamsAction =
  | { provision: Selector; location?: string }
  | { generateCode: Selector }
  | { enroll: Selector; code?: string }
  | { signIn: Selector; user?: string; spacing?: Duration }
  | { signOut: Selector }
  | { restart: Selector }
  | { bulkSignIn: BulkSignInSpec }
  | { trustedIps: string[] }
  | { setBulkSignIn: 'Enabled' | 'Disabled' }
  | { updateUser: { upn: string; phoneNumber?: string | null; licence?: string | null; callingPolicy?: string | null } };

export interface BulkSignInSpec {
  /** CSV text (`Username,HardwareId`); `{hw:b1/2}` is replaced by that handset's hardware id. */
  csv?: string;
  /** Or: these handsets with their users, in batches of `batchSize` (default 100). */
  handsets?: Selector;
  batchSize?: number;
  /** Planted mistakes in the generated CSV rows. */
  mistakes?: { wrongFormat?: number; duplicate?: number; unknownUser?: number; unknownDevice?: number };
  region?: Region;
}

export interface FaultSpec {
  /** Name used by `clearFault` (default: the fault type and its target). */
  id?: string;
  type: string;
  bases?: Selector;
  handsets?: Selector;
  site?: string;
  /** For provisioning-server and sip-server faults: `error` (5xx) or `timeout`. */
  mode?: 'error' | 'timeout';
  status?: number;
  /** sip-server: `lab`, `teams` or a registrar's host name (default: all). */
  server?: string;
  /** sip-server: the Teams registrar of this region only. */
  region?: Region;
  /** Firmware file name or path for `firmware-missing`. */
  file?: string;
  configUrl?: string;
  publicIp?: string;
  /** base-power-loss: cut each base's power when it reaches this phase of a firmware update (duration counts from the cut). */
  during?: 'download' | 'install';
  /** Remove the fault again after this much virtual time. */
  duration?: Duration;
}

export type Condition = BaseCondition | HandsetCondition | TeamsCondition | BulkCondition;

export interface Quantified {
  /** How many of the selected devices must match (default: all of them). */
  count?: NumberMatch;
}

export interface BaseCondition extends Quantified {
  base: Selector;
  state?: string;
  firmware?: string;
  reboots?: NumberMatch;
  /** Reboots whose reason contains the text. */
  rebootsFor?: { reason: string; count: NumberMatch };
  firmwareUpdate?: string;
  provisioning?: string;
  errorCode?: string;
  pendingProvisioningReboots?: NumberMatch;
  handsetsRegistered?: NumberMatch;
  /** Multi-cell DECT sync state as the DECT chain view shows it (`Locked`, `Free running`, …; `none`: single cell). */
  dectSync?: string;
  /** Multi-cell chain level (primary 1). */
  chainLevel?: NumberMatch;
}

export interface HandsetCondition extends Quantified {
  handset: Selector;
  state?: string;
  firmware?: string;
  /** A display line contains this text. */
  display?: string;
  screen?: string;
  registered?: boolean;
  /** State of the handset's SIP line (`OK`, `Error`, `Registering`, `Idle`, `Stopped`, or `none`). */
  lineState?: string;
  /** The line's error reason contains this text (e.g. `503 Service Unavailable`). */
  lineReason?: string;
  /** The base (scenario name) whose cell the handset is in service on (multi-cell roaming); `none` when none. */
  cell?: string;
}

export interface TeamsCondition extends Quantified {
  teams: Selector;
  list?: string;
  userStatus?: string | null;
  /** Applied provisioning state on the handset's base (`onboarding`, `waiting-for-sign-in`, `signed-in`). */
  line?: string;
}

export interface BulkCondition {
  bulkSignIn: { succeeded?: NumberMatch; failed?: NumberMatch; errors?: Record<string, NumberMatch> };
}
