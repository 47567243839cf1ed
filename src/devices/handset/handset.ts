/**
 * A running handset: its machine (a root actor on the lab clock), its persistence, and what consoles and the control
 * API read and do. Key presses from a console, the API and tests all go through {@link Handset.press}.
 */
import { createActor, type Actor, type SnapshotFrom } from 'xstate';
import type { Clock } from '../../kernel/virtual-clock.ts';
import { Signal } from '../../kernel/listeners.ts';
import type { HandsetFirmwareTransfer } from '../base-station/base-flash.ts';
import { meetsTeamsMinimum } from '../base-station/firmware-version.ts';
import { ERR_KEYS_INVALID, ERR_LANGUAGE_INVALID, ERR_SITE_INVALID } from '../../kernel/error-catalogue.ts';
import type { DectRadio, RadioHandset, RadioUpdate } from '../../air/dect-radio.ts';
import { renderDisplay } from './handset-display.ts';
import { type HandsetKey, keyEvent, parseKeys } from './handset-keys.ts';
import { type HandsetMachine, type HandsetPhase, phaseOf, type Tone, type UiPhase } from './handset-machine.ts';
import type { HandsetFirmwareProfile } from './handset-profile.ts';
import { type HandsetModel, type HandsetRecord, isLanguage, type Language, LANGUAGES } from './handset-record.ts';
import { decimalIpei } from './ipei.ts';
import { HandsetPhone } from './handset-phone.ts';
import type { CallView } from '../../sip/line/call.ts';
import type { LineState } from '../../sip/line/registration-machine.ts';

/** One word for where the handset is, as lists and the API show it. */
export const HANDSET_STATES = ['off', 'starting', 'stopping', 'installing-firmware', 'unregistered', 'searching', 'out-of-range', 'in-service'] as const;
export type HandsetState = (typeof HANDSET_STATES)[number];

/** [inferred] One status LED: red blinking without service, orange blinking while firmware arrives, green in a call. */
export type LedState = 'off' | 'red-blinking' | 'orange-blinking' | 'green';

export interface ToneRecord {
  tone: Tone;
  /** Virtual epoch ms. */
  at: number;
}

export interface HandsetView {
  ipei: string;
  /** Decimal label form with check digit, e.g. `12941 0074565 2`. */
  ipeiDecimal: string;
  model: HandsetModel;
  firmware: string;
  /** False below 8.0.3: Teams refuses such a handset (seed 000). */
  firmwareMeetsTeamsMinimum: boolean;
  state: HandsetState;
  /** What the screen is showing (idle, menu, ...), null when off. */
  screen: UiPhase | null;
  baseMac: string | null;
  slot: number | null;
  site: string;
  /** Explicitly carried out of range. */
  outOfRange: boolean;
  language: Language;
  display: string[];
  /** The last tones played, oldest first. */
  tones: ToneRecord[];
  leds: { status: LedState };
  firmwareUpdate: HandsetFirmwareTransfer | null;
  /** The handset's SIP line on its base (null: none assigned, or the base is down). */
  line: { extension: string; identity: string; state: LineState; reason: string | null; label: string | null } | null;
  /** The call on the handset's screen, if any. */
  call: CallView | null;
  /** Teams state of the line's device at the gateway (null: not a Teams line). */
  teams: string | null;
}

export type HandsetUpdate = { type: 'view'; view: HandsetView } | ({ type: 'tone' } & ToneRecord);

export interface HandsetOptions {
  record: HandsetRecord;
  profile: Readonly<HandsetFirmwareProfile>;
  clock: Clock;
  machine: HandsetMachine;
  radio: Pick<DectRadio, 'report' | 'handsetChanged' | 'refresh'>;
  /** Called with the new record whenever it changes (the lab writes it to the lab file). */
  persist: (record: HandsetRecord) => void;
}

const TONES_KEPT = 10;

export class Handset implements RadioHandset {
  readonly actor: Actor<HandsetMachine>;
  private readonly clock: Clock;
  private readonly radio: HandsetOptions['radio'];
  private lastRecord: HandsetRecord;
  private lastReport: string | null = null;
  /** The record and transfer {@link lastReport} was made from. */
  private lastReportFrom: { record: HandsetRecord | null; ota: unknown } = { record: null, ota: null };
  private readonly recentTones: ToneRecord[] = [];
  private readonly changes = new Signal<HandsetUpdate>();
  private derivedFrom: SnapshotFrom<HandsetMachine> | null = null;
  private derivedPhase: Readonly<HandsetPhase> | null = null;
  private derivedState: HandsetState | null = null;
  /** The telephone part: line, calls, Teams sign-in screens (handset-phone.ts). */
  readonly phone: HandsetPhone;

  constructor(options: HandsetOptions) {
    this.clock = options.clock;
    this.radio = options.radio;
    this.lastRecord = options.record;
    this.actor = createActor(options.machine, {
      clock: options.clock,
      input: { record: options.record, profile: options.profile },
    });
    this.actor.on('tone', ({ tone }) => this.playTone(tone));
    this.phone = new HandsetPhone({
      send: (event) => this.actor.send(event),
      tone: (tone) => this.playTone(tone),
      refresh: () => this.refresh(),
      setLabel: (label) => this.setLine(label),
      hasScreen: () => this.phase.ui === 'call',
      isIdle: () => this.phase.power === 'on' && this.phase.ui === 'idle',
      noticeMs: () => options.profile.noticeMs,
      teamsLanguages: () => options.profile.teamsLanguages,
      setTimeout: (fn, ms) => options.clock.setTimeout(fn, ms),
      clearTimeout: (id) => options.clock.clearTimeout(id),
    });
    this.actor.on('dial', ({ number }) => this.phone.dial(number));
    this.actor.subscribe((snapshot) => {
      if (this.phase.ui !== 'call') this.phone.screenLost();
      if (snapshot.context.record !== this.lastRecord) {
        this.lastRecord = snapshot.context.record;
        options.persist(snapshot.context.record);
      }
      this.reportToBase();
      if (this.changes.active) this.changes.emit({ type: 'view', view: this.view() });
    });
    this.actor.start();
    // A simulator restart is a power cycle for every handset that was on (xstate cannot restore timers).
    if (options.record.powered) this.actor.send({ type: 'POWER_ON' });
  }

  get ipei(): string {
    return this.record.ipei;
  }

  get model(): HandsetModel {
    return this.record.model;
  }

  get record(): HandsetRecord {
    return this.snapshot.context.record;
  }

  get snapshot(): SnapshotFrom<HandsetMachine> {
    return this.actor.getSnapshot();
  }

  get phase(): HandsetPhase {
    this.derive();
    return this.derivedPhase!;
  }

  get state(): HandsetState {
    this.derive();
    return this.derivedState!;
  }

  /**
   * Phase and state are read many times per event (subscribers, the radio, the recorder, scenario predicates): they are
   * worked out once per snapshot (snapshots are immutable, so the object identifies them).
   */
  private derive(): void {
    const snapshot = this.actor.getSnapshot();
    if (snapshot === this.derivedFrom) return;
    const phase = Object.freeze(phaseOf(snapshot.value));
    const { power, link } = phase;
    this.derivedState =
      power === 'installing' ? 'installing-firmware' : power !== 'on' ? power : link === 'locating' || link === null ? 'searching' : link;
    this.derivedPhase = phase;
    this.derivedFrom = snapshot;
  }

  /**
   * Presses keys: digits, `*`, `#` and named keys in braces (`{green}`, `{red}`, `{red-long}`, `{soft1}`, `{soft2}`,
   * `{up}`, `{down}`, `{left}`, `{right}`, `{ok}`, `{menu}`; handset-keys.ts). Refuses the whole string, pressing
   * nothing, if any key is unknown. {@link view} shows the result (not built here: a rehearsal presses thousands of keys
   * and reads the screen only where it needs to).
   */
  press(keys: string | readonly HandsetKey[]): void {
    let parsed: readonly HandsetKey[];
    if (typeof keys === 'string') {
      const checked = parseKeys(keys);
      if (!checked.ok) throw new ERR_KEYS_INVALID(checked.errors.map((e) => e.message).join('; '));
      parsed = checked.value;
    } else {
      parsed = keys;
    }
    for (const key of parsed) {
      // The radio does not tell a handset about other bases' registration windows: an unsubscribed one catches up
      // before a key acts (the last key of the access code subscribes it, on the base it then hears).
      this.radio.refresh(this);
      const { power, ui } = this.phase;
      const phoneScreen = power === 'on' && ui === 'call' && key !== 'red-long';
      const idleSoftKey = power === 'on' && ui === 'idle' && key === 'soft2' && this.phone.idleSoftKey() !== '';
      // The machine hears every key (key click; it ignores keys on the phone's screen), then the phone acts.
      this.actor.send(keyEvent(key));
      if (phoneScreen || idleSoftKey) this.phone.key(key, idleSoftKey);
    }
  }

  /** The line label on the idle screen (the phone derives it from its line: teams-line.ts). */
  setLine(line: string | null): void {
    const snapshot = this.actor.getSnapshot();
    if (snapshot.status !== 'active' || snapshot.context.record.line === line) return;
    this.actor.send({ type: 'SET_LINE', line });
  }

  /** Plays a tone (consoles hear it). */
  playTone(tone: Tone): void {
    const played: ToneRecord = { tone, at: this.clock.now() };
    this.recentTones.push(played);
    if (this.recentTones.length > TONES_KEPT) this.recentTones.shift();
    this.changes.emit({ type: 'tone', ...played });
  }

  /** Battery in (on) or out (off): immediate, unlike a long press of the red key. */
  setPower(on: boolean): void {
    this.actor.send({ type: on ? 'POWER_ON' : 'POWER_OFF' });
  }

  /** Carries the handset out of range (hears no base) or back. */
  setOutOfRange(outOfRange: boolean): void {
    this.actor.send({ type: 'SET_PLACEMENT', outOfRange });
    this.radio.handsetChanged(this);
  }

  /** Moves the handset to another site: it hears that site's bases. */
  moveTo(site: string): void {
    const name = site.trim();
    if (!name) throw new ERR_SITE_INVALID();
    this.actor.send({ type: 'SET_PLACEMENT', site: name });
    this.radio.handsetChanged(this);
  }

  /** Sets the display language directly (the handset menu does the same under Settings → Language). */
  setLanguage(language: string): void {
    if (!isLanguage(language)) throw new ERR_LANGUAGE_INVALID(LANGUAGES.join(', '));
    this.actor.send({ type: 'SET_LANGUAGE', language });
  }

  setName(name: string | null): void {
    this.actor.send({ type: 'SET_NAME', name: name?.trim() || null });
  }

  /** The radio reports what the handset hears now (dect-radio.ts). */
  hear(update: RadioUpdate): void {
    this.actor.send({ type: 'RADIO', heard: update.heard, outOfRange: update.outOfRange });
  }

  view(): HandsetView {
    const { context } = this.snapshot;
    const phase = this.phase;
    const record = context.record;
    return {
      ipei: record.ipei,
      ipeiDecimal: decimalIpei(record.ipei).text,
      model: record.model,
      firmware: record.firmware,
      firmwareMeetsTeamsMinimum: meetsTeamsMinimum(record.firmware),
      state: this.state,
      screen: phase.ui,
      baseMac: record.subscription?.baseMac ?? null,
      slot: record.subscription?.slot ?? null,
      site: record.site,
      outOfRange: record.outOfRange,
      language: record.language,
      display: this.display(phase, context),
      tones: [...this.recentTones],
      leds: { status: this.phone.inCall && phase.power === 'on' ? 'green' : ledOf(phase, record) },
      firmwareUpdate: context.ota,
      line: this.lineView(),
      call: this.phone.call?.view() ?? null,
      teams: this.phone.teams,
    };
  }

  /**
   * The display lines alone, as {@link view} shows them: for scripted steps that read the screen key by key (a whole
   * view also builds the line, call and Teams parts).
   */
  displayLines(): string[] {
    return this.display(this.phase, this.snapshot.context);
  }

  private display(phase: HandsetPhase, context: SnapshotFrom<HandsetMachine>['context']): string[] {
    const lines = renderDisplay({ phase, context, now: this.clock.now() });
    if (phase.power !== 'on') return lines;
    if (phase.ui === 'call') {
      const phone = this.phone.render(lines[0] ?? '');
      return phone ? phone.concat(Array(lines.length).fill('')).slice(0, lines.length).map((l) => fitLine(l, lines[0]?.length ?? 20)) : lines;
    }
    const soft = phase.ui === 'idle' ? this.phone.idleSoftKey() : '';
    if (soft && lines.length > 0) {
      const last = lines[lines.length - 1]!;
      const width = last.length;
      lines[lines.length - 1] = fitLine(last.slice(0, Math.max(0, width - soft.length - 1)).trimEnd(), width - soft.length) + soft;
    }
    return lines;
  }

  private lineView(): HandsetView['line'] {
    const line = this.phone.line;
    const status = this.phone.lineStatus();
    if (!line || !status) return null;
    return { extension: status.extension, identity: status.identity, state: status.state, reason: status.reason, label: this.record.line };
  }

  /** Consoles see the phone's changes too (calls, line state). */
  private refresh(): void {
    if (this.changes.active) this.changes.emit({ type: 'view', view: this.view() });
  }

  /** Screen updates and tones, for consoles. Returns an unsubscribe function. */
  onChange(listener: (update: HandsetUpdate) => void): () => void {
    return this.changes.on(listener);
  }

  stop(): void {
    this.actor.stop();
  }

  /** While in service the handset tells its base its firmware and over-the-air progress (DECT Summary shows them). */
  private reportToBase(): void {
    const { context } = this.snapshot;
    const baseMac = context.record.subscription?.baseMac;
    if (this.phase.link !== 'in-service' || baseMac === undefined) {
      this.lastReport = null;
      return;
    }
    // Most snapshots (keys, radio, screens) leave the record and the transfer as they were: the same objects (the
    // machine replaces them when they change) are the same report, without serialising it.
    const { record, ota } = context;
    if (this.lastReport !== null && this.lastReportFrom.record === record && this.lastReportFrom.ota === ota) return;
    this.lastReportFrom = { record, ota };
    const report = { ipei: record.ipei, firmware: record.firmware, firmwareUpdate: ota };
    const key = JSON.stringify(report);
    if (key === this.lastReport) return;
    this.lastReport = key;
    this.radio.report(baseMac, report);
  }
}

function fitLine(line: string, width: number): string {
  const chars = [...line];
  return chars.length >= width ? chars.slice(0, width).join('') : line + ' '.repeat(width - chars.length);
}

function ledOf(phase: HandsetPhase, record: HandsetRecord): LedState {
  if (phase.power === 'installing' || phase.ota === 'transferring') return 'orange-blinking';
  if (phase.power !== 'on') return 'off';
  if (phase.ui === 'call') return 'green';
  if (record.subscription && phase.link !== 'in-service') return 'red-blinking';
  return 'off';
}
