/**
 * A lab: the world being simulated (bases, handsets, SIP servers and lines, the Teams tenant and gateway), its one clock, its lab
 * file, and the emulated internet with its servers. `Lab.open()` loads a lab file (creating the default lab when the
 * file is new); `close()` flushes and stops everything.
 */
import type { FastifyInstance } from 'fastify';
import { fromPromise } from 'xstate';
import { VirtualClock } from '../kernel/virtual-clock.ts';
import { Signal } from '../kernel/listeners.ts';
import { BASE_MODELS, type BaseFlash, type BaseModel, FACTORY_FIRMWARE, factoryFlash } from '../devices/base-station/base-flash.ts';
import { baseMachine, type BaseMachine } from '../devices/base-station/base-machine.ts';
import { BaseStation } from '../devices/base-station/base-station.ts';
import { type BaseFirmwareProfile, profileByName } from '../devices/base-station/firmware-profile.ts';
import { isDotted } from '../devices/base-station/firmware-version.ts';
import { fetchFirmwareImage, fetchProvisioningFiles } from '../devices/base-station/http-fetchers.ts';
import { buildFirmwareServer } from '../cloud/firmware-server/firmware-server.ts';
import { DectRadio } from '../air/dect-radio.ts';
import { Handset } from '../devices/handset/handset.ts';
import { handsetMachine, type HandsetMachine } from '../devices/handset/handset-machine.ts';
import { type HandsetFirmwareProfile, handsetProfileByName } from '../devices/handset/handset-profile.ts';
import {
  DEFAULT_SITE,
  HANDSET_MODELS,
  type HandsetModel,
  type HandsetRecord,
  isLanguage,
  LANGUAGES,
  newHandsetRecord,
} from '../devices/handset/handset-record.ts';
import { checkIpei, ipeiSequence } from '../devices/handset/ipei.ts';
import { EmulatedInternet } from '../network/emulated-internet.ts';
import { type LocalSocket, openLocalSocket } from '../network/local-socket.ts';
import { LdapServer } from '../network/ldap/ldap-server.ts';
import { LAB_DIRECTORY_HOST, LAB_DIRECTORY_PORT, labDirectoryOptions } from '../cloud/directory/lab-directory.ts';
import { ldapLookup } from '../devices/base-station/ldap-lookup.ts';
import type { LdapSearch } from '../devices/base-station/central-directory.ts';
import {
  ERR_BASE_EXISTS,
  ERR_BASE_MAC_INVALID,
  ERR_BASE_MODEL_INVALID,
  ERR_BASE_NOT_FOUND_2,
  ERR_FIRMWARE_INVALID,
  ERR_HANDSET_EXISTS,
  ERR_HANDSET_MODEL_INVALID,
  ERR_HANDSET_NOT_FOUND_2,
  ERR_IPEI_INVALID,
  ERR_LANGUAGE_INVALID,
  ERR_SITE_INVALID_2,
} from '../kernel/error-catalogue.ts';
import { normalizeMac } from '../kernel/mac.ts';
import { TeamsGateway } from '../cloud/teams/gateway.ts';
import { TeamsSipEdge } from '../cloud/teams/sip-edge/teams-sip-edge.ts';
import type { RandomInt } from '../cloud/teams/devices/codes.ts';
import type { GatewayProfile } from '../cloud/teams/gateway-profile.ts';
import { buildProvisioningService, TEAMS_PROVISIONING_HOSTS } from '../cloud/teams/provisioning/provisioning-service.ts';
import { DEFAULT_LAB, type LabTemplate, templateSipConfig } from './default-lab.ts';
import type { AddBaseInput, AddHandsetInput } from './lab-inputs.ts';
import type { BaseSurroundings, DectSummaryRow } from '../devices/base-station/base-surroundings.ts';
import { LineWiring } from './line-wiring.ts';
import type { LineProfile } from '../sip/line/line-profile.ts';
import { installSipSpeedups, sipSpeedupsWanted } from '../sip/speed/sip-speedups.ts';
import { LabFileError, LabStore } from './lab-store.ts';
import { isTlsIdentity, makeTlsIdentity, type TlsIdentity } from '../sip/server/tls-identity.ts';

/**
 * The names a scenario or an inventory gave the lab's devices (`deviceNames` meta), so that a lab written by
 * `rehearse --lab` or `plan import --lab` shows them live: bases by MAC, handsets by IPEI.
 */
export interface DeviceNames {
  bases: Record<string, { name: string; site: string }>;
  handsets: Record<string, string>;
}

/** What made a lab file, when it was not `rove-sim start` (the `madeBy` meta). */
export interface LabOrigin {
  /** `rehearsal`: `rove-sim rehearse --lab` (where the rehearsal ended); `plan-import`: `rove-sim plan import --lab` (not run yet). */
  kind: 'rehearsal' | 'plan-import';
  /** The scenario's name. */
  scenario: string;
}

export interface LabOptions {
  /** Lab file path, or `:memory:` for a throw-away lab. */
  file: string;
  /** Use this clock (tests pass a paused one). Default: real time from the lab's saved virtual time. */
  clock?: VirtualClock;
  speed?: number;
  /** Firmware behaviour profile for every base (default: the one saved in the lab, else `rove-8.0`). */
  profile?: string;
  /** Override single profile values (e.g. shorter boots in a test). */
  profileOverrides?: Partial<BaseFirmwareProfile>;
  /** Resolve host names that are not emulated through real DNS (default false: no real network). */
  realDns?: boolean;
  /** Create the default lab when the file is new (default true). */
  seedDefaultLab?: boolean;
  /** Which default lab a new file gets (default `factory`: nothing configured; default-lab.ts). */
  template?: LabTemplate;
  /**
   * The lab is being built by its caller (a scenario): what builds it, kept in the file until `finishBuilding()`, so
   * a build killed half-way is refused on the next open instead of running as if it were complete.
   */
  building?: string;
  /**
   * What made the lab, kept in the file (`madeBy` meta): a rehearsal's lab (`rove-sim rehearse --lab`) runs on its own
   * clock when started again, see {@link Lab.open}.
   */
  madeBy?: LabOrigin;
  /** Handset firmware behaviour profile (default: the one saved in the lab, else `rove-8.0`; handset-profile.ts). */
  handsetProfile?: string;
  /** Override single handset profile values by name. */
  handsetProfileOverrides?: Partial<HandsetFirmwareProfile>;
  /** Seed of the IPEIs the lab generates for new handsets (default: the one saved in the lab, else a fixed one). */
  ipeiSeed?: number;
  /** Override Teams SIP Gateway durations and limits by name (src/cloud/teams/gateway-profile.ts). */
  teamsProfile?: Partial<GatewayProfile>;
  /** Source of verification and pairing codes (rehearsals pass a seeded one; default: crypto). */
  teamsRandom?: RandomInt;
  /** Override SIP line behaviour by name (storm pacing, refresh, retries: src/sip/line/line-profile.ts). */
  lineProfile?: Partial<LineProfile>;
}

/** What `addBase` and `addHandset` take (declared apart so default-lab.ts need not import the lab). */
export type { AddBaseInput, AddHandsetInput } from './lab-inputs.ts';

const BASE_KIND = 'base';
const HANDSET_KIND = 'handset';
const BASE_SITE_KIND = 'base-site';
/** IPEI seed of a lab that never chose one: reproducible IPEIs for the default lab. */
const DEFAULT_IPEI_SEED = 20_261_102;
/** Polycom's IEEE OUI, for generated base MACs. */
const POLY_OUI = '0004F2';

export class Lab {
  readonly bases = new Map<string, BaseStation>();
  /** Handsets by IPEI: one root actor each (not children of one parent: stack.md). */
  readonly handsets = new Map<string, Handset>();
  /** The DECT air between bases and handsets (src/air/dect-radio.ts). */
  readonly radio: DectRadio;
  private readonly handsetMachine: HandsetMachine;
  private handsetProfileInUse: Readonly<HandsetFirmwareProfile> = handsetProfileByName('rove-8.0');
  private ipeiSeed = DEFAULT_IPEI_SEED;
  /** Where {@link nextIpei} goes on in the seeded sequence; forgotten when the handsets are reloaded. */
  private ipeiCursor: { seed: number; source: Generator<string, never>; generated: string[]; firstFree: number } | null = null;
  private readonly baseSites = new Map<string, string>();
  private readonly handsetAdded = new Signal<Handset>();
  private readonly machine: BaseMachine;
  private servers: FastifyInstance[] = [];
  /** The servers' local sockets, through which the devices reach them (local-socket.ts). */
  private localSockets: LocalSocket[] = [];
  private readonly baseAdded = new Signal<BaseStation>();
  private saveClockTimer: NodeJS.Timeout | undefined;
  /** The emulated Microsoft Teams SIP Gateway and its tenant (src/cloud/teams/). */
  readonly teams: TeamsGateway;
  /** The Teams SIP gateway's SIP side: one SIP server per region (src/cloud/teams/sip-edge/). */
  readonly teamsSipEdge: TeamsSipEdge;
  /** SIP: the lab's embedded server and each base's lines, handed to the handsets (line-wiring.ts). */
  readonly telephony: LineWiring;
  /** Firmware server paths that answer 404 as if missing (fault injection: src/live/faults/). */
  readonly firmwareHidden = new Set<string>();
  /** The company directory at ldap.lab.test (src/cloud/directory/lab-directory.ts): a real LDAP server on loopback. */
  readonly directory = new LdapServer(labDirectoryOptions());
  private readonly ldapSearch: LdapSearch;

  private constructor(
    readonly store: LabStore,
    readonly clock: VirtualClock,
    readonly internet: EmulatedInternet,
    readonly profile: Readonly<BaseFirmwareProfile>,
    teamsOptions: { seed: boolean; profile?: Partial<GatewayProfile>; random?: RandomInt; lineProfile?: Partial<LineProfile> },
  ) {
    this.teams = new TeamsGateway({
      store,
      clock,
      baseMacs: () => this.bases.keys(),
      // A base that is switched on reaches the gateway (a reboot is too short for the gateway to call it offline).
      labNetwork: {
        baseOnline: (mac) => {
          const base = this.bases.get(mac);
          return base !== undefined && base.flash.powered && base.state !== 'off';
        },
        siteOfBase: (mac) => (this.bases.has(mac) ? this.siteOfBase(mac) : undefined),
      },
      seed: teamsOptions.seed ? DEFAULT_LAB.tenant : null,
      ...(teamsOptions.profile ? { profile: teamsOptions.profile } : {}),
      ...(teamsOptions.random ? { random: teamsOptions.random } : {}),
    });
    this.teamsSipEdge = new TeamsSipEdge({ clock, teams: this.teams });
    this.telephony = new LineWiring({
      clock,
      teamsSip: this.teamsSipEdge,
      handset: (ipei) => this.handsets.get(ipei),
      network: internet,
      ...(teamsOptions.lineProfile ? { lineProfile: teamsOptions.lineProfile } : {}),
    });
    const deps = { internet, clock, timeoutMs: profile.httpTimeoutMs, deadlineMs: profile.httpDeadlineMs };
    this.machine = baseMachine.provide({
      actors: {
        fetchFirmware: fromPromise(({ input, signal }) => fetchFirmwareImage(deps, input, signal)),
        fetchProvisioning: fromPromise(({ input, signal }) => fetchProvisioningFiles(deps, input, signal)),
      },
    });
    this.radio = new DectRadio({
      bases: () => this.bases.values(),
      base: (mac) => this.bases.get(mac),
      handsets: () => this.handsets.values(),
      handset: (ipei) => this.handsets.get(ipei),
      siteOfBase: (mac) => this.siteOfBase(mac),
      fetchImage: (input) => fetchFirmwareImage(deps, input),
    });
    const ldapDeps = { internet, clock, timeoutMs: profile.directoryTimeoutMs };
    this.ldapSearch = (settings, query, options) => ldapLookup(ldapDeps, settings, query, options);
    this.handsetMachine = handsetMachine.provide({
      actors: {
        lookUpDirectory: fromPromise(({ input }) => this.radio.lookUpDirectory(input)),
        scanForBases: fromPromise(({ input }) => this.radio.scanForBases(input)),
        subscribe: fromPromise(({ input }) => this.radio.subscribe(input)),
        detach: fromPromise(({ input }) => this.radio.detach(input)),
        fetchImage: fromPromise(({ input }) => this.radio.fetchHandsetImage(input)),
      },
    });
  }

  static async open(options: LabOptions): Promise<Lab> {
    // Every lab gets the SIP speed-ups the same way, here, unless ROVE_SIP_SPEEDUPS=off (src/sip/speed/sip-speedups.ts).
    if (sipSpeedupsWanted()) installSipSpeedups();
    const store = new LabStore(options.file);
    let lab: Lab | undefined;
    try {
      const unfinished = store.getMeta<string>('building');
      if (unfinished !== undefined && !options.building) {
        throw new LabFileError(
          `${options.file} was left half-built: ${unfinished} was interrupted before the lab was complete. Build it again with the same command, or delete the file.`,
        );
      }
      if (options.building) store.setMeta('building', options.building);
      if (options.madeBy) store.setMeta('madeBy', options.madeBy);
      const savedNow = store.getMeta<number>('clockNow');
      // Virtual time never runs backwards across restarts: a lab that ran ahead (accelerated) resumes where it was.
      // A rehearsal's lab lives on its own clock (the scenario's start plus what it played): it resumes at its saved
      // time, not today, or the gateway would offboard every device for weeks of silence the lab never lived.
      const ownClock = isLabOrigin(store.getMeta<unknown>('madeBy')) && savedNow !== undefined;
      const start = ownClock ? savedNow : Math.max(savedNow ?? 0, Date.now());
      const clock = options.clock ?? new VirtualClock({ start, speed: options.speed ?? 1 });
      store.trackClock(() => clock.now());
      const savedProfile = store.getMeta<string>('profile');
      const profileName = options.profile ?? savedProfile ?? 'rove-8.0';
      // A lab keeps the behaviour it lived with: a rehearsal's profile overrides (a scenario's or a variant's) stay in
      // the file, so the lab started live behaves as it did in the rehearsal. They belong to their profile: another
      // --profile starts without them.
      const keptOverrides = profileName === savedProfile ? store.getMeta<Partial<BaseFirmwareProfile>>('profileOverrides') : undefined;
      const overrides = options.profileOverrides ?? keptOverrides;
      const profile = Object.freeze({ ...profileByName(profileName), ...overrides });
      store.setMeta('profile', profileName);
      if (overrides && Object.keys(overrides).length > 0) store.setMeta('profileOverrides', overrides);
      else store.deleteMeta('profileOverrides');
      const internet = new EmulatedInternet({ realDns: options.realDns ?? false, now: () => clock.now() });
      const opened = new Lab(store, clock, internet, profile, {
        seed: options.seedDefaultLab ?? true,
        profile: options.teamsProfile,
        random: options.teamsRandom,
        lineProfile: options.lineProfile,
      });
      lab = opened;
      await opened.startServers();
      opened.setUpHandsets(options);
      const saved = store.list<BaseFlash>(BASE_KIND);
      if (saved.length === 0 && (options.seedDefaultLab ?? true) && store.getMeta('seeded') === undefined) {
        const template = options.template ?? 'factory';
        for (const base of DEFAULT_LAB.bases) opened.addBase(base);
        const handsets = DEFAULT_LAB.handsets.map((handset) => opened.addHandset(handset));
        // calls-demo: the base is pointed at the lab's SIP server, one extension per default handset, so lines come up
        // as the technician registers the handsets. factory: nothing configured, as the guide starts.
        const sip = templateSipConfig(template, handsets.map((h) => h.ipei));
        if (sip) for (const base of opened.bases.values()) base.send({ type: 'SET_SIP_CONFIG', sip });
        store.setMeta('template', template);
        // The whole default lab in one commit, and only then marked as made: a start killed half-way leaves a file
        // that the next start makes again (nothing of it was marked), never a lab with the tenant but no base.
        store.commit();
      } else {
        for (const flash of saved) opened.startBase(checkedDocument(store, BASE_KIND, flash, isBaseFlash));
        for (const record of store.list<HandsetRecord>(HANDSET_KIND)) opened.startHandset(checkedDocument(store, HANDSET_KIND, record, isHandsetRecord));
      }
      store.setMeta('seeded', true);
      // Between requests the clock is saved every second of real time (one small row), so a lab killed while it runs
      // ahead resumes close to where it was; commits save it too.
      opened.saveClockTimer = setInterval(() => opened.saveClock(), 1_000);
      opened.saveClockTimer.unref();
      return opened;
    } catch (err) {
      // Nothing may stay open (ports, timers): a lab that cannot be opened must let the process end with its error.
      // Nor is anything written into a file that could not be opened as a lab.
      store.abandon();
      await lab?.close().catch(() => undefined);
      throw err;
    }
  }

  /** The default lab this file was made from (`factory`, `calls-demo`), or null (a scenario's, or an older lab). */
  get template(): LabTemplate | null {
    return this.store.getMeta<LabTemplate>('template') ?? null;
  }

  /** The scenario's names for the devices, when a scenario built the lab file (else null: MACs and IPEIs only). */
  get deviceNames(): DeviceNames | null {
    return this.store.getMeta<DeviceNames>('deviceNames') ?? null;
  }

  /** Keeps the scenario's names for the devices in the lab file (see {@link DeviceNames}). */
  setDeviceNames(names: DeviceNames): void {
    this.store.setMeta('deviceNames', names);
  }

  /** What made the lab file when `rove-sim start` did not (a rehearsal: its lab time continues from its own clock). */
  get madeBy(): LabOrigin | null {
    const origin = this.store.getMeta<unknown>('madeBy');
    return isLabOrigin(origin) ? origin : null;
  }

  /** Adds a base at factory defaults; refuses a duplicate or malformed MAC, an unknown model or firmware. */
  addBase(input: AddBaseInput): BaseStation {
    if (!BASE_MODELS.includes(input.model)) {
      throw new ERR_BASE_MODEL_INVALID(BASE_MODELS.join(', '));
    }
    const mac = input.mac === undefined ? this.nextMac() : normalizeMac(input.mac);
    if (!mac) throw new ERR_BASE_MAC_INVALID(input.mac);
    if (this.bases.has(mac)) throw new ERR_BASE_EXISTS(mac);
    const firmware = input.firmware ?? FACTORY_FIRMWARE;
    if (!isDotted(firmware)) throw new ERR_FIRMWARE_INVALID(firmware);
    const site = checkSite(input.site ?? DEFAULT_SITE);
    const flash = { ...factoryFlash(mac, input.model, firmware), powered: input.powered ?? true };
    this.store.put(BASE_KIND, mac, flash);
    this.storeBaseSite(mac, site);
    const base = this.startBase(flash);
    this.baseAdded.emit(base);
    return base;
  }

  /** Called for every base added after the lab opened (the server gives it a web server of its own). */
  onBaseAdded(listener: (base: BaseStation) => void): () => void {
    return this.baseAdded.on(listener);
  }

  getBase(mac: string): BaseStation | undefined {
    const normalized = normalizeMac(mac);
    return normalized ? this.bases.get(normalized) : undefined;
  }

  /** The handset firmware behaviour profile every handset of this lab runs. */
  get handsetProfile(): Readonly<HandsetFirmwareProfile> {
    return this.handsetProfileInUse;
  }

  /**
   * Adds a handset out of the box (not registered to any base); refuses an unknown model, a malformed or duplicate
   * IPEI, a malformed firmware version, site or language.
   */
  addHandset(input: AddHandsetInput): Handset {
    if (!HANDSET_MODELS.includes(input.model)) {
      throw new ERR_HANDSET_MODEL_INVALID(HANDSET_MODELS.join(', '));
    }
    let ipei: string;
    if (input.ipei === undefined) {
      ipei = this.nextIpei();
    } else {
      const checked = checkIpei(input.ipei);
      if (!checked.ok) throw new ERR_IPEI_INVALID(checked.errors.map((e) => e.message).join('; '));
      ipei = checked.value;
    }
    if (this.handsets.has(ipei)) throw new ERR_HANDSET_EXISTS(ipei);
    const firmware = input.firmware ?? FACTORY_FIRMWARE;
    if (!isDotted(firmware)) throw new ERR_FIRMWARE_INVALID(firmware);
    if (input.language !== undefined && !isLanguage(input.language)) {
      throw new ERR_LANGUAGE_INVALID(LANGUAGES.join(', '));
    }
    const record = newHandsetRecord({
      ipei,
      model: input.model,
      firmware,
      site: checkSite(input.site ?? DEFAULT_SITE),
      powered: input.powered ?? true,
      language: input.language ?? 'en',
      name: input.name?.trim() || null,
    });
    this.store.put(HANDSET_KIND, ipei, record);
    const handset = this.startHandset(record);
    this.handsetAdded.emit(handset);
    return handset;
  }

  /** The handset with this IPEI (any form {@link checkIpei} accepts). */
  getHandset(ipei: string): Handset | undefined {
    const checked = checkIpei(ipei);
    return checked.ok ? this.handsets.get(checked.value) : undefined;
  }

  /** Called for every handset added after the lab opened (consoles). */
  onHandsetAdded(listener: (handset: Handset) => void): () => void {
    return this.handsetAdded.on(listener);
  }

  /** Radio placement of a base (default `default`). */
  siteOfBase(mac: string): string {
    return this.baseSites.get(mac) ?? DEFAULT_SITE;
  }

  /** Moves a base to another site: handsets hear the running bases of their own site. */
  placeBase(mac: string, site: string): void {
    const base = this.getBase(mac);
    if (!base) throw new ERR_BASE_NOT_FOUND_2(mac);
    this.storeBaseSite(base.mac, checkSite(site));
    this.radio.placementChanged();
  }

  /** What a base's firmware (its web admin) sees of the system around it; see base-surroundings.ts. */
  surroundings(): BaseSurroundings {
    return {
      clock: this.clock,
      getBase: (mac) => this.getBase(mac),
      chain: (mac) => this.radio.chain(mac),
      cellOf: (ipei) => this.radio.cellOf(ipei),
      dectSummary: (mac) => this.dectSummary(mac),
      lineStatuses: (mac) => this.telephony.lineStatuses(mac),
    };
  }

  /**
   * DECT Summary: the base's subscriptions with what the lab knows of each handset now (state, firmware, the
   * over-the-air progress the base recorded).
   */
  dectSummary(mac: string): DectSummaryRow[] {
    const base = this.getBase(mac);
    if (!base) throw new ERR_BASE_NOT_FOUND_2(mac);
    return base.subscriptions.map((s) => {
      const handset = this.handsets.get(s.ipei);
      const here = handset?.record.subscription?.baseMac === base.mac;
      return {
        slot: s.slot,
        ipei: s.ipei,
        model: s.model,
        firmware: s.firmware ?? null,
        firmwareUpdate: s.firmwareUpdate ?? null,
        state: handset && here ? handset.state : 'not present',
      };
    });
  }

  /**
   * Reloads every device and the gateway from the lab file's documents, as a restart of the simulator would: every
   * powered device is power-cycled (checkpoint restore, src/live/checkpoints.ts). Lab time does not go back.
   */
  reload(): void {
    for (const handset of this.handsets.values()) handset.stop();
    for (const base of this.bases.values()) base.stop();
    this.handsets.clear();
    this.ipeiCursor = null;
    this.bases.clear();
    this.baseSites.clear();
    for (const { mac, site } of this.store.list<{ mac: string; site: string }>(BASE_SITE_KIND)) this.baseSites.set(mac, site);
    for (const flash of this.store.list<BaseFlash>(BASE_KIND)) this.startBase(flash);
    for (const record of this.store.list<HandsetRecord>(HANDSET_KIND)) this.startHandset(record);
    this.teams.reload();
    this.radio.placementChanged();
  }

  /** Factory reset of a handset: out of the box again (no base, default language and name), same firmware. */
  factoryResetHandset(ipei: string): Handset {
    const handset = this.getHandset(ipei);
    if (!handset) throw new ERR_HANDSET_NOT_FOUND_2(ipei);
    const { record } = handset;
    handset.stop();
    const fresh = newHandsetRecord({ ipei: record.ipei, model: record.model, firmware: record.firmware, site: record.site, powered: record.powered });
    this.store.put(HANDSET_KIND, fresh.ipei, fresh);
    const restarted = this.startHandset(fresh);
    this.radio.handsetChanged(restarted);
    return restarted;
  }

  /** Resolves when no HTTP work is in flight (tests and rehearsals). */
  settle(): Promise<void> {
    return this.clock.idle();
  }

  async close(): Promise<void> {
    if (this.saveClockTimer) clearInterval(this.saveClockTimer);
    for (const handset of this.handsets.values()) handset.stop();
    await this.telephony.dispose();
    this.teamsSipEdge.dispose();
    for (const base of this.bases.values()) base.stop();
    this.teams.dispose();
    this.saveClock();
    this.store.close();
    this.clock.dispose();
    this.internet.close();
    await Promise.all(this.servers.map((s) => s.close()));
    await Promise.all(this.localSockets.map((door) => door.close()));
    await this.directory.close();
  }

  private startBase(flash: BaseFlash): BaseStation {
    const station = new BaseStation({
      flash,
      profile: this.profile,
      clock: this.clock,
      machine: this.machine,
      persist: (next) => this.store.put(BASE_KIND, next.mac, next),
      ldapSearch: this.ldapSearch,
    });
    this.bases.set(flash.mac, station);
    station.onChange(() => this.radio.baseChanged(station));
    this.radio.baseChanged(station);
    this.telephony.attachBase(station);
    return station;
  }

  private setUpHandsets(options: LabOptions): void {
    const name = options.handsetProfile ?? this.store.getMeta<string>('handsetProfile') ?? 'rove-8.0';
    this.handsetProfileInUse = Object.freeze({ ...handsetProfileByName(name), ...options.handsetProfileOverrides });
    this.store.setMeta('handsetProfile', name);
    this.ipeiSeed = options.ipeiSeed ?? this.store.getMeta<number>('ipeiSeed') ?? DEFAULT_IPEI_SEED;
    this.store.setMeta('ipeiSeed', this.ipeiSeed);
    for (const { mac, site } of this.store.list<{ mac: string; site: string }>(BASE_SITE_KIND)) this.baseSites.set(mac, site);
  }

  private storeBaseSite(mac: string, site: string): void {
    this.baseSites.set(mac, site);
    this.store.put(BASE_SITE_KIND, mac, { mac, site });
  }

  private startHandset(record: HandsetRecord): Handset {
    const handset = new Handset({
      record,
      profile: this.handsetProfileInUse,
      clock: this.clock,
      machine: this.handsetMachine,
      radio: this.radio,
      persist: (next) => this.store.put(HANDSET_KIND, next.ipei, next),
    });
    this.handsets.set(record.ipei, handset);
    this.radio.handsetChanged(handset);
    this.telephony.handsetChanged(handset);
    return handset;
  }

  /**
   * The first IPEI of the lab's seeded sequence that no handset in the lab has. The sequence is generated once and
   * the search starts where the last one ended: handsets only come (until a reload), so the IPEIs before it stay
   * taken — walking the sequence from its start for every new handset made building 1,000 of them quadratic.
   */
  private nextIpei(): string {
    let cursor = this.ipeiCursor;
    if (!cursor || cursor.seed !== this.ipeiSeed) {
      cursor = this.ipeiCursor = { seed: this.ipeiSeed, source: ipeiSequence(this.ipeiSeed), generated: [], firstFree: 0 };
    }
    // Bounded by the sequence's 2^20 serial numbers (a lab never holds that many handsets).
    for (let i = cursor.firstFree; i < 0x100000; i++) {
      if (i === cursor.generated.length) cursor.generated.push(cursor.source.next().value);
      const ipei = cursor.generated[i]!;
      if (!this.handsets.has(ipei)) {
        cursor.firstFree = i;
        return ipei;
      }
    }
    throw new Error('unreachable');
  }

  private nextMac(): string {
    for (let n = this.bases.size + 1; ; n++) {
      const mac = `${POLY_OUI}A${n.toString(16).toUpperCase().padStart(5, '0')}`;
      if (!this.bases.has(mac)) return mac;
    }
  }

  /** The caller finished building the lab (see `building`): everything is committed, then the mark removed. */
  finishBuilding(): void {
    this.commit();
    this.store.deleteMeta('building');
  }

  /**
   * Commits every pending write and the clock now: called before a request that changed the lab is answered
   * (src/kernel/commit-before-reply.ts), so what a person is told is saved is in the file.
   */
  /** The lab SIP server's TLS certificate and key: made on first use, then kept in the lab file (tls-identity.ts). */
  async sipTlsIdentity(): Promise<TlsIdentity> {
    const saved = this.store.getMeta<unknown>('sipTlsIdentity');
    if (isTlsIdentity(saved)) return saved;
    const made = await makeTlsIdentity(new Date(this.clock.now()));
    this.store.setMeta('sipTlsIdentity', made);
    return made;
  }

  commit(): void {
    this.store.commit();
  }

  private saveClock(): void {
    try {
      this.store.saveClock();
    } catch {
      // The store may already be closed during shutdown.
    }
  }

  private async startServers(): Promise<void> {
    const firmware = buildFirmwareServer({ hidden: this.firmwareHidden });
    const teams = buildProvisioningService({ gateway: this.teams });
    this.servers = [firmware, teams];
    await firmware.listen({ host: '127.0.0.1', port: 0 });
    await teams.listen({ host: '127.0.0.1', port: 0 });
    const portOf = (s: FastifyInstance) => (s.server.address() as { port: number }).port;
    // The devices reach the servers through a local socket (same HTTP, half the CPU of TCP loopback: local-socket.ts).
    const [firmwareDoor, teamsDoor] = await Promise.all([openLocalSocket(firmware.server), openLocalSocket(teams.server)]);
    this.localSockets = [firmwareDoor, teamsDoor].filter((door) => door !== undefined);
    const through = (door: LocalSocket | undefined) => (door ? { socketPath: door.path } : {});
    this.internet.addHost('downloads.polycom.com', portOf(firmware), 'Poly firmware downloads (fixtures/firmware)', through(firmwareDoor));
    for (const host of TEAMS_PROVISIONING_HOSTS) {
      this.internet.addHost(host, portOf(teams), 'Microsoft Teams SIP Gateway provisioning service', through(teamsDoor));
    }
    this.internet.addService(LAB_DIRECTORY_HOST, LAB_DIRECTORY_PORT, await this.directory.listen(), `Contoso company directory (LDAP, port ${LAB_DIRECTORY_PORT})`);
  }
}

/** Just enough of a base's flash to start it; anything less is a damaged file, said so, not an HTTP 500 later. */
function isBaseFlash(doc: unknown): boolean {
  const d = doc as Partial<BaseFlash> | null;
  return typeof d === 'object' && d !== null && typeof d.mac === 'string' && BASE_MODELS.includes(d.model as BaseModel) && typeof d.settings === 'object' && d.settings !== null && Array.isArray(d.handsets);
}

function isHandsetRecord(doc: unknown): boolean {
  const d = doc as Partial<HandsetRecord> | null;
  return typeof d === 'object' && d !== null && typeof d.ipei === 'string' && HANDSET_MODELS.includes(d.model as HandsetModel) && typeof d.firmware === 'string';
}

function checkedDocument<T>(store: LabStore, kind: string, doc: T, valid: (doc: unknown) => boolean): T {
  if (valid(doc)) return doc;
  const id = (doc as { mac?: unknown; ipei?: unknown } | null)?.mac ?? (doc as { ipei?: unknown } | null)?.ipei;
  throw store.damaged(`a ${kind} document${typeof id === 'string' ? ` (${id})` : ''} lacks what a ${kind} needs (${JSON.stringify(doc).slice(0, 80)})`);
}

function checkSite(site: string): string {
  const name = site.trim();
  if (!name || name.length > 64) throw new ERR_SITE_INVALID_2();
  return name;
}

function isLabOrigin(value: unknown): value is LabOrigin {
  const kind = (value as LabOrigin | null)?.kind;
  return typeof value === 'object' && value !== null && (kind === 'rehearsal' || kind === 'plan-import') && typeof (value as LabOrigin).scenario === 'string';
}
