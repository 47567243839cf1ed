/**
 * The lab's line wiring: the lab's own SIP server (`sip.lab.test`) and a `LineGroup` per base whose lines are handed
 * to the handsets; calls on a line are relayed to the base machine, and a NOTIFY on a line to the base (check-sync).
 * The Teams SIP gateway's SIP side is not here: it is `src/cloud/teams/sip-edge/` ({@link TeamsSipEdge}), reached
 * by the lines like any SIP server. Devices and the cloud meet only in SIP messages and provisioning files.
 *
 * ```text
 *   base enters running ─▶ LineGroup.start() (lines paced: the storm)      base rebooting ─▶ dispose('reboot')
 *   base off ─▶ dispose('power-loss')                                       flash changes  ─▶ lines added/replaced
 *   a line of a base = an extension (web admin Extensions) whose handset is subscribed to the base,
 *                      or, taking precedence, the Teams provisioning file the base applied for that handset's IPEI
 *   a line (and what its file or extension says) ─▶ the handset (label and Teams soft keys: devices/handset/teams-line.ts)
 *   every call on a line ─▶ CALL_STARTED / CALL_ENDED to the base machine (REBOOT waits for calls)
 *   NOTIFY on a line ─▶ the base (check-sync ─▶ FETCH_PROVISIONING, check-sync;reboot=true ─▶ REBOOT)
 * ```
 *
 * In-lab lines use the in-memory transport on the lab clock. The Teams file says TLS on port 5061; in the lab that is
 * modelled as the same in-memory connection (docs/fidelity.md, "SIP wiring").
 */
import type { VirtualClock } from '../kernel/virtual-clock.ts';
import { type BaseFlash, requestIdentity } from '../devices/base-station/base-flash.ts';
import type { BaseStation } from '../devices/base-station/base-station.ts';
import type { BaseLineStatus } from '../devices/base-station/base-surroundings.ts';
import { baseEventOfNotify } from '../devices/base-station/check-sync-event.ts';
import { fileValue } from '../devices/base-station/config-file.ts';
import { type SipExtensionConfig, type SipServerConfig, sipConfigOf } from '../devices/base-station/sip-config.ts';
import type { Handset } from '../devices/handset/handset.ts';
import { imageModel } from '../devices/handset/handset-record.ts';
import type { LineFacts } from '../devices/handset/teams-line.ts';
import type { Line, LineConnector } from '../sip/line/line.ts';
import { LineGroup, type LineSpec } from '../sip/line/line-group.ts';
import { DEFAULT_LINE_PROFILE, type LineProfile, lineProfile } from '../sip/line/line-profile.ts';
import { type FlowPath, SIP_DEFAULT_DOMAIN, SipServer } from '../sip/server/sip-server.ts';
import { hardwareIdForIpei } from '../cloud/teams/devices/hardware-id.ts';
import type { Region } from '../cloud/teams/regions.ts';
import { type TeamsSipEdge, teamsSipRegion } from '../cloud/teams/sip-edge/teams-sip-edge.ts';

export interface LineWiringOptions {
  clock: VirtualClock;
  /** The Teams SIP gateway's SIP side: the servers Teams lines register with. */
  teamsSip: TeamsSipEdge;
  handset(ipei: string): Handset | undefined;
  /** Line firmware behaviour (storm pacing, refresh, retries: line-profile.ts). */
  lineProfile?: Partial<LineProfile>;
  /**
   * The network between a base and its SIP servers (the lab's emulated internet): a base whose network is cut
   * reaches its registrar no more than its provisioning server.
   */
  network?: { path(from: () => string, host: string): FlowPath };
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
  /** What the handset is told of the line (teams-line.ts). */
  facts: LineFacts;
}

export type { BaseLineStatus } from '../devices/base-station/base-surroundings.ts';

export class LineWiring {
  /** The lab's own SIP server (registrar + proxy, test numbers 9999/9998). */
  readonly sip: SipServer;
  private readonly groups = new Map<string, BaseLines>();
  private readonly profile: Readonly<LineProfile>;

  constructor(private readonly options: LineWiringOptions) {
    this.profile = options.lineProfile ? lineProfile(options.lineProfile) : DEFAULT_LINE_PROFILE;
    this.sip = new SipServer({ clock: options.clock });
  }

  /** The Teams SIP gateway's registrar, per region (src/cloud/teams/sip-edge/). */
  get teamsSip(): ReadonlyMap<Region, SipServer> {
    return this.options.teamsSip.servers;
  }

  get teamsEdge(): TeamsSipEdge {
    return this.options.teamsSip;
  }

  /** Starts following a base: its lines come and go with its state and flash. */
  attachBase(base: BaseStation): void {
    // A base started again (the lab reloaded from its file): the old one's lines go as in a power cut.
    const previous = this.groups.get(base.mac);
    if (previous) void previous.group.dispose('power-loss');
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

  /** The network path from a base to an in-lab SIP server (undefined: a lab without an emulated internet). */
  pathFrom(base: BaseStation, server: SipServer): FlowPath | undefined {
    return this.options.network?.path(() => requestIdentity(base.flash), server.domain);
  }

  /** The in-lab server a configured server address names, if any. */
  serverFor(address: string): SipServer | undefined {
    const host = address.toLowerCase();
    if (host === SIP_DEFAULT_DOMAIN) return this.sip;
    const region = teamsSipRegion(host);
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

  async dispose(): Promise<void> {
    await Promise.all([...this.groups.values()].map((g) => g.group.dispose('power-loss')));
  }
}

/** Default port of a transport when the outbound proxy names none (RFC 3261 §19.1.2; RFC 7118 uses HTTP's). */
const DEFAULT_PORTS: Readonly<Record<SipServerConfig['transport'], number>> = { UDP: 5060, TCP: 5060, TLS: 5061, WS: 80, WSS: 443 };

/**
 * How a line reaches a server outside the lab: over the server's transport, to the outbound proxy when there is one
 * (else to the server's address and port); TLS and WSS check the certificate unless the entry accepts all.
 */
export function externalConnector(server: SipServerConfig): LineConnector {
  const [proxyHost, proxyPort] = server.outboundProxy ? server.outboundProxy.split(':') : [];
  const host = proxyHost || server.address;
  const port = proxyHost ? (proxyPort ? Number(proxyPort) : DEFAULT_PORTS[server.transport]) : server.port;
  const tls = { acceptAll: server.acceptAllCertificates === true };
  switch (server.transport) {
    case 'UDP':
      return { kind: 'udp', host, port };
    case 'TCP':
      return { kind: 'tcp', host, port };
    case 'TLS':
      return { kind: 'tls', host, port, tls };
    case 'WS':
      return { kind: 'websocket', url: `ws://${host}:${port}` };
    case 'WSS':
      return { kind: 'websocket', url: `wss://${host}:${port}`, tls };
  }
}

/** Identity numbers of the SIP settings and applied-file objects BaseLines has looked at (weak: flashes come and go). */
const OBJECT_IDS = new WeakMap<object, number>();
let lastObjectId = 0;

/** One base's lines. */
class BaseLines {
  readonly group: LineGroup;
  private readonly owners = new Map<string, LineOwner>();
  private readonly keys = new Map<string, string>();
  private readonly attached = new Set<string>();
  /** The group's lines at the last full refresh (see linesChanged). */
  private readonly linesSeen = new Map<string, Line | undefined>();
  private lastFlash: unknown = null;
  private lastState = '';
  /** What the lines were made of at the last {@link desired} (see lineInputs), and the state then. */
  private lastInputs = '';
  private lastLinesState = '';
  private lastSipKey = '';
  /** The SIP settings object {@link lastSipKey} was made from: the flash keeps it while the SIP pages are untouched. */
  private lastSipConfig: unknown = null;

  constructor(
    private readonly wiring: LineWiring,
    readonly base: BaseStation,
    clock: VirtualClock,
    private readonly profile: Readonly<LineProfile>,
  ) {
    this.group = new LineGroup({ clock, profile });
    this.group.on('lines', (lines) => {
      for (const line of lines) {
        this.watchLine(line);
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
        this.wiring.syncLabAccounts();
      }
    }
    // Most flash changes leave every line as it is (over-the-air progress, reboot counts, provisioning status): when
    // what the lines are made of is the same as at the last look, and the state too, there is nothing to do.
    const inputs = this.lineInputs(flash);
    if (inputs === this.lastInputs && state === this.lastLinesState) return;
    this.lastInputs = inputs;
    this.lastLinesState = state;
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

  /** Hands each handset its line (or none) and what the applied provisioning says of it. */
  refreshHandsets(): void {
    this.linesSeen.clear();
    for (const extension of this.group.extensions) this.linesSeen.set(extension, this.group.line(extension));
    const seen = new Set<string>();
    for (const [extension, owner] of this.owners) {
      if (this.refreshOwner(extension, owner)) seen.add(owner.ipei);
    }
    for (const ipei of this.attached) {
      if (seen.has(ipei)) continue;
      const handset = this.wiring.handset(ipei);
      if (handset && (handset.record.subscription?.baseMac ?? this.base.mac) === this.base.mac) {
        handset.phone.attach(null, null);
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
    this.refreshHandsets();
  }

  /**
   * What {@link desired} reads, as one string: the base's identity, its SIP settings and applied files (objects the
   * flash keeps while they are untouched), and each subscription's handset and firmware. Equal inputs give equal lines.
   */
  private lineInputs(flash: BaseFlash): string {
    let inputs = `${requestIdentity(flash)}|${this.objectId(sipConfigOf(flash))}|${this.objectId(flash.provisioning.applied)}`;
    for (const sub of flash.handsets) {
      const handset = this.wiring.handset(sub.ipei);
      inputs += handset ? `|${sub.ipei} ${handset.model} ${sub.firmware ?? handset.record.firmware}` : `|${sub.ipei}`;
    }
    return inputs;
  }

  /** A number per object, the same for as long as the object lives ({@link lineInputs}). */
  private objectId(value: object): number {
    let id = OBJECT_IDS.get(value);
    if (id === undefined) OBJECT_IDS.set(value, (id = ++lastObjectId));
    return id;
  }

  /** The lines the base should have now. */
  private desired(): Map<string, { spec: LineSpec; owner: LineOwner; key: string }> {
    const flash = this.base.flash;
    const config = sipConfigOf(flash);
    const out = new Map<string, { spec: LineSpec; owner: LineOwner; key: string }>();
    for (const sub of flash.handsets) {
      const handset = this.wiring.handset(sub.ipei);
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
    const region = server ? teamsSipRegion(server) : undefined;
    if (!region || !user || !password) return undefined;
    const hardwareId = hardwareIdForIpei(ipei);
    this.wiring.teamsEdge.syncAccount(hardwareId, region);
    const sipServer = this.wiring.teamsSip.get(region)!;
    const teamsState = fileValue(applied, 'TEAMS_STATE') ?? '';
    const label = fileValue(applied, 'SIP_LINE_LABEL') || null;
    const language = fileValue(applied, 'LANGUAGE');
    const handset = this.wiring.handset(ipei);
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
      connector: this.memoryConnector(sipServer),
      device,
    };
    const facts: LineFacts = {
      kind: 'teams',
      fileState: teamsState,
      server: sipServer.domain,
      label,
      language: language ?? '',
      softKeys: this.wiring.teamsEdge.softKeys(hardwareId, region),
    };
    const owner: LineOwner = { ipei, server: sipServer.domain, kind: 'teams', hardwareId, region, teamsState, label, facts };
    return { spec, owner, key: JSON.stringify(['teams', ipei, user, password, region, spec.displayName, device?.userAgent]) };
  }

  private extensionLine(ipei: string, ext: SipExtensionConfig | undefined, servers: SipServerConfig[], device: LineSpec['device']) {
    if (!ext) return undefined;
    const server = servers.find((s) => s.id === ext.serverId);
    if (!server) return undefined;
    const inLab = this.wiring.serverFor(server.address);
    const spec: LineSpec = {
      extension: ext.extension,
      authUser: ext.authUser,
      password: ext.password,
      displayName: ext.displayName,
      domain: inLab?.domain ?? server.address,
      // [inferred] In-lab servers are reached in memory whatever the transport; others over the configured one.
      connector: inLab ? this.memoryConnector(inLab) : externalConnector(server),
      device,
      profile: lineProfile({ ...this.profile, registerExpiresS: server.registrationExpiry }),
    };
    const owner: LineOwner = { ipei, server: server.address, kind: 'extension', label: ext.extension, facts: { kind: 'extension', label: ext.extension } };
    return { spec, owner, key: JSON.stringify(['ext', ipei, ext, server, device?.userAgent]) };
  }

  /** An in-lab server, reached in memory across the base's network (a site without network reaches nothing). */
  private memoryConnector(server: SipServer): LineConnector {
    const path = this.wiring.pathFrom(this.base, server);
    return path ? { kind: 'memory', server, path } : { kind: 'memory', server };
  }

  /** The handset of one line, after that line changed. */
  private refreshOwnerOf(line: Line): void {
    const owner = this.owners.get(line.extension);
    if (owner && this.group.line(line.extension) === line) this.refreshOwner(line.extension, owner);
  }

  /** Hands one owner's handset its line and what the applied provisioning says of it; false when it is not in the lab. */
  private refreshOwner(extension: string, owner: LineOwner): boolean {
    const handset = this.wiring.handset(owner.ipei);
    if (!handset) return false;
    const line = this.group.line(extension) ?? null;
    handset.phone.attach(line && !line.isDisposed ? line : null, owner.facts);
    return true;
  }

  /** Calls on a line hold the base's reboot; a NOTIFY on it (check-sync) is for the base. */
  private watchLine(line: Line): void {
    line.on('notify', (notify) => {
      const event = baseEventOfNotify(notify.event);
      if (event && this.base.state === 'running') this.base.send(event);
    });
    line.on('call', (call) => {
      if (call.state === 'ended') return;
      if (this.base.state === 'running') this.base.send({ type: 'CALL_STARTED' });
      call.on('ended', () => {
        if (this.base.state === 'running') this.base.send({ type: 'CALL_ENDED' });
      });
    });
  }
}
