/**
 * The telephone part of a handset: its SIP line (which lives on the base, src/sip/line/line.ts), its calls, and the
 * Teams sign-in screens. The handset machine hands the screen over with its `call` state (PHONE_SCREEN) and takes it
 * back on PHONE_DONE; while the phone has the screen, keys come here.
 *
 * ```text
 *   idle ─digits + green─▶ outgoing: Calling… ─180─▶ Ringing… ─200─▶ connected ─red─▶ ended (Call ended) ─▶ idle
 *   idle ◀─────────── ended ◀── busy / no answer / not found / base rebooted ──┘
 *   (line) incoming ─▶ ringing here (ringing tone, caller shown) ─green─▶ connected; ─red─▶ declined
 *   connected: soft1 Hold ⇄ Resume; soft2 Transfer → digits → green/ok = blind transfer (REFER)
 *   *55*<code> + green ─▶ INVITE to the Teams gateway ─486 (enrolled)─▶ three busy tones, "Sign in"
 *                                                     ─403 <why>──────▶ error tone, the reason
 *   idle, Teams "Sign in" ─soft2─▶ pairing screen: URL + pairing code ─(signed in / back / expired)─▶ idle
 *   idle, admin center "Sign in a user" ─(NOTIFY x-teams-pairing on the line)─▶ the same pairing screen
 *   idle, Teams signed in ─soft2 "Sign out"─▶ Sign out? ─yes─▶ signed out
 * ```
 *
 * The idle label and the Teams state come from the line and the applied provisioning file only ({@link TeamsLine},
 * teams-line.ts): the base hands both over with {@link HandsetPhone.attach}.
 *
 * [inferred] The screens' words and layout, and the Teams gateway answering a good `*55*` code with 486 (the three
 * busy tones) are modelling choices: docs/fidelity.md, "Handset calls".
 */
import type { Call, CallEndCause } from '../../sip/line/call.ts';
import type { Line, LineNotify, LineStatus } from '../../sip/line/line.ts';
import type { HandsetKey } from './handset-keys.ts';
import type { Tone } from './handset-machine.ts';
import type { Language } from './handset-record.ts';
import { isCheckSync, type LineFacts, pairingOfNotify, TeamsLine, type TeamsPhoneState } from './teams-line.ts';
import { teamsWords, type TeamsWords } from './teams-text.ts';

const COLUMNS = 20;
/** Lines a message may use between the status bar and the soft keys. */
const MESSAGE_LINES = 4;

/** What the phone needs of its handset. */
export interface PhoneHost {
  /** The handset machine's screen: PHONE_SCREEN / PHONE_DONE. */
  send(event: { type: 'PHONE_SCREEN' } | { type: 'PHONE_DONE' }): void;
  tone(tone: Tone): void;
  /** The phone's screen changed: consoles refresh. */
  refresh(): void;
  /** The idle screen's line label (the number, `Sign in`, `Line error`; null: none). */
  setLabel(label: string | null): void;
  /** The machine's screen is the phone's (`call`). */
  hasScreen(): boolean;
  /** Switched on and showing the idle screen (nothing else in hand). */
  isIdle(): boolean;
  /** How long a notice stays up (handset profile `noticeMs`). */
  noticeMs(): number;
  /** The languages the handset shows Teams texts in (handset profile `teamsLanguages`); others are English. */
  teamsLanguages(): readonly Language[];
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number): void;
}

type Screen =
  | { kind: 'none' }
  | { kind: 'call' }
  | { kind: 'transfer'; digits: string }
  /** `offset`: the first wrapped line shown of a text longer than the screen (scrolled with up/down). */
  | { kind: 'message'; lines: string[]; offset?: number }
  | { kind: 'pairing'; code: string; url: string }
  | { kind: 'confirm-sign-out' };

const END_WORDS: Readonly<Record<CallEndCause, string>> = {
  'local-hangup': 'Call ended',
  'remote-hangup': 'Call ended',
  cancelled: 'Missed call',
  busy: 'Busy',
  declined: 'Call declined',
  'no-answer': 'No answer',
  'not-found': 'Number not found',
  unavailable: 'Not available',
  transferred: 'Call transferred',
  'connection-lost': 'Connection lost',
  reboot: 'Call ended',
  'power-loss': 'Call ended',
  failed: 'Call failed',
};

/**
 * Said when `*55*` is dialled without a Teams line: the handset cannot enroll until its base has fetched (ITSP
 * provisioning, ConfigURL with `${IPEI}`) and applied this handset's file from the SIP Gateway.
 */
const NO_TEAMS_LINE = 'No Teams line yet: the base has not applied this handset\'s ConfigURL file (ITSP provisioning)';

export class HandsetPhone {
  private currentLine: Line | null = null;
  private detachLine: (() => void) | null = null;
  private currentCall: Call | null = null;
  private detachCall: (() => void) | null = null;
  private screen: Screen = { kind: 'none' };
  private messageTimer: number | undefined;
  private dialled = '';
  private readonly teamsLine = new TeamsLine();

  constructor(private readonly host: PhoneHost) {}

  get line(): Line | null {
    return this.currentLine;
  }

  get call(): Call | null {
    return this.currentCall;
  }

  /** The Teams state as the handset knows it, or null when its line is not a Teams line. */
  get teams(): TeamsPhoneState | null {
    return this.teamsLine.state;
  }

  /**
   * The Teams texts (soft keys, sign-in/sign-out messages, pairing screen) in the applied file's `%LANGUAGE%`, or
   * English when the handset does not show that language (teams-text.ts).
   */
  get teamsWords(): TeamsWords {
    return teamsWords(this.teamsLine.language, this.host.teamsLanguages());
  }

  /** In a call (LED green): placed, ringing or connected. */
  get inCall(): boolean {
    return this.currentCall !== null && this.currentCall.state !== 'ended';
  }

  lineStatus(): LineStatus | null {
    return this.currentLine && !this.currentLine.isDisposed ? this.currentLine.status() : null;
  }

  /**
   * The base gives the handset its line (or takes it away: null) and what the applied provisioning says of it; the
   * idle label follows.
   */
  attach(line: Line | null, facts: LineFacts | null = null): void {
    if (line !== this.currentLine) {
      this.detachLine?.();
      this.detachLine = null;
      this.currentLine = line;
      if (line) {
        const offIncoming = line.on('incoming', (call) => this.incoming(call));
        const offCall = line.on('call', (call) => {
          if (call.transferredFrom !== null && call.direction === 'outgoing') this.follow(call);
        });
        const offChanged = line.on('changed', () => {
          this.host.setLabel(this.teamsLine.label(line, this.teamsWords));
          this.host.refresh();
        });
        const offNotify = line.on('notify', (notify) => this.notified(notify));
        this.detachLine = () => {
          offIncoming();
          offCall();
          offChanged();
          offNotify();
        };
      }
      this.host.refresh();
    }
    this.setFacts(facts);
  }

  /** The Teams state as the file and the line's answers say; redraws only when it moved. */
  private setFacts(facts: LineFacts | null): void {
    const before = this.teamsLine.state;
    this.teamsLine.setFacts(facts);
    this.teamsStateMaybeMoved(before);
    this.host.setLabel(this.teamsLine.label(this.currentLine, this.teamsWords));
  }

  private teamsStateMaybeMoved(before: TeamsPhoneState | null): void {
    const after = this.teamsLine.state;
    // The base hands the line over again after every line change: nothing to redraw unless the state moved.
    if (after === before) return;
    // Signed in (or out) while the pairing screen is up: the screen has done its job.
    if (this.screen.kind === 'pairing') this.close();
    this.host.refresh();
  }

  /**
   * A NOTIFY on the line: the gateway's pairing code (admin center Sign in a user) or its expiry; or check-sync, which
   * the base acts on — the sign-in went through, so the pairing screen has done its job.
   */
  private notified(notify: LineNotify): void {
    if (this.teamsLine.state === null) return;
    if (isCheckSync(notify)) {
      if (this.screen.kind === 'pairing') this.close();
      return;
    }
    const pairing = pairingOfNotify(notify);
    if (pairing === 'expired') this.pairingExpired();
    else if (pairing) this.showPairing(pairing.code, pairing.url);
  }

  /**
   * Sign in a user in the Teams admin center issued a pairing code for this device: the gateway NOTIFYs it, and an idle
   * handset (or one already on the pairing screen) shows it as if its Sign in soft key had been pressed. Returns
   * whether it is shown.
   */
  showPairing(code: string, url: string): boolean {
    const onPairing = this.screen.kind === 'pairing' && this.host.hasScreen();
    if (!onPairing && !this.host.isIdle()) return false;
    if (onPairing) {
      this.screen = { kind: 'pairing', code, url };
      this.host.refresh();
    } else this.open({ kind: 'pairing', code, url });
    return true;
  }

  /** The pairing code expired: its screen has nothing left to show. */
  pairingExpired(): void {
    if (this.screen.kind === 'pairing') this.close();
  }

  /** The handset machine emitted `dial` (green after digits). */
  dial(number: string): void {
    this.dialled = number;
    const line = this.currentLine;
    if (!line || line.isDisposed || line.state !== 'OK') {
      const why = line ? `${line.extension}: ${line.state}` : 'Ask the administrator';
      // *55* needs the Teams onboarding line, which only the base's ITSP provisioning brings.
      const enrolment = /^\*55\*/.test(number) && this.teamsLine.state === null ? [NO_TEAMS_LINE] : [];
      this.message([line ? 'Line not registered' : 'No line', ...(enrolment.length ? enrolment : [why])], 'error');
      return;
    }
    try {
      this.follow(line.call(number));
      this.screen = { kind: 'call' };
    } catch (error) {
      this.message(['Call failed', error instanceof Error ? error.message : String(error)], 'error');
    }
    this.host.refresh();
  }

  /**
   * A key while the phone has the screen, or an idle soft key the phone owns (Sign in / Sign out). Returns true when
   * the phone took the key.
   */
  key(key: HandsetKey, idle: boolean): boolean {
    if (idle) {
      const state = this.teamsLine.state;
      if (key !== 'soft2' || state === null) return false;
      if (state === 'waiting-for-sign-in' || state === 'signed-out') this.openSignIn();
      else if (state === 'signed-in') this.open({ kind: 'confirm-sign-out' });
      else return false;
      return true;
    }
    if (!this.host.hasScreen()) return false;
    const screen = this.screen;
    const call = this.currentCall;
    switch (screen.kind) {
      case 'message': {
        const wrapped = screen.lines.flatMap(wrap).length;
        const offset = screen.offset ?? 0;
        if ((key === 'down' || key === 'up') && wrapped > MESSAGE_LINES) {
          const next = Math.max(0, Math.min(wrapped - MESSAGE_LINES, offset + (key === 'down' ? 1 : -1)));
          this.screen = { ...screen, offset: next };
          this.host.refresh();
        } else if (key === 'red' || key === 'ok' || key === 'soft1' || key === 'soft2') this.close();
        return true;
      }
      case 'pairing':
        if (key === 'red' || key === 'soft2' || key === 'ok') this.close();
        return true;
      case 'confirm-sign-out':
        if (key === 'soft1' || key === 'ok') {
          const words = this.teamsWords;
          const done = this.teamsLine.softKeys?.signOut() ?? { ok: false as const, message: 'Not a Teams line' };
          if (done.ok) this.message([words.signedOut], 'confirmation');
          else this.message([words.signOutFailed, done.message], 'error');
        } else if (key === 'soft2' || key === 'red' || key === 'left') this.close();
        return true;
      case 'transfer':
        if (/^[0-9*#]$/.test(key)) this.screen = { kind: 'transfer', digits: (screen.digits + key).slice(0, 32) };
        else if (key === 'soft2' || key === 'left') {
          this.screen = screen.digits ? { kind: 'transfer', digits: screen.digits.slice(0, -1) } : { kind: 'call' };
        } else if ((key === 'green' || key === 'ok' || key === 'soft1') && screen.digits && call) {
          this.screen = { kind: 'call' };
          void call.transfer(screen.digits).catch(() => undefined);
        } else if (key === 'red' && call) void call.hangup().catch(() => undefined);
        this.host.refresh();
        return true;
      case 'call':
      case 'none':
        if (!call || call.state === 'ended') {
          if (key === 'red') this.close();
          return true;
        }
        if (call.direction === 'incoming' && call.state === 'ringing') {
          if (key === 'green' || key === 'soft1' || key === 'ok') void call.answer().catch(() => undefined);
          else if (key === 'red' || key === 'soft2') void call.reject('decline').catch(() => undefined);
          return true;
        }
        if (key === 'red') void call.hangup().catch(() => undefined);
        else if (call.state === 'connected' && key === 'soft1') void (call.onHold ? call.resume() : call.hold()).catch(() => undefined);
        else if (call.state === 'connected' && key === 'soft2') {
          this.screen = { kind: 'transfer', digits: '' };
          this.host.refresh();
        }
        return true;
    }
  }

  /** The machine left the phone's screen by itself (service lost): end what is going on. */
  screenLost(): void {
    if (this.screen.kind === 'none' && this.currentCall === null) return;
    const call = this.currentCall;
    if (call && call.state !== 'ended') void call.hangup().catch(() => undefined);
    this.detachCall?.();
    this.detachCall = null;
    this.currentCall = null;
    this.clearMessageTimer();
    this.screen = { kind: 'none' };
  }

  /** The screen's six lines while the phone has it; null when it has nothing to show. */
  render(statusBar: string): string[] | null {
    const screen = this.screen;
    const call = this.currentCall;
    const words = this.teamsWords;
    switch (screen.kind) {
      case 'message': {
        // Up to three lines between blank ones; a longer text (a refusal's reason) takes four, and one longer still
        // scrolls with up/down (▼/▲ on the right soft key say there is more) and stays until a key.
        const lines = screen.lines.flatMap(wrap).map(center);
        if (lines.length > MESSAGE_LINES) {
          const offset = screen.offset ?? 0;
          const more = offset + MESSAGE_LINES < lines.length ? '▼' : '▲';
          return [statusBar, ...lines.slice(offset, offset + MESSAGE_LINES), softKeys(words.ok, more)];
        }
        if (lines.length > 3) return [statusBar, ...lines, softKeys(words.ok, '')];
        return [statusBar, '', ...lines, '', softKeys(words.ok, '')];
      }
      case 'pairing': {
        // The device login URL and the code stay as the gateway sent them: only the words around them are translated.
        const [host = '', ...path] = screen.url.replace(/^https?:\/\//, '').split('/');
        return [center(words.signIn), words.goTo, `${host}/`, path.join('/'), `${words.code} ${screen.code}`, softKeys('', words.back)];
      }
      case 'confirm-sign-out':
        return [statusBar, '', center(words.signOutQuestion), center(this.currentLine?.extension ?? ''), '', softKeys(words.yes, words.no)];
      case 'transfer':
        return [statusBar, center('Transfer to'), center(screen.digits.slice(-COLUMNS)), center(call?.remote.displayName ?? ''), '', softKeys('OK', 'Clear')];
      case 'call':
      case 'none': {
        if (!call) return null;
        const v = call.view();
        const who = v.remote.displayName && v.remote.displayName !== v.remote.user ? v.remote.displayName : '';
        const state =
          v.state === 'dialing'
            ? 'Calling...'
            : v.state === 'ringing'
              ? v.direction === 'incoming'
                ? 'Incoming call'
                : 'Ringing...'
              : v.state === 'connected'
                ? v.onHold
                  ? 'On hold'
                  : v.heldByRemote
                    ? 'Held'
                    : 'Connected'
                : END_WORDS[v.end?.cause ?? 'local-hangup'];
        const keys =
          v.state === 'ringing' && v.direction === 'incoming'
            ? softKeys('Answer', 'Reject')
            : v.state === 'connected'
              ? softKeys(v.onHold ? 'Resume' : 'Hold', 'Transfer')
              : softKeys('', '');
        return [statusBar, center(who || v.remote.user), center(who ? v.remote.user : ''), center(state), '', keys];
      }
    }
  }

  /** Soft key 2 on the idle screen (Sign in / Sign out), or '' when the phone has none. */
  idleSoftKey(): string {
    const state = this.teamsLine.state;
    const words = this.teamsWords;
    return state === 'waiting-for-sign-in' || state === 'signed-out' ? words.signIn : state === 'signed-in' ? words.signOut : '';
  }

  // ── Internals ────────────────────────────────────────────────────────────────────────────────────────────────

  private incoming(call: Call): void {
    if (this.inCall) return; // the line answers a second call 486 itself (no call waiting)
    this.host.send({ type: 'PHONE_SCREEN' });
    if (!this.host.hasScreen()) {
      // Switched off, or not in service: the base cannot page the handset.
      void call.reject('busy').catch(() => undefined);
      return;
    }
    this.follow(call);
    this.screen = { kind: 'call' };
    this.host.tone('ringing');
    this.host.refresh();
  }

  private follow(call: Call): void {
    this.detachCall?.();
    this.clearMessageTimer();
    this.currentCall = call;
    const offs = [
      call.on('changed', () => this.host.refresh()),
      call.on('ringing', () => {
        if (call.direction === 'outgoing') this.host.tone('ringback');
      }),
      call.on('ended', () => this.ended(call)),
    ];
    this.detachCall = () => offs.forEach((off) => off());
    if (call.transferredFrom !== null) {
      this.screen = { kind: 'call' };
      this.host.send({ type: 'PHONE_SCREEN' });
    }
  }

  private ended(call: Call): void {
    if (call !== this.currentCall) return;
    const end = call.end;
    const enrolment = /^\*55\*/.test(this.dialled) && call.direction === 'outgoing';
    const feature = /^\*(3[0-5]|99)\*/.test(this.dialled) && call.direction === 'outgoing';
    if ((enrolment || feature) && end && end.statusCode !== null) {
      // What the gateway's answer says of the device (enrolled, Do not disturb): the idle label follows.
      const before = this.teamsLine.state;
      this.teamsLine.heardAnswer(this.dialled, end.statusCode, end.reason ?? null);
      this.teamsStateMaybeMoved(before);
      this.host.setLabel(this.teamsLine.label(this.currentLine, this.teamsWords));
    }
    this.dialled = '';
    if (feature && end && end.statusCode !== null && end.statusCode >= 400) {
      // Teams feature codes: 480 = done (the reason says what), anything else = refused or not supported.
      if (end.statusCode === 480) this.message([end.reason ?? 'Done'], 'confirmation');
      else this.message(['Not done', end.reason ?? END_WORDS[end.cause]], 'error');
      return;
    }
    if (enrolment && end) {
      // The gateway's reason stays in its own words (the service's, not the handset's).
      if (end.statusCode === 486) this.message([this.teamsWords.signIn], 'three-busy');
      else {
        // Dialled on a line that is not the Teams one (the base has not applied a Teams file for this handset): the
        // answer comes from some other SIP server, and the handset says what is missing.
        const notTeams = this.teamsLine.state === null ? [NO_TEAMS_LINE] : [];
        this.message([this.teamsWords.enrollmentFailed, end.reason ?? END_WORDS[end.cause], ...notTeams], 'error');
      }
      return;
    }
    if (end?.cause === 'busy') this.host.tone('busy');
    const missed = call.direction === 'incoming' && call.connectedAt === null && (end?.cause === 'no-answer' || end?.cause === 'cancelled');
    const words = missed ? 'Missed call' : END_WORDS[end?.cause ?? 'local-hangup'];
    const detail = end?.cause === 'failed' && end.reason ? end.reason : '';
    this.message(detail ? [words, detail] : [words], null);
  }

  private openSignIn(): void {
    const answer = this.teamsLine.softKeys?.signIn() ?? { ok: false as const, message: 'Not a Teams line' };
    if (answer.ok) this.open({ kind: 'pairing', code: answer.code, url: answer.url });
    else this.open({ kind: 'message', lines: [this.teamsWords.signInFailed, answer.message] }, 'error');
  }

  private open(screen: Screen, tone?: Tone): void {
    this.screen = screen;
    this.host.send({ type: 'PHONE_SCREEN' });
    if (tone) this.host.tone(tone);
    this.host.refresh();
  }

  private message(lines: string[], tone: Tone | null): void {
    this.clearMessageTimer();
    this.screen = { kind: 'message', lines };
    if (!this.host.hasScreen()) this.host.send({ type: 'PHONE_SCREEN' });
    if (tone) this.host.tone(tone);
    // A text that does not fit stays until a key, as a device's does: nobody reads five lines in a few seconds.
    if (lines.flatMap(wrap).length > MESSAGE_LINES) {
      this.host.refresh();
      return;
    }
    this.messageTimer = this.host.setTimeout(() => {
      this.messageTimer = undefined;
      this.close();
    }, this.host.noticeMs());
    this.host.refresh();
  }

  private close(): void {
    this.clearMessageTimer();
    this.screen = { kind: 'none' };
    if (this.currentCall?.state === 'ended') {
      this.detachCall?.();
      this.detachCall = null;
      this.currentCall = null;
    }
    if (this.host.hasScreen()) this.host.send({ type: 'PHONE_DONE' });
    this.host.refresh();
  }

  private clearMessageTimer(): void {
    if (this.messageTimer !== undefined) this.host.clearTimeout(this.messageTimer);
    this.messageTimer = undefined;
  }
}

function center(s: string): string {
  const n = [...s].length;
  return n >= COLUMNS ? s : ' '.repeat(Math.floor((COLUMNS - n) / 2)) + s;
}

function softKeys(left: string, right: string): string {
  const gap = COLUMNS - [...left].length - [...right].length;
  return gap >= 1 ? left + ' '.repeat(gap) + right : `${left} ${right}`;
}

/** Words wrapped to the screen width. */
function wrap(text: string): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!current) current = word;
    else if ([...current].length + 1 + [...word].length <= COLUMNS) current += ` ${word}`;
    else {
      lines.push(current);
      current = word;
    }
    while ([...current].length > COLUMNS) {
      lines.push([...current].slice(0, COLUMNS).join(''));
      current = [...current].slice(COLUMNS).join('');
    }
  }
  if (current) lines.push(current);
  return lines;
}
