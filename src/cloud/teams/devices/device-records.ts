/**
 * The gateway's device registry: one `teams-device` record per hardware id, in memory and written through to the
 * document store, changed only by running an event through `deviceMachine` (device-machine.ts, state diagram there),
 * and the change announcements (`DeviceChange`) listeners get.
 *
 * Speed (a full-scale rehearsal applies ~17,000 SEEN): SEEN, a guardless self-transition that only assigns contact
 * fields, is applied with the machine's own assignment and no macrostep (see {@link DeviceRecords.seen}); for other
 * events the machine snapshot a record was made from is kept with it (see {@link DeviceRecords.snapshotOf}) and they
 * run through the machine's one reused inert actor scope (`nextDeviceSnapshot`): SEEN 90 → 14 µs → ~2 µs.
 */
import type { DocumentStore } from '../../../kernel/document-store.ts';
import { ERR_DEVICE_NOT_FOUND } from '../../../kernel/error-catalogue.ts';
import { Listeners } from '../../../kernel/listeners.ts';
import type { Clock } from '../../../kernel/virtual-clock.ts';
import type { GatewayProfile } from '../gateway-profile.ts';
import type { Region } from '../regions.ts';
import type { DeviceChange, DeviceChangeExtra } from './device-change.ts';
import {
  type DeviceContext,
  type DeviceEvent,
  type DeviceSnapshot,
  type DeviceState,
  deviceMachine,
  nextDeviceSnapshot,
  type SeenEvent,
  seenAccepted,
  seenUpdate,
  type TeamsDevice,
} from './device-machine.ts';
import { deviceView, type DeviceView } from './device-view.ts';
import { normalizeHardwareId } from './hardware-id.ts';

export const DEVICE_KIND = 'teams-device';

export interface DeviceRecordsOptions {
  store: DocumentStore;
  clock: Clock;
  profile: Readonly<GatewayProfile>;
  /** Called with every record an event changed (the gateway's timer brings its deadline forward if need be). */
  onRecordChanged: (record: TeamsDevice) => void;
}

export class DeviceRecords {
  private readonly byId = new Map<string, TeamsDevice>();
  /** The machine snapshot each record was made from (see snapshotOf). */
  private readonly snapshots = new WeakMap<TeamsDevice, DeviceSnapshot>();
  /** A listener that throws stops the announcement and reaches the caller, as it always has. */
  private readonly listeners = new Listeners<{ change: DeviceChange }>((error) => {
    throw error;
  });
  private readonly store: DocumentStore;
  private readonly clock: Clock;
  private readonly profile: Readonly<GatewayProfile>;
  private readonly recordChanged: (record: TeamsDevice) => void;

  constructor(options: DeviceRecordsOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.profile = options.profile;
    this.recordChanged = options.onRecordChanged;
    this.reload();
  }

  /** Reads every device record again from the store (start and checkpoint restore). */
  reload(): void {
    this.byId.clear();
    for (const d of this.store.list<TeamsDevice>(DEVICE_KIND)) this.byId.set(d.hardwareId, d);
  }

  // ─── Lookups ─────────────────────────────────────────────────────────────────────────────────────────────────

  /** The record under an id already in stored form (12 lower-case hex digits). */
  get(id: string): TeamsDevice | undefined {
    return this.byId.get(id);
  }

  /** The stored record of a device (any state), by hardware id in any accepted form. */
  record(hardwareId: string): TeamsDevice | undefined {
    const id = normalizeHardwareId(hardwareId);
    return id ? this.byId.get(id) : undefined;
  }

  /** Every record, in the order they were added. */
  all(): IterableIterator<TeamsDevice> {
    return this.byId.values();
  }

  view(d: TeamsDevice): DeviceView {
    return deviceView(d, this.clock.now(), this.profile);
  }

  devices(): DeviceView[] {
    return [...this.byId.values()].map((d) => this.view(d));
  }

  device(hardwareId: string): DeviceView | undefined {
    const d = this.record(hardwareId);
    return d ? this.view(d) : undefined;
  }

  /** Like {@link device} but throws DEVICE_NOT_FOUND. */
  requireDevice(hardwareId: string): DeviceView {
    const d = this.device(hardwareId);
    if (!d) throw new ERR_DEVICE_NOT_FOUND(hardwareId);
    return d;
  }

  /** State and region of a device without building its view (the lab asks per handset on every line refresh). */
  deviceState(hardwareId: string): { state: DeviceState; region: Region | null } | undefined {
    const d = this.record(hardwareId);
    return d ? { state: d.state, region: d.region } : undefined;
  }

  /** The device showing this pairing code (codes are unique among devices). */
  findPairing(code: string): TeamsDevice | undefined {
    if (code === '') return undefined;
    for (const d of this.byId.values()) if (d.pairing?.code === code) return d;
    return undefined;
  }

  // ─── Changes ─────────────────────────────────────────────────────────────────────────────────────────────────

  /** Stores a new record as it is (adding a device: the machine's initial state). */
  insert(device: TeamsDevice): void {
    this.byId.set(device.hardwareId, device);
    this.store.put(DEVICE_KIND, device.hardwareId, device);
  }

  /** Runs an event through the device machine; returns false (and changes nothing) when the machine refuses it. */
  apply(hardwareId: string, event: DeviceEvent): boolean {
    const device = this.byId.get(hardwareId);
    if (!device) return false;
    if (event.type === 'SEEN') return this.seen(device, event);
    const snapshot = this.snapshotOf(device);
    const next = nextDeviceSnapshot(snapshot, event);
    if (next === snapshot) return false;
    const history = next.context.history;
    const record: TeamsDevice = {
      ...next.context,
      // The machine's own array when it is short enough (records are never changed in place), so the record stays
      // exactly its snapshot's context and the next event can start from that snapshot.
      history: history.length > this.profile.historySize ? history.slice(0, this.profile.historySize) : history,
      state: next.value as DeviceState,
    };
    this.snapshots.set(record, next);
    this.byId.set(hardwareId, record);
    this.store.put(DEVICE_KIND, hardwareId, record);
    this.recordChanged(record);
    return true;
  }

  /**
   * SEEN without a macrostep: a guardless self-transition whose only action assigns the contact fields
   * (`seenUpdate`), so the record is built as xstate's `assign` builds the next context (`Object.assign({}, context,
   * update)`, same key order) and stored as {@link apply} stores it. It comes with every REGISTER and provisioning
   * fetch (~17,000 in a full-scale rehearsal, 21 µs each through the machine plus resolving the snapshot again). The
   * new record keeps no snapshot: the next other event resolves one from the record (snapshotOf).
   */
  private seen(device: TeamsDevice, event: SeenEvent): boolean {
    if (!seenAccepted(device.state)) return false;
    const { state, ...context } = device;
    const record = Object.assign(context, seenUpdate(context, event)) as TeamsDevice;
    const history = record.history;
    record.history = history.length > this.profile.historySize ? history.slice(0, this.profile.historySize) : history;
    record.state = state;
    this.byId.set(device.hardwareId, record);
    this.store.put(DEVICE_KIND, device.hardwareId, record);
    this.recordChanged(record);
    return true;
  }

  onDeviceChange(listener: (change: DeviceChange) => void): () => void {
    return this.listeners.on('change', listener);
  }

  /** Announces a change of the device now stored under `hardwareId`. */
  emitFor(kind: DeviceChange['kind'], hardwareId: string, extra: DeviceChangeExtra = {}): DeviceChange {
    return this.emit(kind, this.byId.get(hardwareId)!, extra);
  }

  emit(kind: DeviceChange['kind'], device: TeamsDevice, extra: DeviceChangeExtra = {}): DeviceChange {
    const view = this.view(device);
    const change: DeviceChange = {
      kind,
      hardwareId: device.hardwareId,
      ipei: view.ipei,
      region: device.region,
      at: this.clock.now(),
      checkSync: extra.checkSync ?? false,
      reboot: extra.reboot ?? false,
      ...(extra.pairing ? { pairing: extra.pairing } : {}),
      device: view,
    };
    this.listeners.emit('change', change);
    return change;
  }

  /**
   * The machine snapshot of a stored record. Resolving one (`resolveState`) costs about as much as the transition
   * itself, and a record changes on every SEEN (every REGISTER and provisioning fetch), so the snapshot a record was
   * made from is kept with it and reused while the record is still exactly that snapshot's context (same value in
   * every field; the `history` slice to `historySize` or a record read from the lab file makes it resolve again).
   */
  private snapshotOf(device: TeamsDevice): DeviceSnapshot {
    const kept = this.snapshots.get(device);
    if (kept && kept.value === device.state && sameFields(kept.context, device)) return kept;
    const { state, ...context } = device;
    return deviceMachine.resolveState({ value: state, context });
  }
}

/** `device` is `context` plus its `state`: every field of the context holds the very same value in the record. */
function sameFields(context: DeviceContext, device: TeamsDevice): boolean {
  let n = 0;
  for (const key in context) {
    if ((context as Record<string, unknown>)[key] !== (device as unknown as Record<string, unknown>)[key]) return false;
    n++;
  }
  let m = 0;
  for (const key in device) if (key !== 'state') m++;
  return n === m;
}
