/**
 * A line: one extension of a base, registered with sip.js (`UserAgent` + `Registerer`) and placing and receiving
 * calls for the handset it belongs to. This is the API a handset (and the base's status page) drives:
 *
 * ```ts
 * const line = new Line({ extension: '1001', password, domain, connector: { kind: 'memory', server }, clock });
 * line.on('state', (status) => …);          // Registering → OK, or Error with a reason
 * line.on('incoming', (call) => call.answer());
 * line.on('notify', (n) => …);             // an out-of-dialog NOTIFY from the server (answered 200): n.event, n.body
 * line.start();
 * const call = line.call('1002');            // dialing → ringing → connected → ended (with a cause)
 * await line.dispose('reboot');              // the base goes down: calls end, the other side sees it
 * ```
 *
 * Time: the registration (refresh, retry back-off, expiry) is the {@link registrationMachine} on the line's clock;
 * sip.js's own real-time refresh timers are switched off after each registration. With the in-memory transport
 * nothing else in a healthy exchange waits on real time, so lines on the lab clock are correct at any lab speed.
 * Lines on a real network use real time. See docs/sip.md, "Time".
 */
import { type Invitation, Inviter, type Notification, type Referral, Registerer, RegistererState, type Session, type Transport, UserAgent, type URI } from 'sip.js';
import type { Actor } from 'xstate';
import type { Clock } from '../../kernel/virtual-clock.ts';
import { ERR_SIP_LINE_DISPOSED, ERR_SIP_LINE_DISPOSED_2, ERR_SIP_TARGET_INVALID } from '../../kernel/error-catalogue.ts';
import { Listeners } from '../../kernel/listeners.ts';
import { wallClock } from '../wall-clock.ts';
import { Call, type CallHost } from './call.ts';
import { LineAgent, type LineAgentPort } from './line-agent.ts';
import { DEFAULT_LINE_PROFILE, type LineProfile } from './line-profile.ts';
import type { LineConnector } from './line-connector.ts';
import type { LineOptions } from './line-options.ts';
import type { PlainSdpOptions } from './plain-sdp-handler.ts';
import { type LineState, lineStateOf, type RegistrationError, type RegistrationMachine } from './registration-machine.ts';

export type { LineConnector } from './line-connector.ts';

export type { LineOptions } from './line-options.ts';

export interface LineStatus {
  extension: string;
  state: LineState;
  /** Why the line is in Error (null otherwise). */
  reason: string | null;
  statusCode: number | null;
  /** Granted expiry (s) and when the binding runs out (line clock), while OK. */
  expires: number | null;
  expiresAt: number | null;
  registeredAt: number | null;
  /** When the next REGISTER (refresh or retry) is due, line clock. */
  nextAttemptAt: number | null;
  /** Failed attempts in a row. */
  failures: number;
  /** REGISTER transactions sent so far. */
  attempts: number;
  /** `1001@sip.lab.test`. */
  identity: string;
}

export interface LineEvents extends Record<string, unknown> {
  /** Registration state or its details changed. */
  state: LineStatus;
  /** A call is ringing here (already alerting: 180 sent). */
  incoming: Call;
  /** Any new call: placed, received, or created by a transfer. */
  call: Call;
  /** Anything changed (registration or a call): consoles refresh. */
  changed: Line;
  /** The server sent a NOTIFY outside any dialog (Teams check-sync, a pairing code); the line answered 200. */
  notify: LineNotify;
}

/** A NOTIFY the line received: its Event header (`check-sync;reboot=true`), Content-Type and body. */
export interface LineNotify {
  event: string;
  contentType: string | null;
  body: string;
}

/** Real time for lines on a real network, the lab clock for lines in the lab (see docs/sip.md). */
export function lineClockFor(connector: LineConnector, labClock: Clock): Clock {
  return connector.kind === 'memory' ? labClock : wallClock;
}

export class Line implements CallHost {
  readonly extension: string;
  readonly domain: string;
  readonly clock: Clock;
  readonly profile: Readonly<LineProfile>;
  /** The line's sip.js user agent: its own, or the one its configured line keeps across reboots (line-agent.ts). */
  readonly userAgent: UserAgent;
  /** This boot's Registerer: a new one each boot (new Call-ID and From tag, CSeq from 1). */
  readonly registerer: Registerer;
  /** Last sip.js warnings and errors (newest last), for diagnosis. */
  readonly diagnostics: string[] = [];
  /** Incoming calls refused with 486 because a call was already up. */
  busyRejected = 0;
  private readonly agent: LineAgent;
  /** The agent was made for this line alone (not lent by a LineGroup): it goes with the line. */
  private readonly ownAgent: boolean;
  private readonly port: LineAgentPort;
  private readonly actor: Actor<RegistrationMachine>;
  private readonly events = new Listeners<LineEvents>();
  private readonly sessions = new Map<Session, Call>();
  private readonly contactName: string;
  private disposed = false;
  /** The status when the line went down: the agent's actor serves the next boot after that. */
  private finalStatus: LineStatus | null = null;
  private lastStatusKey = '';

  /**
   * @param agent a free {@link LineAgent} made with the same options, lent by the line's `LineGroup` (the base
   *   booted again); without one the line makes its own.
   */
  constructor(options: LineOptions, agent?: LineAgent) {
    this.extension = options.extension;
    this.domain = options.domain;
    this.clock = options.clock;
    this.profile = options.profile ?? DEFAULT_LINE_PROFILE;
    this.ownAgent = agent === undefined;
    this.agent = agent ?? new LineAgent({ ...options, profile: this.profile });
    this.contactName = this.agent.contactName;
    this.userAgent = this.agent.userAgent;
    this.actor = this.agent.actor;
    this.port = {
      onInvite: (invitation) => this.onInvite(invitation),
      onNotify: (notification) => this.onNotify(notification),
      onTransportDown: (error) => this.onTransportDown(error),
      sessionChanged: (session) => this.sessions.get(session)?.changed(),
      diagnose: (text) => this.diagnose(text),
      sendRegister: () => this.sendRegister(),
      registrationChanged: () => this.publishStatus(),
    };
    this.agent.borrow(this.port);
    this.registerer = new Registerer(this.userAgent, { expires: this.profile.registerExpiresS, logConfiguration: false });
    withoutRefreshTimers(this.registerer);
    this.publishStatus();
  }

  /** Starts registering (and keeps the registration up until {@link dispose}). */
  start(): void {
    if (this.disposed) throw new ERR_SIP_LINE_DISPOSED(this.extension);
    this.actor.send({ type: 'START' });
  }

  get state(): LineState {
    return this.disposed ? 'Stopped' : lineStateOf(this.machineState());
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  status(): LineStatus {
    if (this.finalStatus) return { ...this.finalStatus };
    const c = this.actor.getSnapshot().context;
    const state = this.state;
    return {
      extension: this.extension,
      state,
      reason: state === 'Error' ? (c.error?.reason ?? null) : null,
      statusCode: state === 'Error' ? (c.error?.statusCode ?? null) : null,
      expires: state === 'OK' ? c.expires : null,
      expiresAt: state === 'OK' ? c.expiresAt : null,
      registeredAt: c.registeredAt,
      nextAttemptAt: c.nextAttemptAt,
      failures: c.failures,
      attempts: c.attempts,
      identity: `${this.extension}@${this.domain}`,
    };
  }

  /** Calls that have not ended, oldest first. */
  activeCalls(): Call[] {
    return [...this.sessions.values()].filter((c) => c.state !== 'ended');
  }

  on<K extends keyof LineEvents>(type: K, listener: (payload: LineEvents[K]) => void): () => void {
    return this.events.on(type, listener);
  }

  /** Places a call to an extension (`1002`) or a SIP URI (`sip:1002@example.com`). */
  call(target: string): Call {
    if (this.disposed) throw new ERR_SIP_LINE_DISPOSED_2(this.extension);
    const uri = this.makeTarget(target);
    if (!uri) throw new ERR_SIP_TARGET_INVALID(target);
    const options: PlainSdpOptions = { hold: false };
    const inviter = new Inviter(this.userAgent, uri, { sessionDescriptionHandlerOptions: options });
    const call = this.track(new Call(this, inviter));
    this.events.emit('call', call);
    void call.dial();
    return call;
  }

  /**
   * Tears the line down at once (the base reboots or loses power): every call ends — with `reboot` the firmware
   * still sends BYE/CANCEL, with `power-loss` nothing is sent and the server tells the other side — then the
   * transport closes. The registration is not removed (a rebooting base does not unregister). A disposed line
   * cannot start again: the base creates new lines when it is back (which borrow this one's user agent and actor
   * from its LineGroup once this is done: line-agent.ts).
   */
  async dispose(mode: 'reboot' | 'power-loss' = 'reboot'): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.actor.send({ type: 'STOP' });
    this.finalStatus = this.status();
    await Promise.all(this.activeCalls().map((call) => call.drop(mode)));
    disarmRegistererTimers(this.registerer);
    await this.userAgent.stop().catch((error: unknown) => this.diagnose(`stop: ${String(error)}`));
    // Forced: 'state' and 'changed' once more now that the calls are gone (listeners then let go of the line).
    this.publishStatus(true);
    this.events.clear();
    await this.agent.release(this.port);
    if (this.ownAgent) this.agent.retire();
  }

  // ── CallHost ─────────────────────────────────────────────────────────────────────────────────────────────────

  callChanged(call: Call): void {
    this.events.emit('changed', this);
    if (call.state === 'ended') {
      for (const [session, c] of this.sessions) if (c === call) this.sessions.delete(session);
    }
  }

  placeReferredCall(from: Call, referral: Referral): void {
    if (this.disposed) return;
    const options: PlainSdpOptions = { hold: false };
    const inviter = referral.makeInviter({ sessionDescriptionHandlerOptions: options });
    const call = this.track(new Call(this, inviter, { transferredFrom: from.id }));
    this.events.emit('call', call);
    void call.dial();
  }

  makeTarget(target: string): URI | undefined {
    const text = target.trim();
    if (/^sips?:/i.test(text)) return UserAgent.makeURI(text);
    if (!/^[0-9A-Za-z*#._+-]{1,64}$/.test(text)) return undefined;
    return UserAgent.makeURI(`sip:${text}@${this.domain}`);
  }

  // ── Internals ────────────────────────────────────────────────────────────────────────────────────────────────

  private track(call: Call): Call {
    this.sessions.set(call.session, call);
    return call;
  }

  private onInvite(invitation: Invitation): void {
    if (this.disposed) {
      void invitation.reject({ statusCode: 480 });
      return;
    }
    if (!this.profile.callWaiting && this.activeCalls().length > 0) {
      this.busyRejected++;
      void invitation.reject({ statusCode: 486 });
      return;
    }
    const call = this.track(new Call(this, invitation));
    void invitation.progress().catch((error: unknown) => this.diagnose(`180: ${String(error)}`));
    this.events.emit('call', call);
    this.events.emit('incoming', call);
    this.events.emit('changed', this);
  }

  private onNotify(notification: Notification): void {
    const request = notification.request;
    void notification.accept().catch((error: unknown) => this.diagnose(`NOTIFY 200: ${String(error)}`));
    if (this.disposed) return;
    this.events.emit('notify', {
      event: (request.getHeader('event') ?? '').trim(),
      contentType: request.getHeader('content-type') ?? null,
      body: request.body ?? '',
    });
  }

  /** The `sendRegister` action of the registration machine. */
  private sendRegister(): void {
    void this.register().catch((error: unknown) =>
      this.fail({ statusCode: null, reason: `REGISTER not sent: ${error instanceof Error ? error.message : String(error)}` }, null),
    );
  }

  private async register(): Promise<void> {
    const transport: Transport = this.userAgent.transport;
    if (!transport.isConnected()) {
      try {
        if (this.userAgent.state === 'Stopped') await this.userAgent.start();
        else await this.userAgent.reconnect();
      } catch (error) {
        this.fail({ statusCode: null, reason: `Cannot reach the SIP server: ${error instanceof Error ? error.message : String(error)}` }, null);
        return;
      }
    }
    if (this.disposed) return;
    await this.registerer.register({
      requestDelegate: {
        onAccept: (response) => {
          disarmRegistererTimers(this.registerer);
          this.send({ type: 'REGISTERED', expires: this.grantedExpires(response.message) });
        },
        onReject: (response) => {
          const message = response.message;
          const code = message.statusCode ?? 0;
          const retryAfter = Number.parseInt(message.getHeader('retry-after') ?? '', 10);
          this.fail(describeRejection(code, message.reasonPhrase ?? '', message.getHeader('warning'), this.userAgent.transport.isConnected()), Number.isFinite(retryAfter) ? retryAfter : null);
        },
      },
    });
  }

  private grantedExpires(message: { getHeaders(name: string): string[]; parseHeader(name: string, index?: number): unknown; getHeader(name: string): string | undefined }): number {
    const count = message.getHeaders('contact').length;
    for (let i = 0; i < count; i++) {
      const contact = message.parseHeader('contact', i) as { uri?: URI; getParam?(name: string): string | undefined } | undefined;
      if (contact?.uri?.user === this.contactName) {
        const expires = Number(contact.getParam?.('expires'));
        if (Number.isFinite(expires) && expires > 0) return expires;
      }
    }
    const header = Number(message.getHeader('expires'));
    return Number.isFinite(header) && header > 0 ? header : this.profile.registerExpiresS;
  }

  private fail(error: RegistrationError, retryAfterS: number | null): void {
    this.send({ type: 'FAILED', error, retryAfterS });
  }

  private send(event: Parameters<Actor<RegistrationMachine>['send']>[0]): void {
    if (!this.disposed) this.actor.send(event);
  }

  private onTransportDown(error: Error | undefined): void {
    if (this.disposed || !error) return;
    for (const call of this.activeCalls()) void call.drop('connection-lost');
    this.send({ type: 'CONNECTION_LOST', reason: `Connection to the SIP server lost: ${error.message}` });
  }

  private machineState(): string {
    const value = this.actor.getSnapshot().value;
    return typeof value === 'string' ? value : 'stopped';
  }

  private publishStatus(force = false): void {
    const status = this.status();
    const key = `${status.state}|${status.reason}|${status.expiresAt}|${status.nextAttemptAt}`;
    if (!force && key === this.lastStatusKey) return;
    this.lastStatusKey = key;
    this.events.emit('state', status);
    this.events.emit('changed', this);
  }

  private diagnose(line: string): void {
    this.diagnostics.push(line.slice(0, 300));
    if (this.diagnostics.length > 20) this.diagnostics.shift();
  }
}

/**
 * sip.js 0.21.2's Registerer arms two real-time timers in `registered()` (refresh at a share of the expiry, and
 * expiry itself). The line's registration machine does both on the line's clock, so those are cleared right after
 * each accepted REGISTER. `clearTimers` is not public API: sip.js is pinned to 0.21.2 for this (package.json).
 */
function disarmRegistererTimers(registerer: Registerer): void {
  const internals = registerer as unknown as { clearTimers?: () => void };
  if (typeof internals.clearTimers !== 'function') {
    throw new Error('sip.js Registerer.clearTimers() is missing: the SIP lines need sip.js 0.21.2 exactly');
  }
  internals.clearTimers();
}

/**
 * The same, before they are armed: `registered()` of this Registerer (sip.js 0.21.2's own, lib/api/registerer.js)
 * without its two real-time timers, which {@link disarmRegistererTimers} would clear a moment later — two timers
 * created and cleared per accepted REGISTER, 7,000 of them in a full-scale rehearsal. The state change is sip.js's.
 */
function withoutRefreshTimers(registerer: Registerer): void {
  const internals = registerer as unknown as {
    registered?: (expires: number) => void;
    clearTimers?: () => void;
    stateTransition?: (state: RegistererState) => void;
    state: RegistererState;
  };
  if (typeof internals.registered !== 'function' || typeof internals.clearTimers !== 'function' || typeof internals.stateTransition !== 'function') {
    throw new Error('sip.js Registerer internals are missing: the SIP lines need sip.js 0.21.2 exactly');
  }
  internals.registered = function (this: typeof internals) {
    this.clearTimers!();
    if (this.state !== RegistererState.Registered) this.stateTransition!(RegistererState.Registered);
  };
}

/** What the base's status page shows for a rejected REGISTER. */
function describeRejection(code: number, phrase: string, warning: string | undefined, connected: boolean): RegistrationError {
  if (code === 503 && !connected) return { statusCode: null, reason: 'No connection to the SIP server' };
  if (code === 408) return { statusCode: 408, reason: '408 Request Timeout (no answer from the SIP server)' };
  const detail = warning ? /"([^"]*)"/.exec(warning)?.[1] : undefined;
  return { statusCode: code, reason: `${code} ${phrase}${detail ? ` (${detail})` : ''}` };
}
