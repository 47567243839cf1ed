/**
 * `rove-sim start`: opens the lab, serves the control API and every base's web admin, and prints where to go.
 *
 * Each base also gets a web server of its own on the next free port (from `basePort` up), where its web admin sits at
 * `/` as on a real device; the same pages are reachable at `/bases/<MAC>/` on the main port.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { BaseStation } from '../devices/base-station/base-station.ts';
import { Lab } from '../lab/lab.ts';
import { restoreFaults } from '../live/faults/fault-board.ts';
import { formatMac } from '../kernel/mac.ts';
import { buildTeamsAdminCenter } from '../cloud/teams/admin-center/build-admin-center.ts';
import { buildApp } from './build-app.ts';
import { isLoopbackHost } from './request-guard.ts';
import type { LabTemplate } from '../lab/lab-template.ts';
import { SIP_DEFAULT_DOMAIN, type SipServer } from '../sip/server/sip-server.ts';
import { ERR_API_TOKEN_INVALID, ERR_API_TOKEN_REQUIRED } from '../kernel/error-catalogue.ts';

export interface StartOptions {
  labFile: string;
  host: string;
  port: number;
  /** First port tried for the bases' own web servers; 0: ephemeral ports. */
  basePort: number;
  /** Port tried for the Teams admin center and device login page (default: main port + 100; 0: any free port). */
  teamsPort?: number;
  speed: number;
  profile?: string;
  /** Which default lab a new lab file gets (`factory` or `calls-demo`; an existing file keeps its own). */
  labTemplate?: LabTemplate;
  realDns?: boolean;
  /** Bulk sign-in of a device whose provisioning URL lacks the tenant id (gateway-profile.ts `bulkMissingTagError`). */
  missingTenantIdError?: 'tag-missing' | 'not-trusted';
  /** The words of bulk sign-in's trusted-IP error (gateway-profile.ts `bulkUntrustedIpError`). */
  untrustedIpError?: 'table' | 'detailed';
  /** Access token for the control API and lab pages (request-guard.ts); required unless `host` is loopback. */
  apiToken?: string;
  /**
   * SIP on real sockets for outside SIP tools and softphones: UDP and TCP on this port, WebSocket on port + 6
   * (5060/5066 by default; 0: any free ports; null: none). Bound to `sipHost` (loopback only).
   */
  sipPort?: number | null;
  /** Loopback address the SIP listeners bind (default 127.0.0.1). */
  sipHost?: string;
  log?: (line: string) => void;
}

export interface RunningSimulator {
  lab: Lab;
  app: FastifyInstance;
  url: string;
  baseUrls: Map<string, string>;
  /** The emulated Teams admin center (its device login page is at `devicelogin`). */
  teamsUrl: string;
  /** Where the lab's SIP server listens for outside SIP tools (absent with `sipPort: null`). */
  sip?: SipAddresses;
  close(): Promise<void>;
}

export async function startSimulator(options: StartOptions): Promise<RunningSimulator> {
  const log = options.log ?? ((line: string) => console.log(line));
  const loopback = isLoopbackHost(options.host);
  if (!loopback && !options.apiToken) {
    // Anyone who reaches the address could drive the lab: on a network, the lab needs its token.
    throw new ERR_API_TOKEN_REQUIRED(options.host);
  }
  if (options.apiToken !== undefined && !/^[\x21-\x7e]{12,200}$/.test(options.apiToken)) {
    throw new ERR_API_TOKEN_INVALID();
  }
  const lab = await Lab.open({
    file: options.labFile,
    speed: options.speed,
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.labTemplate ? { template: options.labTemplate } : {}),
    ...(options.realDns ? { realDns: true } : {}),
    teamsProfile: {
      ...(options.missingTenantIdError ? { bulkMissingTagError: options.missingTenantIdError } : {}),
      ...(options.untrustedIpError ? { bulkUntrustedIpError: options.untrustedIpError } : {}),
    },
  });
  // The faults the lab had when it stopped (a kill too) are back before its devices do anything.
  restoreFaults(lab);
  const baseUrls = new Map<string, string>();
  const baseServers: http.Server[] = [];
  let app: FastifyInstance | undefined;
  let teams: FastifyInstance | undefined;
  try {
    app = await buildApp({ lab, baseUrls, guard: { loopbackOnly: loopback, ...(options.apiToken ? { token: options.apiToken } : {}) } });
    await app.listen({ host: options.host, port: options.port });
    const url = `http://${urlHost(options.host)}:${(app.server.address() as AddressInfo).port}`;
    let nextPort = options.basePort;
    const serveBase = async (base: BaseStation) => {
      const server = http.createServer((req, res) => {
        // The device's own web server: its pages at '/', shared assets where the main server has them.
        if (!req.url?.startsWith('/static/')) req.url = `/bases/${base.mac}${req.url ?? '/'}`;
        app!.routing(req, res);
      });
      const port = await listenNear(server, options.host, nextPort);
      if (nextPort !== 0) nextPort = port + 1;
      baseServers.push(server);
      baseUrls.set(base.mac, `http://${urlHost(options.host)}:${port}/`);
      return port;
    };
    for (const base of lab.bases.values()) await serveBase(base);
    const sip = options.sipPort === null ? undefined : await listenSipNear(lab, options.sipHost ?? '127.0.0.1', options.sipPort ?? (options.port === 0 ? 0 : 5060));
    teams = await buildTeamsAdminCenter({ gateway: lab.teams, commit: () => lab.commit() });
    await teams.ready();
    const teamsPort = await listenNear(teams.server, options.host, options.teamsPort ?? (options.port === 0 ? 0 : options.port + 100));
    const teamsUrl = `http://${urlHost(options.host)}:${teamsPort}/`;
    lab.onBaseAdded((base) => void serveBase(base).then(() => log(`Base ${formatMac(base.mac)} added: ${baseUrls.get(base.mac)}`)));

    log(`Rove Simulator is running (lab file: ${options.labFile}, clock speed ×${lab.clock.speed})`);
    const origin = lab.madeBy;
    if (origin) {
      const from = origin.kind === 'rehearsal' ? 'continues from the rehearsal' : 'starts where the imported plan starts';
      log(`  Lab time ${from}: ${new Date(lab.clock.now()).toISOString()} (scenario "${origin.scenario}"; the lab's own clock, not today)`);
    }
    const template = lab.template;
    if (template) log(`  Lab: ${template === 'factory' ? 'factory — the base at factory defaults, nothing configured (the guide starts here)' : "calls-demo — the base on the lab's SIP server, extensions 1001–1004 (two registered handsets can call each other)"}`);
    if (options.labTemplate && template !== options.labTemplate) {
      log(`  Note: --lab-template ${options.labTemplate} applies to a new lab file; ${options.labFile} already exists${template ? ` (made from ${template})` : ''} and keeps what it has. Use another --lab file.`);
    }
    const withToken = options.apiToken ? `?token=${encodeURIComponent(options.apiToken)}` : '';
    log(`  Lab overview:  ${url}/${withToken}`);
    if (options.apiToken) log('  Access token required (--api-token): scripts send "Authorization: Bearer <token>"; pages opened with ?token= remember it.');
    // A lab from a scenario or an inventory: each base also by its name and site, as the lab overview lists it.
    const names = lab.deviceNames;
    for (const base of lab.bases.values()) {
      const named = names?.bases[base.mac];
      log(`  ${named ? `${named.name} (${named.site}), ` : ''}Rove ${base.flash.model} ${formatMac(base.mac)} web admin: ${baseUrls.get(base.mac)}  (first login admin / admin)`);
    }
    log(`  Teams admin center: ${teamsUrl}`);
    log(`  Device login: ${teamsUrl}devicelogin  (https://microsoft.com/devicelogin)`);
    log(`  Handsets (${lab.handsets.size}): ${url}/handsets/${withToken}  — each with its page and keypad; terminal: rove-sim console <IPEI>`);
    if (sip) {
      const { udp, tcp, tls, ws } = sip;
      log(`  SIP (lab server ${SIP_DEFAULT_DOMAIN}): udp ${hostPort(udp!)}, tcp ${hostPort(tcp!)}, tls ${hostPort(tls!)} (self-signed), ${ws!.url}  — outside SIP tools register as an extension of a base (SIP → Extensions)`);
    }
    log(`  Control API:   ${url}/api/health  (OpenAPI: ${url}/api/openapi.json)`);
    log(`  Emulated hosts: ${lab.internet.listHosts().map((h) => h.hostname).join(', ')}`);
    log('Press Ctrl+C to stop; the lab is saved in the lab file.');

    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        // Open consoles and kept-alive browser connections would hold the close (and Ctrl+C) until they go.
        for (const client of app!.websocketServer?.clients ?? []) client.terminate();
        for (const s of baseServers) {
          s.close();
          s.closeAllConnections();
        }
        teams?.server.close();
        teams?.server.closeAllConnections();
        const closing = app!.close();
        app!.server.closeAllConnections();
        await teams?.close();
        await closing;
        await lab.close();
      })());
    return { lab, app, url, baseUrls, teamsUrl, ...(sip ? { sip } : {}), close };
  } catch (err) {
    for (const s of baseServers) s.close();
    teams?.server.close();
    await teams?.close();
    await app?.close();
    await lab.close();
    throw err;
  }
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Listens on `port` or, if it is taken, the next free one (up to 50 further); 0 takes an ephemeral port. */
type SipAddresses = NonNullable<SipServer['addresses']>;

function hostPort(a: { host: string; port: number }): string {
  return `${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
}

/**
 * The lab SIP server's UDP+TCP on `port`, TLS on `port` + 1 and WebSocket on `port` + 6, or the next ports up when taken (a Kamailio or a
 * softphone on 5060 must not stop the simulator; the printed ports are the ones to use).
 */
async function listenSipNear(lab: Lab, host: string, port: number): Promise<SipAddresses> {
  const tlsIdentity = await lab.sipTlsIdentity();
  for (let p = port, tries = 0; ; p += 10, tries++) {
    try {
      return await lab.telephony.sip.listen(
        p === 0 ? { host, udp: 0, tcp: 0, tls: 0, ws: 0, tlsIdentity } : { host, udp: p, tcp: p, tls: p + 1, ws: p + 6, tlsIdentity },
      );
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0 || tries >= 20) throw err;
    }
  }
}

async function listenNear(server: http.Server, host: string, port: number): Promise<number> {
  for (let p = port, tries = 0; ; p++, tries++) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(p, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      return (server.address() as AddressInfo).port;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0 || tries >= 50) throw err;
    }
  }
}
