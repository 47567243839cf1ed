/**
 * The faults active in a lab, each with its undo. One board per lab ({@link faultsOf}); scenarios, the control API
 * (src/http/api/fault-routes.ts) and tests inject through it. A fault is applied through the devices' and servers' own
 * surfaces (power, placement, settings, the emulated internet's interceptors, the firmware server's hidden files,
 * the gateway's sites), so undoing it is the same action in reverse.
 *
 * Active faults are kept in the lab file (documents of kind `fault`: the request, its targets, when it started and
 * ends in lab time, and what its undo needs), so they belong to the lab, not to the process: a lab opened again — a
 * restart after a kill, `rove-sim check`'s copy, a trainee's lab, a restored checkpoint — gets them back through
 * {@link restoreFaults}. Faults whose effect is itself saved with the devices (a power cut, a handset out of range, a
 * wrong ConfigURL, a site's public IP) are not applied a second time, only given their undo back; the others (the
 * emulated internet's interceptors, the firmware server's hidden files, the SIP servers, the expired codes) are
 * applied again. A fault whose end passed while the lab was not running is cleared as it is restored.
 */
import type { FetchResult, InterceptedRequest } from '../../network/emulated-internet.ts';
import type { Lab } from '../../lab/lab.ts';
import {
  ERR_BASE_NOT_FOUND_2,
  ERR_FAULT_EXISTS,
  ERR_FAULT_NOT_AVAILABLE,
  ERR_FAULT_NOT_FOUND,
  ERR_FAULT_SETTINGS_REFUSED,
  ERR_FAULT_STATUS_INVALID,
  ERR_FAULT_TARGET_MISSING,
  ERR_FAULT_TARGET_MISSING_2,
  ERR_FAULT_TARGET_MISSING_3,
  ERR_FAULT_TARGET_MISSING_4,
  ERR_FAULT_TARGET_MISSING_5,
  ERR_FAULT_TARGET_MISSING_6,
  ERR_FAULT_TARGET_MISSING_7,
  ERR_FAULT_TARGET_MISSING_8,
  ERR_FAULT_TARGET_MISSING_9,
  ERR_FAULT_PHASE_INVALID,
  ERR_FAULT_UNKNOWN,
  ERR_HANDSET_NOT_FOUND_2,
} from '../../kernel/error-catalogue.ts';
import { didYouMean } from '../../kernel/did-you-mean.ts';
import { Listeners } from '../../kernel/listeners.ts';
import { normalizeMac } from '../../kernel/mac.ts';
import type { SipServer, SipServerFault } from '../../sip/server/sip-server.ts';
import { checkSettings, type SettingKey } from '../../devices/base-station/parameters.ts';
import { TEAMS_PROVISIONING_HOSTS } from '../../cloud/teams/provisioning/provisioning-service.ts';
import { parseRegion, REGIONS } from '../../cloud/teams/regions.ts';
import type { LabSite } from '../../cloud/teams/tenant/tenant-model.ts';
import { FAULT_CATALOGUE, FAULT_TYPES, type FaultType } from './fault-types.ts';

export interface FaultRequest {
  type: string;
  /** Name for clearing it (default `<type>-<n>`). */
  id?: string;
  /** Base MACs. */
  bases?: string[];
  /** Handset IPEIs. */
  handsets?: string[];
  site?: string;
  mode?: 'error' | 'timeout';
  status?: number;
  file?: string;
  configUrl?: string;
  publicIp?: string;
  /** sip-server: `lab` (sip.lab.test), `teams` (every Teams region) or a registrar's host name; default all. */
  server?: string;
  /** sip-server: only the Teams registrar of this region (NOAM, EMEA, APAC). */
  region?: string;
  /**
   * base-power-loss: cut each base's power only when it reaches this firmware update phase (`download`: receiving
   * the image; `install`: writing it, "do not power off the base"), not at once. `durationMs` then counts from the
   * first cut.
   */
  during?: FirmwarePhase;
  /** Clear the fault by itself after this much lab time. */
  durationMs?: number;
}

/** Firmware update phases a power cut can be aimed at, and the base's status phase for each. */
export const FIRMWARE_PHASES = { download: 'downloading', install: 'installing' } as const;
export type FirmwarePhase = keyof typeof FIRMWARE_PHASES;

/** What an undo needs that the lab no longer shows once the fault is applied (kept in the lab file with the fault). */
interface FaultMemo {
  /** wrong-config-url: each base's ConfigURL before. */
  previousConfigUrls?: Record<string, string>;
  /** untrusted-public-ip: the site as it was. */
  previousSite?: LabSite;
  /** base-power-loss during a firmware phase: the bases it was aimed at (cut, or about to be) and those it cut. */
  aimed?: string[];
  cut?: string[];
}

/** One active fault in the lab file (document kind {@link FAULT_KIND}, id the fault's id). */
interface StoredFault {
  version: 1;
  fault: ActiveFault;
  request: FaultRequest;
  memo: FaultMemo;
}

/** Document kind of the active faults in the lab file. */
export const FAULT_KIND = 'fault';

/**
 * Document kind of a settings save a fault owes a base that could not take it (rebooting, booting or off: its web
 * admin does not answer then), id the base's MAC. Kept in the lab file, so a lab closed before the base was up again
 * still makes the save once it is.
 */
export const OWED_SAVE_KIND = 'fault-owed-save';

/** A settings save owed to a base (document kind {@link OWED_SAVE_KIND}). */
interface OwedSave {
  version: 1;
  mac: string;
  settings: Partial<Record<SettingKey, string>>;
  /** The type of the fault it is for. */
  fault: string;
}

/** Fault types whose effect the devices and the tenant save themselves: restored with their undo only, not applied again. */
const SAVED_WITH_THE_LAB: ReadonlySet<FaultType> = new Set(['base-power-loss', 'handset-power-loss', 'handset-out-of-range', 'wrong-config-url', 'untrusted-public-ip']);

export interface ActiveFault {
  id: string;
  type: FaultType;
  title: string;
  /** What was done, in words (reports and the API show it). */
  summary: string;
  bases: string[];
  handsets: string[];
  site: string | null;
  /** Lab time of injection. */
  since: number;
  /** Lab time it clears by itself, if it does. */
  until: number | null;
}

const FIRMWARE_DIR = '/voice/dect-ip-phones/Rove/';
const TEAMS_HOSTS = new Set(TEAMS_PROVISIONING_HOSTS.map((h) => h.toLowerCase()));
const boards = new WeakMap<Lab, FaultBoard>();

/** The fault board of a lab (made on first use, with the faults its lab file keeps: see {@link restoreFaults}). */
export function faultsOf(lab: Lab): FaultBoard {
  let board = boards.get(lab);
  if (!board) {
    board = new FaultBoard(lab);
    boards.set(lab, board);
    board.restore();
  }
  return board;
}

/**
 * Puts back the faults the lab file keeps: called as soon as a lab file is opened (before its devices have done
 * anything on the lab clock), so a lab comes back with the faults it had. Returns the board.
 */
export function restoreFaults(lab: Lab): FaultBoard {
  // The board puts the kept faults back when it is made; a board made earlier has them already.
  return faultsOf(lab);
}

/** A fault was injected or cleared (the rehearsal's recorder logs it; see onChange). */
export interface FaultChange {
  kind: 'injected' | 'cleared';
  fault: ActiveFault;
}

interface FaultBoardEvents extends Record<string, unknown> {
  change: FaultChange;
}

interface Entry {
  fault: ActiveFault;
  request: FaultRequest;
  memo: FaultMemo;
  undo: () => void;
  timer?: number;
}

export class FaultBoard {
  private readonly active = new Map<string, Entry>();
  /** A listener that throws fails the inject or clear that told it, as a bug should (nothing else runs after it). */
  private readonly events = new Listeners<FaultBoardEvents>((error) => {
    throw error;
  });
  private counter = 0;
  private codesExpire = 0;
  /** sip-server faults on each registrar, oldest first: the newest applies; clearing one falls back to the previous. */
  private readonly sipFaults = new Map<SipServer, Array<{ token: object; fault: SipServerFault }>>();
  /** Settings saves owed to bases that were not up (see {@link OWED_SAVE_KIND}): MAC → the save and its watch's stop. */
  private readonly owed = new Map<string, { save: OwedSave; stop: () => void }>();

  constructor(private readonly lab: Lab) {}

  list(): ActiveFault[] {
    return [...this.active.values()].map((e) => e.fault);
  }

  /** Scenario enrollment waits until codes have expired while an `expired-codes` fault is active. */
  get expiredCodes(): boolean {
    return this.codesExpire > 0;
  }

  onChange(listener: (event: FaultChange) => void): () => void {
    return this.events.on('change', listener);
  }

  inject(request: FaultRequest): ActiveFault {
    if (!(FAULT_TYPES as readonly string[]).includes(request.type)) {
      throw new ERR_FAULT_UNKNOWN(request.type, didYouMean(String(request.type), FAULT_TYPES), FAULT_TYPES.join(', '));
    }
    const type = request.type as FaultType;
    const info = FAULT_CATALOGUE.find((f) => f.type === type)!;
    if (!info.available) throw new ERR_FAULT_NOT_AVAILABLE(type, info.unavailableReason);
    const id = request.id ?? this.nextId(type);
    if (this.active.has(id)) throw new ERR_FAULT_EXISTS(id);
    const entry = this.start(id, type, request, {}, null);
    this.events.emit('change', { kind: 'injected', fault: entry.fault });
    return entry.fault;
  }

  /**
   * Puts back every fault the lab file keeps that is not active on this board (see the file's header); a kept fault
   * that no longer fits the lab (a base it names is gone) is dropped, said on stderr. `shiftMs` moves their start and
   * end in lab time: a checkpoint restored later gives its faults the time they had left when it was saved.
   */
  restore(options: { shiftMs?: number } = {}): void {
    const shift = options.shiftMs ?? 0;
    const now = this.lab.clock.now();
    this.rearmOwedSaves();
    for (const stored of this.lab.store.list<unknown>(FAULT_KIND)) {
      if (!isStoredFault(stored)) {
        const id = (stored as { fault?: { id?: unknown } } | null)?.fault?.id;
        console.error(`rove-sim: ${this.lab.store.file}: a kept fault could not be read (${JSON.stringify(stored).slice(0, 80)}); it is left out.`);
        if (typeof id === 'string') this.lab.store.remove(FAULT_KIND, id);
        continue;
      }
      const { request, memo } = stored;
      const fault = shift === 0 ? stored.fault : { ...stored.fault, since: stored.fault.since + shift, until: stored.fault.until === null ? null : stored.fault.until + shift };
      if (this.active.has(fault.id)) continue;
      // New faults are named after the kept ones (`<type>-<n>` goes on from the highest n).
      const n = /^[a-z-]+-(\d+)$/.exec(fault.id)?.[1];
      if (n !== undefined && fault.id.startsWith(`${fault.type}-`)) this.counter = Math.max(this.counter, Number(n));
      let entry: Entry;
      try {
        entry = this.start(fault.id, fault.type, request, memo, fault);
      } catch (err) {
        console.error(`rove-sim: ${this.lab.store.file}: the fault "${fault.id}" (${fault.type}) could not be applied again: ${(err as Error).message}; it is left out.`);
        this.lab.store.remove(FAULT_KIND, fault.id);
        continue;
      }
      // Its end passed while the lab was not running: it ends now (power comes back…).
      if (entry.fault.until !== null && entry.fault.until <= now) this.clear(fault.id);
    }
  }

  /**
   * Applies a fault (or, with `restored`, puts back one the lab file kept) and keeps it on the board and in the
   * lab file.
   */
  private start(id: string, type: FaultType, request: FaultRequest, memo: FaultMemo, restored: ActiveFault | null): Entry {
    const info = FAULT_CATALOGUE.find((f) => f.type === type)!;
    const now = this.lab.clock.now();
    // A fault aimed at a firmware phase strikes later: its duration starts then.
    let struck = (): void => undefined;
    // The entry is made once the fault is applied; a phase-aimed power cut may remember a cut before (then saved below).
    let made: Entry | undefined;
    const save = () => made && this.save(made);
    const applied = this.apply(type, request, () => struck(), memo, restored !== null, save);
    const { undo, summary, bases = [], handsets = [], site = null, armed = false } = applied;
    const fault: ActiveFault = restored
      ? { ...restored }
      : {
          id,
          type,
          title: info.title,
          summary,
          bases,
          handsets,
          site,
          since: now,
          until: request.durationMs !== undefined && !armed ? now + request.durationMs : null,
        };
    const entry: Entry = { fault, request, memo, undo };
    made = entry;
    const duration = request.durationMs;
    if (fault.until !== null) entry.timer = this.lab.clock.setTimeout(() => this.clear(id), Math.max(0, fault.until - now));
    else if (duration !== undefined && armed) {
      struck = () => {
        if (entry.timer !== undefined || this.active.get(id) !== entry) return;
        fault.until = this.lab.clock.now() + duration;
        entry.timer = this.lab.clock.setTimeout(() => this.clear(id), duration);
        this.save(entry);
      };
      // Restored after the first cut of a fault whose end was not kept: its duration counts from now.
      if (restored && memo.cut?.length) struck();
    }
    this.active.set(id, entry);
    this.save(entry);
    return entry;
  }

  private save(entry: Entry): void {
    if (this.active.get(entry.fault.id) !== entry) return;
    const stored: StoredFault = { version: 1, fault: entry.fault, request: entry.request, memo: entry.memo };
    this.lab.store.put(FAULT_KIND, entry.fault.id, stored);
  }

  /** `<type>-<n>`, past the ids already taken (a restored board goes on after them). */
  private nextId(type: FaultType): string {
    for (let i = 0; i < 100_000; i++) {
      const id = `${type}-${++this.counter}`;
      if (!this.active.has(id)) return id;
    }
    throw new Error('unreachable');
  }

  clear(id: string): ActiveFault {
    const entry = this.active.get(id);
    if (!entry) throw new ERR_FAULT_NOT_FOUND(id);
    this.active.delete(id);
    this.lab.store.remove(FAULT_KIND, id);
    this.lab.clock.clearTimeout(entry.timer);
    entry.undo();
    this.events.emit('change', { kind: 'cleared', fault: entry.fault });
    return entry.fault;
  }

  clearAll(): void {
    for (const id of [...this.active.keys()].reverse()) this.clear(id);
  }

  /**
   * Applies a fault; `memo` receives what its undo needs (kept in the lab file). `resumed`: the fault is being put
   * back from the lab file, `memo` as it was saved: what the devices saved themselves is not done again.
   */
  private apply(
    type: FaultType,
    r: FaultRequest,
    struck: () => void,
    memo: FaultMemo,
    resumed: boolean,
    save: () => void,
  ): { undo: () => void; summary: string; bases?: string[]; handsets?: string[]; site?: string | null; armed?: boolean } {
    const lab = this.lab;
    // A site the radio has no base on would make the fault hit nothing (Teams sites are checked by their fault).
    if (r.site !== undefined && type !== 'untrusted-public-ip') this.checkSite(r.site);
    if (r.during !== undefined && (type !== 'base-power-loss' || !Object.hasOwn(FIRMWARE_PHASES, r.during))) {
      throw new ERR_FAULT_PHASE_INVALID(Object.keys(FIRMWARE_PHASES).join(', '));
    }
    switch (type) {
      case 'base-power-loss': {
        const bases = this.bases(r, true);
        if (r.during !== undefined) return this.powerLossDuring(r.during, bases, struck, memo, save);
        if (!resumed) for (const mac of bases) lab.bases.get(mac)!.setPower(false);
        return { bases, summary: `power cut on ${bases.length} base(s)`, undo: () => bases.forEach((mac) => lab.bases.get(mac)?.setPower(true)) };
      }
      case 'handset-power-loss': {
        const handsets = this.handsets(r);
        if (!resumed) for (const ipei of handsets) lab.handsets.get(ipei)!.setPower(false);
        return { handsets, summary: `battery out of ${handsets.length} handset(s)`, undo: () => handsets.forEach((i) => lab.handsets.get(i)?.setPower(true)) };
      }
      case 'handset-out-of-range': {
        const handsets = this.handsets(r);
        if (!resumed) for (const ipei of handsets) lab.handsets.get(ipei)!.setOutOfRange(true);
        return { handsets, summary: `${handsets.length} handset(s) carried out of range`, undo: () => handsets.forEach((i) => lab.handsets.get(i)?.setOutOfRange(false)) };
      }
      case 'site-network-loss': {
        if (r.site === undefined && !r.bases?.length) throw new ERR_FAULT_TARGET_MISSING();
        const bases = new Set(r.bases?.length ? this.bases(r, true) : []);
        const site = r.site ?? null;
        const hit = (from: string) => {
          const mac = macOf(from);
          return mac !== undefined && (bases.has(mac) || (site !== null && lab.siteOfBase(mac) === site));
        };
        // A cut of the network itself: the bases' HTTP requests and their lines' SIP flows both go through it.
        // What the base can know: no route. Not which site is down (an exercise asks the trainee to find that out).
        const undo = lab.internet.cut((from, host) => (hit(from) ? `no route to host ${host}` : undefined));
        return { bases: [...bases], site, summary: `network down for ${site ? `site ${site}` : `${bases.size} base(s)`}`, undo };
      }
      case 'provisioning-server': {
        const mode = r.mode ?? 'error';
        const status = r.status ?? 503;
        if (mode === 'error' && (status < 500 || status > 599)) throw new ERR_FAULT_STATUS_INVALID();
        const bases = new Set(r.bases?.length ? this.bases(r, true) : []);
        const site = r.site ?? null;
        const scoped = bases.size > 0 || site !== null;
        const hit = (req: InterceptedRequest) => {
          if (!TEAMS_HOSTS.has(req.host)) return false;
          if (!scoped) return true;
          const mac = macOf(req.from);
          return mac !== undefined && (bases.has(mac) || (site !== null && lab.siteOfBase(mac) === site));
        };
        const undo = lab.internet.intercept((req) => {
          if (!hit(req)) return undefined;
          if (mode === 'error') return { kind: 'response', status, headers: {}, body: Buffer.from(`${status} Service Unavailable (fault injected)\n`) };
          return this.timeout(req);
        });
        const where = site ? ` for site ${site}` : bases.size ? ` for ${bases.size} base(s)` : '';
        return { bases: [...bases], site, summary: `Teams provisioning ${mode === 'error' ? `answers HTTP ${status}` : 'does not answer'}${where}`, undo };
      }
      case 'firmware-missing': {
        if (!r.file) throw new ERR_FAULT_TARGET_MISSING_2();
        const file = r.file.startsWith('/') ? r.file : `${FIRMWARE_DIR}${r.file}`;
        lab.firmwareHidden.add(file);
        return { summary: `downloads.polycom.com is missing ${file}`, undo: () => lab.firmwareHidden.delete(file) };
      }
      case 'wrong-config-url': {
        const bases = this.bases(r, false);
        const summary = `ConfigURL replaced on ${bases.length} base(s)`;
        const saveBack = (kept: Record<string, string>) => () =>
          Object.entries(kept).forEach(([mac, url]) => this.saveWhenUp(mac, { configUrl: url }, type));
        if (resumed && memo.previousConfigUrls) return { bases, summary, undo: saveBack(memo.previousConfigUrls) };
        // A save still owed to a base (an earlier fault undone while it was down) is what its ConfigURL really is.
        const urlOf = (mac: string) => this.owed.get(mac)?.save.settings.configUrl ?? lab.bases.get(mac)!.flash.settings.configUrl;
        const wrongs = bases.map((mac) => {
          const wrong = r.configUrl ?? misspell(urlOf(mac));
          const checked = checkSettings({ configUrl: wrong, provisioningOption: 'ConfigURL' });
          if (!checked.ok) throw new ERR_FAULT_SETTINGS_REFUSED(checked.errors.map((e) => e.message).join('; '));
          return [mac, wrong] as const;
        });
        memo.previousConfigUrls = Object.fromEntries(bases.map((mac) => [mac, urlOf(mac)]));
        for (const [mac, wrong] of wrongs) this.saveWhenUp(mac, { configUrl: wrong, provisioningOption: 'ConfigURL' }, type);
        return { bases, summary, undo: saveBack(memo.previousConfigUrls) };
      }
      case 'expired-codes':
        this.codesExpire++;
        return { summary: 'verification codes are entered after they expire (24 h)', undo: () => void this.codesExpire-- };
      case 'untrusted-public-ip': {
        const sites = lab.teams.sites();
        const now = sites.find((s) => s.id === (r.site ?? sites[0]?.id));
        if (!now) throw new ERR_FAULT_TARGET_MISSING_3(r.site ?? '', sites.map((s) => s.id).join(', '));
        const publicIp = r.publicIp ?? `192.0.2.${sites.indexOf(now) + 1}`;
        // Put back from the lab file: the tenant kept the changed IP; the site as it was is in the memo.
        const site = resumed && memo.previousSite ? memo.previousSite : now;
        memo.previousSite = site;
        if (!resumed) lab.teams.setSite({ ...site, publicIp });
        return { site: site.id, summary: `site ${site.id} now reaches Teams from ${publicIp} (was ${site.publicIp})`, undo: () => lab.teams.setSite(site) };
      }
      case 'sip-server': {
        const mode = r.mode ?? 'error';
        const status = r.status ?? 503;
        if (mode === 'error' && (status < 500 || status > 599)) throw new ERR_FAULT_STATUS_INVALID();
        const servers = this.sipServers(r);
        const fault: SipServerFault = mode === 'error' ? { mode, status } : { mode };
        const token = {};
        for (const server of servers) {
          const stack = this.sipFaults.get(server) ?? [];
          stack.push({ token, fault });
          this.sipFaults.set(server, stack);
          server.setFault(fault);
        }
        const undo = () => {
          for (const server of servers) {
            const stack = (this.sipFaults.get(server) ?? []).filter((f) => f.token !== token);
            if (stack.length) this.sipFaults.set(server, stack);
            else this.sipFaults.delete(server);
            server.setFault(stack.at(-1)?.fault ?? null);
          }
        };
        const answer = mode === 'error' ? `answers ${status}${status === 503 ? ' with Retry-After' : ''}` : 'does not answer';
        return { summary: `SIP registrar ${servers.map((s) => s.domain).join(', ')} ${answer} (REGISTER, new calls)`, undo };
      }
    }
  }

  /**
   * Saves settings on a base as its web admin's Save does — at once if it is up; if it is rebooting, booting or off
   * (its web admin does not answer, so nothing could be saved on a real one) as soon as it is up again. The newest
   * owed save for a base replaces an older one; an owed save is kept in the lab file until it is made.
   */
  private saveWhenUp(mac: string, settings: Partial<Record<SettingKey, string>>, fault: string): void {
    this.owed.get(mac)?.stop();
    this.owed.delete(mac);
    const base = this.lab.bases.get(mac);
    if (!base) {
      this.lab.store.remove(OWED_SAVE_KIND, mac);
      return;
    }
    if (base.reachable) {
      this.lab.store.remove(OWED_SAVE_KIND, mac);
      base.updateSettings(settings);
      return;
    }
    const save: OwedSave = { version: 1, mac, settings, fault };
    this.lab.store.put(OWED_SAVE_KIND, mac, save);
    this.watchOwedSave(save);
  }

  private watchOwedSave(save: OwedSave): void {
    const base = this.lab.bases.get(save.mac);
    if (!base) {
      this.lab.store.remove(OWED_SAVE_KIND, save.mac);
      return;
    }
    let timer: number | undefined;
    const unsubscribe = base.onChange(() => {
      if (!base.reachable || timer !== undefined) return;
      unsubscribe();
      // Not inside the base's own change notification: the save is the next thing to happen, at the same lab time.
      timer = this.lab.clock.setTimeout(() => {
        if (this.owed.get(save.mac)?.save !== save) return;
        this.owed.delete(save.mac);
        if (this.lab.bases.get(save.mac) !== base || !base.reachable) return this.watchOwedSave(save);
        this.lab.store.remove(OWED_SAVE_KIND, save.mac);
        base.updateSettings(save.settings);
      }, 0);
    });
    const stop = () => {
      unsubscribe();
      this.lab.clock.clearTimeout(timer);
    };
    this.owed.set(save.mac, { save, stop });
  }

  /** The owed saves the lab file keeps, watched again (a lab opened, or its devices reloaded from a checkpoint). */
  private rearmOwedSaves(): void {
    for (const { stop } of this.owed.values()) stop();
    this.owed.clear();
    for (const doc of this.lab.store.list<OwedSave>(OWED_SAVE_KIND)) {
      if (doc?.version !== 1 || typeof doc.mac !== 'string' || typeof doc.settings !== 'object' || doc.settings === null) continue;
      const checked = checkSettings(doc.settings);
      if (!checked.ok) {
        this.lab.store.remove(OWED_SAVE_KIND, doc.mac);
        continue;
      }
      const base = this.lab.bases.get(doc.mac);
      if (base?.reachable) {
        this.lab.store.remove(OWED_SAVE_KIND, doc.mac);
        base.updateSettings(doc.settings);
      } else this.watchOwedSave(doc);
    }
  }

  /** The registrars a sip-server fault names: `server` (lab, teams, a host) and/or `region`; default every one. */
  private sipServers(r: FaultRequest): SipServer[] {
    const telephony = this.lab.telephony;
    const region = r.region !== undefined ? parseRegion(r.region) : undefined;
    if (r.region !== undefined && !region) throw new ERR_FAULT_TARGET_MISSING_4(r.region, REGIONS.join(', '));
    const teams = region ? [telephony.teamsSip.get(region)!] : [...telephony.teamsSip.values()];
    const server = r.server?.trim().toLowerCase();
    if (server === undefined || server === '') return region ? teams : [telephony.sip, ...teams];
    if (server === 'lab') return [telephony.sip];
    if (server === 'teams') return teams;
    const named = telephony.serverFor(server);
    if (!named) {
      const hosts = [telephony.sip, ...telephony.teamsSip.values()].map((s) => s.domain);
      throw new ERR_FAULT_TARGET_MISSING_5(r.server, hosts.join(', '));
    }
    if (region && named !== teams[0]) throw new ERR_FAULT_TARGET_MISSING_6(r.server, region);
    return [named];
  }

  /** A request that gets no answer: at once on a stepped clock (virtual time does not move during real I/O), else after the timeout. */
  private timeout(req: InterceptedRequest): Promise<FetchResult> {
    const result: FetchResult = { kind: 'failure', reason: 'timeout', message: `no answer from ${req.host} within ${req.timeoutMs} ms` };
    if (this.lab.clock.paused) return Promise.resolve(result);
    return new Promise((resolve) => setTimeout(() => resolve(result), req.timeoutMs).unref());
  }

  /**
   * A power cut aimed at a firmware update phase: each base loses power when it reaches the phase (at once if it is
   * in it), once; undo brings back the power of those it cut and disarms the rest.
   */
  private powerLossDuring(
    phase: FirmwarePhase,
    macs: string[],
    struck: () => void,
    memo: FaultMemo,
    save: () => void,
  ): { undo: () => void; summary: string; bases: string[]; armed: true } {
    const lab = this.lab;
    // Put back from the lab file: the bases it cut are off in their flash; one it was about to cut is cut now.
    const aimed = new Set<string>(memo.aimed ?? []);
    const cut = new Set<string>(memo.cut ?? []);
    const pending = new Set<number>();
    const remember = () => {
      memo.aimed = [...aimed];
      memo.cut = [...cut];
      save();
    };
    const cutNow = (mac: string) => {
      cut.add(mac);
      lab.bases.get(mac)?.setPower(false);
      remember();
      struck();
    };
    for (const mac of aimed) if (!cut.has(mac)) cutNow(mac);
    const watch = (mac: string) => {
      const base = lab.bases.get(mac)!;
      const check = () => {
        if (aimed.has(mac) || base.state !== 'running' || base.snapshot.context.firmware.phase !== FIRMWARE_PHASES[phase]) return;
        aimed.add(mac);
        remember();
        // Not inside the base's own change notification: the cut is the next thing to happen, at the same lab time.
        const timer = lab.clock.setTimeout(() => {
          pending.delete(timer);
          cutNow(mac);
        }, 0);
        pending.add(timer);
      };
      const stop = base.onChange(check);
      check();
      return stop;
    };
    const stops = macs.map(watch);
    return {
      bases: macs,
      armed: true,
      summary: `power cut on ${macs.length} base(s) when they ${phase === 'install' ? 'install' : 'download'} firmware`,
      undo: () => {
        stops.forEach((stop) => stop());
        pending.forEach((t) => lab.clock.clearTimeout(t));
        cut.forEach((mac) => lab.bases.get(mac)?.setPower(true));
      },
    };
  }

  private checkSite(site: string): void {
    const sites = new Set([...this.lab.bases.keys()].map((mac) => this.lab.siteOfBase(mac)));
    if (!sites.has(site)) throw new ERR_FAULT_TARGET_MISSING_9(site, didYouMean(site, sites, ` (sites: ${[...sites].join(', ') || 'none'})`));
  }

  private bases(r: FaultRequest, allowSite: boolean): string[] {
    let macs = (r.bases ?? []).map((b) => {
      const mac = normalizeMac(b);
      if (!mac || !this.lab.bases.has(mac)) throw new ERR_BASE_NOT_FOUND_2(b);
      return mac;
    });
    if (macs.length === 0 && allowSite && r.site !== undefined) macs = [...this.lab.bases.keys()].filter((m) => this.lab.siteOfBase(m) === r.site);
    if (macs.length === 0 && r.bases === undefined && r.site === undefined) macs = [...this.lab.bases.keys()];
    if (macs.length === 0) throw new ERR_FAULT_TARGET_MISSING_7(r.type);
    return macs;
  }

  private handsets(r: FaultRequest): string[] {
    const ipeis = (r.handsets ?? []).map((h) => {
      const handset = this.lab.getHandset(h);
      if (!handset) throw new ERR_HANDSET_NOT_FOUND_2(h);
      return handset.ipei;
    });
    if (ipeis.length === 0) throw new ERR_FAULT_TARGET_MISSING_8(r.type);
    return ipeis;
  }
}

function isStoredFault(doc: unknown): doc is StoredFault {
  const d = doc as Partial<StoredFault> | null;
  return (
    typeof d === 'object' && d !== null && d.version === 1 &&
    typeof d.fault === 'object' && d.fault !== null && typeof d.fault.id === 'string' && (FAULT_TYPES as readonly string[]).includes(d.fault.type) &&
    typeof d.fault.since === 'number' && (d.fault.until === null || typeof d.fault.until === 'number') &&
    typeof d.request === 'object' && d.request !== null && typeof d.memo === 'object' && d.memo !== null
  );
}

/** The base MAC at the end of a request identity (`RoveB4 8.0.0.0402 0004F2A00001`). */
function macOf(from: string | undefined): string | undefined {
  return from ? /([0-9A-F]{12})$/.exec(from)?.[1] : undefined;
}

function misspell(url: string): string {
  if (url.includes('teams.microsoft.com')) return url.replace('teams.microsoft.com', 'teams.microsfot.com');
  return 'http://emea.ipp.sdg.teams.microsfot.com/00${IPEI}.cfg';
}
