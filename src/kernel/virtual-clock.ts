/**
 * The one clock of the simulator.
 *
 * Every firmware timer (XState named delays), every lab-wide deadline (verification codes, lockouts, intervals)
 * and every timestamp shown to a user reads this clock. It runs in one of three ways:
 *
 * - **real time** (`speed: 1`, the default): virtual time follows the wall clock;
 * - **accelerated** (`speed: X`): virtual time runs X times faster, still driven by real timers;
 * - **stepped** (`paused: true` + {@link VirtualClock.advance}): tests and rehearsals move time themselves.
 *
 * Why not xstate's `SimulatedClock`: its `increment(n)` jumps to the end first, so chained `after` transitions do not
 * play out, and it re-sorts per timer (see `../shared/reference/stack.md`). This clock keeps a binary min-heap of
 * deadlines and, when stepped, moves `now` to each deadline in turn, so a chain of timers fires exactly as it would
 * in real time.
 *
 * Real I/O (HTTP fetches of firmware and ConfigURL) takes real milliseconds. Work registered with
 * {@link VirtualClock.track} is awaited by {@link VirtualClock.advance} before time moves on, so a stepped run sees
 * the same order of events as a real-time run.
 */
import { Signal } from './listeners.ts';

export interface TimerClock {
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number | undefined): void;
}

/** What every part of the simulator needs from time. */
export interface Clock extends TimerClock {
  /** Virtual epoch milliseconds. */
  now(): number;
}

export interface ClockOptions {
  /** Virtual epoch ms to start at (default: the wall clock). */
  start?: number;
  /** Virtual ms per real ms (default 1). */
  speed?: number;
  /** Start paused: time moves only through {@link VirtualClock.advance}. */
  paused?: boolean;
}

export interface ClockState {
  now: number;
  speed: number;
  paused: boolean;
}

interface Timer {
  id: number;
  at: number;
  seq: number;
  fn: () => void;
}

const NOOP = (): void => {};

/** Longest real delay Node accepts for one `setTimeout`. */
const MAX_REAL_DELAY = 2_147_483_647;

export class VirtualClock implements Clock {
  private heap: Timer[] = [];
  private live = new Map<number, Timer>();
  private nextId = 1;
  private seq = 0;
  /** Cancelled entries still in the heap (see clearTimeout). */
  private cancelled = 0;
  private virtualAnchor: number;
  private realAnchor: number;
  private speedFactor: number;
  private isPaused: boolean;
  private realTimer: NodeJS.Timeout | undefined;
  private pending = 0;
  private idleWaiters: Array<() => void> = [];
  private readonly changes = new Signal<ClockState>();

  constructor(options: ClockOptions = {}) {
    const speed = options.speed ?? 1;
    assertSpeed(speed);
    this.virtualAnchor = options.start ?? Date.now();
    this.realAnchor = performance.now();
    this.speedFactor = speed;
    this.isPaused = options.paused ?? false;
  }

  now(): number {
    if (this.isPaused) return this.virtualAnchor;
    return Math.floor(this.virtualAnchor + (performance.now() - this.realAnchor) * this.speedFactor);
  }

  get speed(): number {
    return this.speedFactor;
  }

  get paused(): boolean {
    return this.isPaused;
  }

  state(): ClockState {
    return { now: this.now(), speed: this.speedFactor, paused: this.isPaused };
  }

  /** Called after every speed/pause/advance change (not on every tick). */
  onChange(listener: (state: ClockState) => void): () => void {
    return this.changes.on(listener);
  }

  setTimeout(fn: () => void, ms: number): number {
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    const timer: Timer = { id: this.nextId++, at: this.now() + delay, seq: this.seq++, fn };
    this.live.set(timer.id, timer);
    this.push(timer);
    if (this.heap[0] === timer) this.armRealTimer();
    return timer.id;
  }

  clearTimeout(id: number | undefined): void {
    if (id === undefined) return;
    const timer = this.live.get(id);
    if (!timer) return;
    // Lazy deletion: the heap entry stays until it reaches the top, which keeps clearTimeout O(1). Its callback is let
    // go now: it holds whatever set the timer (a disposed SIP line, a stopped actor) for as long as the entry waits.
    this.live.delete(id);
    timer.fn = NOOP;
    // Many cancelled entries (a registration refresh per line, cancelled on every reboot): rebuild the heap from the
    // live ones now and then, so it stays the size of what is really pending.
    if (++this.cancelled > 1024 && this.cancelled > this.heap.length / 2) this.compact();
  }

  private compact(): void {
    this.heap = this.heap.filter((t) => this.live.has(t.id)).sort((a, b) => (before(a, b) ? -1 : 1));
    this.cancelled = 0;
  }

  /** Number of timers still waiting. */
  get pendingTimers(): number {
    return this.live.size;
  }

  /** Virtual time of the next live timer, if any. */
  nextDeadline(): number | undefined {
    this.dropCancelledTop();
    return this.heap[0]?.at;
  }

  setSpeed(speed: number): void {
    assertSpeed(speed);
    this.reanchor();
    this.speedFactor = speed;
    this.armRealTimer();
    this.emit();
  }

  pause(): void {
    if (this.isPaused) return;
    this.reanchor();
    this.isPaused = true;
    this.armRealTimer();
    this.emit();
  }

  resume(): void {
    if (!this.isPaused) return;
    this.realAnchor = performance.now();
    this.isPaused = false;
    this.armRealTimer();
    this.emit();
  }

  /**
   * Registers real work (an HTTP fetch, a socket write) that virtual time must wait for when it is stepped.
   * Returns the same promise.
   */
  track<T>(work: Promise<T>): Promise<T> {
    this.pending++;
    const done = () => {
      this.pending--;
      if (this.pending === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    };
    work.then(done, done);
    return work;
  }

  /**
   * Turns of the event loop {@link idle} waits once no tracked work is in flight: two by default, so that I/O the lab
   * does not track (a console's WebSocket frame, a browser's request) is read before time moves on; one where all the
   * real work the lab waits for is tracked (a rehearsal at full speed: its HTTP fetches are, nothing else feeds it),
   * which halves the turns of a full-scale rehearsal (86,000 → 45,000) with the same events in the same order.
   */
  settleTurns: 1 | 2 = 2;

  /** Resolves when no tracked work is in flight and the microtask/IO queues have drained once. */
  async idle(): Promise<void> {
    for (;;) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.pending === 0) {
        if (this.settleTurns === 1) return;
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (this.pending === 0) return;
      }
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  /**
   * Moves virtual time forward by `ms`, firing every timer due on the way at its own deadline, in order, and waiting
   * for tracked real work between timers. Works whether or not the clock is paused.
   */
  async advance(ms: number): Promise<void> {
    await this.idle();
    await this.advanceSettled(ms);
  }

  /**
   * {@link advance} for a caller that has just awaited {@link idle} and run only synchronous code since (a rehearsal's
   * driver between two timers): the same, without the turns of the event loop that would find nothing to wait for.
   * When it returns, the work of the last timer fired has settled (tracked work done, microtasks drained), as after
   * {@link idle}, and only synchronous code (the clock's change listeners) has run since.
   */
  async advanceSettled(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance: ms must be a finite number >= 0, got ${ms}`);
    const target = this.now() + ms;
    await this.runSettledUntil(target);
    this.emit();
  }

  /** Advances to the next timer (if any within `maxMs`) and fires it. Returns false when there was none. */
  async step(maxMs = Number.MAX_SAFE_INTEGER): Promise<boolean> {
    await this.idle();
    const at = this.nextDeadline();
    if (at === undefined || at - this.now() > maxMs) return false;
    await this.runSettledUntil(at);
    return true;
  }

  /**
   * Advances time until `predicate()` holds, checking after every timer; gives up after `maxMs` of virtual time.
   * Returns whether the predicate held.
   */
  async advanceUntil(predicate: () => boolean, maxMs: number): Promise<boolean> {
    const limit = this.now() + maxMs;
    await this.idle();
    while (!predicate()) {
      const at = this.nextDeadline();
      if (at === undefined || at > limit) {
        await this.runSettledUntil(limit);
        return predicate();
      }
      await this.runSettledUntil(at);
    }
    return true;
  }

  /** Stops the real timer so the process can exit; pending virtual timers are kept. */
  dispose(): void {
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = undefined;
    this.isPaused = true;
  }

  /**
   * Fires every timer due by `target` in order, each at its own deadline, and waits after each for its work to settle
   * ({@link idle}); then moves `now` to `target`. The caller has just awaited {@link idle}: the work of whatever ran
   * before has settled, and only synchronous code has run since (so no turn of the event loop is owed before the
   * first timer, nor after the last one's settling: moving `now` runs nothing).
   */
  private async runSettledUntil(target: number): Promise<void> {
    for (let top = this.popDue(target); top; top = this.popDue(target)) {
      this.setNow(Math.max(top.at, this.now()));
      top.fn();
      await this.idle();
    }
    if (target > this.now()) this.setNow(target);
    this.armRealTimer();
  }

  private setNow(at: number): void {
    this.virtualAnchor = at;
    this.realAnchor = performance.now();
  }

  private reanchor(): void {
    this.setNow(this.now());
  }

  private emit(): void {
    this.changes.emit(this.state());
  }

  /** Real-time driver: one Node timer for the earliest deadline. */
  private armRealTimer(): void {
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = undefined;
    if (this.isPaused) return;
    const at = this.nextDeadline();
    if (at === undefined) return;
    const delay = Math.min(MAX_REAL_DELAY, Math.max(0, (at - this.now()) / this.speedFactor));
    this.realTimer = setTimeout(() => this.fireDue(), delay);
    this.realTimer.unref?.();
  }

  private fireDue(): void {
    this.realTimer = undefined;
    const now = this.now();
    for (let top = this.popDue(now); top; top = this.popDue(now)) top.fn();
    this.armRealTimer();
  }

  private popDue(limit: number): Timer | undefined {
    this.dropCancelledTop();
    const top = this.heap[0];
    if (!top || top.at > limit) return undefined;
    this.pop();
    this.live.delete(top.id);
    return top;
  }

  private dropCancelledTop(): void {
    while (this.heap.length > 0 && !this.live.has(this.heap[0]!.id)) {
      this.pop();
      if (this.cancelled > 0) this.cancelled--;
    }
  }

  private push(timer: Timer): void {
    const heap = this.heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (!last || heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

function assertSpeed(speed: number): void {
  if (!Number.isFinite(speed) || speed <= 0 || speed > 1_000_000) {
    throw new RangeError(`speed must be a number > 0 and <= 1000000, got ${speed}`);
  }
}
