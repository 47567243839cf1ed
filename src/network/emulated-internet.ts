/**
 * The emulated internet the devices see.
 *
 * Devices fetch real URLs from the guide (`http://downloads.polycom.com/...`,
 * `http://emea.ipp.sdg.teams.microsoft.com/...`). Each emulated host is a real HTTP server the lab runs on loopback;
 * this module resolves the host name to it (the way DNS would) and makes a real HTTP request with the original
 * `Host` header and path (over the server's local socket when it runs in this process: local-socket.ts). IP literals
 * and `localhost` are fetched directly, so a user can point `FirmwareServer` or `ConfigURL` at any server on loopback. Any other host name fails as a DNS failure does on a device — unless the lab
 * allows real DNS (`realDns`), for labs that should reach servers on a real network.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

export type FetchFailure = 'aborted' | 'dns' | 'refused' | 'timeout' | 'invalid-url' | 'tls-unsupported' | 'network' | 'too-large';

export type FetchResult =
  | { kind: 'response'; status: number; headers: http.IncomingHttpHeaders; body: Buffer }
  | { kind: 'failure'; reason: FetchFailure; message: string };

export interface FetchOptions {
  headers?: Record<string, string>;
  /** Real milliseconds without a byte before the request is abandoned. */
  timeoutMs?: number;
  /** Real milliseconds in all before the request is abandoned, however slowly it trickles (default: none). */
  deadlineMs?: number;
  /** Abandons the request (the device rebooted or lost power: its fetch ends with it). */
  signal?: AbortSignal;
  maxBytes?: number;
}

export interface InternetRequestLog {
  at: number;
  url: string;
  outcome: string;
  from?: string;
}

export interface EmulatedHost {
  hostname: string;
  port: number;
  description: string;
}

/** A request as an interceptor sees it: the URL, who asks (the base's User-Agent) and its timeout. */
export interface InterceptedRequest {
  url: URL;
  /** Lower-case host name. */
  host: string;
  from?: string;
  timeoutMs: number;
}

/**
 * Fault injection (src/live/faults/): answers a request instead of the emulated host (an error status, a timeout,
 * no route), or returns undefined to let it through.
 */
export type InternetInterceptor = (request: InterceptedRequest) => FetchResult | Promise<FetchResult> | undefined;

/**
 * A network cut (src/live/faults/, `site-network-loss`): why traffic from a device (`from`, its request identity, the
 * base's MAC at the end) to `host` goes nowhere — "no route to host …" — or undefined to let it through.
 */
export type NetworkCut = (from: string, host: string) => string | undefined;

/**
 * The network between a device and one host, for a long-lived connection (a base's SIP flow to its registrar): asked
 * at every message, so a cut made or lifted while the connection is open counts from the next one.
 */
export interface NetworkPath {
  /** Why nothing gets through right now, or undefined. */
  blocked(): string | undefined;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Where a TCP connection to `host:port` goes, or why it cannot be made (the base's LDAP client uses it). */
export type ServiceResolution =
  | { ok: true; host: string; port: number; emulated: boolean }
  | { ok: false; reason: 'dns' | 'refused'; message: string; emulated: boolean };

export class EmulatedInternet {
  private readonly hosts = new Map<string, EmulatedHost>();
  /** Emulated TCP services other than HTTP (the lab's LDAP directory), by `host:port`. */
  private readonly services = new Map<string, EmulatedHost>();
  private readonly recent: InternetRequestLog[] = [];
  private readonly interceptors = new Set<InternetInterceptor>();
  private readonly cuts = new Set<NetworkCut>();
  /**
   * One keep-alive connection pool per emulated host: a rehearsal fetches ConfigURL and firmware thousands of times,
   * and a new loopback connection per fetch (connect, close, TIME_WAIT) cost more than the request. The request on
   * the wire is the same; only its TCP connection is reused.
   */
  private readonly agents = new Map<string, http.Agent>();
  /** Emulated hosts whose server runs in this process with a local socket (local-socket.ts): requests go through it. */
  private readonly localSockets = new Map<string, string>();

  constructor(private readonly options: { realDns?: boolean; now?: () => number; logSize?: number } = {}) {}

  /**
   * An emulated host: requests for `hostname` go to the loopback server on `port` — or, given `socketPath`, to the same
   * server through its local socket (local-socket.ts: the lab's own servers, in this process).
   */
  addHost(hostname: string, port: number, description: string, options: { socketPath?: string } = {}): void {
    const name = hostname.toLowerCase();
    this.hosts.set(name, { hostname: name, port, description });
    if (options.socketPath !== undefined) this.localSockets.set(name, options.socketPath);
    else this.localSockets.delete(name);
  }

  /** Every emulated host: the HTTP ones, then the other services (the lab's LDAP directory). */
  listHosts(): EmulatedHost[] {
    return [...this.hosts.values(), ...this.services.values()];
  }

  /** An emulated TCP service: `hostname:servicePort` reaches the loopback server on `port`. */
  addService(hostname: string, servicePort: number, port: number, description: string): void {
    this.services.set(`${hostname.toLowerCase()}:${servicePort}`, { hostname: hostname.toLowerCase(), port, description });
  }

  /**
   * Where a device's TCP connection to `host:port` goes, resolved as DNS would: an emulated service to its loopback
   * server, an IP literal or `localhost` directly (any server the user points at), other names only with real DNS. An
   * emulated host name on a port it does not serve refuses the connection, as a real host with nothing listening.
   */
  resolveService(host: string, port: number): ServiceResolution {
    const name = host.toLowerCase();
    const service = this.services.get(`${name}:${port}`);
    if (service) return { ok: true, host: '127.0.0.1', port: service.port, emulated: true };
    if (this.hosts.has(name) || [...this.services.values()].some((s) => s.hostname === name)) {
      return { ok: false, reason: 'refused', message: `connection refused by ${name}:${port}`, emulated: true };
    }
    if (LOOPBACK.has(name) || net.isIP(name) !== 0 || this.options.realDns) return { ok: true, host: name.replace(/^\[|\]$/g, ''), port, emulated: false };
    return { ok: false, reason: 'dns', message: `could not resolve host ${name}`, emulated: false };
  }

  /** Notes a device's request that is not an HTTP GET (an LDAP search) in the request log. */
  logRequest(url: string, outcome: string, from?: string): void {
    this.recent.unshift({ at: this.options.now?.() ?? Date.now(), url, outcome, ...(from ? { from } : {}) });
    this.recent.length = Math.min(this.recent.length, this.options.logSize ?? 200);
  }

  /** The most recent requests, newest first (for status pages and debugging a rollout). */
  requestLog(): readonly InternetRequestLog[] {
    return this.recent;
  }

  /** Adds a fault interceptor; returns its removal. */
  intercept(interceptor: InternetInterceptor): () => void {
    this.interceptors.add(interceptor);
    return () => this.interceptors.delete(interceptor);
  }

  /**
   * Cuts the network of the devices `cut` names: their HTTP requests fail as "no route to host" before any host or
   * interceptor sees them, and their SIP flows ({@link path}) carry nothing. Returns its removal (the network is back).
   */
  cut(cut: NetworkCut): () => void {
    this.cuts.add(cut);
    return () => this.cuts.delete(cut);
  }

  /** Why a device (`from`: its request identity) reaches nothing at `host` now, or undefined. */
  noRoute(from: string | undefined, host: string): string | undefined {
    if (this.cuts.size === 0 || from === undefined) return undefined;
    const name = host.toLowerCase();
    for (const cut of this.cuts) {
      const why = cut(from, name);
      if (why !== undefined) return why;
    }
    return undefined;
  }

  /** The path from a device (`from`, read at each message: its identity changes with its firmware) to `host`. */
  path(from: () => string, host: string): NetworkPath {
    // Asked for every SIP message of every line: without a cut (nearly always) nothing is worked out.
    return { blocked: () => (this.cuts.size === 0 ? undefined : this.noRoute(from(), host)) };
  }

  async get(rawUrl: string, options: FetchOptions & { from?: string } = {}): Promise<FetchResult> {
    const result = this.cutOff(rawUrl, options.from) ?? (await this.intercepted(rawUrl, options)) ?? (await this.request(rawUrl, options));
    this.logRequest(rawUrl, result.kind === 'response' ? `HTTP ${result.status}` : `${result.reason}: ${result.message}`, options.from);
    return result;
  }

  private cutOff(rawUrl: string, from: string | undefined): FetchResult | undefined {
    if (this.cuts.size === 0 || from === undefined || !URL.canParse(rawUrl)) return undefined;
    const why = this.noRoute(from, new URL(rawUrl).hostname);
    return why === undefined ? undefined : { kind: 'failure', reason: 'network', message: why };
  }

  private intercepted(rawUrl: string, options: FetchOptions & { from?: string }): FetchResult | Promise<FetchResult> | undefined {
    if (this.interceptors.size === 0 || !URL.canParse(rawUrl)) return undefined;
    const url = new URL(rawUrl);
    const request: InterceptedRequest = { url, host: url.hostname.toLowerCase(), timeoutMs: options.timeoutMs ?? 10_000, ...(options.from ? { from: options.from } : {}) };
    for (const interceptor of this.interceptors) {
      const answer = interceptor(request);
      if (answer) return answer;
    }
    return undefined;
  }

  /** Lets go of pooled connections (the lab is closing). */
  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }

  private agentFor(hostname: string, connectTo: { host: string; port: number }): http.Agent {
    const socketPath = this.localSockets.get(hostname);
    const key = `${hostname} ${connectTo.port} ${socketPath ?? ''}`;
    let agent = this.agents.get(key);
    if (!agent) {
      agent = new http.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 16 });
      // Node calls createConnection for each new socket of the pool; the emulated host's server is where it goes.
      agent.createConnection =
        socketPath !== undefined ? () => net.connect({ path: socketPath }) : () => net.connect({ port: connectTo.port, host: connectTo.host, noDelay: true });
      this.agents.set(key, agent);
    }
    return agent;
  }

  private request(rawUrl: string, options: FetchOptions): Promise<FetchResult> {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      return Promise.resolve({ kind: 'failure', reason: 'invalid-url', message: `not a valid URL: ${rawUrl}` });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return Promise.resolve({ kind: 'failure', reason: 'invalid-url', message: `unsupported scheme ${url.protocol}` });
    }
    const host = url.hostname.toLowerCase();
    const emulated = this.hosts.get(host);
    let connectTo: { host: string; port: number } | undefined;
    if (emulated) {
      if (url.protocol === 'https:') {
        return Promise.resolve({
          kind: 'failure',
          reason: 'tls-unsupported',
          message: `TLS handshake with ${host}:${url.port || 443} failed (the server offers no TLS; its URLs are http://)`,
        });
      }
      connectTo = { host: '127.0.0.1', port: emulated.port };
    } else if (!LOOPBACK.has(host) && net.isIP(host) === 0 && !this.options.realDns) {
      return Promise.resolve({ kind: 'failure', reason: 'dns', message: `could not resolve host ${host}` });
    }
    if (options.signal?.aborted) return Promise.resolve({ kind: 'failure', reason: 'aborted', message: 'the request was abandoned' });
    return new Promise<FetchResult>((outerResolve) => {
      let settled = false;
      let deadline: NodeJS.Timeout | undefined;
      const onAbort = () => {
        req.destroy();
        resolve({ kind: 'failure', reason: 'aborted', message: 'the request was abandoned' });
      };
      const resolve = (result: FetchResult) => {
        if (settled) return;
        settled = true;
        if (deadline) clearTimeout(deadline);
        options.signal?.removeEventListener('abort', onAbort);
        outerResolve(result);
      };
      const lib = url.protocol === 'https:' ? https : http;
      const timeoutMs = options.timeoutMs ?? 10_000;
      const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
      const onResponse = (res: http.IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            req.destroy();
            resolve({ kind: 'failure', reason: 'too-large', message: `response larger than ${maxBytes} bytes` });
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolve({ kind: 'response', status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', (err) => resolve({ kind: 'failure', reason: 'network', message: err.message }));
      };
      let req: http.ClientRequest;
      if (emulated && connectTo) {
        // Emulated hosts: the host's pool connects to its loopback server (that is the emulated DNS resolution). The
        // options are spelled out as `request(url)` would derive them (same Host header, path and auth), and
        // `servername` is given so the agent does not parse the Host header for an IP address on every request (it
        // names a TLS server only; this is plain http).
        const requestOptions: http.RequestOptions & { servername: string } = {
          method: 'GET',
          hostname: url.hostname,
          port: url.port === '' ? 80 : Number(url.port),
          path: `${url.pathname}${url.search}`,
          servername: url.hostname,
          agent: this.agentFor(emulated.hostname, connectTo),
          headers: { ...options.headers },
          ...(url.username || url.password ? { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` } : {}),
        };
        req = http.request(requestOptions, onResponse);
      } else {
        req = lib.request(url, { method: 'GET', agent: false, headers: { connection: 'close', ...options.headers } }, onResponse);
      }
      if (options.deadlineMs !== undefined) {
        const deadlineMs = options.deadlineMs;
        deadline = setTimeout(() => {
          req.destroy();
          resolve({ kind: 'failure', reason: 'timeout', message: `${host} did not finish answering within ${deadlineMs} ms` });
        }, deadlineMs);
        deadline.unref();
      }
      options.signal?.addEventListener('abort', onAbort, { once: true });
      req.setTimeout(timeoutMs, () => {
        req.destroy();
        resolve({ kind: 'failure', reason: 'timeout', message: `no answer from ${host} within ${timeoutMs} ms` });
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ECONNREFUSED') resolve({ kind: 'failure', reason: 'refused', message: `connection refused by ${host}:${url.port || (url.protocol === 'https:' ? 443 : 80)}` });
        else if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') resolve({ kind: 'failure', reason: 'dns', message: `could not resolve host ${host}` });
        else resolve({ kind: 'failure', reason: 'network', message: err.message });
      });
      req.end();
    });
  }
}
