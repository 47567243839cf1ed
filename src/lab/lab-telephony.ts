/**
 * The lab's telephony wiring: an embedded SIP server for the lab (`sip.lab.test`), the emulated Teams SIP gateway's
 * SIP side (one embedded server per region, `<region>.sip.sdg.teams.microsoft.com`), and a `LineGroup` per base whose
 * lines are handed to the handsets.
 *
 * ```text
 *   base enters running ─▶ LineGroup.start() (lines paced: the storm)      base rebooting ─▶ dispose('reboot')
 *   base off ─▶ dispose('power-loss')                                       flash changes  ─▶ lines added/replaced
 *   a line of a base = an extension (web admin Extensions) whose handset is subscribed to the base,
 *                      or, taking precedence, the Teams provisioning file the base applied for that handset's IPEI
 *   every call on a line ─▶ CALL_STARTED / CALL_ENDED to the base machine (REBOOT waits for calls)
 *   Teams: REGISTER ─▶ gateway.deviceSeen; INVITE *55*<code> ─▶ gateway.enroll; a gateway change that asks for
 *          check-sync ─▶ the base re-fetches its provisioning files (and restarts when it says reboot=true)
 * ```
 *
 * In-lab lines use the in-memory transport on the lab clock. The Teams file says TLS on port 5061; in the lab that is
 * modelled as the same in-memory connection (docs/fidelity.md, "SIP wiring").
 */
import type { VirtualClock } from '../kernel/virtual-clock.ts';
import { requestIdentity } from '../devices/base-station/base-flash.ts';
import type { BaseStation } from '../devices/base-station/base-station.ts';
import { meetsTeamsMinimum } from '../devices/base-station/firmware-version.ts';
import { type SipExtensionConfig, type SipServerConfig, sipConfigOf } from '../devices/base-station/sip-config.ts';
import type { Handset } from '../devices/handset/handset.ts';
import type { PhoneTeams } from '../devices/handset/handset-phone.ts';
import { imageModel } from '../devices/handset/handset-record.ts';
import type { Line } from '../sip/line/line.ts';
import { LineGroup, type LineSpec } from '../sip/line/line-group.ts';
import { DEFAULT_LINE_PROFILE, type LineProfile, lineProfile } from '../sip/line/line-profile.ts';
import type { ResponseSpec } from '../sip/server/sip-text.ts';
import { SIP_DEFAULT_DOMAIN, SipServer, type RequestHookInput } from '../sip/server/sip-server.ts';
import type { TeamsGateway } from '../cloud/teams/gateway.ts';
import { hardwareIdForIpei } from '../cloud/teams/devices/hardware-id.ts';
import { type Region, REGIONS, SIP_HOST } from '../cloud/teams/regions.ts';

export interface LabTelephonyOptions {
  clock: VirtualClock;
  teams: TeamsGateway;
  base(mac: string): BaseStation | undefined;
  handset(ipei: string): Handset | undefined;
  /** Line firmware behaviour (storm pacing, refresh, retries: line-profile.ts). */
  lineProfile?: Partial<LineProfile>;
}

/** What a line is, besides its SIP specification: whose it is and where it registers. */
export interface LineOwner {
  ipei: string;
  /** `sip.lab.test`, `emea.sip.sdg.teams.microsoft.com`, or the configured server address. */
  server: string;
  kind: 'extension' | 'teams';
  /** Teams: the device's hardware id and region. */
  hardwareId?: string;
  region?: Region;
  /** Teams: the state the applied provisioning file names, and the label it gives (the phone number). */
  teamsState?: string;
  label: string | null;
}

/** A line as the base's Home/Status lists it: `ext@base (server) OK/Error`. */
export interface BaseLineStatus {
  extension: string;
  ipei: string;
  server: string;
  kind: LineOwner['kind'];
  state: string;
  reason: string | null;
}

const TEAMS_HOSTS = new Map<string, Region>(REGIONS.map((r) => [SIP_HOST[r], r]));
const UA = /^(\S+) (\d+\.\d+\.\d+\.\d+) ([0-9A-F]{12})(?: (Rove\d+) (\d+\.\d+\.\d+\.\d+))?/;

/** File keys as the base stores them (with or without the %…%). */
function fileValue(values: Record<string, string> | undefined, key: string): string | undefined {
  return values?.[key] ?? values?.[`%${key}%`];
}

export class LabTelephony {
  /** The lab's own SIP server (registrar + proxy, test numbers 9999/9998). */
  readonly sip: SipServer;
  /** The Teams SIP gateway's registrar, per region. */
  readonly teamsSip: ReadonlyMap<Region, SipServer>;
  private readonly groups = new Map<string, BaseLines>();
  /** Which bases' lines belong to a handset (normally one; two while a roaming handset's old base lets go). */
  private readonly linesOfHandset = new Map<string, Set<BaseLines>>();
  /** Teams SIP user → hardware id, per region (REGISTER and *55* name the user, the gateway wants the device). */
  private readonly teamsUsers = new Map<Region, Map<string, string>>();
  /** The reverse: hardware id → its Teams SIP user, per region. */
  private readonly teamsUserOfDevice = new Map<Region, Map<string, string>>();
  private readonly profile: Readonly<LineProfile>;
  private readonly offTeams: () => void;

  constructor(private readonly options: LabTelephonyOptions) {
    this.profile = options.lineProfile ? lineProfile(options.lineProfile) : DEFAULT_LINE_PROFILE;
    this.sip = new SipServer({ clock: options.clock });
    const teamsSip = new Map<Region, SipServer>();
    for (const region of REGIONS) {
      this.teamsUsers.set(region, new Map());
      this.teamsUserOfDevice.set(region, new Map());
      teamsSip.set(region, new SipServer({ clock: options.clock, domain: SIP_HOST[region], requestHook: (r) => this.teamsRequest(region, r) }));
    }
    this.teamsSip = teamsSip;
    this.offTeams = options.teams.onDeviceChange((change) => {
      if (change.checkSync && change.ipei) this.checkSync(change.ipei, change.reboot);
      // Only the bases holding this handset's line show anything of the device (not every base: 1,000 sign-ins
      // would be 1,000 × 254 refreshes).
      if (change.ipei) for (const lines of this.linesOfHandset.get(change.ipei) ?? []) lines.refreshHandsets();
      if (change.ipei && change.kind === 'pairing-code' && change.pairing && change.device.pairing?.requestedFrom === 'admin-center') {
        this.teamsHandset(change.ipei, change.region)?.phone.showPairing(change.pairing.code, change.pairing.url);
      }
      if (change.ipei && change.kind === 'pairing-expired') this.teamsHandset(change.ipei, change.region)?.phone.pairingExpired();
    });
  }

  /** Starts following a base: its lines come and go with its state and flash. */
  attachBase(base: BaseStation): void {
    // A base started again (the lab reloaded from its file): the old one's lines go as in a power cut.
    const previous = this.groups.get(base.mac);
    if (previous) {
      void previous.group.dispose('power-loss');
      this.ownersChanged(previous, previous.ownerIpeis, new Set());
    }
    const lines = new BaseLines(this, base, this.options.clock, this.profile);
    this.groups.set(base.mac, lines);
    base.onChange(() => lines.reconcile());
    lines.reconcile();
  }

  /** The lines of a base as its Home/Status lists them. */
  lineStatuses(mac: string): BaseLineStatus[] {
    return this.groups.get(mac)?.statuses() ?? [];
  }

  /** The LineGroup of a base (tests, the storm view). */
  group(mac: string): LineGroup | undefined {
    return this.groups.get(mac)?.group;
  }

  /** A handset (re)appeared: give it its line if its base has one for it. */
  handsetChanged(handset: Handset): void {
    const mac = handset.record.subscription?.baseMac;
    if (mac) this.groups.get(mac)?.refreshHandsets();
  }

  /** Line owners' lookups for BaseLines. */
  handset(ipei: string): Handset | undefined {
    return this.options.handset(ipei);
  }

  get teams(): TeamsGateway {
    return this.options.teams;
  }

  /** The in-lab server a configured server address names, if any. */
  serverFor(address: string): SipServer | undefined {
    const host = address.toLowerCase();
    if (host === SIP_DEFAULT_DOMAIN) return this.sip;
    const region = TEAMS_HOSTS.get(host);
    return region ? this.teamsSip.get(region) : undefined;
  }

  /** Keeps the lab server's accounts equal to the extensions every base defines for it. */
  syncLabAccounts(): void {
    const wanted = new Map<string, SipExtensionConfig>();
    for (const lines of this.groups.values()) {
      const config = sipConfigOf(lines.base.flash);
      for (const ext of config.extensions) {
        const server = config.servers.find((s) => s.id === ext.serverId);
        if (server && server.address.toLowerCase() === SIP_DEFAULT_DOMAIN && !wanted.has(ext.extension)) wanted.set(ext.extension, ext);
      }
    }
    const accounts = this.sip.accounts;
    for (const account of accounts.list()) if (!wanted.has(account.extension)) accounts.remove(account.extension);
    for (const ext of wanted.values()) {
      const input = { password: ext.password, authUser: ext.authUser, displayName: ext.displayName };
      try {
        if (accounts.get(ext.extension)) accounts.update(ext.extension, input);
        else accounts.add({ extension: ext.extension, ...input });
      } catch {
        // An authentication user used twice across bases: the second extension has no account (404 on REGISTER).
      }
    }
  }

  /** The gateway's SIP account for a device, as its current provisioning file carries it. */
  syncTeamsAccount(hardwareId: string, region: Region): void {
    const server = this.teamsSip.get(region)!;
    const users = this.teamsUsers.get(region)!;
    const userOf = this.teamsUserOfDevice.get(region)!;
    const account = this.options.teams.sipAccountFor(hardwareId, region);
    const previous = userOf.get(hardwareId);
    if (previous !== undefined && previous !== account?.user) {
      users.delete(previous);
      userOf.delete(hardwareId);
      server.accounts.remove(previous);
    }
    if (!account) return;
    const before = users.get(account.user);
    if (before !== undefined && before !== hardwareId) userOf.delete(before);
    users.set(account.user, hardwareId);
    userOf.set(hardwareId, account.user);
    try {
      // Every reconcile of a base asks for each of its Teams lines: an account already holding this password is left
      // as it is (an update would only rebuild the same account).
      const existing = server.accounts.get(account.user);
      if (existing) {
        if (existing.password !== account.password) server.accounts.update(account.user, { password: account.password });
      } else server.accounts.add({ extension: account.user, password: account.password });
    } catch {
      // Not a valid SIP user name: the line shows the registrar's 404.
    }
  }

  /** What the handset's Teams soft keys do, or null when its line is not a Teams line. */
  phoneTeams(owner: LineOwner): PhoneTeams | null {
    if (owner.kind !== 'teams' || !owner.hardwareId || !owner.region) return null;
    const teams = this.options.teams;
    const hardwareId = owner.hardwareId;
    const region = owner.region;
    const found = teams.deviceState(hardwareId);
    // A device enrolled through another region's gateway is unknown here (Device not found in records.).
    const device = found && (found.region === null || found.region === region) ? found : undefined;
    const state: PhoneTeams['state'] =
      device?.state === 'enrolled'
        ? 'waiting-for-sign-in'
        : device?.state === 'signedIn'
          ? 'signed-in'
          : device?.state === 'signedOut'
            ? 'signed-out'
            : 'onboarding';
    return {
      state,
      signIn: () => {
        try {
          const pairing = teams.requestPairingCode(hardwareId, 'device', region);
          return { ok: true, code: pairing.code, url: pairing.url };
        } catch (error) {
          return { ok: false, message: error instanceof Error ? error.message : String(error) };
        }
      },
      signOut: () => {
        try {
          teams.signOut(hardwareId, 'device');
          return { ok: true };
        } catch (error) {
          return { ok: false, message: error instanceof Error ? error.message : String(error) };
        }
      },
    };
  }

  async dispose(): Promise<void> {
    this.offTeams();
    await Promise.all([...this.groups.values()].map((g) => g.group.dispose('power-loss')));
  }

  /** BaseLines tells which handsets its lines now belong to (keeps {@link linesOfHandset}). */
  ownersChanged(lines: BaseLines, before: ReadonlySet<string>, after: ReadonlySet<string>): void {
    for (const ipei of before) {
      if (after.has(ipei)) continue;
      const set = this.linesOfHandset.get(ipei);
      set?.delete(lines);
      if (set?.size === 0) this.linesOfHandset.delete(ipei);
    }
    for (const ipei of after) {
      if (before.has(ipei)) continue;
      let set = this.linesOfHandset.get(ipei);
      if (!set) this.linesOfHandset.set(ipei, (set = new Set()));
      set.add(lines);
    }
  }

  /** The handset whose Teams line goes to the gateway of `region` (the one that knows the device), if it has one. */
  private teamsHandset(ipei: string, region: Region | null): Handset | undefined {
    const handset = this.options.handset(ipei);
    const line = handset?.phone.line;
    if (!handset || !line || line.isDisposed || !handset.phone.teams) return undefined;
    return region === null || line.domain === SIP_HOST[region] ? handset : undefined;
  }

  /** The gateway asks the device to re-fetch its file (NOTIFY check-sync, delivered to the base of the handset). */
  private checkSync(ipei: string, reboot: boolean): void {
    const handset = this.options.handset(ipei);
    const base = handset?.record.subscription ? this.options.base(handset.record.subscription.baseMac) : undefined;
    if (!base || base.state !== 'running') return;
    if (reboot) base.send({ type: 'REBOOT', reason: 'Teams SIP Gateway: check-sync;reboot=true' });
    else base.send({ type: 'FETCH_PROVISIONING' });
  }

  /** `*30*` DND on, `*31*` DND off; the others are not modelled (UNSUPPORTED_FEATURES). */
  private featureCode(code: string, hardwareId: string | undefined): ResponseSpec {
    const unsupported = UNSUPPORTED_FEATURES[code];
    if (unsupported) return { status: 501, reason: `${unsupported} (*${code}*) is not supported in the simulator` };
    if (!hardwareId) return { status: 403, reason: 'Device not found in records.' };
    const on = this.options.teams.setDoNotDisturb(hardwareId, code === '30');
    if (on === null) return { status: 403, reason: 'Sign in first: Do not disturb is for a signed-in user' };
    return { status: 480, reason: on ? 'Do not disturb on' : 'Do not disturb off' };
  }

  /** The gateway's own checks on a REGISTER or INVITE (firmware ≥ 8.0.3, `*55*` enrollment). */
  private teamsRequest(region: Region, request: RequestHookInput): ResponseSpec | undefined {
    const hardwareId = this.teamsUsers.get(region)!.get(request.method === 'REGISTER' ? request.target : request.caller);
    const tooOld = firmwareRefusal(request.userAgent);
    if (tooOld) return { status: 403, reason: tooOld };
    if (request.method === 'REGISTER') {
      if (hardwareId) {
        const ua = UA.exec(request.userAgent ?? '');
        this.options.teams.deviceSeen(hardwareId, region, ua ? { baseMac: ua[3]! } : {});
      }
      return undefined;
    }
    const feature = /^\*(3[0-5]|99)\*/.exec(request.target);
    if (feature) return this.featureCode(feature[1]!, hardwareId);
    // A call to a user with Do not disturb on: the gateway answers busy for them.
    const callee = this.teamsUsers.get(region)!.get(request.target);
    if (callee && this.options.teams.doNotDisturb(callee)) return { status: 486, reason: 'Busy Here (Do not disturb)' };
    if (request.target.startsWith('*55*')) {
      if (!hardwareId) return { status: 403, reason: 'Device not found in records.' };
      const result = this.options.teams.enroll(hardwareId, request.target.slice(4).replace(/[#*]+$/, ''), region);
      // [inferred] A good code is answered 486: the handset plays its busy tone three times (seed 000).
      return result.ok ? { status: 486, reason: 'Busy Here' } : { status: 403, reason: result.message.replace(/[\r\n]/g, ' ') };
    }
    return undefined;
  }
}

/**
 * The Teams feature codes other than `*55*` [MS]. [inferred] The gateway answers with a final response whose reason
 * says what happened: 480 = done (the handset plays the confirmation tone and shows it), 403 = refused, 501 = a feature
 * the simulator does not model (said so, never faked).
 */
const UNSUPPORTED_FEATURES: Readonly<Record<string, string>> = {
  '32': 'Reset call forwarding',
  '33': 'Call forwarding',
  '34': 'Forward on no answer',
  '35': 'Simultaneous ring',
  '99': 'Voicemail',
};

/** Why the gateway refuses a device by its User-Agent (`RoveB4 8.0.0.0402 <MAC> Rove30 8.0.3.0009`), or null. */
function firmwareRefusal(userAgent: string | null): string | null {
  const ua = UA.exec(userAgent ?? '');
  if (!ua) return null;
  if (!meetsTeamsMinimum(ua[2]!)) return `Base firmware ${ua[2]} not supported: Teams needs 8.0.3 or later`;
  if (ua[5] && !meetsTeamsMinimum(ua[5])) return `Handset firmware ${ua[5]} not supported: Teams needs 8.0.3 or later`;
  return null;
}

/** One base's lines. */
class BaseLines {
  readonly group: LineGroup;
  private readonly owners = new Map<string, LineOwner>();
  private readonly keys = new Map<string, string>();
  private readonly attached = new Set<string>();
  /** The group's lines at the last full refresh (see linesChanged). */
  private readonly linesSeen = new Map<string, Line | undefined>();
  /** IPEIs of the owners of this base's lines. */
  ownerIpeis: ReadonlySet<string> = new Set();
  private lastFlash: unknown = null;
  private lastState = '';
  private lastSipKey = '';
  /** The SIP settings object {@link lastSipKey} was made from: the flash keeps it while the SIP pages are untouched. */
  private lastSipConfig: unknown = null;

  constructor(
    private readonly telephony: LabTelephony,
    readonly base: BaseStation,
    clock: VirtualClock,
    private readonly profile: Readonly<LineProfile>,
  ) {
    this.group = new LineGroup({ clock, profile });
    this.group.on('lines', (lines) => {
      for (const line of lines) {
        this.watchCalls(line);
        // A line's own change (registration, a call) concerns only the handset that owns it.
        line.on('changed', () => this.refreshOwnerOf(line));
      }
      this.refreshHandsets();
    });
    // The group also says 'changed' for each of those line changes: every handset is refreshed only when the lines
    // themselves came or went (30 handsets on a base otherwise meant 30 refreshes per REGISTER answer).
    this.group.on('changed', () => {
      if (this.linesChanged()) this.refreshHandsets();
    });
  }

  /** True when the group's lines differ from those at the last full refresh. */
  private linesChanged(): boolean {
    const extensions = this.group.extensions;
    let changed = extensions.length !== this.linesSeen.size;
    for (const extension of extensions) {
      if (changed) break;
      changed = this.linesSeen.get(extension) !== this.group.line(extension);
    }
    return changed;
  }

  reconcile(): void {
    const state = this.base.state;
    const flash = this.base.flash;
    if (flash === this.lastFlash && state === this.lastState) return;
    this.lastFlash = flash;
    this.lastState = state;
    // The lab server's accounts follow every base's SIP settings: a look at all bases, so only when this base's changed.
    // Most flash changes (handset reports, provisioning, reboot counts) keep the same SIP settings object: only a new
    // one is serialised and compared.
    const sipConfig = sipConfigOf(flash);
    if (sipConfig !== this.lastSipConfig) {
      this.lastSipConfig = sipConfig;
      const sipKey = JSON.stringify(sipConfig);
      if (sipKey !== this.lastSipKey) {
        this.lastSipKey = sipKey;
        this.telephony.syncLabAccounts();
      }
    }
    const desired = this.desired();
    if (state !== 'running') {
      if (this.group.running) void this.group.dispose(state === 'off' ? 'power-loss' : 'reboot');
      this.apply(desired, false);
      return;
    }
    if (!this.group.running) {
      this.apply(desired, false);
      this.group.start();
      return;
    }
    this.apply(desired, true);
  }

  statuses(): BaseLineStatus[] {
    return this.group.statuses().map((s) => {
      const owner = this.owners.get(s.extension);
      return {
        extension: s.extension,
        ipei: owner?.ipei ?? '',
        server: owner?.server ?? '',
        kind: owner?.kind ?? 'extension',
        state: s.state,
        reason: s.reason,
      };
    });
  }

  /** Hands each handset its line (or none), its idle label and its Teams soft keys. */
  refreshHandsets(): void {
    this.linesSeen.clear();
    for (const extension of this.group.extensions) this.linesSeen.set(extension, this.group.line(extension));
    const seen = new Set<string>();
    for (const [extension, owner] of this.owners) {
      if (this.refreshOwner(extension, owner)) seen.add(owner.ipei);
    }
    for (const ipei of this.attached) {
      if (seen.has(ipei)) continue;
      const handset = this.telephony.handset(ipei);
      if (handset && (handset.record.subscription?.baseMac ?? this.base.mac) === this.base.mac) {
        handset.phone.attach(null);
        handset.phone.setTeams(null);
        handset.setLine(null);
      }
    }
    this.attached.clear();
    for (const ipei of seen) this.attached.add(ipei);
  }

  private apply(desired: Map<string, { spec: LineSpec; owner: LineOwner; key: string }>, live: boolean): void {
    for (const extension of this.group.extensions) {
      const want = desired.get(extension);
      if (!want || want.key !== this.keys.get(extension)) {
        void this.group.remove(extension);
        this.keys.delete(extension);
        this.owners.delete(extension);
      }
    }
    for (const [extension, want] of desired) {
      this.owners.set(extension, want.owner);
      if (this.keys.has(extension)) continue;
      this.group.add(want.spec);
      this.keys.set(extension, want.key);
      if (live) this.group.startLine(extension);
    }
    const ipeis = new Set([...this.owners.values()].map((o) => o.ipei));
    this.telephony.ownersChanged(this, this.ownerIpeis, ipeis);
    this.ownerIpeis = ipeis;
    this.refreshHandsets();
  }

  /** The lines the base should have now. */
  private desired(): Map<string, { spec: LineSpec; owner: LineOwner; key: string }> {
    const flash = this.base.flash;
    const config = sipConfigOf(flash);
    const out = new Map<string, { spec: LineSpec; owner: LineOwner; key: string }>();
    for (const sub of flash.handsets) {
      const handset = this.telephony.handset(sub.ipei);
      const userAgent = `${requestIdentity(flash)}${handset ? ` ${imageModel(handset.model)} ${sub.firmware ?? handset.record.firmware}` : ''}`;
      const device = { id: flash.mac, userAgent };
      const teams = this.teamsLine(sub.ipei, flash.provisioning.applied[sub.ipei], device);
      const line = teams ?? this.extensionLine(sub.ipei, config.extensions.find((e) => e.handset === sub.ipei), config.servers, device);
      if (!line || out.has(line.spec.extension)) continue;
      out.set(line.spec.extension, line);
    }
    return out;
  }

  private teamsLine(ipei: string, applied: Record<string, string> | undefined, device: LineSpec['device']) {
    const server = fileValue(applied, 'SIP_SERVER');
    const user = fileValue(applied, 'SIP_USER');
    const password = fileValue(applied, 'SIP_PASSWORD');
    const region = server ? TEAMS_HOSTS.get(server.toLowerCase()) : undefined;
    if (!region || !user || !password) return undefined;
    const hardwareId = hardwareIdForIpei(ipei);
    this.telephony.syncTeamsAccount(hardwareId, region);
    const sipServer = this.telephony.teamsSip.get(region)!;
    const teamsState = fileValue(applied, 'TEAMS_STATE') ?? '';
    const label = fileValue(applied, 'SIP_LINE_LABEL') || null;
    const language = fileValue(applied, 'LANGUAGE');
    const handset = this.telephony.handset(ipei);
    if (language && handset && handset.record.language !== language) {
      try {
        handset.setLanguage(language);
      } catch {
        // not a language the handset has
      }
    }
    const spec: LineSpec = {
      extension: user,
      password,
      displayName: fileValue(applied, 'SIP_DISPLAY_NAME') || user,
      domain: sipServer.domain,
      connector: { kind: 'memory', server: sipServer },
      device,
    };
    const owner: LineOwner = { ipei, server: sipServer.domain, kind: 'teams', hardwareId, region, teamsState, label };
    return { spec, owner, key: JSON.stringify(['teams', ipei, user, password, region, spec.displayName, device?.userAgent]) };
  }

  private extensionLine(ipei: string, ext: SipExtensionConfig | undefined, servers: SipServerConfig[], device: LineSpec['device']) {
    if (!ext) return undefined;
    const server = servers.find((s) => s.id === ext.serverId);
    if (!server) return undefined;
    const inLab = this.telephony.serverFor(server.address);
    const spec: LineSpec = {
      extension: ext.extension,
      authUser: ext.authUser,
      password: ext.password,
      displayName: ext.displayName,
      domain: inLab?.domain ?? server.address,
      // [inferred] In-lab servers are reached in memory whatever the transport; others only over WebSocket.
      connector: inLab ? { kind: 'memory', server: inLab } : { kind: 'websocket', url: `ws://${server.outboundProxy || `${server.address}:${server.port}`}` },
      device,
      profile: lineProfile({ ...this.profile, registerExpiresS: server.registrationExpiry }),
    };
    const owner: LineOwner = { ipei, server: server.address, kind: 'extension', label: ext.extension };
    return { spec, owner, key: JSON.stringify(['ext', ipei, ext, server, device?.userAgent]) };
  }

  /** The handset of one line, after that line changed. */
  private refreshOwnerOf(line: Line): void {
    const owner = this.owners.get(line.extension);
    if (owner && this.group.line(line.extension) === line) this.refreshOwner(line.extension, owner);
  }

  /** Hands one owner's handset its line, Teams soft keys and label; false when the handset is not in the lab. */
  private refreshOwner(extension: string, owner: LineOwner): boolean {
    const handset = this.telephony.handset(owner.ipei);
    if (!handset) return false;
    const line = this.group.line(extension) ?? null;
    handset.phone.attach(line && !line.isDisposed ? line : null);
    handset.phone.setTeams(this.telephony.phoneTeams(owner));
    const label = labelOf(owner, line, handset.phone.teams?.state);
    const dnd = owner.kind === 'teams' && owner.hardwareId !== undefined && this.telephony.teams.doNotDisturb(owner.hardwareId);
    handset.setLine(label && dnd && owner.teamsState === 'signed-in' ? `DND ${label}` : label);
    return true;
  }

  private watchCalls(line: Line): void {
    line.on('call', (call) => {
      if (call.state === 'ended') return;
      if (this.base.state === 'running') this.base.send({ type: 'CALL_STARTED' });
      call.on('ended', () => {
        if (this.base.state === 'running') this.base.send({ type: 'CALL_ENDED' });
      });
    });
  }
}

function labelOf(owner: LineOwner, line: Line | null, teamsState: string | undefined): string | null {
  if (!line) return null;
  if (line.state === 'Error') return 'Line error';
  if (owner.kind === 'extension') return owner.label;
  if (owner.teamsState === 'signed-in' && teamsState === 'signed-in') return owner.label;
  if (teamsState === 'waiting-for-sign-in' || teamsState === 'signed-out') return 'Sign in';
  return null;
}
