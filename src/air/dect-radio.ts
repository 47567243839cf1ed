/**
 * The DECT air between the lab's bases and handsets: who hears whom, and the few exchanges a handset makes with a
 * base (access rights request, detach, handset image, status reports).
 *
 * Radio model [inferred], deliberately simple and configurable (docs/fidelity.md, Handsets):
 * - every base and handset is placed on a **site** (a name; `default` unless placed elsewhere);
 * - a handset hears every base of its own site that is powered up and running (a base that is off, booting or
 *   rebooting transmits nothing);
 * - a handset flagged **out of range** hears no base at all;
 * - the radio tells a handset it is *out of range* (rather than its base being down) when its base is running but not
 *   heard, so the screen can say "Out of range" (handset profile `showOutOfRange`).
 *
 * What a base transmits is summed up in its {@link BaseBeacon}; the radio recomputes beacons when a base changes and
 * sends each handset a `RADIO` update only when what it hears changed in a way the handset acts on (`sameForHandset`),
 * so a base's ordinary status changes cost nothing. Registration windows are not sent at all: a handset's Register
 * scan asks which bases in registration mode it hears when the scan ends (`scanForBases`).
 *
 * Multi-cell (Rove B4 chains; src/devices/base-station/multi-cell.ts): the bases of a system transmit the **primary's** beacon
 * (its MAC, name, registration mode, subscribers, time zone, handset firmware: the primary is the data master), each
 * with its own `cell`. A handset subscribed to the system therefore keeps its subscription wherever it is: of the cells
 * it hears, the radio keeps it on its current one while that one serves, else moves it to another (the primary first,
 * then by MAC) — roaming. A base serves only while it transmits and the primary (the "DECT server") is up, so a
 * primary reboot takes the whole system down and a secondary's reboot only its own cell.
 *
 * The radio also carries DECT sync between the bases of a system: after every base change it works out which base each
 * secondary takes sync from (`syncInputFor`) and reports it to the base (`SYNC_SOURCE`); the base machine's `dectSync`
 * region plays the sync states out on the clock. Bases hear each other wherever they are (an installer places them in
 * sync range); sites only decide what handsets hear.
 */
import type { BaseModel } from '../devices/base-station/base-flash.ts';
import type { FirmwareFetchInput, FirmwareFetchResult } from '../devices/base-station/base-machine.ts';
import { requestIdentity } from '../devices/base-station/base-flash.ts';
import type { BaseStation } from '../devices/base-station/base-station.ts';
import type { DirectoryAnswer } from '../devices/base-station/central-directory.ts';
import {
  type ChainMember,
  type ChainPlan,
  type ChainRow,
  planChains,
  sameSyncInput,
  serves,
  syncInputFor,
  syncStateOf,
} from '../devices/base-station/multi-cell.ts';
import type { HandsetReport, SubscriptionRefusal, SubscriptionRequest } from '../devices/base-station/handset-subscriptions.ts';
import { handsetFirmwareTarget, handsetImagePlan } from '../devices/handset/handset-firmware.ts';
import { HANDSET_MODELS, type HandsetModel, type HandsetRecord, imageModel } from '../devices/handset/handset-record.ts';

/** What a running base broadcasts, as far as handsets care. */
export interface BaseBeacon {
  /** The base a handset subscribes to: the base itself, or the primary of its multi-cell system. */
  mac: string;
  /** The base actually transmitting this beacon (differs from `mac` on a multi-cell secondary). */
  cell: string;
  /** Multi-cell system (chain ID), null for a single-cell base. */
  chainId: number | null;
  model: BaseModel;
  /** How the handset's Register list names this base. */
  label: string;
  /** Specific Handsets → Register is open. */
  registrationOpen: boolean;
  /** The base's time zone (WAN settings): the handset's clock follows it. */
  timeZone: string;
  /** Handset firmware the base distributes over the air, per model, dotted; null when not configured. */
  handsetFirmware: Readonly<Record<HandsetModel, string | null>>;
  /** IPEIs subscribed to the base. */
  subscribers: readonly string[];
}

/** What one handset hears now. */
export interface RadioUpdate {
  heard: readonly BaseBeacon[];
  /** The handset's base is running but cannot be heard from where the handset is. */
  outOfRange: boolean;
}

export interface SubscribeInput extends SubscriptionRequest {
  baseMac: string;
}

/** Connectivity → Register: the handset's scan, answered with the bases in registration mode it hears now. */
export interface ScanInput {
  ipei: string;
}

/** One base of the handset's Register list. */
export interface ScanEntry {
  mac: string;
  /** How the Register list names the base (`Rove B4 A00001`). */
  label: string;
}

/** The base's answer to an access rights request; `no-base` when the chosen base is no longer heard. */
export type SubscribeOutcome = { ok: true; slot: number } | { ok: false; reason: SubscriptionRefusal | 'no-base' };

export interface DetachInput {
  baseMac: string;
  ipei: string;
}

/** A handset's Contacts search, sent to the base it is subscribed to. */
export interface DirectoryLookupInput {
  baseMac: string;
  ipei: string;
  query: string;
}

export interface HandsetImageInput {
  baseMac: string;
  model: HandsetModel;
  /** The version the handset is about to receive, dotted. */
  version: string;
}

/** A handset as the radio sees it. */
export interface RadioHandset {
  readonly record: HandsetRecord;
  /** One word for where the handset is (`in-service`, `searching`...; handset.ts). */
  readonly state: string;
  hear(update: RadioUpdate): void;
}

export interface RadioWorld {
  bases(): Iterable<BaseStation>;
  base(mac: string): BaseStation | undefined;
  handsets(): Iterable<RadioHandset>;
  handset(ipei: string): RadioHandset | undefined;
  siteOfBase(mac: string): string;
  /** The base's HTTP client (http-fetchers.ts) for handset images. */
  fetchImage(input: FirmwareFetchInput): Promise<FirmwareFetchResult>;
}

/** The flash each beacon was last made (or confirmed) from, so that an unchanged flash skips rebuilding it. */
const BEACON_FLASH = new WeakMap<BaseBeacon, unknown>();

/**
 * The beacons in registration mode of a site's shared heard list, filtered once per list (sameForHandset compares them
 * for each of the site's handsets).
 */
const OPEN_OF_LIST = new WeakMap<readonly BaseBeacon[], readonly BaseBeacon[]>();

const NOTHING_HEARD: RadioUpdate = Object.freeze({ heard: Object.freeze([]), outOfRange: false });

export class DectRadio {
  private readonly beacons = new Map<string, BaseBeacon | null>();
  private readonly sent = new Map<string, RadioUpdate>();
  private readonly images = new Map<string, Promise<FirmwareFetchResult>>();
  /** Multi-cell: the cell (base MAC) each handset is on, for roaming and the DECT chain view. */
  private readonly cells = new Map<string, string>();
  private chains = new Map<number, ChainPlan>();
  private dirty = false;
  private draining = false;
  /** The beacons by site of their base, in the same order as `beacons` (a handset hears its own site only). */
  private bySite: Map<string, Map<string, BaseBeacon | null>> | null = null;
  /** Bases whose beacon may have changed; `all` when multi-cell sync or placement is involved. */
  private touched: Set<string> | 'all' = 'all';
  /**
   * Without multi-cell systems every handset of a site hears the same beacons: the list is built once per site and
   * shared until a beacon of the site changes (a registration on a 25-base site otherwise rebuilt it for 100 handsets).
   */
  private readonly heardOnSite = new Map<string, readonly BaseBeacon[]>();
  /**
   * drain's working sets, made once: drain runs after every base snapshot and never re-enters (`draining`), and each
   * set is empty again when a pass ends.
   */
  private readonly scratch = {
    /** Only handsets on the site of a changed beacon, or subscribed to its base, can hear a difference. */
    changedSites: new Set<string>(),
    changedBases: new Set<string>(),
    /** A beacon whose only change is its subscriber list matters to the handsets that joined or left it, no others. */
    membership: new Set<string>(),
  };

  constructor(private readonly world: RadioWorld) {}

  /**
   * Call whenever a base changes (every snapshot): multi-cell sync is brought up to date, and handsets are told only if
   * a beacon changed. Changes that bases make in answer (sync, reports) are handled in the same pass.
   */
  baseChanged(base: BaseStation): void {
    // Without multi-cell systems a base's beacon depends on that base alone: only it needs a look.
    if (this.chains.size > 0 || base.flash.multiCell) this.touched = 'all';
    else if (this.touched !== 'all') this.touched.add(base.mac);
    this.dirty = true;
    this.drain(false);
  }

  /** Call after a base moved to another site. */
  placementChanged(): void {
    this.bySite = null;
    this.heardOnSite.clear();
    this.touched = 'all';
    this.dirty = true;
    this.drain(true);
  }

  /** Call after a handset was added, moved, or carried in or out of range. */
  handsetChanged(handset: RadioHandset): void {
    this.tell(handset);
  }

  /**
   * A handset is about to act on what it hears (a key was pressed): an unsubscribed one gets what it was not told while
   * it did not care (other bases' registration windows), so that the base it subscribes to is current in what it heard.
   */
  refresh(handset: RadioHandset): void {
    this.tell(handset);
  }

  /** What a handset with this record hears now: one beacon per base or multi-cell system. */
  updateFor(record: HandsetRecord): RadioUpdate {
    const subscribed = record.subscription?.baseMac;
    const subscribedBaseUp = subscribed !== undefined && Boolean(this.beacons.get(subscribed));
    if (record.outOfRange) return { heard: [], outOfRange: subscribedBaseUp };
    const heard = this.chains.size === 0 ? this.heardOn(record.site) : this.heardBySystem(record);
    const outOfRange = subscribedBaseUp && !heard.some((b) => b.mac === subscribed);
    return heard.length === 0 && !outOfRange ? NOTHING_HEARD : { heard, outOfRange };
  }

  /** Single-cell bases only: every running base of the site, one list shared by the site's handsets. */
  private heardOn(site: string): readonly BaseBeacon[] {
    let heard = this.heardOnSite.get(site);
    if (!heard) {
      heard = Object.freeze([...(this.siteIndex().get(site)?.values() ?? [])].filter((b): b is BaseBeacon => b !== null));
      this.heardOnSite.set(site, heard);
      OPEN_OF_LIST.set(heard, heard.filter((x) => x.registrationOpen));
    }
    return heard;
  }

  /** With multi-cell systems: one beacon per system, the cell the handset stays on or roams to. */
  private heardBySystem(record: HandsetRecord): BaseBeacon[] {
    const bySystem = new Map<string, BaseBeacon>();
    const current = this.cells.get(record.ipei);
    for (const beacon of this.siteIndex().get(record.site)?.values() ?? []) {
      if (!beacon) continue;
      const other = bySystem.get(beacon.mac);
      if (!other || preferredCell(beacon, other, current)) bySystem.set(beacon.mac, beacon);
    }
    return [...bySystem.values()];
  }

  /** True when the handset hears that base (or the multi-cell system of that primary) now. */
  hears(ipei: string, baseMac: string): boolean {
    const handset = this.world.handset(ipei);
    return handset ? this.updateFor(handset.record).heard.some((b) => b.mac === baseMac) : false;
  }

  /** The base a subscribed handset is on now (its cell; multi-cell: roaming), if it hears its base or system. */
  cellOf(ipei: string): string | undefined {
    const handset = this.world.handset(ipei);
    const subscribed = handset?.record.subscription?.baseMac;
    if (!handset || subscribed === undefined) return undefined;
    const cell = this.updateFor(handset.record).heard.find((b) => b.mac === subscribed)?.cell;
    // Remembered so that the handset stays on this cell while it serves.
    if (cell) this.cells.set(ipei, cell);
    return cell;
  }

  /**
   * The DECT chain view: every base that runs the same multi-cell system as `mac` (primary first), with its role, sync
   * state, chain level and the handsets in service on it; empty when `mac` runs single-cell.
   */
  chain(mac: string): ChainRow[] {
    const base = this.world.base(mac);
    const chainId = base?.flash.multiCell?.chainId;
    const plan = chainId === undefined ? undefined : this.chains.get(chainId);
    if (!plan) return [];
    const onCell = new Map<string, string[]>();
    for (const handset of this.world.handsets()) {
      const cell = handset.state === 'in-service' ? this.cellOf(handset.record.ipei) : undefined;
      if (cell) onCell.set(cell, [...(onCell.get(cell) ?? []), handset.record.ipei]);
    }
    const rows = plan.members.map((m): ChainRow => {
      const station = this.world.base(m.mac)!;
      return {
        mac: m.mac,
        model: station.flash.model,
        role: m.mac === plan.primary ? 'Primary' : 'Secondary',
        syncState: syncStateOf(m.step, m.running) ?? 'Unknown',
        chainLevel: m.running ? station.snapshot.context.syncLevel : null,
        syncSource: m.running ? m.source : null,
        site: this.world.siteOfBase(m.mac),
        handsets: (onCell.get(m.mac) ?? []).sort(),
        activeCalls: station.status().activeCalls,
        maxCalls: station.profile.multiCellMaxCalls,
        problem: problemOf(m, plan),
      };
    });
    return rows.sort((a, b) => Number(b.role === 'Primary') - Number(a.role === 'Primary') || a.mac.localeCompare(b.mac));
  }

  /**
   * The end of a handset's Register scan: the bases in registration mode it hears now (one per base or multi-cell
   * system), as its list shows them. Answered at once: the list is what was heard when the scan ended.
   */
  scanForBases(input: ScanInput): Promise<readonly ScanEntry[]> {
    const handset = this.world.handset(input.ipei);
    const entries = handset
      ? this.updateFor(handset.record).heard.filter((b) => b.registrationOpen).map((b) => ({ mac: b.mac, label: b.label }))
      : [];
    return Promise.resolve(entries);
  }

  /** Access rights request: the handset asks the base it chose from the Register list. */
  async subscribe(input: SubscribeInput): Promise<SubscribeOutcome> {
    const base = this.world.base(input.baseMac);
    if (!base || !this.hears(input.ipei, input.baseMac)) return { ok: false, reason: 'no-base' };
    const { baseMac: _base, ...request } = input;
    const decision = base.registerHandset(request);
    return decision.ok ? { ok: true, slot: decision.slot } : { ok: false, reason: decision.reason };
  }

  /**
   * Contacts search from a handset: the base it is subscribed to looks the text up in its central directory (Local,
   * LDAP, XSI). A handset that does not hear its base (or the base is down) gets `no-service`.
   */
  async lookUpDirectory(input: DirectoryLookupInput): Promise<DirectoryAnswer> {
    const base = this.world.base(input.baseMac);
    if (!base || !base.reachable || !this.hears(input.ipei, input.baseMac)) return { ok: false, problem: 'no-service', detail: 'the base is not in range' };
    return base.lookUpDirectory(input.query, input.ipei);
  }

  /**
   * Deregister from the handset: the base forgets the handset if it can be reached; otherwise only the handset forgets
   * (the base keeps a stale slot until the web admin deregisters it, as with real DECT).
   */
  async detach(input: DetachInput): Promise<{ reachedBase: boolean }> {
    const base = this.world.base(input.baseMac);
    if (!base || !base.reachable || !this.hears(input.ipei, input.baseMac)) return { reachedBase: false };
    if (base.subscriptions.some((h) => h.ipei === input.ipei)) base.deregisterHandset(input.ipei);
    return { reachedBase: true };
  }

  /**
   * The base fetches the handset image from its FirmwareServer (once per base boot and URL: several handsets of a
   * model share one download) before sending it over the air.
   */
  async fetchHandsetImage(input: HandsetImageInput): Promise<FirmwareFetchResult> {
    const base = this.world.base(input.baseMac);
    if (!base || !base.reachable) return { ok: false, code: 'FWU-02', message: 'The base went down during the update' };
    const plan = handsetImagePlan(base.flash.settings, input.model);
    if (!plan.ok) return { ok: false, code: plan.code, message: plan.message };
    const key = `${base.mac} ${base.snapshot.context.bootedAt} ${plan.url}`;
    let image = this.images.get(key);
    if (!image) {
      image = this.world.fetchImage({
        url: plan.url,
        model: imageModel(input.model),
        version: plan.target,
        userAgent: requestIdentity(base.flash),
      });
      this.images.set(key, image);
      // Only successful downloads are kept: a failure is retried on the next attempt.
      void image.then((r) => (r.ok ? undefined : this.images.delete(key)), () => this.images.delete(key));
    }
    return image;
  }

  /** A subscribed, in-service handset reports its firmware and update progress; the base records it. */
  report(baseMac: string, report: HandsetReport): void {
    const base = this.world.base(baseMac);
    if (base && this.hears(report.ipei, baseMac)) base.reportHandset(report);
  }

  /**
   * Brings sync and beacons up to date until nothing changes any more. Bases answer sync reports and handsets answer
   * radio updates synchronously (which calls back into `baseChanged`): those calls only mark the radio dirty.
   */
  private drain(tellAll: boolean): void {
    if (this.draining) return;
    this.draining = true;
    try {
      let tell = tellAll;
      const { changedSites, changedBases, membership } = this.scratch;
      for (let pass = 0; this.dirty && pass < 1000; pass++) {
        this.dirty = false;
        const scope = this.touched;
        this.touched = new Set();
        if (scope === 'all') this.syncChains();
        const index = this.siteIndex();
        const bases = scope === 'all' ? this.world.bases() : [...scope].map((mac) => this.world.base(mac)).filter((b) => b !== undefined);
        for (const base of bases) {
          const before = this.beacons.get(base.mac);
          const after = this.beaconOf(base, before ?? null);
          if (after !== before) {
            this.beacons.set(base.mac, after);
            const site = this.world.siteOfBase(base.mac);
            let local = index.get(site);
            if (!local) index.set(site, (local = new Map()));
            local.set(base.mac, after);
            this.heardOnSite.delete(site);
            if (before && after && sameButSubscribers(before, after)) {
              for (const ipei of symmetricDifference(before.subscribers, after.subscribers)) membership.add(ipei);
            } else if (this.chains.size > 0) {
              changedSites.add(site);
              changedBases.add(base.mac);
            } else {
              // Single-cell: a base coming, going or changing matters to its own subscribers (their link) alone: the
              // Register list is asked for when a scan ends (scanForBases) — see sameForHandset.
              for (const ipei of before?.subscribers ?? []) membership.add(ipei);
              for (const ipei of after?.subscribers ?? []) membership.add(ipei);
            }
          }
        }
        if (tell || changedSites.size > 0) {
          for (const handset of this.world.handsets()) {
            const { site, subscription } = handset.record;
            if (tell || changedSites.has(site) || (subscription !== null && changedBases.has(subscription.baseMac))) this.tell(handset);
          }
          tell = false;
          changedSites.clear();
          changedBases.clear();
        }
        for (const ipei of membership) {
          const handset = this.world.handset(ipei);
          if (handset) this.tell(handset);
        }
        membership.clear();
      }
    } finally {
      // Empty after every pass already; cleared again in case a handset threw in the middle of one.
      for (const set of Object.values(this.scratch)) set.clear();
      this.draining = false;
    }
  }

  /** Groups the multi-cell bases into systems and reports to each running secondary the sync source it hears. */
  private syncChains(): void {
    const members: ChainMember[] = [];
    let maxLevel = 12;
    for (const base of this.world.bases()) {
      const config = base.flash.multiCell;
      if (!config) continue;
      const { context } = base.snapshot;
      maxLevel = base.profile.multiCellMaxChainLevel;
      members.push({
        mac: base.mac,
        config,
        running: base.reachable,
        step: base.syncStep,
        level: context.syncLevel,
        source: context.syncInput?.source ?? null,
      });
    }
    this.chains = planChains(members);
    for (const plan of this.chains.values()) {
      for (const member of plan.members) {
        if (!member.running || member.mac === plan.primary) continue;
        const input = syncInputFor(member, plan, maxLevel);
        const base = this.world.base(member.mac)!;
        if (!sameSyncInput(base.snapshot.context.syncInput, input)) base.send({ type: 'SYNC_SOURCE', ...input });
      }
    }
  }

  private siteIndex(): Map<string, Map<string, BaseBeacon | null>> {
    if (!this.bySite) {
      this.bySite = new Map();
      for (const [mac, beacon] of this.beacons) {
        const site = this.world.siteOfBase(mac);
        let local = this.bySite.get(site);
        if (!local) this.bySite.set(site, (local = new Map()));
        local.set(mac, beacon);
      }
    }
    return this.bySite;
  }

  private tell(handset: RadioHandset): void {
    const update = this.updateFor(handset.record);
    const ipei = handset.record.ipei;
    const serving = update.heard.find((b) => b.mac === handset.record.subscription?.baseMac);
    if (serving) this.cells.set(ipei, serving.cell);
    else this.cells.delete(ipei);
    const last = this.sent.get(ipei);
    if (last && sameForHandset(last, update, handset.record)) return;
    this.sent.set(ipei, update);
    handset.hear(update);
  }

  private beaconOf(base: BaseStation, previous: BaseBeacon | null): BaseBeacon | null {
    if (!base.reachable) return null;
    const config = base.flash.multiCell;
    let source = base;
    if (config) {
      const plan = this.chains.get(config.chainId);
      const member = plan?.members.find((m) => m.mac === base.mac);
      const primary = plan?.primary ? this.world.base(plan.primary) : undefined;
      if (!plan || !member || !primary || !serves(member, plan)) return null;
      source = primary;
    }
    const flash = source.flash;
    const registrationOpen = source.snapshot.context.registration !== null;
    // Most base snapshots leave the flash and the registration window as they were: the beacon made from them stands
    // (every field below comes from these, the MACs and the chain ID).
    if (
      previous &&
      BEACON_FLASH.get(previous) === flash &&
      previous.registrationOpen === registrationOpen &&
      previous.cell === base.mac &&
      previous.mac === source.mac &&
      previous.chainId === (config?.chainId ?? null)
    ) {
      return previous;
    }
    const handsetFirmware = Object.fromEntries(
      HANDSET_MODELS.map((m) => [m, handsetFirmwareTarget(flash.settings, m)]),
    ) as Record<HandsetModel, string | null>;
    const subscribers = flash.handsets.map((h) => h.ipei);
    const next: BaseBeacon = {
      mac: source.mac,
      cell: base.mac,
      chainId: config?.chainId ?? null,
      model: flash.model,
      label: `Rove ${flash.model} ${source.mac.slice(6)}`,
      registrationOpen,
      timeZone: flash.settings.timeZone,
      handsetFirmware,
      subscribers,
    };
    const kept = previous && sameButSubscribers(previous, next) && previous.subscribers.join() === subscribers.join() ? previous : next;
    BEACON_FLASH.set(kept, flash);
    return kept;
  }
}

/** Of two cells of one system, the one a handset stays on or roams to: its current cell, else the primary, else by MAC. */
function preferredCell(candidate: BaseBeacon, other: BaseBeacon, current: string | undefined): boolean {
  if (candidate.cell === current) return true;
  if (other.cell === current) return false;
  if (candidate.cell === candidate.mac) return true;
  if (other.cell === other.mac) return false;
  return candidate.cell < other.cell;
}

/** Why a running base of a system serves no handsets, for the DECT chain view. */
function problemOf(member: ChainMember, plan: ChainPlan): string | null {
  if (!member.running) return null;
  if (plan.conflicts.includes(member.mac)) return `Also configured as Primary: ${plan.primary} is the primary of chain ${plan.chainId}`;
  if (plan.excess.includes(member.mac)) return `Beyond the system combination (${plan.maxBases} bases)`;
  if (plan.primary === null) return `No base of chain ${plan.chainId} is configured as Primary`;
  if (!plan.members.find((m) => m.mac === plan.primary)?.running) return 'The primary (DECT server) is down';
  return null;
}

/** Two beacons of one cell that differ at most in who is subscribed. */
function sameButSubscribers(a: BaseBeacon, b: BaseBeacon): boolean {
  return (
    a.mac === b.mac &&
    a.cell === b.cell &&
    a.chainId === b.chainId &&
    a.model === b.model &&
    a.registrationOpen === b.registrationOpen &&
    a.timeZone === b.timeZone &&
    a.label === b.label &&
    HANDSET_MODELS.every((m) => a.handsetFirmware[m] === b.handsetFirmware[m])
  );
}

function symmetricDifference(a: readonly string[], b: readonly string[]): string[] {
  const inA = new Set(a);
  const inB = new Set(b);
  return [...a.filter((x) => !inB.has(x)), ...b.filter((x) => !inA.has(x))];
}

/**
 * Whether a handset would act differently on `b` than on `a`, the update it has. A subscribed handset uses what it
 * hears only through the out-of-range flag and its serving base's beacon: whether it is heard (and on which cell),
 * its time zone, the firmware it offers for the handset's model, whether it still lists the handset (handset-machine.ts:
 * `servingBeacon`, `hearRadio`, `offeredFirmware`, `dismissedByBase`). Its base opening a registration window, other
 * handsets joining it, other bases coming and going change none of these, so they cost it nothing. An unsubscribed
 * handset is about to subscribe to a base in registration mode, whose beacon must be current when it does (it goes
 * into service on it at once): for it, the bases in registration mode are compared. (The Register list itself is asked
 * for when a scan ends: `scanForBases`.)
 */
function sameForHandset(a: RadioUpdate, b: RadioUpdate, record: HandsetRecord): boolean {
  if (a.outOfRange !== b.outOfRange) return false;
  if (a.heard === b.heard) return true;
  const subscribed = record.subscription?.baseMac;
  if (subscribed !== undefined) return sameServing(beaconOfList(a.heard, subscribed), beaconOfList(b.heard, subscribed), record);
  const openA = OPEN_OF_LIST.get(a.heard) ?? a.heard.filter((x) => x.registrationOpen);
  const openB = OPEN_OF_LIST.get(b.heard) ?? b.heard.filter((x) => x.registrationOpen);
  return openA.length === openB.length && openA.every((x, i) => x === openB[i]);
}

function beaconOfList(heard: readonly BaseBeacon[], mac: string): BaseBeacon | undefined {
  return heard.find((x) => x.mac === mac);
}

/** Two serving beacons the handset acts on alike (see sameForHandset). */
function sameServing(a: BaseBeacon | undefined, b: BaseBeacon | undefined, record: HandsetRecord): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return (
    a.mac === b.mac &&
    a.cell === b.cell &&
    a.timeZone === b.timeZone &&
    a.handsetFirmware[record.model] === b.handsetFirmware[record.model] &&
    a.subscribers.includes(record.ipei) === b.subscribers.includes(record.ipei)
  );
}
