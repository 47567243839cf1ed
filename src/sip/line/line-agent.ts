/**
 * The in-process objects of one configured line that outlive its base's reboots: the sip.js `UserAgent` (with its
 * transport) and the registration actor. Each boot of the base makes a new {@link Line}, which borrows the agent of
 * the boot before instead of building its own (`LineGroup` keeps one agent per configured line):
 *
 * ```text
 *   LineGroup.start() ─▶ agent of that line free? ── yes ─▶ the new Line borrows it: BOOT (registration back to idle)
 *                                                 └─ no ──▶ a new agent (first boot, a changed line, or the last
 *                                                           boot's Line not down yet)
 *   Line.dispose() ─▶ calls end, UserAgent stopped, transport closed ─▶ release(): free for the next boot
 *   LineGroup.remove() ─▶ retire(): the agent is not lent again; its actor stops once it is free
 * ```
 *
 * Why: a full-scale rehearsal reboots bases 1,500 times, and building a user agent and an actor was about two thirds
 * of what a line's boot cost in process. What goes on the wire does not change: each boot's Line makes its own
 * `Registerer` (a new Call-ID and From tag, CSeq from 1 again) and opens a new connection, as a rebooted phone does;
 * see docs/fidelity.md, "SIP wiring", for the one trace-visible detail (sip.js's Call-ID prefix).
 *
 * The agent routes what sip.js and the actor report to the Line that holds it ({@link LineAgentPort}); with no Line
 * holding it, nothing is routed (a late message for a line that is down goes nowhere, as on a rebooting phone).
 */
import { randomUUID } from 'node:crypto';
import { type Invitation, type Notification, type Session, SIPExtension, UserAgent } from 'sip.js';
import { createActor, type Actor } from 'xstate';
import type { Clock } from '../../kernel/virtual-clock.ts';
import { ERR_SIP_LINE_INVALID } from '../../kernel/error-catalogue.ts';
import { transportOf } from './line-connector.ts';
import { type LineProfile, lineSeed } from './line-profile.ts';
import type { LineOptions } from './line-options.ts';
import { PlainSdpHandler } from './plain-sdp-handler.ts';
import { registrationMachine, type RegistrationMachine } from './registration-machine.ts';

/** sip.js rejects unanswered calls after `noAnswerTimeout` real seconds; the line does it on its own clock instead. */
const SIPJS_NEVER_S = 2_000_000;

/** What the Line holding an agent answers for it. */
export interface LineAgentPort {
  onInvite(invitation: Invitation): void;
  onNotify(notification: Notification): void;
  /** The transport went down (with an error) or was closed (without). */
  onTransportDown(error: Error | undefined): void;
  /** A new remote SDP on a session of this line. */
  sessionChanged(session: Session): void;
  /** sip.js warnings and errors. */
  diagnose(text: string): void;
  /** The registration machine's `sendRegister` action. */
  sendRegister(): void;
  /** The registration actor has a new snapshot. */
  registrationChanged(): void;
}

export class LineAgent {
  readonly userAgent: UserAgent;
  readonly actor: Actor<RegistrationMachine>;
  /** The Contact's user part, `<extension>-<device id>`. */
  readonly contactName: string;
  private port: LineAgentPort | null = null;
  private retired = false;

  constructor(options: LineOptions & { profile: Readonly<LineProfile> }) {
    const deviceId = (options.device?.id ?? 'sim').toLowerCase().replace(/[^a-z0-9-]/g, '');
    this.contactName = `${options.extension}-${deviceId}`;
    const uri = UserAgent.makeURI(`sip:${options.extension}@${options.domain}`);
    if (!uri) throw new ERR_SIP_LINE_INVALID(options.extension, options.domain);
    const address = options.device?.address ?? '127.0.0.1';
    const viaHost = `${deviceId}.rove.invalid`;
    const rtpPort = options.profile.rtpPort;

    this.userAgent = new UserAgent({
      uri,
      authorizationUsername: options.authUser ?? options.extension,
      authorizationPassword: options.password,
      displayName: options.displayName ?? options.extension,
      contactName: this.contactName,
      viaHost,
      userAgentString: options.device?.userAgent ?? 'Rove Simulator',
      // Not sent (no outbound/GRUU); given so that sip.js does not build one from 32 Math.random() calls per line.
      instanceId: randomUUID(),
      ...transportOf(options.connector, { label: `${options.extension}@${options.device?.id ?? 'sim'}`, placeholder: viaHost, clock: options.clock }),
      sessionDescriptionHandlerFactory: (session: Session) =>
        new PlainSdpHandler({ address, port: rtpPort, onRemoteDescription: () => this.port?.sessionChanged(session) }),
      sendInitialProvisionalResponse: false,
      sipExtension100rel: SIPExtension.Unsupported,
      noAnswerTimeout: SIPJS_NEVER_S,
      gracefulShutdown: false,
      logBuiltinEnabled: false,
      logConfiguration: false,
      logLevel: 'warn',
      logConnector: (level, category, _label, content) => {
        if (level === 'warn' || level === 'error') this.port?.diagnose(`${level} ${category}: ${content}`);
      },
      delegate: {
        onInvite: (invitation) => {
          // Nobody holds the line: the base is down (480, as Line.onInvite answers for a disposed line).
          if (this.port) this.port.onInvite(invitation);
          else void invitation.reject({ statusCode: 480 });
        },
        onNotify: (notification) => {
          if (this.port) this.port.onNotify(notification);
          else void notification.accept().catch(() => undefined);
        },
        onDisconnect: (error) => this.port?.onTransportDown(error),
      },
    });

    rememberRegisterContact(this.userAgent);

    const clock: Clock = options.clock;
    this.actor = createActor(registrationMachine, {
      clock,
      input: {
        profile: options.profile,
        now: () => clock.now(),
        seed: lineSeed(`${options.extension}@${deviceId}`),
        sendRegister: () => this.port?.sendRegister(),
      },
    });
    this.actor.subscribe(() => this.port?.registrationChanged());
    this.actor.start();
  }

  /** True when no Line holds the agent and it may be lent again. */
  get free(): boolean {
    return this.port === null && !this.retired;
  }

  /** A new Line (the base booted) takes the agent: its registration starts from scratch, in `idle`. */
  borrow(port: LineAgentPort): void {
    if (!this.free) throw new Error('LineAgent.borrow: the agent is held by another line or retired');
    this.port = port;
    if (this.actor.getSnapshot().value === 'stopped') this.actor.send({ type: 'BOOT' });
  }

  /**
   * The Line that held the agent is down (its user agent stopped): once the transport has closed, the agent is free
   * for the next boot — or, retired, its actor stops.
   */
  async release(port: LineAgentPort): Promise<void> {
    if (this.port !== port) return;
    await this.userAgent.transport.disconnect().catch(() => undefined);
    this.port = null;
    if (this.retired) this.actor.stop();
  }

  /** Not lent again (the line was removed or changed, or its Line was made on its own); stops when free. */
  retire(): void {
    if (this.retired) return;
    this.retired = true;
    if (this.port === null) this.actor.stop();
  }
}

/**
 * The Contact text every REGISTER of the line carries (`userAgent.contact.toString({ register: true })`), rendered once
 * per user agent instead of once per REGISTER: sip.js builds it from the contact URI it made when the user agent was
 * constructed and never changes (escaping the user part each time was ≈ 0.3 % of a full-scale rehearsal). The same
 * text on the wire; every other use of the contact (calls, GRUU) still goes to sip.js's own `toString`.
 */
function rememberRegisterContact(userAgent: UserAgent): void {
  const contact = userAgent.contact as { toString(options?: { anonymous?: boolean; outbound?: boolean; register?: boolean }): string };
  const render = contact.toString.bind(contact);
  let forRegister: string | undefined;
  contact.toString = (options) => {
    if (options?.register === true && options.anonymous === undefined && options.outbound === undefined) return (forRegister ??= render(options));
    return render(options);
  };
}
