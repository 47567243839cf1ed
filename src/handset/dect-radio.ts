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
 * sends each handset a `RADIO` update only when what it hears changed, so a base's ordinary status changes cost nothing.
 *
 * Multi-cell (Rove B4 chains) is **not modelled yet**. Where it plugs in: a beacon would carry the system (chain ID)
 * and the base's sync state (Locked, Free running, Searching, Sync lost, Unknown [RTX]); a handset's subscription would
 * name the system rather than one base, so `servingBeacon()` in handset-machine.ts would accept any heard base of the
 * system (roaming); the primary's flash would hold the subscriptions for the whole system; and a secondary would stop
 * transmitting (beacon null) while it has no sync to a running primary, which makes a primary reboot take the whole
 * system down and a secondary reboot only its own cell. Enabling it needs base settings (Multi-cell page: enable →
 * save and reboot, chain ID, primary/secondary, data sync mode, system combination) and a sync region in base-machine.ts.
 */
import type { BaseModel } from '../base-station/base-flash.ts';
import type { FirmwareFetchInput, FirmwareFetchResult } from '../base-station/base-machine.ts';
import { requestIdentity } from '../base-station/base-flash.ts';
import type { BaseStation } from '../base-station/base-station.ts';
import type { HandsetReport, SubscriptionRefusal, SubscriptionRequest } from '../base-station/handset-subscriptions.ts';
import { handsetFirmwareTarget, handsetImagePlan } from './handset-firmware.ts';
import { HANDSET_MODELS, type HandsetModel, type HandsetRecord, imageModel } from './handset-record.ts';

/** What a running base broadcasts, as far as handsets care. */
export interface BaseBeacon {
  mac: string;
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

/** The base's answer to an access rights request; `no-base` when the chosen base is no longer heard. */
export type SubscribeOutcome = { ok: true; slot: number } | { ok: false; reason: SubscriptionRefusal | 'no-base' };

export interface DetachInput {
  baseMac: string;
  ipei: string;
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

const NOTHING_HEARD: RadioUpdate = Object.freeze({ heard: Object.freeze([]), outOfRange: false });

export class DectRadio {
  private readonly beacons = new Map<string, BaseBeacon | null>();
  private readonly sent = new Map<string, RadioUpdate>();
  private readonly images = new Map<string, Promise<FirmwareFetchResult>>();

  constructor(private readonly world: RadioWorld) {}

  /** Call whenever a base changes (every snapshot): handsets are told only if its beacon changed. */
  baseChanged(base: BaseStation): void {
    const before = this.beacons.get(base.mac);
    const after = this.beaconOf(base, before ?? null);
    if (after === before) return;
    this.beacons.set(base.mac, after);
    for (const handset of this.world.handsets()) this.tell(handset);
  }

  /** Call after a base moved to another site. */
  placementChanged(): void {
    for (const handset of this.world.handsets()) this.tell(handset);
  }

  /** Call after a handset was added, moved, or carried in or out of range. */
  handsetChanged(handset: RadioHandset): void {
    this.tell(handset);
  }

  /** What a handset with this record hears now. */
  updateFor(record: HandsetRecord): RadioUpdate {
    const subscribed = record.subscription?.baseMac;
    const subscribedBaseUp = subscribed !== undefined && Boolean(this.beacons.get(subscribed));
    if (record.outOfRange) return { heard: [], outOfRange: subscribedBaseUp };
    const heard: BaseBeacon[] = [];
    for (const [mac, beacon] of this.beacons) {
      if (beacon && this.world.siteOfBase(mac) === record.site) heard.push(beacon);
    }
    const outOfRange = subscribedBaseUp && !heard.some((b) => b.mac === subscribed);
    return heard.length === 0 && !outOfRange ? NOTHING_HEARD : { heard, outOfRange };
  }

  /** True when the handset hears that base now. */
  hears(ipei: string, baseMac: string): boolean {
    const handset = this.world.handset(ipei);
    return handset ? this.updateFor(handset.record).heard.some((b) => b.mac === baseMac) : false;
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

  private tell(handset: RadioHandset): void {
    const update = this.updateFor(handset.record);
    const last = this.sent.get(handset.record.ipei);
    if (last && sameUpdate(last, update)) return;
    this.sent.set(handset.record.ipei, update);
    handset.hear(update);
  }

  private beaconOf(base: BaseStation, previous: BaseBeacon | null): BaseBeacon | null {
    if (!base.reachable) return null;
    const flash = base.flash;
    const handsetFirmware = Object.fromEntries(
      HANDSET_MODELS.map((m) => [m, handsetFirmwareTarget(flash.settings, m)]),
    ) as Record<HandsetModel, string | null>;
    const subscribers = flash.handsets.map((h) => h.ipei);
    const next: BaseBeacon = {
      mac: base.mac,
      model: flash.model,
      label: `Rove ${flash.model} ${base.mac.slice(6)}`,
      registrationOpen: base.snapshot.context.registration !== null,
      timeZone: flash.settings.timeZone,
      handsetFirmware,
      subscribers,
    };
    if (
      previous &&
      previous.registrationOpen === next.registrationOpen &&
      previous.timeZone === next.timeZone &&
      previous.label === next.label &&
      HANDSET_MODELS.every((m) => previous.handsetFirmware[m] === handsetFirmware[m]) &&
      previous.subscribers.join() === subscribers.join()
    ) {
      return previous;
    }
    return next;
  }
}

function sameUpdate(a: RadioUpdate, b: RadioUpdate): boolean {
  return a.outOfRange === b.outOfRange && a.heard.length === b.heard.length && a.heard.every((x, i) => x === b.heard[i]);
}
