/**
 * One call on a line, as a handset shows it and drives it. Wraps a sip.js session (an `Inviter` for calls we place,
 * an `Invitation` for calls we receive).
 *
 * ```text
 *   outgoing:  dialing ──180/183──▶ ringing ──200──▶ connected ──hangup / BYE / transfer──▶ ended
 *   incoming:  ringing ──answer()──▶ connected ──▶ ended
 *   any state ──reject / CANCEL / error response / no answer / base reboot or power loss──▶ ended
 *   connected: hold() / resume() (re-INVITE a=sendonly / a=sendrecv); the other side may hold us too.
 * ```
 *
 * `ended` carries a cause a handset can display: {@link CallEndCause}.
 */
import { type Invitation, Inviter, type Referral, SessionState, type URI } from 'sip.js';
import type { Clock } from '../../kernel/virtual-clock.ts';
import { Listeners } from '../../kernel/listeners.ts';
import type { LineProfile } from './line-profile.ts';
import { PlainSdpHandler, type PlainSdpOptions } from './plain-sdp-handler.ts';

export type CallState = 'dialing' | 'ringing' | 'connected' | 'ended';
export type CallDirection = 'outgoing' | 'incoming';

/**
 * Why a call ended.
 * - `local-hangup` / `remote-hangup`: a party hung up (before the answer too, for the caller's own hang-up);
 * - `cancelled`: the caller gave up before we answered (a missed call);
 * - `busy` (486/600), `declined` (603), `no-answer` (480 "No Answer", 408), `not-found` (404/484/604),
 *   `unavailable` (480: not registered);
 * - `transferred`: we transferred the call, or were transferred to someone else;
 * - `connection-lost`: the server ended it because the other party's base went away;
 * - `reboot` / `power-loss`: our own base went down;
 * - `failed`: anything else (see `statusCode` and `reason`).
 */
export type CallEndCause =
  | 'local-hangup'
  | 'remote-hangup'
  | 'cancelled'
  | 'busy'
  | 'declined'
  | 'no-answer'
  | 'not-found'
  | 'unavailable'
  | 'transferred'
  | 'connection-lost'
  | 'reboot'
  | 'power-loss'
  | 'failed';

export interface CallEnd {
  cause: CallEndCause;
  statusCode: number | null;
  reason: string | null;
  /** Line clock. */
  at: number;
}

export interface CallView {
  id: string;
  direction: CallDirection;
  state: CallState;
  /** The other party: extension (URI user) and display name. */
  remote: { user: string; displayName: string };
  onHold: boolean;
  heldByRemote: boolean;
  startedAt: number;
  connectedAt: number | null;
  end: CallEnd | null;
  /** Set on the call a transfer created: the call that was transferred. */
  transferredFrom: string | null;
}

export interface CallEvents extends Record<string, unknown> {
  /** Any change: state, hold, end. */
  changed: Call;
  /** The other side is alerting (outgoing: 180/183 received). Incoming calls start ringing: see `Line` `incoming`. */
  ringing: Call;
  connected: Call;
  /** `call.end` says why. */
  ended: Call;
}

/** What a call needs from its line. */
export interface CallHost {
  readonly clock: Clock;
  readonly profile: Readonly<LineProfile>;
  /** Called for every change of the call (the line re-emits it). */
  callChanged(call: Call): void;
  /** A REFER we accepted: the line places the new call. */
  placeReferredCall(from: Call, referral: Referral): void;
  /** A transfer target as a URI (extension or SIP URI). */
  makeTarget(target: string): URI | undefined;
}

let nextCallNumber = 1;

export class Call {
  readonly id: string;
  readonly direction: CallDirection;
  readonly startedAt: number;
  readonly transferredFrom: string | null;
  connectedAt: number | null = null;
  end: CallEnd | null = null;
  private current: CallState;
  private holdConfirmed = false;
  private pendingCause: CallEndCause | null = null;
  private finalStatus: { code: number; reason: string } | null = null;
  private remoteByeReason: string | null | undefined;
  private referred = false;
  private noAnswerTimer: number | undefined;
  /** Set once CANCEL was sent: the give-up timer (profile `cancelGiveUpMs`). */
  private cancelTimer: number | undefined;
  private readonly events = new Listeners<CallEvents>();

  constructor(
    private readonly host: CallHost,
    readonly session: Inviter | Invitation,
    options: { transferredFrom?: string | null } = {},
  ) {
    this.id = `call-${nextCallNumber++}`;
    this.direction = session instanceof Inviter ? 'outgoing' : 'incoming';
    this.current = this.direction === 'outgoing' ? 'dialing' : 'ringing';
    this.startedAt = host.clock.now();
    this.transferredFrom = options.transferredFrom ?? null;
    session.delegate = {
      onBye: (bye) => {
        this.remoteByeReason = bye.request.getHeader('reason') ?? null;
        void bye.accept();
      },
      onCancel: () => {
        this.pendingCause ??= 'cancelled';
      },
      onRefer: (referral) => this.onRefer(referral),
    };
    session.stateChange.addListener((state) => this.onSessionState(state));
    if (this.direction === 'incoming') {
      this.noAnswerTimer = host.clock.setTimeout(() => this.noAnswer(), host.profile.noAnswerMs);
    }
  }

  get state(): CallState {
    return this.current;
  }

  /** The other party. */
  get remote(): { user: string; displayName: string } {
    const identity = this.session.remoteIdentity;
    return { user: identity.uri.user ?? '', displayName: identity.displayName || identity.uri.user || '' };
  }

  /** We hold the call (our re-INVITE with a=sendonly was accepted). */
  get onHold(): boolean {
    return this.holdConfirmed;
  }

  /** The other side holds the call. */
  get heldByRemote(): boolean {
    const sdh = this.session.sessionDescriptionHandler;
    return sdh instanceof PlainSdpHandler && this.current === 'connected' ? sdh.heldByRemote : false;
  }

  view(): CallView {
    return {
      id: this.id,
      direction: this.direction,
      state: this.current,
      remote: this.remote,
      onHold: this.onHold,
      heldByRemote: this.heldByRemote,
      startedAt: this.startedAt,
      connectedAt: this.connectedAt,
      end: this.end,
      transferredFrom: this.transferredFrom,
    };
  }

  on<K extends keyof CallEvents>(type: K, listener: (payload: CallEvents[K]) => void): () => void {
    return this.events.on(type, listener);
  }

  /** Sends the INVITE of an outgoing call (the line calls this once). */
  async dial(): Promise<void> {
    if (!(this.session instanceof Inviter)) throw new Error('only outgoing calls dial');
    const options: PlainSdpOptions = { hold: false };
    try {
      await this.session.invite({
        sessionDescriptionHandlerOptions: options,
        requestDelegate: {
          onProgress: (response) => {
            const code = response.message.statusCode ?? 0;
            if ((code === 180 || code === 183) && this.current === 'dialing') this.setState('ringing');
          },
          onReject: (response) => {
            this.finalStatus = { code: response.message.statusCode ?? 0, reason: response.message.reasonPhrase ?? '' };
          },
        },
      });
    } catch (error) {
      this.finalStatus ??= { code: 0, reason: error instanceof Error ? error.message : String(error) };
      this.finish();
    }
  }

  /** Answers an incoming call. */
  async answer(): Promise<void> {
    if (this.direction !== 'incoming' || this.current !== 'ringing') throw new Error(`cannot answer a call that is ${this.current}`);
    this.clearNoAnswer();
    const options: PlainSdpOptions = { hold: false };
    await (this.session as Invitation).accept({ sessionDescriptionHandlerOptions: options });
  }

  /** Refuses an incoming call: `busy` answers 486 Busy Here, `decline` 603 Decline. */
  async reject(kind: 'busy' | 'decline' = 'busy'): Promise<void> {
    if (this.direction !== 'incoming' || this.current !== 'ringing') throw new Error(`cannot reject a call that is ${this.current}`);
    this.clearNoAnswer();
    this.pendingCause = kind === 'busy' ? 'busy' : 'declined';
    await (this.session as Invitation).reject(kind === 'busy' ? { statusCode: 486 } : { statusCode: 603 });
  }

  /** The red key: hangs up a connected call, cancels a call we are placing, declines a call ringing here. */
  async hangup(): Promise<void> {
    switch (this.current) {
      case 'ended':
        return;
      case 'connected':
        this.pendingCause = 'local-hangup';
        await this.session.bye();
        return;
      case 'dialing':
      case 'ringing':
        if (this.session instanceof Inviter) {
          this.pendingCause = 'local-hangup';
          if (this.cancelTimer !== undefined) {
            // Red again while the CANCEL goes unanswered: the handset gives up on the call now.
            this.finish();
            return;
          }
          // RFC 3261 §9.1: the INVITE should end with 487; a peer that never answers must not keep the handset
          // "Calling…" for ever.
          this.cancelTimer = this.host.clock.setTimeout(() => this.finish(), this.host.profile.cancelGiveUpMs);
          try {
            await this.session.cancel();
          } catch {
            this.finish(); // nothing could be sent: the call is over here
          }
        } else {
          await this.reject('decline');
        }
        return;
    }
  }

  /** Puts the call on hold (re-INVITE with a=sendonly). Resolves true when the other side accepted. */
  hold(): Promise<boolean> {
    return this.reinvite(true);
  }

  /** Takes the call off hold (re-INVITE with a=sendrecv). */
  resume(): Promise<boolean> {
    return this.reinvite(false);
  }

  /**
   * Blind transfer (RFC 3515, RFC 5589 §6): REFER the other party to `target`; once it accepts, hang up.
   * Resolves true when the REFER was accepted.
   */
  transfer(target: string): Promise<boolean> {
    if (this.current !== 'connected') return Promise.reject(new Error(`cannot transfer a call that is ${this.current}`));
    const uri = this.host.makeTarget(target);
    if (!uri) return Promise.reject(new Error(`"${target}" is not an extension or SIP URI`));
    return new Promise<boolean>((resolve, reject) => {
      this.session
        .refer(uri, {
          requestDelegate: {
            onAccept: () => {
              this.pendingCause = 'transferred';
              resolve(true);
              this.session.bye().catch(() => this.finish());
            },
            onReject: () => resolve(false),
          },
        })
        .catch(reject);
    });
  }

  /**
   * The line goes down. `reboot`: the firmware still says goodbye (BYE / CANCEL / 480) before the transport closes;
   * `power-loss`: nothing is sent, the other side learns it from the server; `connection-lost`: the transport to the
   * server went away under the call. The call ends now.
   */
  async drop(cause: 'reboot' | 'power-loss' | 'connection-lost'): Promise<void> {
    if (this.current === 'ended') return;
    this.pendingCause = cause;
    if (cause === 'reboot') {
      try {
        if (this.current === 'connected') await this.session.bye();
        else if (this.session instanceof Inviter) await this.session.cancel();
        else await (this.session as Invitation).reject({ statusCode: 480, reasonPhrase: 'Temporarily Unavailable' });
      } catch {
        // The transport may already be gone: the call ends anyway.
      }
    }
    this.finish();
  }

  /**
   * Sends the hold/resume re-INVITE. A glare answer — 491 Request Pending, or 500 with Retry-After when the other side
   * has not yet seen the ACK of the previous re-INVITE (a proxy may reorder them) — is retried after the wait RFC 3261
   * §14.1 asks for (2.1 s, or the Retry-After), twice at most, on the line's clock.
   */
  private reinvite(hold: boolean, attempt = 0): Promise<boolean> {
    if (this.current !== 'connected') return Promise.reject(new Error(`cannot ${hold ? 'hold' : 'resume'} a call that is ${this.current}`));
    if (this.holdConfirmed === hold) return Promise.resolve(true);
    const options: PlainSdpOptions = { hold };
    return new Promise<boolean>((resolve, reject) => {
      this.session
        .invite({
          sessionDescriptionHandlerOptions: options,
          requestDelegate: {
            onAccept: () => {
              this.holdConfirmed = hold;
              this.changed();
              resolve(true);
            },
            onReject: (response) => {
              const sdh = this.session.sessionDescriptionHandler;
              if (sdh instanceof PlainSdpHandler) sdh.localHold = this.holdConfirmed;
              const code = response.message.statusCode ?? 0;
              const retryAfterS = Number.parseInt(response.message.getHeader('retry-after') ?? '', 10);
              const glare = code === 491 || (code === 500 && Number.isFinite(retryAfterS));
              if (!glare || attempt >= 2) {
                resolve(false);
                return;
              }
              const waitMs = code === 491 ? 2100 : Math.min(10, Math.max(0, retryAfterS)) * 1000;
              this.host.clock.setTimeout(() => {
                if (this.current !== 'connected') resolve(false);
                else this.reinvite(hold, attempt + 1).then(resolve, reject);
              }, waitMs);
            },
          },
        })
        .catch(reject);
    });
  }

  private onRefer(referral: Referral): void {
    if (this.current !== 'connected') {
      void referral.reject({ statusCode: 603 });
      return;
    }
    this.referred = true;
    void referral.accept().then(() => this.host.placeReferredCall(this, referral));
  }

  private noAnswer(): void {
    this.noAnswerTimer = undefined;
    if (this.current !== 'ringing' || this.direction !== 'incoming') return;
    this.pendingCause = 'no-answer';
    void (this.session as Invitation).reject({ statusCode: 480, reasonPhrase: 'No Answer' }).catch(() => this.finish());
  }

  private clearNoAnswer(): void {
    if (this.noAnswerTimer !== undefined) this.host.clock.clearTimeout(this.noAnswerTimer);
    this.noAnswerTimer = undefined;
  }

  private onSessionState(state: SessionState): void {
    if (state === SessionState.Established && this.current !== 'ended') {
      this.clearNoAnswer();
      this.connectedAt = this.host.clock.now();
      this.setState('connected');
    } else if (state === SessionState.Terminated) {
      // Response delegates may run after the state change: decide the cause once they have.
      queueMicrotask(() => this.finish());
    }
  }

  /** Session delegate and media changes (hold by the other side) land here too. */
  changed(): void {
    if (this.current === 'ended') return;
    this.host.callChanged(this);
    this.events.emit('changed', this);
  }

  private setState(state: 'ringing' | 'connected'): void {
    if (this.current === state || this.current === 'ended') return;
    this.current = state;
    this.changed();
    this.events.emit(state, this);
  }

  private finish(): void {
    if (this.current === 'ended') return;
    this.clearNoAnswer();
    if (this.cancelTimer !== undefined) this.host.clock.clearTimeout(this.cancelTimer);
    this.cancelTimer = undefined;
    this.end = { ...this.endCause(), at: this.host.clock.now() };
    this.current = 'ended';
    this.holdConfirmed = false;
    this.host.callChanged(this);
    this.events.emit('changed', this);
    this.events.emit('ended', this);
  }

  private endCause(): Omit<CallEnd, 'at'> {
    const status = this.finalStatus;
    if (this.pendingCause) return { cause: this.pendingCause, statusCode: status?.code ?? null, reason: status?.reason ?? null };
    if (this.remoteByeReason !== undefined) {
      const reason = this.remoteByeReason;
      if (this.referred) return { cause: 'transferred', statusCode: null, reason };
      if (reason && /cause=41\b|connection .*lost/i.test(reason)) return { cause: 'connection-lost', statusCode: null, reason };
      return { cause: 'remote-hangup', statusCode: null, reason };
    }
    if (status) return { cause: causeOfStatus(status.code, status.reason), statusCode: status.code || null, reason: status.reason };
    return { cause: this.connectedAt !== null ? 'remote-hangup' : 'failed', statusCode: null, reason: null };
  }
}

/** The cause a handset shows for a final response to its INVITE. */
export function causeOfStatus(code: number, reason: string): CallEndCause {
  if (code === 486 || code === 600) return 'busy';
  if (code === 603) return 'declined';
  if (code === 408 || (code === 480 && /no answer/i.test(reason))) return 'no-answer';
  if (code === 480) return 'unavailable';
  if (code === 404 || code === 484 || code === 604) return 'not-found';
  if (code === 487) return 'cancelled';
  return 'failed';
}
