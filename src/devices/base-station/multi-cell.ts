/**
 * Rove B4 multi-cell, as the RTX platform does it: bases with `Multi cell system` enabled and the same
 * `System chain ID` form one system. One base is the **primary** (data master, the "DECT server"): it holds the
 * handset subscriptions and the shared settings (access code, time zone, handset firmware); the **secondaries** use
 * the primary's and take DECT sync from it, directly or through another secondary (a chain, one level per hop).
 *
 * Pure functions over plain data: which configuration a base runs, who is the primary, which base a secondary takes
 * its sync from, what each base's sync state means. The DECT radio (src/air/dect-radio.ts) applies them to the
 * lab's bases; the base machine's `dectSync` region (base-machine.ts) plays the sync states out on the clock.
 *
 * Sync states [RTX]: Locked; Free running (no sync data from the source for 10 s); Assisted lock (source lost, other
 * bases help over the LAN); Searching; Sync lost (source lost while a call is up: the base keeps the call); Unknown (no
 * information: the base is down). Modelling choices are listed in docs/fidelity.md ("Multi-cell").
 */
import type { BaseFlash, BaseModel, BaseRole, MultiCellConfig } from './base-flash.ts';
import { AUTO_SYNC_SOURCE, type BaseSettings, SYSTEM_COMBINATIONS } from './parameters.ts';

/** Why a Rove B2 cannot enable multi-cell (seed 000: B2 single-cell, B4 multi-cell). */
export const SINGLE_CELL_REFUSAL = 'Rove B2 is a single-cell base: multi-cell needs a Rove B4';

/**
 * The reboot reason of Multi-cell's "Save and reboot": the base's reboot log shows it, and a rehearsal's chains are set
 * up the same way before the first step, so both read it from here.
 */
export const MULTI_CELL_REBOOT_REASON = 'Multi-cell settings (web admin)';

/** What the saved settings ask for; a B2 never runs multi-cell. */
export function multiCellFromSettings(model: BaseModel, settings: BaseSettings): MultiCellConfig | null {
  if (model !== 'B4' || settings.multiCellSystem !== 'Enabled') return null;
  return {
    chainId: Number(settings.systemChainId),
    role: settings.baseRole === 'Secondary' ? 'secondary' : 'primary',
    dataSync: settings.dataSync,
    systemCombination: settings.systemCombination,
    syncSource: settings.dectSyncSource === AUTO_SYNC_SOURCE ? null : settings.dectSyncSource.toUpperCase(),
  };
}

export function sameMultiCell(a: MultiCellConfig | null | undefined, b: MultiCellConfig | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return (
    a.chainId === b.chainId &&
    a.role === b.role &&
    a.dataSync === b.dataSync &&
    a.systemCombination === b.systemCombination &&
    a.syncSource === b.syncSource
  );
}

/** Saved multi-cell settings the base does not run yet: they take effect at the next reboot. */
export function multiCellPending(flash: BaseFlash): boolean {
  return !sameMultiCell(flash.multiCell, multiCellFromSettings(flash.model, flash.settings));
}

/** Bases a system of this combination may hold (50, 127 or 254). */
export function maxBases(combination: BaseSettings['systemCombination']): number {
  return [50, 127, 254][SYSTEM_COMBINATIONS.indexOf(combination)] ?? 50;
}

export type SyncState = 'Locked' | 'Free running' | 'Assisted lock' | 'Searching' | 'Sync lost' | 'Unknown';

/** The states of the base machine's `dectSync` region. */
export type SyncStep =
  | 'deciding'
  | 'singleCell'
  | 'primary'
  | 'searching'
  | 'locking'
  | 'locked'
  | 'holdover'
  | 'freeRunning'
  | 'assistedLock'
  | 'syncLost';

const STATE_OF_STEP: Readonly<Record<SyncStep, SyncState | null>> = {
  deciding: 'Searching',
  singleCell: null,
  primary: 'Locked',
  searching: 'Searching',
  locking: 'Searching',
  locked: 'Locked',
  // Less than 10 s without sync data is still Locked [RTX: Free running = "no sync data in the last 10 seconds"].
  holdover: 'Locked',
  freeRunning: 'Free running',
  assistedLock: 'Assisted lock',
  syncLost: 'Sync lost',
};

/** The sync state the DECT chain view shows; null for a single-cell base; Unknown while the base is down. */
export function syncStateOf(step: SyncStep | null, running: boolean): SyncState | null {
  if (!running) return 'Unknown';
  return step === null ? null : STATE_OF_STEP[step];
}

/** Steps in which a base transmits DECT frames (handsets and other bases hear it). */
const TRANSMITTING: ReadonlySet<SyncStep> = new Set(['primary', 'locked', 'holdover', 'freeRunning', 'assistedLock', 'syncLost']);

/** What the air tells a secondary about its sync source; the radio sends it as `SYNC_SOURCE`. */
export interface SyncInput {
  /** The base it takes sync from, or null when none is heard. */
  source: string | null;
  /** Its chain level when synchronised through `source` (primary = 1). */
  level: number | null;
  /** No source, but other bases of the system can help over the LAN (Assisted lock). */
  assisted: boolean;
}

export const NO_SYNC: SyncInput = Object.freeze({ source: null, level: null, assisted: false });

export function sameSyncInput(a: SyncInput | null, b: SyncInput | null): boolean {
  if (!a || !b) return a === b;
  return a.source === b.source && a.level === b.level && a.assisted === b.assisted;
}

/** One base as the chain planner sees it. */
export interface ChainMember {
  mac: string;
  config: MultiCellConfig;
  running: boolean;
  step: SyncStep | null;
  level: number | null;
  /** The source it last heard (its `SyncInput.source`). */
  source: string | null;
}

/** One multi-cell system: the bases that run the same chain ID. */
export interface ChainPlan {
  chainId: number;
  /** The base configured Primary (the lowest MAC if several are); null when none is. */
  primary: string | null;
  /** Sorted by MAC. */
  members: ChainMember[];
  /** Bases configured Primary that are not the primary. */
  conflicts: string[];
  /** Bases beyond the system combination's base count (of the primary's combination). */
  excess: string[];
  maxBases: number;
}

export function planChains(members: Iterable<ChainMember>): Map<number, ChainPlan> {
  const plans = new Map<number, ChainPlan>();
  for (const m of [...members].sort((a, b) => a.mac.localeCompare(b.mac))) {
    let plan = plans.get(m.config.chainId);
    if (!plan) {
      plan = { chainId: m.config.chainId, primary: null, members: [], conflicts: [], excess: [], maxBases: 50 };
      plans.set(m.config.chainId, plan);
    }
    plan.members.push(m);
    if (m.config.role === 'primary') {
      if (plan.primary === null) plan.primary = m.mac;
      else plan.conflicts.push(m.mac);
    }
  }
  for (const plan of plans.values()) {
    const primary = plan.members.find((m) => m.mac === plan.primary);
    plan.maxBases = maxBases((primary ?? plan.members[0]!).config.systemCombination);
    const ordered = primary ? [primary, ...plan.members.filter((m) => m !== primary)] : plan.members;
    plan.excess = ordered.slice(plan.maxBases).map((m) => m.mac);
  }
  return plans;
}

/** The base transmits DECT (its handsets and other bases can hear it). */
export function transmits(member: ChainMember, plan: ChainPlan): boolean {
  if (!member.running || member.step === null) return false;
  return member.step === 'primary' ? member.mac === plan.primary : TRANSMITTING.has(member.step);
}

/** The base serves handsets: it transmits, belongs to the system and the primary (the "DECT server") is up. */
export function serves(member: ChainMember, plan: ChainPlan): boolean {
  const primary = plan.members.find((m) => m.mac === plan.primary);
  return (
    primary !== undefined &&
    primary.running &&
    transmits(member, plan) &&
    !plan.conflicts.includes(member.mac) &&
    !plan.excess.includes(member.mac)
  );
}

/** The chain level a base gives to those that sync to it, or null when it is not a sync reference. */
function referenceLevel(member: ChainMember, plan: ChainPlan): number | null {
  if (member.mac === plan.primary) return member.running && member.step === 'primary' ? 1 : null;
  return member.running && member.step === 'locked' ? member.level : null;
}

/** True when `candidate` takes its sync (directly or through others) from `mac`: syncing to it would close a loop. */
function descendsFrom(candidate: ChainMember, mac: string, plan: ChainPlan): boolean {
  const byMac = new Map(plan.members.map((m) => [m.mac, m]));
  const seen = new Set<string>();
  for (let at: ChainMember | undefined = candidate; at && !seen.has(at.mac); at = at.source ? byMac.get(at.source) : undefined) {
    if (at.source === mac) return true;
    seen.add(at.mac);
  }
  return false;
}

/**
 * Which base a secondary takes sync from: a base that is itself synchronised (the primary, or a Locked secondary),
 * not below it in the chain, within `maxLevel`, and the configured DECT sync source if one is set. The current source
 * is kept while it qualifies; otherwise the lowest level wins, then the lowest MAC.
 */
export function syncInputFor(member: ChainMember, plan: ChainPlan, maxLevel: number): SyncInput {
  if (!member.running || member.mac === plan.primary || plan.excess.includes(member.mac)) return NO_SYNC;
  const references = plan.members.flatMap((c) => {
    if (c.mac === member.mac || descendsFrom(c, member.mac, plan)) return [];
    const level = referenceLevel(c, plan);
    return level === null || level + 1 > maxLevel ? [] : [{ mac: c.mac, level }];
  });
  const allowed = references.filter((r) => member.config.syncSource === null || r.mac === member.config.syncSource);
  const chosen =
    allowed.find((r) => r.mac === member.source) ??
    [...allowed].sort((a, b) => a.level - b.level || a.mac.localeCompare(b.mac))[0];
  if (chosen) return { source: chosen.mac, level: chosen.level + 1, assisted: false };
  return { source: null, level: null, assisted: references.length > 0 };
}

/** A base of a system, as the DECT chain view lists it. */
export interface ChainRow {
  mac: string;
  model: BaseModel;
  /** The role it plays in the system. */
  role: 'Primary' | 'Secondary';
  syncState: SyncState;
  chainLevel: number | null;
  syncSource: string | null;
  /** Radio placement (handsets hear the bases of their site). */
  site: string;
  /** IPEIs of the handsets in service on this base. */
  handsets: string[];
  activeCalls: number;
  /** Simultaneous calls one base carries in multi-cell [RTX]. */
  maxCalls: number;
  /** Why the base does not serve handsets although it runs, if so. */
  problem: string | null;
}
