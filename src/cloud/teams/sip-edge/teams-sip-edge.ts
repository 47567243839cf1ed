/**
 * The Teams SIP gateway's SIP side: one SIP server per region (`<region>.sip.sdg.teams.microsoft.com`), its checks on
 * what devices send, and what it sends them. It speaks to the gateway only through the {@link TeamsGateway} public
 * API, and to devices only through SIP.
 *
 * ```text
 *   device ─REGISTER─▶ firmware ≥ 8.0.3? (403)  ─▶ gateway.deviceSeen ─▶ registrar (digest, 200)
 *   device ─INVITE──▶ firmware ≥ 8.0.3? (403)  ─▶ *30* / *31* / *32*–*35*, *99*  feature-codes.ts
 *                                               ─▶ a callee with DND on: 486 Busy Here (Do not disturb)
 *                                               ─▶ *55*<code>                    enrollment.ts
 *                                               ─▶ otherwise: routed like any SIP server (calls between users)
 *   gateway change: checkSync ─▶ NOTIFY check-sync[;reboot=true] to the device   check-sync.ts
 *                   admin-center pairing code / its expiry ─▶ NOTIFY x-teams-pairing  pairing-push.ts
 * ```
 *
 * The accounts a device registers with follow its provisioning file ({@link TeamsSipEdge.syncAccount}, called when a
 * base applies one): {@link TeamsSipUsers} maps the SIP user each REGISTER/INVITE names to the device it is.
 */
import type { Clock } from '../../../kernel/virtual-clock.ts';
import type { ResponseSpec } from '../../../sip/server/sip-text.ts';
import { type RequestHookInput, SipServer } from '../../../sip/server/sip-server.ts';
import type { TeamsGateway } from '../gateway.ts';
import { type Region, REGIONS, SIP_HOST } from '../regions.ts';
import { sendCheckSync } from './check-sync.ts';
import { ENROLL_PREFIX, enrollmentAnswer } from './enrollment.ts';
import { FEATURE_CODE, featureCodeAnswer } from './feature-codes.ts';
import { firmwareRefusal, parseRoveUserAgent } from './firmware-check.ts';
import { sendPairingCode, sendPairingExpired } from './pairing-push.ts';
import { TeamsSipUsers } from './teams-sip-users.ts';

export interface TeamsSipEdgeOptions {
  clock: Clock;
  teams: TeamsGateway;
}

/** The soft keys' requests (the handset's `TeamsSoftKeys`, src/devices/handset/teams-line.ts, has this shape). */
export interface TeamsDeviceSoftKeys {
  signIn(): { ok: true; code: string; url: string } | { ok: false; message: string };
  signOut(): { ok: true } | { ok: false; message: string };
}

const TEAMS_HOSTS = new Map<string, Region>(REGIONS.map((r) => [SIP_HOST[r], r]));

/** The region whose Teams SIP server `host` names (`emea.sip.sdg.teams.microsoft.com` → EMEA), if any. */
export function teamsSipRegion(host: string): Region | undefined {
  return TEAMS_HOSTS.get(host.toLowerCase());
}

export class TeamsSipEdge {
  /** The Teams SIP gateway's registrar, per region. */
  readonly servers: ReadonlyMap<Region, SipServer>;
  private readonly users = new TeamsSipUsers();
  private readonly teams: TeamsGateway;
  private readonly offTeams: () => void;

  constructor(options: TeamsSipEdgeOptions) {
    this.teams = options.teams;
    const servers = new Map<Region, SipServer>();
    for (const region of REGIONS) {
      servers.set(region, new SipServer({ clock: options.clock, domain: SIP_HOST[region], requestHook: (r) => this.onRequest(region, r) }));
    }
    this.servers = servers;
    this.offTeams = options.teams.onDeviceChange((change) => {
      if (change.checkSync) this.toDevice(change.hardwareId, change.region, (server, user) => sendCheckSync(server, user, change.reboot));
      if (change.kind === 'pairing-code' && change.pairing && change.device.pairing?.requestedFrom === 'admin-center') {
        const { code, url } = change.pairing;
        this.toDevice(change.hardwareId, change.region, (server, user) => sendPairingCode(server, user, code, url));
      }
      if (change.kind === 'pairing-expired') this.toDevice(change.hardwareId, change.region, (server, user) => sendPairingExpired(server, user));
    });
  }

  /** The server of `region`. */
  server(region: Region): SipServer {
    return this.servers.get(region)!;
  }

  /** The gateway's SIP account for a device, as its current provisioning file carries it. */
  syncAccount(hardwareId: string, region: Region): void {
    this.users.sync(this.server(region), region, hardwareId, this.teams.sipAccountFor(hardwareId, region));
  }

  /**
   * What a device's Sign in / Sign out soft keys ask of the gateway of `region`: a pairing code for the device login
   * page, or signing its user out (which then reaches the device as check-sync).
   */
  softKeys(hardwareId: string, region: Region): TeamsDeviceSoftKeys {
    const teams = this.teams;
    return {
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

  dispose(): void {
    this.offTeams();
  }

  /**
   * Sends to the device through the servers that hold its SIP user: the region the gateway knows it in, or (a device
   * not enrolled yet) any region it registers with.
   */
  private toDevice(hardwareId: string, region: Region | null, send: (server: SipServer, user: string) => void): void {
    for (const r of region ? [region] : REGIONS) {
      const user = this.users.userOf(r, hardwareId);
      if (user !== undefined) send(this.server(r), user);
    }
  }

  /** The gateway's own checks on a REGISTER or INVITE (firmware ≥ 8.0.3, feature codes, `*55*` enrollment). */
  private onRequest(region: Region, request: RequestHookInput): ResponseSpec | undefined {
    const hardwareId = this.users.deviceOf(region, request.method === 'REGISTER' ? request.target : request.caller);
    const tooOld = firmwareRefusal(request.userAgent);
    if (tooOld) return { status: 403, reason: tooOld };
    if (request.method === 'REGISTER') {
      if (hardwareId) {
        const ua = parseRoveUserAgent(request.userAgent);
        this.teams.deviceSeen(hardwareId, region, ua ? { baseMac: ua.baseMac } : {});
      }
      return undefined;
    }
    const feature = FEATURE_CODE.exec(request.target);
    if (feature) return featureCodeAnswer(this.teams, feature[1]!, hardwareId);
    // A call to a user with Do not disturb on: the gateway answers busy for them.
    const callee = this.users.deviceOf(region, request.target);
    if (callee && this.teams.doNotDisturb(callee)) return { status: 486, reason: 'Busy Here (Do not disturb)' };
    if (request.target.startsWith(ENROLL_PREFIX)) return enrollmentAnswer(this.teams, request.target, hardwareId, region);
    return undefined;
  }
}
