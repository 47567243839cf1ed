/**
 * A lab: the world being simulated (bases now; handsets, tenant and more in later slices), its one clock, its lab
 * file, and the emulated internet with its servers. `Lab.open()` loads a lab file (creating the default lab when the
 * file is new); `close()` flushes and stops everything.
 */
import type { FastifyInstance } from 'fastify';
import { fromPromise } from 'xstate';
import { VirtualClock } from '../clock/virtual-clock.ts';
import { BASE_MODELS, type BaseFlash, type BaseModel, FACTORY_FIRMWARE, factoryFlash } from '../base-station/base-flash.ts';
import { baseMachine, type BaseMachine } from '../base-station/base-machine.ts';
import { BaseStation } from '../base-station/base-station.ts';
import { type BaseFirmwareProfile, profileByName } from '../base-station/firmware-profile.ts';
import { isDotted } from '../base-station/firmware-version.ts';
import { fetchFirmwareImage, fetchProvisioningFiles } from '../base-station/http-fetchers.ts';
import { buildFirmwareServer } from '../firmware-server/firmware-server.ts';
import { EmulatedInternet } from '../internet/emulated-internet.ts';
import { SimError } from '../shared/errors.ts';
import { normalizeMac } from '../shared/mac.ts';
import { TeamsGateway } from '../teams-gateway/gateway.ts';
import type { GatewayProfile } from '../teams-gateway/gateway-profile.ts';
import { buildProvisioningService, TEAMS_PROVISIONING_HOSTS } from '../teams-gateway/provisioning-service.ts';
import { DEFAULT_LAB } from './default-lab.ts';
import { LabStore } from './lab-store.ts';

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
  /** Override Teams SIP Gateway durations and limits by name (src/teams-gateway/gateway-profile.ts). */
  teamsProfile?: Partial<GatewayProfile>;
}

export interface AddBaseInput {
  mac?: string;
  model: BaseModel;
  firmware?: string;
  powered?: boolean;
}

const BASE_KIND = 'base';
/** Polycom's IEEE OUI, for generated base MACs. */
const POLY_OUI = '0004F2';

export class Lab {
  readonly bases = new Map<string, BaseStation>();
  private readonly machine: BaseMachine;
  private servers: FastifyInstance[] = [];
  private readonly addedListeners = new Set<(base: BaseStation) => void>();
  private saveClockTimer: NodeJS.Timeout | undefined;
  /** The emulated Microsoft Teams SIP Gateway and its tenant (src/teams-gateway/). */
  readonly teams: TeamsGateway;

  private constructor(
    readonly store: LabStore,
    readonly clock: VirtualClock,
    readonly internet: EmulatedInternet,
    readonly profile: Readonly<BaseFirmwareProfile>,
    teamsOptions: { seed: boolean; profile?: Partial<GatewayProfile> },
  ) {
    this.teams = new TeamsGateway({
      store,
      clock,
      baseMacs: () => this.bases.keys(),
      seed: teamsOptions.seed ? DEFAULT_LAB.tenant : null,
      ...(teamsOptions.profile ? { profile: teamsOptions.profile } : {}),
    });
    const deps = { internet, clock, timeoutMs: profile.httpTimeoutMs };
    this.machine = baseMachine.provide({
      actors: {
        fetchFirmware: fromPromise(({ input }) => fetchFirmwareImage(deps, input)),
        fetchProvisioning: fromPromise(({ input }) => fetchProvisioningFiles(deps, input)),
      },
    });
  }

  static async open(options: LabOptions): Promise<Lab> {
    const store = new LabStore(options.file);
    try {
      const savedNow = store.getMeta<number>('clockNow');
      // Virtual time never runs backwards across restarts: a lab that ran ahead (accelerated) resumes where it was.
      const clock = options.clock ?? new VirtualClock({ start: Math.max(savedNow ?? 0, Date.now()), speed: options.speed ?? 1 });
      const profileName = options.profile ?? store.getMeta<string>('profile') ?? 'rove-8.0';
      const profile = Object.freeze({ ...profileByName(profileName), ...options.profileOverrides });
      store.setMeta('profile', profileName);
      const internet = new EmulatedInternet({ realDns: options.realDns ?? false, now: () => clock.now() });
      const lab = new Lab(store, clock, internet, profile, { seed: options.seedDefaultLab ?? true, profile: options.teamsProfile });
      await lab.startServers();
      const saved = store.list<BaseFlash>(BASE_KIND);
      if (saved.length === 0 && (options.seedDefaultLab ?? true) && store.getMeta('seeded') === undefined) {
        for (const base of DEFAULT_LAB.bases) lab.addBase(base);
      } else {
        for (const flash of saved) lab.startBase(flash);
      }
      store.setMeta('seeded', true);
      lab.saveClockTimer = setInterval(() => lab.saveClock(), 10_000);
      lab.saveClockTimer.unref();
      return lab;
    } catch (err) {
      store.close();
      throw err;
    }
  }

  /** Adds a base at factory defaults; refuses a duplicate or malformed MAC, an unknown model or firmware. */
  addBase(input: AddBaseInput): BaseStation {
    if (!BASE_MODELS.includes(input.model)) {
      throw new SimError('BASE_MODEL_INVALID', `model must be one of ${BASE_MODELS.join(', ')}`);
    }
    const mac = input.mac === undefined ? this.nextMac() : normalizeMac(input.mac);
    if (!mac) throw new SimError('BASE_MAC_INVALID', `"${input.mac}" is not a MAC address (12 hex digits, e.g. 00:04:F2:A0:00:01)`);
    if (this.bases.has(mac)) throw new SimError('BASE_EXISTS', `a base with MAC ${mac} is already in the lab`, 409);
    const firmware = input.firmware ?? FACTORY_FIRMWARE;
    if (!isDotted(firmware)) throw new SimError('FIRMWARE_INVALID', `"${firmware}" is not a firmware version (e.g. 8.0.3.0009)`);
    const flash = { ...factoryFlash(mac, input.model, firmware), powered: input.powered ?? true };
    this.store.put(BASE_KIND, mac, flash);
    const base = this.startBase(flash);
    for (const listener of this.addedListeners) listener(base);
    return base;
  }

  /** Called for every base added after the lab opened (the server gives it a web server of its own). */
  onBaseAdded(listener: (base: BaseStation) => void): () => void {
    this.addedListeners.add(listener);
    return () => this.addedListeners.delete(listener);
  }

  getBase(mac: string): BaseStation | undefined {
    const normalized = normalizeMac(mac);
    return normalized ? this.bases.get(normalized) : undefined;
  }

  /** Resolves when no HTTP work is in flight (tests and rehearsals). */
  settle(): Promise<void> {
    return this.clock.idle();
  }

  async close(): Promise<void> {
    if (this.saveClockTimer) clearInterval(this.saveClockTimer);
    for (const base of this.bases.values()) base.stop();
    this.teams.dispose();
    this.saveClock();
    this.store.close();
    this.clock.dispose();
    await Promise.all(this.servers.map((s) => s.close()));
  }

  private startBase(flash: BaseFlash): BaseStation {
    const station = new BaseStation({
      flash,
      profile: this.profile,
      clock: this.clock,
      machine: this.machine,
      persist: (next) => this.store.put(BASE_KIND, next.mac, next),
    });
    this.bases.set(flash.mac, station);
    return station;
  }

  private nextMac(): string {
    for (let n = this.bases.size + 1; ; n++) {
      const mac = `${POLY_OUI}A${n.toString(16).toUpperCase().padStart(5, '0')}`;
      if (!this.bases.has(mac)) return mac;
    }
  }

  private saveClock(): void {
    try {
      this.store.setMeta('clockNow', this.clock.now());
    } catch {
      // The store may already be closed during shutdown.
    }
  }

  private async startServers(): Promise<void> {
    const firmware = buildFirmwareServer();
    const teams = buildProvisioningService({ gateway: this.teams });
    this.servers = [firmware, teams];
    await firmware.listen({ host: '127.0.0.1', port: 0 });
    await teams.listen({ host: '127.0.0.1', port: 0 });
    const portOf = (s: FastifyInstance) => (s.server.address() as { port: number }).port;
    this.internet.addHost('downloads.polycom.com', portOf(firmware), 'Poly firmware downloads (fixtures/firmware)');
    for (const host of TEAMS_PROVISIONING_HOSTS) {
      this.internet.addHost(host, portOf(teams), 'Microsoft Teams SIP Gateway provisioning service');
    }
  }
}
