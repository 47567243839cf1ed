/**
 * The lines of one base: created when the base's firmware is up, all torn down at once when it reboots or loses
 * power, created again (and registering again, paced) when it is back.
 *
 * ```text
 *   start() ── line 0 now, line 1 after registerSpacingMs, line n after n × registerSpacingMs (storm pacing)
 *   dispose('reboot' | 'power-loss') ── every call ends, every line goes; pending starts are cancelled
 *   start() again ── new lines, registering again (new Call-IDs, new connections): the storm
 * ```
 *
 * The group keeps the line *specifications* (extension, credentials, server); `Line` objects live from one
 * `start()` to the next `dispose()`. Listen to `lines` to attach a handset to each new line. Behind each
 * specification the group keeps its {@link LineAgent} (the sip.js user agent and the registration actor): the
 * line of the next boot borrows it instead of building its own, until the specification is removed.
 */
import type { Clock } from '../../kernel/virtual-clock.ts';
import { ERR_SIP_EXTENSION_EXISTS } from '../../kernel/error-catalogue.ts';
import { Listeners } from '../../kernel/listeners.ts';
import { LineAgent } from './line-agent.ts';
import { Line, lineClockFor, type LineOptions, type LineStatus } from './line.ts';
import { DEFAULT_LINE_PROFILE, type LineProfile } from './line-profile.ts';

/** A line as configured on the base (its Extensions page): everything but the clock; the group's profile by default. */
export type LineSpec = Omit<LineOptions, 'clock'>;

export interface LineGroupEvents extends Record<string, unknown> {
  /** New lines were created by start() (not registered yet). */
  lines: Line[];
  /** A line's registration or calls changed, or lines came or went. */
  changed: LineGroup;
}

export interface LineGroupOptions {
  /** The lab clock (lines on a real network use real time, see `lineClockFor`). */
  clock: Clock;
  profile?: Readonly<LineProfile>;
}

export class LineGroup {
  private readonly specs = new Map<string, LineSpec>();
  /** Per extension, the agent kept across reboots and the specification it was made for. */
  private readonly agents = new Map<string, { spec: LineSpec; agent: LineAgent }>();
  private readonly optionsBySpec = new WeakMap<LineSpec, LineOptions & { profile: Readonly<LineProfile> }>();
  private current = new Map<string, Line>();
  private pendingStarts: Array<{ clock: Clock; id: number }> = [];
  /** Between start() and dispose(): the base is up (even with no line configured). */
  private started = false;
  private readonly events = new Listeners<LineGroupEvents>();
  private readonly profile: Readonly<LineProfile>;

  constructor(private readonly options: LineGroupOptions) {
    this.profile = options.profile ?? DEFAULT_LINE_PROFILE;
  }

  /** Adds a line to the configuration; it starts with the next {@link start}. */
  add(spec: LineSpec): void {
    if (this.specs.has(spec.extension)) {
      throw new ERR_SIP_EXTENSION_EXISTS(spec.extension);
    }
    this.specs.set(spec.extension, spec);
  }

  /** Removes a line from the configuration (and tears it down if it is up). */
  async remove(extension: string): Promise<boolean> {
    const existed = this.specs.delete(extension);
    this.agents.get(extension)?.agent.retire();
    this.agents.delete(extension);
    const line = this.current.get(extension);
    if (line) {
      this.current.delete(extension);
      await line.dispose('reboot');
      this.events.emit('changed', this);
    }
    return existed;
  }

  get extensions(): string[] {
    return [...this.specs.keys()];
  }

  get running(): boolean {
    return this.started;
  }

  /** Creates every configured line and starts them, one every `registerSpacingMs` (storm pacing). */
  start(): Line[] {
    if (this.started) return [...this.current.values()];
    this.started = true;
    const created: Line[] = [];
    let index = 0;
    for (const spec of this.specs.values()) created.push(this.create(spec, index++ * this.profile.registerSpacingMs));
    this.events.emit('lines', created);
    this.events.emit('changed', this);
    return created;
  }

  /**
   * While the group runs, brings up one configured line that is not up yet (a line added to a running base: the
   * Extensions page, or a provisioning file applied without a reboot). Returns the line, or undefined if the group
   * is not running or the extension is not configured.
   */
  startLine(extension: string): Line | undefined {
    const spec = this.specs.get(extension);
    if (!spec || !this.running) return undefined;
    const existing = this.current.get(extension);
    if (existing) return existing;
    const line = this.create(spec, 0);
    this.events.emit('lines', [line]);
    this.events.emit('changed', this);
    return line;
  }

  /** The configured specification of a line. */
  spec(extension: string): LineSpec | undefined {
    return this.specs.get(extension);
  }

  private create(spec: LineSpec, delay: number): Line {
    const options = this.lineOptions(spec);
    const clock = options.clock;
    const line = new Line(options, this.agentFor(spec, options));
    line.on('changed', () => this.events.emit('changed', this));
    this.current.set(spec.extension, line);
    if (delay === 0) line.start();
    else {
      const id = clock.setTimeout(() => {
        if (!line.isDisposed) line.start();
      }, delay);
      this.pendingStarts.push({ clock, id });
    }
    return line;
  }

  /**
   * A line's options: its specification with the clock and profile, made once per specification (a spread followed by
   * more properties takes V8's slow path, once per line boot). Read-only for Line and LineAgent.
   */
  private lineOptions(spec: LineSpec): LineOptions & { profile: Readonly<LineProfile> } {
    let options = this.optionsBySpec.get(spec);
    if (options === undefined) {
      options = { ...spec, clock: lineClockFor(spec.connector, this.options.clock), profile: spec.profile ?? this.profile };
      this.optionsBySpec.set(spec, options);
    }
    return options;
  }

  /**
   * The agent of the line's last boot if it is free (its Line is down), else a new one, kept for the next boot.
   * An agent still held (a Line not down yet) is retired: the one made now takes its place.
   */
  private agentFor(spec: LineSpec, options: LineOptions & { profile: Readonly<LineProfile> }): LineAgent {
    const kept = this.agents.get(spec.extension);
    if (kept && kept.spec === spec && kept.agent.free) return kept.agent;
    kept?.agent.retire();
    const agent = new LineAgent(options);
    this.agents.set(spec.extension, { spec, agent });
    return agent;
  }

  /** Tears every line down at once (base reboot or power loss); calls end and the other parties see it. */
  async dispose(mode: 'reboot' | 'power-loss' = 'reboot'): Promise<void> {
    this.started = false;
    for (const { clock, id } of this.pendingStarts) clock.clearTimeout(id);
    this.pendingStarts = [];
    const lines = [...this.current.values()];
    this.current = new Map();
    await Promise.all(lines.map((line) => line.dispose(mode)));
    this.events.emit('changed', this);
  }

  line(extension: string): Line | undefined {
    return this.current.get(extension);
  }

  lines(): Line[] {
    return [...this.current.values()];
  }

  /** Status of every configured line; lines not up (base down) show as Stopped. */
  statuses(): LineStatus[] {
    return [...this.specs.values()].map((spec) => {
      const line = this.current.get(spec.extension);
      if (line) return line.status();
      return {
        extension: spec.extension,
        state: 'Stopped',
        reason: null,
        statusCode: null,
        expires: null,
        expiresAt: null,
        registeredAt: null,
        nextAttemptAt: null,
        failures: 0,
        attempts: 0,
        identity: `${spec.extension}@${spec.domain}`,
      } satisfies LineStatus;
    });
  }

  on<K extends keyof LineGroupEvents>(type: K, listener: (payload: LineGroupEvents[K]) => void): () => void {
    return this.events.on(type, listener);
  }
}
