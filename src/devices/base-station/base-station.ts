/**
 * A running base station: its machine (actor), its flash persistence, and the read-outs its web admin and the
 * control API show. Everything a user does to a base goes through here.
 */
import { createActor, type Actor, type SnapshotFrom } from 'xstate';
import type { Clock } from '../../kernel/virtual-clock.ts';
import { Signal } from '../../kernel/listeners.ts';
import {
  type AdminPassword,
  type BaseFlash,
  type HandsetSubscription,
  type MultiCellConfig,
  type RebootLogEntry,
  withCurrentSettings,
} from './base-flash.ts';
import { multiCellFromSettings, multiCellPending, SINGLE_CELL_REFUSAL, type SyncStep } from './multi-cell.ts';
import { type ActivityStatus, type BaseEvent, type BaseMachine } from './base-machine.ts';
import type { BaseFirmwareProfile } from './firmware-profile.ts';
import { type BaseSettings, checkSettings, type SettingKey } from './parameters.ts';
import type { Checked } from '../../kernel/result.ts';
import { type DirectoryAnswer, type LdapSearch, lookUp } from './central-directory.ts';
import { hashPassword, verifyPassword } from './admin-password.ts';
import {
  decideSubscription,
  firstFreeSlot,
  type HandsetReport,
  subscriptionOf,
  type SubscriptionDecision,
  type SubscriptionRequest,
  withHandsetReport,
} from './handset-subscriptions.ts';
import {
  ERR_BASE_NOT_RUNNING,
  ERR_HANDSET_NOT_SUBSCRIBED,
  ERR_MULTI_CELL_SECONDARY,
  ERR_SLOT_INVALID,
  ERR_SLOT_IN_USE,
} from '../../kernel/error-catalogue.ts';

/** What a base is doing, as lists, the API and scenario conditions (`state`) name it. */
export const BASE_STATES = ['off', 'booting', 'running', 'rebooting'] as const;
export type BaseState = (typeof BASE_STATES)[number];

export interface BaseStatusView {
  mac: string;
  model: 'B2' | 'B4';
  firmware: string;
  state: BaseState;
  /** Seconds since the last boot finished, or null while not running. */
  uptimeSeconds: number | null;
  reboots: number;
  rebootLog: RebootLogEntry[];
  firmwareUpdate: ActivityStatus;
  firmwareStep: string;
  lastFirmwareUpdate: { from: string; to: string; at: number } | null;
  provisioning: ActivityStatus;
  provisioningStep: string;
  pendingProvisioningReboots: number;
  rebootPending: string | null;
  registration: { slot: number; until: number } | null;
  activeCalls: number;
  multiCell: MultiCellStatus;
}

/** Multi-cell as the base itself knows it (the system view is the DECT radio's `chain()`). */
export interface MultiCellStatus {
  /** The configuration the base runs; null: single cell. */
  running: MultiCellConfig | null;
  /** What the saved settings ask for (applied at the next reboot). */
  saved: MultiCellConfig | null;
  /** Saved settings differ from what runs: a reboot applies them. */
  pending: boolean;
  /** The `dectSync` region's state (null while the base is down). */
  syncStep: SyncStep | null;
  /** Chain level while synchronised (primary = 1). */
  chainLevel: number | null;
  /** The base it takes DECT sync from, as the radio last reported. */
  syncSource: string | null;
}

export interface BaseStationOptions {
  flash: BaseFlash;
  profile: Readonly<BaseFirmwareProfile>;
  clock: Clock;
  machine: BaseMachine;
  /** Called with the new flash whenever it changes (the lab writes it to the lab file). */
  persist: (flash: BaseFlash) => void;
  /** The LDAP client (ldap-lookup.ts): real I/O, provided by the lab. */
  ldapSearch?: LdapSearch;
}

/** The last directory lookup, as the Central Directory page shows it (kept in memory, not in the flash). */
export interface DirectoryLookupRecord {
  at: number;
  /** Who asked: a handset's IPEI, or `web admin`. */
  from: string;
  query: string;
  answer: DirectoryAnswer;
}

export class BaseStation {
  readonly actor: Actor<BaseMachine>;
  readonly profile: Readonly<BaseFirmwareProfile>;
  private readonly clock: Clock;
  private lastFlash: BaseFlash;
  private readonly changes = new Signal<BaseStation>();
  private readonly ldapSearch: LdapSearch | undefined;
  /** The latest directory lookup (web admin: Central Directory). */
  lastDirectoryLookup: DirectoryLookupRecord | null = null;

  constructor(options: BaseStationOptions) {
    this.clock = options.clock;
    this.ldapSearch = options.ldapSearch;
    this.profile = options.profile;
    const flash = withCurrentSettings(options.flash);
    this.lastFlash = flash;
    this.actor = createActor(options.machine, {
      clock: options.clock,
      input: { flash, profile: options.profile, now: () => options.clock.now() },
    });
    this.actor.subscribe((snapshot) => {
      if (snapshot.context.flash !== this.lastFlash) {
        this.lastFlash = snapshot.context.flash;
        options.persist(snapshot.context.flash);
      }
      this.changes.emit(this);
    });
    this.actor.start();
    // A simulator restart is a power cycle for every device that was powered (xstate cannot restore timers).
    if (flash.powered) this.actor.send({ type: 'POWER_ON' });
  }

  get mac(): string {
    return this.flash.mac;
  }

  get flash(): BaseFlash {
    return this.snapshot.context.flash;
  }

  get snapshot(): SnapshotFrom<BaseMachine> {
    return this.actor.getSnapshot();
  }

  get state(): BaseState {
    const v = this.snapshot.value;
    return (typeof v === 'string' ? v : 'running') as BaseState;
  }

  /** The base's web server answers only while the firmware is up. */
  get reachable(): boolean {
    return this.state === 'running';
  }

  onChange(listener: (station: BaseStation) => void): () => void {
    return this.changes.on(listener);
  }

  send(event: BaseEvent): void {
    this.actor.send(event);
  }

  setPower(on: boolean): void {
    this.send({ type: on ? 'POWER_ON' : 'POWER_OFF' });
  }

  /**
   * Checks and saves settings; nothing is saved unless every value is valid. Multi-cell settings are saved here and
   * applied at the next boot; a Rove B2 refuses to enable multi-cell.
   */
  updateSettings(input: Partial<Record<SettingKey, unknown>>): Checked<Partial<BaseSettings>> {
    const checked = checkSettings(input);
    if (checked.ok && checked.value.multiCellSystem === 'Enabled' && this.flash.model !== 'B4') {
      return { ok: false, errors: [{ field: 'Multi cell system', message: `Multi cell system: ${SINGLE_CELL_REFUSAL}` }] };
    }
    if (checked.ok) this.send({ type: 'UPDATE_SETTINGS', settings: checked.value });
    return checked;
  }

  /**
   * A central directory lookup for a handset's Contacts (over the air) or the web admin's test search: Local entries,
   * a real LDAP search, or XSI's "not reachable" (central-directory.ts). A base that is not running answers nothing.
   */
  async lookUpDirectory(query: string, from: string): Promise<DirectoryAnswer> {
    if (!this.reachable) return { ok: false, problem: 'no-service', detail: `the base is ${this.state}` };
    const answer = await lookUp(this.flash, query, { maxHits: this.profile.directoryMaxHits, from, ldap: this.ldapSearch });
    this.lastDirectoryLookup = { at: this.clock.now(), from, query, answer };
    return answer;
  }

  /** Multi-cell: the running role is secondary (handsets are registered on the primary). */
  get isSecondary(): boolean {
    return this.flash.multiCell?.role === 'secondary';
  }

  /** The `dectSync` region's state while running. */
  get syncStep(): SyncStep | null {
    const value = this.snapshot.value;
    return typeof value === 'object' && 'running' in value ? ((value.running as { dectSync?: SyncStep }).dectSync ?? null) : null;
  }

  /** True while the factory default password (admin) is still in place. */
  get mustChangePassword(): boolean {
    return this.flash.adminPassword === null;
  }

  checkAdminPassword(password: string): boolean {
    const stored: AdminPassword | null = this.flash.adminPassword;
    return stored === null ? password === 'admin' : verifyPassword(password, stored);
  }

  setAdminPassword(password: string): void {
    this.send({ type: 'SET_ADMIN_PASSWORD', password: hashPassword(password) });
  }

  /** Handsets subscribed to this base, by slot. */
  get subscriptions(): readonly HandsetSubscription[] {
    return this.flash.handsets;
  }

  /**
   * Specific Handsets → Register: opens the base for handset registration (5 minutes, profile `registrationWindowMs`)
   * for `slot`, or for the first free slot when no slot is given. Refuses a slot that is out of range or in use.
   */
  openRegistration(slot?: number): void {
    this.requireRunning('open registration');
    if (this.isSecondary) {
      throw new ERR_MULTI_CELL_SECONDARY(this.mac, this.flash.multiCell!.chainId);
    }
    const slots = this.profile.handsetSlots;
    if (slot === undefined) {
      // Opening without a slot is still possible on a full base; the handset is then refused with "Base full".
      this.send({ type: 'OPEN_REGISTRATION', slot: firstFreeSlot(this.flash, slots) ?? 0 });
      return;
    }
    if (!Number.isInteger(slot) || slot < 1 || slot > slots) {
      throw new ERR_SLOT_INVALID(slots, slot);
    }
    const holder = this.flash.handsets.find((h) => h.slot === slot);
    if (holder) throw new ERR_SLOT_IN_USE(slot, holder.ipei);
    this.send({ type: 'OPEN_REGISTRATION', slot });
  }

  /**
   * A handset asks for access rights over the air (the lab's DECT radio calls this). Returns the base's decision;
   * when accepted, the subscription is in the flash before this returns.
   */
  registerHandset(request: SubscriptionRequest): SubscriptionDecision {
    if (!this.reachable) return { ok: false, reason: 'window-closed', message: `The base is ${this.state}` };
    const decision = decideSubscription(this.flash, this.snapshot.context.registration, request, this.profile.handsetSlots);
    if (decision.ok) this.send({ type: 'SUBSCRIBE_HANDSET', request });
    return decision;
  }

  /** Removes a handset's subscription (the web admin's deregister, or the handset's own Deregister over the air). */
  deregisterHandset(ipei: string): void {
    this.requireRunning('deregister a handset');
    if (!subscriptionOf(this.flash, ipei)) {
      throw new ERR_HANDSET_NOT_SUBSCRIBED(ipei, this.mac);
    }
    this.send({ type: 'UNSUBSCRIBE_HANDSET', ipei });
  }

  /** Firmware and over-the-air progress a subscribed handset reports; ignored while the base is down. */
  reportHandset(report: HandsetReport): void {
    // A report that would leave the flash as it is (a handset coming into service with what the base already holds)
    // changes nothing in the machine but its context object: it is not sent (a third of all reports in a rollout).
    if (this.reachable && withHandsetReport(this.flash, report) !== this.flash) this.send({ type: 'HANDSET_REPORT', ...report });
  }

  status(): BaseStatusView {
    const { context, value } = this.snapshot;
    const running = typeof value === 'object' ? value.running : undefined;
    return {
      mac: context.flash.mac,
      model: context.flash.model,
      firmware: context.flash.firmware,
      state: this.state,
      uptimeSeconds: context.bootedAt === null ? null : Math.floor((this.clock.now() - context.bootedAt) / 1000),
      reboots: context.flash.reboots.count,
      rebootLog: context.flash.reboots.log,
      firmwareUpdate: context.firmware,
      firmwareStep: running?.firmware ?? this.state,
      lastFirmwareUpdate: context.lastFirmwareUpdate,
      provisioning: context.provisioning,
      provisioningStep: running?.provisioning ?? this.state,
      pendingProvisioningReboots: context.flash.provisioning.pendingSwitchReboots,
      rebootPending: context.rebootRequested,
      registration: context.registration,
      activeCalls: context.activeCalls,
      multiCell: {
        running: context.flash.multiCell ?? null,
        saved: multiCellFromSettings(context.flash.model, context.flash.settings),
        pending: multiCellPending(context.flash),
        syncStep: this.syncStep,
        chainLevel: context.syncLevel,
        syncSource: context.syncInput?.source ?? null,
      },
    };
  }

  stop(): void {
    this.actor.stop();
  }

  private requireRunning(what: string): void {
    if (!this.reachable) throw new ERR_BASE_NOT_RUNNING(this.mac, this.state, what);
  }
}
