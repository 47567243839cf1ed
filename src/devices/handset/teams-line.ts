/**
 * What a handset knows of its line and of Teams, and only from what reaches it: the values of the provisioning file
 * its base applied for it (`%TEAMS_STATE%`, `%SIP_LINE_LABEL%`), its line's registration, and SIP answers and
 * NOTIFYs on that line. Never the gateway's records: a real handset cannot see them (docs/fidelity.md, "What a handset
 * knows of Teams").
 *
 * ```text
 *   file TEAMS_STATE   onboarding ──*55* answered 486──▶ waiting-for-sign-in (until the next file)
 *                      waiting-for-sign-in ─────────────▶ waiting-for-sign-in, or signed-out once it was signed in
 *                      signed-in ───────────────────────▶ signed-in (label: SIP_LINE_LABEL, "DND " after *30* ⇒ 480 on)
 *   idle label         no line ─▶ none   line Error ─▶ "Line error"   extension ─▶ the extension
 *                      Teams signed-in ─▶ the number   waiting / signed-out ─▶ "Sign in" (in %LANGUAGE%)   onboarding ─▶ none
 *   NOTIFY x-teams-pairing (code=…, url=…) ─▶ the pairing screen;  ;expired=true ─▶ it closes
 *   NOTIFY check-sync (the base fetches its file) ─▶ an open pairing screen closes: the gateway has news (signed in)
 * ```
 */
import type { Line, LineNotify } from '../../sip/line/line.ts';
import type { TeamsWords } from './teams-text.ts';

/** The Teams state as the handset shows it (idle soft key, view). */
export type TeamsPhoneState = 'onboarding' | 'waiting-for-sign-in' | 'signed-in' | 'signed-out';

/** What the Sign in / Sign out soft keys ask of the gateway. */
export interface TeamsSoftKeys {
  /** Sign in soft key: a pairing code for the device login page, or why not. */
  signIn(): { ok: true; code: string; url: string } | { ok: false; message: string };
  signOut(): { ok: true } | { ok: false; message: string };
}

/** The line as the applied provisioning (web admin extension, or the Teams file) describes it to the handset. */
export type LineFacts =
  | { kind: 'extension'; label: string }
  | {
      kind: 'teams';
      /** `%TEAMS_STATE%` of the applied file. */
      fileState: string;
      /** `%SIP_SERVER%` of the applied file: a file from another region's gateway is another story. */
      server: string;
      /** `%SIP_LINE_LABEL%` (the phone number), empty → null. */
      label: string | null;
      /** `%LANGUAGE%` of the applied file (the URL's `lang_xx`): the language of the Teams texts; '' when absent. */
      language: string;
      softKeys: TeamsSoftKeys;
    };

/** The handset's memory of its Teams line, across the lines its base gives it. */
export class TeamsLine {
  private facts: LineFacts | null = null;
  /** The file (state and server) a good `*55*` answer was heard against: until the file changes, it is enrolled. */
  private enrolledOn: string | null = null;
  private wasSignedIn = false;
  private dnd = false;

  /** The base applied (or took away) the file behind the line. */
  setFacts(facts: LineFacts | null): void {
    this.facts = facts;
    if (facts?.kind !== 'teams') return;
    if (this.enrolledOn !== null && this.enrolledOn !== fileKey(facts)) this.enrolledOn = null;
    if (facts.fileState === 'onboarding' && this.enrolledOn === null) this.wasSignedIn = false;
    if (facts.fileState === 'signed-in') this.wasSignedIn = true;
  }

  get softKeys(): TeamsSoftKeys | null {
    return this.facts?.kind === 'teams' ? this.facts.softKeys : null;
  }

  /** The language the applied file asks the Teams texts in (`%LANGUAGE%`), or null when not a Teams line. */
  get language(): string | null {
    return this.facts?.kind === 'teams' ? this.facts.language : null;
  }

  /** The Teams state, or null when the line is not a Teams line. */
  get state(): TeamsPhoneState | null {
    const facts = this.facts;
    if (facts?.kind !== 'teams') return null;
    const file = this.enrolledOn === fileKey(facts) ? 'waiting-for-sign-in' : facts.fileState;
    if (file === 'signed-in') return 'signed-in';
    if (file === 'waiting-for-sign-in') return this.wasSignedIn ? 'signed-out' : 'waiting-for-sign-in';
    return 'onboarding';
  }

  /** An outgoing call to the gateway ended: what its answer says (`*55*` → 486 enrolled; `*30*`/`*31*` → 480 DND). */
  heardAnswer(dialled: string, statusCode: number, reason: string | null): void {
    if (this.facts?.kind !== 'teams') return;
    if (/^\*55\*/.test(dialled) && statusCode === 486) this.enrolledOn = fileKey(this.facts);
    if (/^\*3[01]\*/.test(dialled) && statusCode === 480) {
      if (reason === 'Do not disturb on') this.dnd = true;
      else if (reason === 'Do not disturb off') this.dnd = false;
    }
  }

  /** The idle screen's line label; `words`: the Teams texts in the file's language (teams-text.ts). */
  label(line: Line | null, words: TeamsWords): string | null {
    const facts = this.facts;
    if (!line || !facts) return null;
    if (line.state === 'Error') return 'Line error';
    if (facts.kind === 'extension') return facts.label;
    const state = this.state;
    if (state === 'signed-in') return facts.label && this.dnd ? `DND ${facts.label}` : facts.label;
    if (state === 'waiting-for-sign-in' || state === 'signed-out') return words.signIn;
    return null;
  }
}

function fileKey(facts: Extract<LineFacts, { kind: 'teams' }>): string {
  return `${facts.fileState}|${facts.server}`;
}

/** A check-sync NOTIFY (for the base: it fetches its files; the handset only closes its pairing screen). */
export function isCheckSync(notify: LineNotify): boolean {
  return notify.event.split(';')[0]!.trim().toLowerCase() === 'check-sync';
}

/** A pairing NOTIFY from the gateway: the code to show, `expired`, or undefined when the NOTIFY is something else. */
export function pairingOfNotify(notify: LineNotify): { code: string; url: string } | 'expired' | undefined {
  const [name = '', ...params] = notify.event.split(';').map((p) => p.trim().toLowerCase());
  if (name !== 'x-teams-pairing') return undefined;
  if (params.includes('expired=true')) return 'expired';
  const fields = new Map(
    notify.body
      .split(/\r?\n/)
      .map((l) => /^([a-z]+)=(.*)$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, m[2]!]),
  );
  const code = fields.get('code');
  const url = fields.get('url');
  return code && url ? { code, url } : undefined;
}
