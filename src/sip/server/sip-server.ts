/**
 * The lab's embedded SIP server: a registrar and record-routing proxy with digest authentication, reachable in
 * process (lines of the lab, through {@link SipServer.connect}) and over UDP, TCP and WebSocket on loopback (SIPp,
 * other real tools, browsers).
 *
 * ```text
 *   data on a flow ─▶ readInbound ─┬─ malformed ─▶ 400/505/513 with a Warning (or dropped if not a request)
 *                                  ├─ response  ─▶ proxy: relay upstream / local requester
 *                                  └─ request   ─▶ retransmission? resend last answer
 *                                                 ACK / CANCEL ─▶ transaction matching
 *                                                 in dialog    ─▶ test number, or forward by Request-URI
 *                                                 REGISTER     ─▶ 404 / 401 / 403 / 423 / 503 / 200 (registrar)
 *                                                 INVITE, MESSAGE, OPTIONS to a user
 *                                                              ─▶ 407 / 403 ─▶ test number | 404 | 480 | forward
 *                                                 OPTIONS to the server ─▶ 200
 *                                                 SUBSCRIBE, PUBLISH ─▶ 405; unknown methods ─▶ 501
 *   while a fault is set ({@link SipServer.setFault}): REGISTER and new INVITEs ─▶ 5xx (mode error) or nothing
 *                                                 (mode timeout)
 *   the server's own requests ({@link SipServer.originate}): BYE for a lost call or a test number's hang-up; a
 *                                                 service's NOTIFY to a registered contact (Teams check-sync)
 * ```
 *
 * Nothing a peer sends can throw out of {@link SipServer.receive}: malformed input is answered or dropped and counted,
 * and an unexpected internal error answers 500 and is recorded on the timeline.
 */
import type { Core, URI } from 'sip.js';
import type { Clock } from '../../kernel/virtual-clock.ts';
import {
  ERR_SIP_EXPIRES_INVALID,
  ERR_SIP_FAULT_STATUS_INVALID,
  ERR_SIP_SERVER_LISTENING,
  ERR_SIP_NO_ROUTE,
  ERR_SIP_SERVER_UNREACHABLE,
} from '../../kernel/error-catalogue.ts';
import { InsertionOrder } from '../../kernel/insertion-order.ts';
import { Signal } from '../../kernel/listeners.ts';
import { ownString } from '../../kernel/own-string.ts';
import { wallClock } from '../wall-clock.ts';
import { AccountDirectory, type SipAccount, type SipAccountInput } from './accounts.ts';
import { ByFlow } from './by-flow.ts';
import { DigestAuthority, parseDigest } from './digest.ts';
import { type Flow, newFlowId } from './flow.ts';
import { readInbound } from './inbound.ts';
import { LingerQueue } from './linger-queue.ts';
import { type NetworkListeners, listenNetwork, type ListenOptions } from './listeners.ts';
import { parsedUri, type ProxyCallView, SipProxy } from './proxy.ts';
import { type RawRegister, readRegister } from './register-reader.ts';
import { type BindingChange, Registrar } from './registrar.ts';
import {
  contactKey,
  type InboundRequest,
  type InboundResponse,
  newBranch,
  newTag,
  type ServerContext,
  type ServerTransaction,
  transactionKey,
} from './server-context.ts';
import {
  buildResponse,
  headerParam,
  prependHeader,
  quoted,
  removeFirstValue,
  renderSip,
  type ResponseSpec,
  type SipText,
  headerValues,
  looksLikeRequest,
  REASON_PHRASES,
  responseText,
  splitSip,
  canonicalName,
  splitList,
} from './sip-text.ts';
import { sipSpeedupsWanted } from '../speed/sip-speedups.ts';
import { DEFAULT_TEST_NUMBERS, type TestCallView, type TestNumber, TestNumbers } from './test-number.ts';
import { settleEntry, Timeline, type TimelineEntry } from './timeline.ts';

export interface RegistrationPolicy {
  /** Granted when the REGISTER names no expiry (s). */
  defaultExpires: number;
  /** Shorter requests get 423 Interval Too Brief (s). */
  minExpires: number;
  /** Longer requests are cut down to this (s). */
  maxExpires: number;
}

export interface SipServerOptions {
  /** The lab clock: timeline stamps, in-memory flows (lines of the lab). */
  clock: Clock;
  /** Time of peers on real sockets (default: real time). */
  networkClock?: Clock;
  /** SIP domain and digest realm (default `sip.lab.test`). */
  domain?: string;
  accounts?: SipAccountInput[];
  testNumbers?: readonly TestNumber[];
  registration?: Partial<RegistrationPolicy>;
  /** Challenge out-of-dialog INVITEs with 407 (default true, as PBXs do). */
  authenticateCalls?: boolean;
  /** Timeline ring buffer size (default 5000). */
  timelineSize?: number;
  /** Larger messages get 513 (default 65535 bytes). */
  maxMessageBytes?: number;
  /**
   * Overload protection: more REGISTERs than this per second (lab time) are answered 503 with Retry-After.
   * Default: no limit.
   */
  maxRegistersPerSecond?: number | null;
  /** Digest nonce lifetime (default 5 min). */
  nonceLifetimeMs?: number;
  /**
   * Services built on the server (the emulated Teams gateway: device checks, `*55*<code>` enrollment): called for
   * each REGISTER of a known extension (before the digest check) and each authenticated out-of-dialog INVITE (before
   * routing). An answer it returns is sent as the final response instead.
   */
  requestHook?: (request: RequestHookInput) => ResponseSpec | undefined;
  /**
   * Plainly written REGISTERs are read and answered by the fast path (register-reader.ts) instead of sip.js's parser;
   * anything else, and every other request, by the full path. The same answers either way (test/sip/
   * register-fast-path.test.ts). Default: on, unless the SIP speed-ups are switched off (`ROVE_SIP_SPEEDUPS=off`).
   */
  fastRegister?: boolean;
}

/**
 * What the registrar reads from a REGISTER, whichever path read it: sip.js's parse (the full path) or
 * register-reader.ts (the fast path).
 */
interface RegisterFacts {
  /** The To URI's user. */
  aor: string | undefined;
  fromUser: string;
  /** The first Expires header as written. */
  expires: string | undefined;
  /** One raw value per contact, and its URI (undefined: it does not parse). */
  contacts: string[];
  contactUris: ReadonlyArray<URI | undefined>;
  authorizations: string[];
  userAgent: string | null;
  callId: string;
  cseq: number;
  /** The Request-URI as written (the digest `uri` is compared with it). */
  requestUri: string;
  /** `Contact: *`. */
  contactWildcard: boolean;
  /** The To tag of the server's own answers in this transaction. */
  toTag: string;
}

/** A request the server's {@link SipServerOptions.requestHook} may answer itself. */
export interface RequestHookInput {
  method: 'REGISTER' | 'INVITE';
  /** REGISTER: the extension registering; INVITE: the Request-URI user (the number dialled). */
  target: string;
  /** From user (the caller's or registering extension). */
  caller: string;
  userAgent: string | null;
}

/**
 * A registrar outage, for rehearsals (the `sip-server` fault): REGISTER and out-of-dialog INVITEs are answered with a
 * 5xx (`error`) or not at all (`timeout`); requests inside dialogs still flow.
 */
export interface SipServerFault {
  mode: 'error' | 'timeout';
  /** The answer in mode `error` (500–599, default 503; a 503 carries Retry-After). */
  status?: number;
  /** Retry-After of a 503 (s, default 30, as the overload limit). */
  retryAfterS?: number;
}

/**
 * How long a client waits for the final answer to a request that gets none (RFC 3261 Timer B/F, 64 × T1 = 32 s).
 * sip.js arms those timers on real time; for lines of the lab (in-memory flows, lab clock) the server stands in for
 * them while it drops requests, so that a lab line times out after 32 s of lab time at any clock speed.
 */
export const CLIENT_TRANSACTION_TIMEOUT_MS = 32_000;

export const DEFAULT_REGISTRATION_POLICY: Readonly<RegistrationPolicy> = Object.freeze({
  defaultExpires: 3600,
  minExpires: 60,
  maxExpires: 7200,
});

export const SIP_DEFAULT_DOMAIN = 'sip.lab.test';

const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, REFER, NOTIFY, MESSAGE, INFO, UPDATE, PRACK';
const KNOWN_METHODS = new Set([...ALLOW.split(', '), 'SUBSCRIBE', 'PUBLISH']);
const MAX_SERVER_TRANSACTIONS = 20_000;
/**
 * Completed non-INVITE transactions kept for Timer J: a few hundred bytes each (the answer), so many more than the
 * pending ones — 100,000 is Timer J at about 1,500 registrations a second; above that the oldest go first.
 */
const MAX_COMPLETED_TRANSACTIONS = 100_000;
/** Timer J over UDP (64 × T1, RFC 3261 §17.2.2), and how long a completed INVITE waits for its ACK. */
const LINGER_MS = 32_000;

/**
 * What a completed non-INVITE server transaction keeps while it waits out Timer J (RFC 3261 §17.2.2): the answer to
 * send again when the request is retransmitted, and the flow to send it on. Not the request.
 */
interface CompletedTransaction {
  key: string;
  flow: Flow;
  /** undefined: the request got no answer (a fault in mode timeout): retransmissions are absorbed silently. */
  lastResponse: string | undefined;
}
const MAX_CONTACTS = 50_000;

export interface RegistrationView {
  extension: string;
  contact: string;
  transport: Flow['transport'];
  remote: string;
  expires: number;
  /** Seconds left on the binding's own clock. */
  expiresIn: number;
  registeredAt: number;
  refreshedAt: number;
  userAgent: string | null;
}

export interface ServerCallView {
  callId: string;
  caller: string;
  callee: string;
  state: 'ringing' | 'answered';
  since: number;
}

export interface SipServerStats {
  received: number;
  requests: Record<string, number>;
  responsesSent: Record<string, number>;
  malformed: number;
  dropped: number;
  internalErrors: number;
  registrations: number;
  calls: number;
  /** Server transactions held right now: pending, or completed and waiting out Timer J / the INVITE's ACK. */
  transactions: number;
}

export type SipServerChange = BindingChange | { type: 'call' };

/**
 * The network an in-process flow crosses (the lab's emulated internet, `src/network/emulated-internet.ts`): while it
 * says why nothing gets through (a site without network), the flow carries nothing, either way.
 */
export interface FlowPath {
  blocked(): string | undefined;
}

/** An in-process pipe between a line and the server (see `src/sip/line/memory-transport.ts`). */
export interface MemoryFlow extends Flow {
  /** The line sends a message to the server. */
  deliver(text: string): void;
  close(): void;
}

export class SipServer implements ServerContext {
  readonly domain: string;
  readonly clock: Clock;
  readonly networkClock: Clock;
  readonly accounts: AccountDirectory;
  readonly timeline: Timeline;
  readonly registrar: Registrar;
  readonly testNumbers: TestNumbers;
  private readonly proxy: SipProxy;
  private readonly digest: DigestAuthority;
  private readonly policy: RegistrationPolicy;
  private readonly authenticateCalls: boolean;
  private readonly maxMessageBytes: number;
  private readonly maxRegistersPerSecond: number | null;
  private readonly requestHook: SipServerOptions['requestHook'];
  private readonly fastRegister: boolean;
  /** Pending server transactions, and completed INVITEs waiting for their ACK. */
  private readonly transactions = new Map<string, ServerTransaction>();
  /** Which of them is oldest, when the bound is reached (insertion-order.ts says why not the Map's own order). */
  private readonly transactionOrder = new InsertionOrder<string>();
  /** Completed non-INVITE transactions over UDP, during Timer J. */
  private readonly completed = new Map<string, CompletedTransaction>();
  private readonly completedOrder = new InsertionOrder<string>();
  /** Per clock (flows of the lab and of real sockets run on different clocks): Timer J, and INVITEs' wait for ACK. */
  private readonly lingering = new Map<Clock, { timerJ: LingerQueue<CompletedTransaction>; invites: LingerQueue<ServerTransaction> }>();
  private readonly contacts = new Map<string, Flow>();
  /** The same transactions and contact keys by flow: closing a flow touches only what it owned. */
  private readonly transactionsByFlow = new ByFlow<ServerTransaction>();
  private readonly completedByFlow = new ByFlow<CompletedTransaction>();
  private readonly contactsByFlow = new ByFlow<string>();
  private readonly memoryFlows = new Set<MemoryFlow>();
  private readonly changes = new Signal<SipServerChange>();
  private network: NetworkListeners | undefined;
  private reachable = true;
  private fault: SipServerFault | null = null;
  private registerWindow = { start: 0, count: 0 };
  private readonly counters: SipServerStats = {
    received: 0,
    requests: {},
    responsesSent: {},
    malformed: 0,
    dropped: 0,
    internalErrors: 0,
    registrations: 0,
    calls: 0,
    transactions: 0,
  };

  constructor(options: SipServerOptions) {
    this.clock = options.clock;
    this.networkClock = options.networkClock ?? wallClock;
    this.domain = options.domain ?? SIP_DEFAULT_DOMAIN;
    this.accounts = new AccountDirectory(options.accounts ?? []);
    this.timeline = new Timeline(options.timelineSize ?? 5000);
    this.policy = { ...DEFAULT_REGISTRATION_POLICY, ...options.registration };
    if (!(this.policy.minExpires > 0 && this.policy.minExpires <= this.policy.defaultExpires && this.policy.defaultExpires <= this.policy.maxExpires)) {
      throw new ERR_SIP_EXPIRES_INVALID();
    }
    this.authenticateCalls = options.authenticateCalls ?? true;
    this.maxMessageBytes = options.maxMessageBytes ?? 65_535;
    this.maxRegistersPerSecond = options.maxRegistersPerSecond ?? null;
    this.requestHook = options.requestHook;
    this.fastRegister = options.fastRegister ?? sipSpeedupsWanted();
    this.digest = new DigestAuthority(this.domain, options.nonceLifetimeMs ?? 5 * 60_000);
    this.registrar = new Registrar((change) => this.onBindingChange(change));
    this.proxy = new SipProxy(this);
    this.testNumbers = new TestNumbers(this, options.testNumbers ?? DEFAULT_TEST_NUMBERS);
  }

  // ── Reaching the server ──────────────────────────────────────────────────────────────────────────────────────

  /**
   * Opens an in-process flow for a line of the lab. `receive` gets every message the server sends to the line
   * (asynchronously, as a socket would) and `closed` when the flow closes. Throws `SIP_SERVER_UNREACHABLE` while the server is made unreachable.
   */
  connect(label: string, receive: (text: string) => void, closed?: () => void, path?: FlowPath): MemoryFlow {
    if (!this.reachable) throw new ERR_SIP_SERVER_UNREACHABLE(this.domain);
    const noRoute = path?.blocked();
    if (noRoute !== undefined) throw new ERR_SIP_NO_ROUTE(noRoute);
    const server = this;
    let open = true;
    // Messages travel in order, one microtask later, like bytes on a socket. Closing first hands over what the line
    // already sent (a BYE right before a reboot must reach the server).
    const toServer: string[] = [];
    const drainToServer = () => {
      while (toServer.length > 0) server.receive(toServer.shift()!, flow);
    };
    const flow: MemoryFlow = {
      id: newFlowId(),
      transport: 'MEM',
      remote: `memory:${label}`,
      clock: this.clock,
      get open() {
        return open;
      },
      send(text: string) {
        if (!open) throw new Error('flow closed');
        // The line's network is down: what the server sends is lost on the way (the connection itself stays up).
        if (path?.blocked() !== undefined) return;
        queueMicrotask(() => {
          if (open) receive(text);
        });
      },
      deliver(text: string) {
        if (!open) throw new Error('flow closed');
        if (path?.blocked() !== undefined) {
          server.lostOnTheWay(text, flow, receive);
          return;
        }
        toServer.push(text);
        if (toServer.length === 1) queueMicrotask(drainToServer);
      },
      close() {
        if (!open) return;
        drainToServer();
        open = false;
        server.memoryFlows.delete(flow);
        server.flowClosed(flow);
        closed?.();
      },
    };
    this.memoryFlows.add(flow);
    return flow;
  }

  /**
   * A line's message that its network lost before it reached the server: a request other than ACK gets, 32 s later on
   * the lab clock, the 408 the line's own client transaction makes when no answer comes (RFC 3261 Timer B/F; sip.js
   * arms those on real time: see {@link CLIENT_TRANSACTION_TIMEOUT_MS}). Nothing reaches the server.
   */
  private lostOnTheWay(text: string, flow: MemoryFlow, receive: (text: string) => void): void {
    const message = splitSip(text);
    const request = message ? looksLikeRequest(message.startLine) : undefined;
    if (!message || !request || request.method === 'ACK') return;
    // [inferred] the same stand-in as a registrar that does not answer (onFault, mode timeout).
    flow.clock.setTimeout(() => {
      if (flow.open) receive(buildResponse(message, { status: 408, toTag: newTag() }));
    }, CLIENT_TRANSACTION_TIMEOUT_MS);
  }

  /**
   * Fault injection for rehearsals: an unreachable server refuses new in-process connections and drops the open
   * ones (lines see their transport go down). Real-socket listeners are not affected.
   */
  setReachable(reachable: boolean): void {
    this.reachable = reachable;
    if (!reachable) for (const flow of [...this.memoryFlows]) flow.close();
  }

  get isReachable(): boolean {
    return this.reachable;
  }

  /**
   * Fault injection for rehearsals: while set, REGISTER and out-of-dialog INVITEs get the fault's 5xx or no answer
   * (see {@link SipServerFault}); `null` answers normally again. Bindings and calls already up are left alone: lines
   * notice at their next refresh, and come back at their next retry after it is lifted.
   */
  setFault(fault: SipServerFault | null): void {
    if (fault?.mode === 'error') {
      const status = fault.status ?? 503;
      if (!Number.isInteger(status) || status < 500 || status > 599) throw new ERR_SIP_FAULT_STATUS_INVALID();
    }
    this.fault = fault ? { ...fault } : null;
  }

  get activeFault(): SipServerFault | null {
    return this.fault ? { ...this.fault } : null;
  }

  /** Listens on loopback: UDP, TCP, TLS and WebSocket (subprotocol `sip`), each on its port (0 = any free port). */
  async listen(options: ListenOptions): Promise<NetworkListeners['addresses']> {
    if (this.network) throw new ERR_SIP_SERVER_LISTENING();
    this.network = await listenNetwork(options, {
      clock: this.networkClock,
      receive: (data, flow) => this.receive(data, flow),
      malformed: (text, problem, status, flow) => this.receiveUnframed(text, problem, status, flow),
      closed: (flow) => this.flowClosed(flow),
    });
    return this.network.addresses;
  }

  get addresses(): NetworkListeners['addresses'] | undefined {
    return this.network?.addresses;
  }

  async close(): Promise<void> {
    for (const flow of [...this.memoryFlows]) flow.close();
    this.registrar.clear();
    for (const queues of this.lingering.values()) {
      queues.timerJ.clear();
      queues.invites.clear();
    }
    this.lingering.clear();
    this.completed.clear();
    this.completedByFlow.clear();
    const network = this.network;
    this.network = undefined;
    await network?.close();
  }

  // ── Receiving ────────────────────────────────────────────────────────────────────────────────────────────────

  /** Handles one message that arrived on a flow. Never throws. */
  receive(data: string, flow: Flow): void {
    this.counters.received++;
    let request: InboundRequest | undefined;
    try {
      if (this.fastRegister && this.fault === null) {
        const raw = readRegisterSafely(data, this.maxMessageBytes);
        if (raw) return this.onRawRegister(raw, flow);
      }
      if (flow.transport === 'UDP' && this.answeredAgain(data, flow)) return;
      const inbound = readInbound(data, { maxMessageBytes: this.maxMessageBytes });
      switch (inbound.kind) {
        case 'ignored':
          return;
        case 'malformed':
          this.onMalformed(inbound, flow);
          return;
        case 'response':
          this.proxy.onResponse({ message: inbound.message, status: inbound.status, reason: inbound.reason, text: inbound.text, flow });
          return;
        case 'request':
          request = this.admit(inbound.message, inbound.ruri, inbound.text, flow, inbound.contactWildcard);
          if (request) this.onRequest(request);
          return;
      }
    } catch (error) {
      this.counters.internalErrors++;
      const detail = `Internal error: ${error instanceof Error ? error.message : String(error)}`;
      this.timeline.add({ ...this.entryBase(flow, 'malformed'), method: request?.message.method ?? null, detail, status: 500 });
      if (request && request.message.method !== 'ACK' && request.tx.status < 200) {
        try {
          this.reply(request, { status: 500, headers: [this.warning('Internal error')] });
        } catch {
          // The flow may be gone; nothing else to do.
        }
      }
    }
  }

  /** A stream (TCP) that could not be framed: answered like any malformed request when possible. */
  receiveUnframed(text: string, problem: string, status: 400 | 513, flow: Flow): void {
    this.counters.received++;
    try {
      const split = splitSip(text);
      this.onMalformed({ kind: 'malformed', status, problem, text: split, method: split ? looksLikeRequest(split.startLine)?.method : undefined }, flow);
    } catch {
      this.counters.internalErrors++;
    }
  }

  /** A flow closed: its registrations go, calls with a party on it end for the other party. */
  flowClosed(flow: Flow): void {
    this.registrar.dropFlow(flow);
    for (const key of this.contactsByFlow.take(flow)) this.contacts.delete(key);
    this.proxy.flowClosed(flow);
    this.testNumbers.flowClosed(flow);
    for (const tx of this.transactionsByFlow.take(flow)) this.transactions.delete(tx.key);
    for (const done of this.completedByFlow.take(flow)) this.completed.delete(done.key);
    this.transactionOrder.deleted(this.transactions);
    this.completedOrder.deleted(this.completed);
    this.emit({ type: 'call' });
  }

  private onMalformed(inbound: Extract<ReturnType<typeof readInbound>, { kind: 'malformed' }>, flow: Flow): void {
    this.counters.malformed++;
    const entry = this.timeline.add({
      ...this.entryBase(flow, 'malformed'),
      method: inbound.method ?? null,
      detail: inbound.problem,
    });
    // Only requests get an answer, never an ACK (RFC 3261 §17.1.1.3), and only when we know where it came from.
    if (!inbound.text || !inbound.method || inbound.method === 'ACK') {
      this.counters.dropped++;
      return;
    }
    // Via, From, To, Call-ID and CSeq are echoed as received, even when they are what is wrong (RFC 3261 §8.2.6):
    // that is how the sender (SIPp, for one) matches the answer to its request.
    const response = buildResponse(inbound.text, {
      status: inbound.status,
      reason: inbound.status === 400 ? `Bad Request (${inbound.problem.slice(0, 60)})` : undefined,
      headers: [this.warning(inbound.problem), this.serverHeader()],
    });
    settleEntry(entry, { status: inbound.status, reason: inbound.problem, answeredAt: this.clock.now() });
    this.count(inbound.status);
    this.send(flow, response);
  }

  /**
   * A retransmission over UDP of a request whose transaction is still known, recognised from its request line and
   * top Via before anything is parsed: answered again with the last final response (or absorbed while pending), as
   * {@link admit} would, for a fraction of the work. A client that gets no answer in time sends every request again
   * (SIPp every 500 ms): parsing each copy in full is what turned a busy server into an overloaded one.
   */
  private answeredAgain(data: string, flow: Flow): boolean {
    if (this.transactions.size === 0 && this.completed.size === 0) return false;
    const raw = rawTransactionKey(data);
    if (raw === undefined) return false;
    const existing = this.transactions.get(raw.key) ?? this.completed.get(raw.key);
    if (!existing) return false;
    this.counters.requests[raw.method] = (this.counters.requests[raw.method] ?? 0) + 1;
    if (existing.lastResponse) this.send(flow, existing.lastResponse);
    return true;
  }

  /** Creates (or finds, for a retransmission) the server transaction of a request. */
  private admit(
    message: Core.IncomingRequestMessage,
    ruri: URI,
    text: SipText,
    flow: Flow,
    contactWildcard: boolean,
  ): InboundRequest | undefined {
    const method = message.method;
    this.counters.requests[method] = (this.counters.requests[method] ?? 0) + 1;
    const key = transactionKey(message, method);
    markReceived(text, flow);
    if (method !== 'ACK') {
      const existing = this.transactions.get(key) ?? this.completed.get(key);
      if (existing) {
        // A retransmission (UDP): answer again with the last final response, do nothing else.
        if (existing.lastResponse) this.send(flow, existing.lastResponse);
        return undefined;
      }
    }
    const entry = this.timeline.add(
      this.entryBase(
        flow,
        'request',
        method,
        (method === 'REGISTER' ? message.to.uri.user : message.from.uri.user) ?? null,
        method === 'REGISTER' ? null : ((message.toTag ? message.to.uri.user : ruri.user) ?? null),
        message.callId,
      ),
    );
    const tx: ServerTransaction = {
      key,
      method,
      flow,
      text,
      message,
      entry,
      status: 0,
      lastResponse: undefined,
      toTag: newTag(),
      forwarded: undefined,
      local: undefined,
    };
    if (method !== 'ACK') this.rememberTransaction(tx);
    return { message, ruri, text, flow, entry, tx, contactWildcard };
  }

  private onRequest(request: InboundRequest): void {
    const { message } = request;
    const method = message.method;
    if (method === 'ACK') return this.onAck(request);
    if (method === 'CANCEL') return this.onCancel(request);
    if (Number(message.getHeader('max-forwards') ?? '70') <= 0) {
      return this.reply(request, { status: 483, headers: [this.warning('Max-Forwards reached 0')] });
    }
    const refusal = this.refusal(request);
    if (refusal) return this.reply(request, refusal);
    this.popOwnRoutes(request.text);
    if (message.toTag) return this.onInDialog(request);
    if (this.fault && (method === 'REGISTER' || method === 'INVITE')) return this.onFault(request, this.fault);
    switch (method) {
      case 'REGISTER':
        return this.onRegister(request);
      case 'INVITE':
      case 'MESSAGE':
        return this.onCallRequest(request);
      case 'OPTIONS':
        if (!request.ruri.user) return this.reply(request, { status: 200, headers: [`Allow: ${ALLOW}`, 'Accept: application/sdp', this.serverHeader()] });
        return this.onCallRequest(request);
      case 'SUBSCRIBE':
      case 'PUBLISH':
        return this.reply(request, { status: 405, headers: [`Allow: ${ALLOW}`, this.warning(`${method} is not supported by this server`)] });
      default:
        if (KNOWN_METHODS.has(method)) {
          // BYE, REFER, NOTIFY, INFO, UPDATE, PRACK outside a dialog.
          return this.reply(request, { status: 481, headers: [this.warning(`${method} outside a dialog`)] });
        }
        return this.reply(request, { status: 501, headers: [`Allow: ${ALLOW}`, this.warning(`Method ${method} is not implemented`)] });
    }
  }

  /**
   * What this server refuses before acting on a request (RFC 3261): an option it does not support in Proxy-Require
   * (§16.3, 420), or in Require of a request it answers itself (§8.2.2.3, 420); a `sips:` Request-URI on a transport
   * other than TLS (§26.2, 416).
   */
  private refusal(request: InboundRequest): ResponseSpec | undefined {
    const { message, ruri } = request;
    const local = message.method === 'REGISTER' || (message.method === 'OPTIONS' && !ruri.user);
    const options: string[] = [];
    for (const value of [...message.getHeaders('proxy-require'), ...(local ? message.getHeaders('require') : [])]) {
      for (const option of value.split(',')) if (option.trim()) options.push(option.trim());
    }
    if (options.length > 0) {
      return { status: 420, headers: [`Unsupported: ${options.join(', ')}`, this.warning(`Option ${options.join(', ')} is not supported`)] };
    }
    if (ruri.scheme === 'sips' && request.flow.transport !== 'TLS') {
      return { status: 416, headers: [this.warning(`sips: needs TLS: send it to this server's TLS port, not over ${request.flow.transport}`)] };
    }
    return undefined;
  }

  /** A REGISTER or new INVITE while a fault is set: the 5xx, or silence (and the client's own timeout, see below). */
  private onFault(request: InboundRequest, fault: SipServerFault): void {
    if (fault.mode === 'error') {
      const status = fault.status ?? 503;
      const headers = status === 503 ? [`Retry-After: ${fault.retryAfterS ?? 30}`] : [];
      return this.reply(request, { status, headers: [...headers, this.warning('SIP server out of service'), this.serverHeader()] });
    }
    const { tx } = request;
    this.counters.dropped++;
    settleEntry(tx.entry, { detail: 'not answered (SIP server fault: timeout)' });
    if (tx.flow.transport !== 'MEM') {
      // A real peer's own timers run on real time: it times out by itself. Retransmissions are absorbed meanwhile.
      this.completeTransaction(tx);
      return;
    }
    // [inferred] What sip.js would conclude on its own after Timer B/F (a 408 generated by the client transaction),
    // delivered on the lab clock because sip.js's timer runs on real time (docs/sip.md, "Time").
    tx.flow.clock.setTimeout(() => {
      if (tx.status >= 200 || !tx.flow.open) return;
      tx.status = 408;
      settleEntry(tx.entry, { reason: 'no answer (the client timed out)' });
      this.send(tx.flow, buildResponse(tx.text, { status: 408, toTag: tx.toTag }));
      this.completeTransaction(tx);
    }, CLIENT_TRANSACTION_TIMEOUT_MS);
  }

  private onAck(request: InboundRequest): void {
    const invite = this.transactions.get(transactionKey(request.message, 'INVITE'));
    if (invite && invite.status >= 300) return; // ACK for a non-2xx answer: ends that transaction here
    this.popOwnRoutes(request.text);
    if (this.testNumbers.owns(request)) return this.testNumbers.inDialog(request);
    if (!this.proxy.forwardInDialog(request)) this.counters.dropped++;
  }

  private onCancel(request: InboundRequest): void {
    const invite = this.transactions.get(transactionKey(request.message, 'INVITE'));
    if (!invite) return this.reply(request, { status: 481, headers: [this.warning('No INVITE to cancel')] });
    this.reply(request, { status: 200 });
    if (invite.status >= 200) return;
    if (invite.local) invite.local.cancel();
    else if (invite.forwarded) this.proxy.cancel(invite);
    else this.replyTx(invite, { status: 487, toTag: invite.toTag });
  }

  private onInDialog(request: InboundRequest): void {
    if (this.testNumbers.owns(request)) return this.testNumbers.inDialog(request);
    if (!this.proxy.forwardInDialog(request)) {
      this.reply(request, { status: 481, headers: [this.warning('No such call: the other party is not reachable')] });
    }
  }

  /** INVITE/MESSAGE/OPTIONS to a user: authenticate the caller, then route to a test number or a registered contact. */
  private onCallRequest(request: InboundRequest): void {
    const { message } = request;
    if (message.method === 'INVITE' && this.authenticateCalls) {
      const caller = this.authenticate(request, 'proxy', message.from.uri.user ?? '');
      if (!caller) return;
    }
    if (message.method === 'INVITE') this.reply(request, { status: 100 });
    const target = request.ruri.user ?? '';
    if (message.method === 'INVITE' && this.requestHook) {
      const answer = this.requestHook({ method: 'INVITE', target, caller: message.from.uri.user ?? '', userAgent: message.getHeader('user-agent') ?? null });
      if (answer) return this.reply(request, { toTag: request.tx.toTag, ...answer });
    }
    const testNumber = this.testNumbers.get(target);
    if (testNumber) {
      if (message.method === 'INVITE') return this.testNumbers.invite(request, testNumber);
      return this.reply(request, { status: 200, headers: [`Allow: ${ALLOW}`] });
    }
    if (!this.accounts.get(target)) {
      return this.reply(request, { status: 404, headers: [this.warning(`No extension ${target} on ${this.domain}`)] });
    }
    const binding = this.registrar.lookup(target)[0];
    if (!binding) {
      return this.reply(request, { status: 480, headers: [this.warning(`Extension ${target} is not registered`)] });
    }
    this.proxy.forward(request, binding.contact, binding.flow);
  }

  // ── Registrar ────────────────────────────────────────────────────────────────────────────────────────────────

  private onRegister(request: InboundRequest): void {
    const { message } = request;
    const contacts = message.getHeaders('contact');
    const contactUris: Array<URI | undefined> = [];
    for (let i = 0; i < contacts.length; i++) contactUris.push(parsedUri(message, i));
    const facts: RegisterFacts = {
      aor: message.to.uri.user,
      fromUser: message.from.uri.user ?? '',
      expires: message.getHeader('expires'),
      contacts,
      contactUris,
      authorizations: message.getHeaders('authorization'),
      userAgent: message.getHeader('user-agent') ?? null,
      callId: message.callId,
      cseq: message.cseq,
      requestUri: requestUriText(request.text.startLine),
      contactWildcard: request.contactWildcard,
      toTag: request.tx.toTag,
    };
    this.reply(request, this.register(facts, request.flow, request.entry));
  }

  /**
   * A REGISTER read by the fast path (register-reader.ts): what {@link admit}, {@link onRequest} and
   * {@link onRegister} do with it on the full path, and the answer written from the request's own header values by
   * the same {@link responseText} that {@link buildResponse} uses. No server transaction is kept while it is handled
   * (it is answered before this returns); over UDP its answer waits out Timer J as every other one does.
   */
  private onRawRegister(raw: RawRegister, flow: Flow): void {
    const requests = this.counters.requests;
    requests.REGISTER = (requests.REGISTER ?? 0) + 1;
    const existing = this.transactions.get(raw.key) ?? this.completed.get(raw.key);
    if (existing) {
      // A retransmission (UDP): answer again with the last final response, do nothing else.
      if (existing.lastResponse) this.send(flow, existing.lastResponse);
      return;
    }
    const entry = this.timeline.add(this.entryBase(flow, 'request', 'REGISTER', raw.toUser ?? null, null, raw.callId));
    const toTag = newTag();
    let spec: ResponseSpec;
    try {
      spec = this.register(
        {
          aor: raw.toUser,
          fromUser: raw.fromUser ?? '',
          expires: raw.expires,
          contacts: raw.contacts,
          contactUris: raw.contactUris,
          authorizations: raw.authorizations,
          userAgent: raw.userAgent,
          callId: raw.callId,
          cseq: raw.cseqNumber,
          requestUri: raw.requestUri,
          contactWildcard: false,
          toTag,
        },
        flow,
        entry,
      );
    } catch (error) {
      // As receive() answers an internal error on the full path.
      this.counters.internalErrors++;
      const detail = `Internal error: ${error instanceof Error ? error.message : String(error)}`;
      this.timeline.add({ ...this.entryBase(flow, 'malformed'), method: 'REGISTER', detail, status: 500 });
      spec = { status: 500, headers: [this.warning('Internal error')] };
    }
    // replyTx, for a request without a To tag (the reader takes no other).
    const answer: ResponseSpec =
      spec.status > 100 && spec.toTag === undefined
        ? { status: spec.status, reason: spec.reason, headers: spec.headers, toTag, body: spec.body, contentType: spec.contentType }
        : spec;
    const vias = raw.vias;
    vias[0] = receivedVia(vias[0]!, flow);
    const text = responseText(answer, vias, raw.from, raw.to, raw.callId, raw.cseq);
    this.count(spec.status);
    if (spec.status >= 200) {
      settleEntry(entry, {
        status: spec.status,
        reason: spec.reason ?? warningText(spec.headers) ?? REASON_PHRASES[spec.status] ?? null,
        answeredAt: this.clock.now(),
      });
      if (flow.transport === 'UDP') this.rememberCompleted(raw.key, flow, text);
    }
    this.send(flow, text);
  }

  /**
   * The registrar (RFC 3261 §10.3) on what a REGISTER says, whichever path read it: its bindings updated, and the
   * answer to send (404 / 401 / 403 / 400 / 423 / 503, or 200 with the bindings).
   */
  private register(reg: RegisterFacts, flow: Flow, entry: TimelineEntry): ResponseSpec {
    const aor = reg.aor;
    if (!aor) return { status: 400, headers: [this.warning('The To header must name the extension')] };
    const expiresProblem = badExpires(reg.expires, reg.contacts);
    if (expiresProblem) return { status: 400, headers: [this.warning(expiresProblem)] };
    if (!this.accounts.get(aor)) {
      // Which extensions exist is told only after authentication: a stranger gets the challenge, then 403 for the
      // credentials; a user who authenticates (as their own extension) learns that this one does not exist.
      const username = reg.authorizations.map(parseDigest).find((c) => c?.realm === this.domain)?.username;
      const own = username === undefined ? undefined : this.accounts.findByAuthUser(username)?.extension;
      const verdict = this.authorize('www', reg.authorizations, 'REGISTER', reg.requestUri, own ?? aor, flow, reg.toTag);
      if (!verdict.ok) return verdict.answer;
      return { status: 404, headers: [this.warning(`No extension ${aor} on ${this.domain}`)] };
    }
    if (this.requestHook) {
      const answer = this.requestHook({ method: 'REGISTER', target: aor, caller: reg.fromUser, userAgent: reg.userAgent });
      if (answer) return { toTag: reg.toTag, ...answer };
    }
    if (this.overloaded()) {
      return { status: 503, headers: ['Retry-After: 30', this.warning('Too many registrations, try again later')] };
    }
    const verdict = this.authorize('www', reg.authorizations, 'REGISTER', reg.requestUri, aor, flow, reg.toTag);
    if (!verdict.ok) return verdict.answer;
    const account = verdict.account;

    const contacts = reg.contacts;
    const expiresHeader = parseExpires(reg.expires);
    if (reg.contactWildcard) {
      if (contacts.length !== 0 || expiresHeader !== 0) {
        return { status: 400, headers: [this.warning('Contact: * needs Expires: 0 and no other contact')] };
      }
      this.registrar.removeAll(aor);
      return this.bindingsAnswer(aor, flow);
    }
    if (contacts.length === 0) return this.bindingsAnswer(aor, flow);
    const wanted: Array<{ uri: string; key: string; expires: number; flow: Flow }> = [];
    for (let i = 0; i < contacts.length; i++) {
      const uri = reg.contactUris[i];
      if (!uri) return { status: 400, headers: [this.warning('Malformed Contact header')] };
      const param = parseExpires(headerParam(contacts[i]!, 'expires'));
      const expires = param ?? expiresHeader ?? this.policy.defaultExpires;
      if (expires > 0 && expires < this.policy.minExpires) {
        return {
          status: 423,
          headers: [`Min-Expires: ${this.policy.minExpires}`, this.warning(`Registration expiry must be at least ${this.policy.minExpires} s`)],
        };
      }
      wanted.push({ uri: uriText(uri), key: contactKey(uri), expires: Math.min(expires, this.policy.maxExpires), flow: this.flowForBinding(flow, uri) });
    }
    for (const contact of wanted) {
      if (contact.expires === 0) {
        this.registrar.remove(aor, contact.key);
        continue;
      }
      this.registrar.upsert(
        {
          aor,
          contact: contact.uri,
          contactKey: contact.key,
          flow: contact.flow,
          expires: contact.expires,
          callId: reg.callId,
          cseq: reg.cseq,
          userAgent: reg.userAgent,
        },
        this.clock.now(),
      );
      this.noteFlow(contact.key, contact.flow);
    }
    settleEntry(entry, { detail: `${account.extension}: ${wanted.map((c) => `${c.uri} (${c.expires} s)`).join(', ')}` });
    return this.bindingsAnswer(aor, flow);
  }

  /**
   * Where requests for a binding go (RFC 3261 §16.5/§19.1.4: to the registered Contact). Over UDP that is the Contact's
   * address when it names one on loopback that is not where the REGISTER came from (a phone that registers from one
   * socket and listens on another, SIPp's separate uas); otherwise the REGISTER's own flow: connection-oriented
   * transports can only be reached back over their connection, and the lab's lines over their memory flow.
   */
  private flowForBinding(source: Flow, contact: URI): Flow {
    if (source.transport !== 'UDP' || !this.network?.udpFlowTo) return source;
    const transport = String(contact.getParam('transport') ?? 'udp').toLowerCase();
    if (transport !== 'udp' || !/^(?:\d{1,3}\.){3}\d{1,3}$/.test(contact.host)) return source;
    return this.network.udpFlowTo(contact.host, contact.port ?? 5060) ?? source;
  }

  /** 200 with the extension's bindings (RFC 3261 §10.3 step 8). */
  private bindingsAnswer(aor: string, flow: Flow): ResponseSpec {
    const headers = this.registrar.lookup(aor).map((b) => {
      const left = Math.max(0, Math.round((b.expiresAt - b.flow.clock.now()) / 1000));
      return `Contact: <${b.contact}>;expires=${left}`;
    });
    headers.push(dateHeader(flow.clock.now()), this.serverHeader());
    return { status: 200, headers };
  }

  private overloaded(): boolean {
    if (this.maxRegistersPerSecond === null) return false;
    const now = this.clock.now();
    if (now - this.registerWindow.start >= 1000) this.registerWindow = { start: now, count: 0 };
    this.registerWindow.count++;
    return this.registerWindow.count > this.maxRegistersPerSecond;
  }

  // ── Digest authentication ────────────────────────────────────────────────────────────────────────────────────

  /**
   * Checks the credentials of a request for `identity` (the extension it registers or calls from). Answers
   * 401/407 (challenge, also when the nonce is stale), 403 (wrong user or password) or 400 and returns undefined;
   * returns the account when the request may proceed.
   */
  private authenticate(request: InboundRequest, kind: 'www' | 'proxy', identity: string): SipAccount | undefined {
    const { message } = request;
    // Read with getHeaders: the parser's parseHeader() would delete these (no grammar rule for them).
    const values = message.getHeaders(kind === 'www' ? 'authorization' : 'proxy-authorization');
    const verdict = this.authorize(kind, values, message.method, requestUriText(request.text.startLine), identity, request.flow, request.tx.toTag);
    if (verdict.ok) return verdict.account;
    this.reply(request, verdict.answer);
    return undefined;
  }

  /**
   * The digest check of {@link authenticate} on the credentials a request carries (`values`: its Authorization or
   * Proxy-Authorization headers), whichever path read them: the account, or the answer to send.
   */
  private authorize(
    kind: 'www' | 'proxy',
    values: string[],
    method: string,
    requestUri: string,
    identity: string,
    flow: Flow,
    toTag: string,
  ): { ok: true; account: SipAccount } | { ok: false; answer: ResponseSpec } {
    if (values.length === 0) return { ok: false, answer: this.challenge(kind, flow, false, toTag) };
    let credentials: ReturnType<typeof parseDigest>;
    let unreadable = false;
    for (const value of values) {
      const parsed = parseDigest(value);
      if (parsed === undefined) unreadable = true;
      else if (parsed.realm === this.domain) {
        credentials = parsed;
        break;
      }
    }
    if (!credentials) {
      if (unreadable) return { ok: false, answer: { status: 400, headers: [this.warning('Malformed Authorization header')] } };
      return { ok: false, answer: this.challenge(kind, flow, false, toTag) };
    }
    const account = this.accounts.findByAuthUser(credentials.username);
    if (!account) {
      return { ok: false, answer: { status: 403, toTag, headers: [this.warning(`Unknown user name ${credentials.username}`)] } };
    }
    if (account.extension !== identity) {
      return {
        ok: false,
        answer: { status: 403, toTag, headers: [this.warning(`User ${credentials.username} may not act as ${identity || '(none)'}`)] },
      };
    }
    if (!sameResource(credentials.uri, requestUri, this.domain)) {
      // RFC 2617 §3.2.2.5: the digest was computed for another URI (a captured answer replayed elsewhere, or a bug).
      return { ok: false, answer: { status: 400, headers: [this.warning(`Digest uri ${credentials.uri} does not match the Request-URI`)] } };
    }
    const check = this.digest.check(credentials, method, account.password, flow.clock.now());
    if (check.ok) return { ok: true, account };
    if (check.reason === 'stale' || check.reason === 'bad-nonce' || check.reason === 'replayed') {
      // A replayed nonce-count gets a fresh challenge: a genuine client answers it, a replay cannot.
      return { ok: false, answer: this.challenge(kind, flow, check.reason === 'stale', toTag) };
    }
    if (check.reason === 'unsupported') {
      return { ok: false, answer: { status: 400, headers: [this.warning('Only Digest MD5 with qop=auth is supported')] } };
    }
    return { ok: false, answer: { status: 403, toTag, headers: [this.warning('Wrong password')] } };
  }

  /** 401/407 with a fresh nonce. */
  private challenge(kind: 'www' | 'proxy', flow: Flow, stale: boolean, toTag: string): ResponseSpec {
    return {
      status: kind === 'www' ? 401 : 407,
      toTag,
      headers: [`${kind === 'www' ? 'WWW-Authenticate' : 'Proxy-Authenticate'}: ${this.digest.challenge(flow.clock.now(), stale)}`],
    };
  }

  // ── ServerContext ────────────────────────────────────────────────────────────────────────────────────────────

  send(flow: Flow, text: string): boolean {
    if (!flow.open) return false;
    try {
      flow.send(text);
      return true;
    } catch {
      return false;
    }
  }

  reply(request: InboundRequest, spec: ResponseSpec): void {
    this.replyTx(request.tx, spec);
  }

  replyTransaction(tx: ServerTransaction, spec: ResponseSpec): void {
    this.replyTx(tx, spec);
  }

  localAddress(flow: Flow): string {
    const addresses = this.network?.addresses;
    switch (flow.transport) {
      case 'UDP':
        return addresses?.udp ? `${addresses.udp.host}:${addresses.udp.port}` : this.domain;
      case 'TCP':
        return addresses?.tcp ? `${addresses.tcp.host}:${addresses.tcp.port}` : this.domain;
      case 'TLS':
        return addresses?.tls ? `${addresses.tls.host}:${addresses.tls.port}` : this.domain;
      case 'WS':
        return addresses?.ws ? `${addresses.ws.host}:${addresses.ws.port}` : this.domain;
      case 'MEM':
        return this.domain;
    }
  }

  /**
   * A transaction got its final answer. An INVITE is kept a while for retransmissions, the ACK and CANCEL. A
   * non-INVITE lets go of its request now: over UDP only its answer stays, for retransmissions, until Timer J runs
   * out (64 × T1); over reliable transports (TCP, TLS, WebSocket, the lab's in-memory flows) Timer J is 0 and nothing
   * stays (RFC 3261 §17.2.2).
   */
  completeTransaction(tx: ServerTransaction): void {
    const queues = this.lingerQueues(tx.flow.clock);
    if (tx.method === 'INVITE') {
      queues.invites.push(tx);
      return;
    }
    this.forgetTransaction(tx);
    if (tx.flow.transport !== 'UDP') return;
    this.rememberCompleted(tx.key, tx.flow, tx.lastResponse);
  }

  /** A completed non-INVITE transaction over UDP: its answer kept for retransmissions until Timer J runs out. */
  private rememberCompleted(key: string, flow: Flow, lastResponse: string | undefined): void {
    const queues = this.lingerQueues(flow.clock);
    if (this.completed.size >= MAX_COMPLETED_TRANSACTIONS) {
      const oldest = this.completedOrder.takeOldest(this.completed);
      if (oldest !== undefined) this.forgetCompleted(this.completed.get(oldest)!);
    }
    // An own copy of the key: it holds the branch cut from the request, which would keep the whole request alive. The
    // answer is a string of its own already (renderSip).
    const done: CompletedTransaction = { key: ownString(key), flow, lastResponse };
    const replaced = this.completed.get(done.key);
    if (replaced) this.completedByFlow.delete(replaced.flow, replaced);
    this.completed.set(done.key, done);
    if (!replaced) this.completedOrder.added(done.key, this.completed);
    this.completedByFlow.add(done.flow, done);
    queues.timerJ.push(done);
  }

  private lingerQueues(clock: Clock) {
    let queues = this.lingering.get(clock);
    if (!queues) {
      queues = {
        timerJ: new LingerQueue<CompletedTransaction>(clock, LINGER_MS, (done) => this.forgetCompleted(done)),
        invites: new LingerQueue<ServerTransaction>(clock, LINGER_MS, (tx) => this.forgetTransaction(tx)),
      };
      this.lingering.set(clock, queues);
    }
    return queues;
  }

  /** Sends a request the server originates on `flow`; returns its timeline entry (the caller may settle it). */
  originate(flow: Flow, text: SipText, onResponse?: (response: InboundResponse) => void): TimelineEntry {
    const branch = newBranch();
    prependHeader(text, 'Via', this.proxy.via(flow, branch));
    const method = /^(\S+)/.exec(text.startLine)?.[1] ?? '';
    this.proxy.remember({
      key: `${branch}|${method}`,
      branch,
      method,
      flow,
      text,
      server: undefined,
      onResponse: onResponse ?? (() => undefined),
      final: false,
    });
    const to = headerValues(text, 'to')[0] ?? '';
    const from = headerValues(text, 'from')[0] ?? '';
    const entry = this.timeline.add({
      ...this.entryBase(flow, 'request'),
      direction: 'out',
      method,
      user: /sip:([^@;>]+)@/.exec(from)?.[1] ?? null,
      target: /sip:([^@;>]+)@/.exec(to)?.[1] ?? null,
      callId: headerValues(text, 'call-id')[0] ?? null,
      detail: headerValues(text, 'reason')[0] ?? null,
    });
    this.send(flow, renderSip(text));
    this.emit({ type: 'call' });
    return entry;
  }

  noteContact(uri: URI | undefined, flow: Flow): void {
    if (uri) this.noteFlow(contactKey(uri), flow);
  }

  flowForContact(key: string): Flow | undefined {
    return this.contacts.get(key);
  }

  // ── Views ────────────────────────────────────────────────────────────────────────────────────────────────────

  registrations(): RegistrationView[] {
    return this.registrar
      .all()
      .map((b) => ({
        extension: b.aor,
        contact: b.contact,
        transport: b.flow.transport,
        remote: b.flow.remote,
        expires: b.expires,
        expiresIn: Math.max(0, Math.round((b.expiresAt - b.flow.clock.now()) / 1000)),
        registeredAt: b.registeredAt,
        refreshedAt: b.refreshedAt,
        userAgent: b.userAgent,
      }))
      .sort((a, b) => a.extension.localeCompare(b.extension, 'en', { numeric: true }));
  }

  isRegistered(extension: string): boolean {
    return this.registrar.lookup(extension).length > 0;
  }

  /** Answered calls between lines, and calls to test numbers (ringing or answered). */
  calls(): ServerCallView[] {
    const proxied = this.proxy.calls().map((c: ProxyCallView) => ({
      callId: c.callId,
      caller: c.caller,
      callee: c.callee,
      state: 'answered' as const,
      since: c.answeredAt,
    }));
    const local = this.testNumbers.active().map((c: TestCallView) => ({
      callId: c.callId,
      caller: c.caller,
      callee: c.number,
      state: c.state,
      since: c.startedAt,
    }));
    return [...proxied, ...local];
  }

  stats(): SipServerStats {
    return {
      ...this.counters,
      requests: { ...this.counters.requests },
      responsesSent: { ...this.counters.responsesSent },
      registrations: this.registrar.size,
      calls: this.calls().length,
      transactions: this.transactions.size + this.completed.size,
    };
  }

  /** Binding changes and call changes, for consoles. Returns an unsubscribe function. */
  onChange(listener: (change: SipServerChange) => void): () => void {
    return this.changes.on(listener);
  }

  // ── Internals ────────────────────────────────────────────────────────────────────────────────────────────────

  private replyTx(tx: ServerTransaction, spec: ResponseSpec): void {
    // RFC 3261 §8.2.6.2: every response but 100 carries a To tag when the request's To had none. Built as a literal:
    // on Node 20 `{ ...spec, toTag }` takes V8's slow path for properties after a spread (microseconds per answer).
    const headers: ResponseSpec =
      spec.status > 100 && spec.toTag === undefined && !tx.message.toTag
        ? { status: spec.status, reason: spec.reason, headers: spec.headers, toTag: tx.toTag, body: spec.body, contentType: spec.contentType }
        : spec;
    if (spec.status >= 200 && tx.status >= 200 && tx.method === 'INVITE') return; // already answered (CANCEL race)
    const text = buildResponse(tx.text, headers);
    this.count(spec.status);
    if (spec.status >= 200) {
      tx.status = spec.status;
      tx.lastResponse = text;
      settleEntry(tx.entry, {
        status: spec.status,
        reason: spec.reason ?? warningText(spec.headers) ?? REASON_PHRASES[spec.status] ?? null,
        answeredAt: this.clock.now(),
      });
      this.completeTransaction(tx);
    } else if (tx.status < 200) {
      tx.status = spec.status;
    }
    this.send(tx.flow, text);
  }

  private rememberTransaction(tx: ServerTransaction): void {
    if (this.transactions.size >= MAX_SERVER_TRANSACTIONS) {
      const oldest = this.transactionOrder.takeOldest(this.transactions);
      if (oldest !== undefined) this.forgetTransaction(this.transactions.get(oldest)!);
    }
    const replaced = this.transactions.get(tx.key);
    if (replaced) this.transactionsByFlow.delete(replaced.flow, replaced);
    this.transactions.set(tx.key, tx);
    if (!replaced) this.transactionOrder.added(tx.key, this.transactions);
    this.transactionsByFlow.add(tx.flow, tx);
  }

  private forgetCompleted(done: CompletedTransaction): void {
    if (this.completed.get(done.key) !== done) return;
    this.completed.delete(done.key);
    this.completedOrder.deleted(this.completed);
    this.completedByFlow.delete(done.flow, done);
  }

  private forgetTransaction(tx: ServerTransaction): void {
    if (this.transactions.get(tx.key) !== tx) return;
    this.transactions.delete(tx.key);
    this.transactionOrder.deleted(this.transactions);
    this.transactionsByFlow.delete(tx.flow, tx);
  }

  private noteFlow(key: string, flow: Flow): void {
    if (this.contacts.get(key) === flow) {
      // Noted again on the same flow (every refresh): it moves to the newest end, its flow already lists it.
      this.contacts.delete(key);
      this.contacts.set(key, flow);
      return;
    }
    this.forgetContact(key);
    if (this.contacts.size >= MAX_CONTACTS) {
      const oldest = this.contacts.keys().next().value;
      if (oldest !== undefined) this.forgetContact(oldest);
    }
    this.contacts.set(key, flow);
    this.contactsByFlow.add(flow, key);
  }

  private forgetContact(key: string): void {
    const flow = this.contacts.get(key);
    if (flow === undefined) return;
    this.contacts.delete(key);
    this.contactsByFlow.delete(flow, key);
  }

  /** Removes the Route entries that name this server (our Record-Route came back), RFC 3261 §16.4. */
  private popOwnRoutes(text: SipText): void {
    for (let i = 0; i < 4; i++) {
      const top = headerValues(text, 'route')[0];
      if (!top || !/;rsim\b/.test(top)) return;
      removeFirstValue(text, 'route');
    }
  }

  private onBindingChange(change: BindingChange): void {
    const { binding } = change;
    if (change.type !== 'refreshed') {
      // The common fields as one literal and the detail set on it: no spread followed by more properties (V8's slow
      // path, see replyTx), once per binding added, updated or dropped.
      const entry: Parameters<Timeline['add']>[0] = this.entryBase(binding.flow, 'binding', null, binding.aor, null, binding.callId);
      entry.detail = `${change.type}: ${binding.contact}${change.type === 'added' ? ` (${binding.expires} s)` : ''}`;
      this.timeline.add(entry);
    }
    if (change.type === 'added') this.counters.registrations++;
    this.emit(change);
  }

  private emit(change: SipServerChange): void {
    this.changes.emit(change);
  }

  private count(status: number): void {
    const key = String(status);
    this.counters.responsesSent[key] = (this.counters.responsesSent[key] ?? 0) + 1;
  }

  /** A timeline entry's common fields, built as one literal (see `replyTx` on spreads). */
  private entryBase(
    flow: Flow,
    kind: TimelineEntry['kind'],
    method: string | null = null,
    user: string | null = null,
    target: string | null = null,
    callId: string | null = null,
  ) {
    return {
      at: this.clock.now(),
      kind,
      direction: 'in' as const,
      transport: flow.transport,
      remote: flow.remote,
      method,
      user,
      target,
      callId,
    };
  }

  private warning(text: string): string {
    return `Warning: 399 ${this.domain} ${quoted(text)}`;
  }

  private serverHeader(): string {
    return 'Server: Rove Simulator SIP server';
  }
}

/**
 * RFC 3261 §18.2.1 and RFC 3581: the top Via of a request from the network gets `received=<source address>` when its
 * sent-by host is not that address, and always when it asks for `rport`, whose empty value becomes the source port,
 * so responses (ours and the ones we relay) find their way back through NAT.
 */
function markReceived(text: SipText, flow: Flow): void {
  if (flow.transport === 'MEM') return; // the lab's own lines (most of the traffic): no address to note
  let line: SipText['headers'][number] | undefined;
  for (const h of text.headers) {
    if (canonicalName(h.name) === 'via') {
      line = h;
      break;
    }
  }
  if (line) line.value = receivedVia(line.value, flow);
}

/** {@link markReceived} on the value of the top Via line: the same value, or the one with received/rport set. */
/**
 * `uri.toString()`, remembered per URI object. The fast REGISTER path hands the same read-only Contact URI for every
 * REGISTER of a phone (register-reader.ts remembers its parses), and sip.js rebuilds the text, escaping and all, on
 * each call (≈ 10 µs, 2 % of a registration's CPU). Objects of the full path are new each time: a miss, then garbage.
 */
const uriTexts = new WeakMap<URI, string>();
function uriText(uri: URI): string {
  let text = uriTexts.get(uri);
  if (text === undefined) {
    text = uri.toString();
    uriTexts.set(uri, text);
  }
  return text;
}

function receivedVia(value: string, flow: Flow): string {
  if (flow.transport === 'MEM') return value;
  const source = sourceOf(flow);
  if (!source) return value;
  // One Via per line is the usual case: no list to split.
  const values = value.includes(',') ? splitList(value) : [value];
  if (values.length === 0) return value;
  let top = values[0]!;
  const host = /^\s*SIP\s*\/\s*2\.0\s*\/\s*[A-Za-z]+\s+(\[[^\]]+\]|[^\s;:,]+)/i.exec(top)?.[1]?.replace(/^\[|\]$/g, '');
  const address = source[1]!;
  const rport = /;\s*rport(?=\s*(?:;|$))/i.test(top);
  if (rport) top = top.replace(/;\s*rport(?=\s*(?:;|$))/i, `;rport=${source[2]}`);
  if ((rport || host !== address) && !/;\s*received\s*=/i.test(top)) top += `;received=${address}`;
  if (top === values[0]) return value;
  values[0] = top;
  return values.join(', ');
}

/**
 * The digest `uri` names the resource of the Request-URI (RFC 2617 §3.2.2.5): the same URI, or the same user at one of
 * this server's names — its domain or the address a client dialled (SIPp puts `sip:<ip>:<port>` there for a
 * Request-URI of `sip:sip.lab.test`). An answer computed for another user's URI is refused.
 */
function sameResource(digestUri: string, requestUri: string, domain: string): boolean {
  const a = digestUri.trim().toLowerCase();
  const b = requestUri.trim().toLowerCase();
  if (a === b) return true;
  const pa = RESOURCE.exec(a);
  const pb = RESOURCE.exec(b);
  if (!pa || !pb || (pa[1] ?? '') !== (pb[1] ?? '')) return false;
  return isOwnHost(pa[2]!, domain) && isOwnHost(pb[2]!, domain);
}

const RESOURCE = /^sips?:(?:([^@;?]*)@)?(\[[^\]]+\]|[^:;?]+)/;

function isOwnHost(host: string, domain: string): boolean {
  return host === domain || host === 'localhost' || host.startsWith('127.') || host === '[::1]' || host === '::1';
}

/** The Request-URI as written in a request line (`METHOD uri SIP/2.0`). */
function requestUriText(startLine: string): string {
  const first = startLine.indexOf(' ');
  if (first === -1) return '';
  const second = startLine.indexOf(' ', first + 1);
  return second === -1 ? startLine.slice(first + 1) : startLine.slice(first + 1, second);
}

const RAW_REQUEST_LINE = /^([A-Z]+) [^ \r\n]+ SIP\/2\.0\r\n/;
const RAW_FIRST_VIA = /\r\n(?:via|v)[ \t]*:[ \t]*([^\r\n]*)\r\n/i;
const RAW_VIA_VALUE = /^SIP\/2\.0\/[A-Za-z]+ ([a-z0-9.-]+)(?::([1-9][0-9]{0,4}))?(;[^,]*)?$/;
const RAW_BRANCH = /;[ \t]*branch[ \t]*=[ \t]*(z9hG4bK[^;,\s]*)/;

/**
 * {@link transactionKey} read from the text of a plainly written request (`METHOD uri SIP/2.0`, a first Via on one
 * line of its own with one value, a lower-case host name or IPv4 address, an RFC 3261 branch), or undefined for
 * anything else — then the request is parsed in full as usual. Never for ACK, which has no transaction of its own.
 */
export function rawTransactionKey(data: string): { key: string; method: string } | undefined {
  const line = RAW_REQUEST_LINE.exec(data);
  if (!line || line[1] === 'ACK') return undefined;
  const headerEnd = data.indexOf('\r\n\r\n');
  const first = RAW_FIRST_VIA.exec(data);
  if (!first || headerEnd === -1 || first.index >= headerEnd) return undefined;
  const next = data.charCodeAt(first.index + first[0].length);
  if (next === 32 || next === 9) return undefined; // folded onto the next line
  const via = RAW_VIA_VALUE.exec(first[1]!.trimEnd());
  const branch = via?.[3] === undefined ? undefined : RAW_BRANCH.exec(via[3])?.[1];
  if (!via || branch === undefined) return undefined;
  return { key: `${branch}|${via[1]}:${via[2] ?? ''}|${line[1]}`, method: line[1]! };
}

/** {@link readRegister}, or undefined (the full path) should it ever throw: a surprise there must not lose a request. */
function readRegisterSafely(data: string, maxBytes: number): RawRegister | undefined {
  try {
    return readRegister(data, maxBytes);
  } catch {
    return undefined;
  }
}

/** `[, address, port]` of a flow on a real socket, read from its `remote` once per flow. */
const sources = new WeakMap<Flow, RegExpExecArray | null>();
function sourceOf(flow: Flow): RegExpExecArray | null {
  let source = sources.get(flow);
  if (source === undefined) {
    source = /^(?:udp|tcp|ws|wss|tls):(.+):(\d+)$/.exec(flow.remote);
    sources.set(flow, source);
  }
  return source;
}

/** Why an Expires header or a Contact's `expires` parameter is not a number of seconds (RFC 3261 §20.19), if it is not. */
function badExpires(header: string | undefined, contacts: string[]): string | undefined {
  if (header !== undefined && !/^\s*\d{1,10}\s*$/.test(header)) return `Malformed Expires header: ${header.trim()}`;
  for (const contact of contacts) {
    const param = headerParam(contact, 'expires');
    if (param !== undefined && !/^\s*\d{1,10}\s*$/.test(param)) return `Malformed expires parameter in Contact: ${param.trim()}`;
  }
  return undefined;
}


/** `Date: …` (RFC 3261 §20.17) of the second `now` falls in; the same second gives the same text, made once. */
let lastDate = { second: Number.NaN, header: '' };
function dateHeader(now: number): string {
  const second = Math.floor(now / 1000);
  if (second !== lastDate.second) lastDate = { second, header: `Date: ${new Date(second * 1000).toUTCString()}` };
  return lastDate.header;
}

function parseExpires(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (!/^\d{1,10}$/.test(trimmed)) return undefined;
  return Math.min(Number(trimmed), 2 ** 31 - 1);
}

function warningText(headers: string[] | undefined): string | undefined {
  const warning = headers?.find((h) => h.startsWith('Warning:'));
  return warning ? /"([^"]*)"/.exec(warning)?.[1] : undefined;
}
