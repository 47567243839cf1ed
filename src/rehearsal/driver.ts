/**
 * Drives the paused lab clock for a rehearsal: deadline by deadline as fast as the CPU allows (`max`), or paced to a
 * factor of real time. Steps written as async functions wait with {@link Driver.until}; {@link Driver.run} moves
 * time while any of them waits, so many of them (one per base, say) proceed side by side on the one clock.
 */
import type { VirtualClock } from '../kernel/virtual-clock.ts';

interface Waiter {
  predicate: () => boolean;
  deadline: number;
  resolve: (held: boolean) => void;
}

/** Longest real pause between progress checks when paced. */
const MAX_REAL_SLEEP_MS = 250;

export class Driver {
  private waiters: Waiter[] = [];
  private running = false;
  private checkedVersion = -1;
  private waitersAdded = false;

  constructor(
    readonly clock: VirtualClock,
    /** Virtual ms per real ms, or `max`. */
    private readonly pace: number | 'max' = 'max',
    private readonly onTick: () => void = () => {},
    /**
     * A counter that moves whenever something a predicate may read changed (every device snapshot, gateway change):
     * predicates are only evaluated again when it moved, which keeps a wait on 1,000 handsets cheap per timer.
     */
    private readonly version: () => number = () => NaN,
  ) {}

  /** Resolves true when `predicate` holds (checked after every timer), false once `maxMs` of lab time passed. */
  until(predicate: () => boolean, maxMs: number): Promise<boolean> {
    if (predicate()) return Promise.resolve(true);
    this.waitersAdded = true;
    return new Promise((resolve) => this.waiters.push({ predicate, deadline: this.clock.now() + maxMs, resolve }));
  }

  /** Lets `ms` of lab time pass. */
  sleep(ms: number): Promise<boolean> {
    return this.until(() => false, ms);
  }

  /** Runs tasks side by side on the clock until all have finished. Not re-entrant: tasks use until/sleep only. */
  async run<T>(tasks: Array<() => Promise<T>>): Promise<Array<PromiseSettledResult<T>>> {
    if (this.running) throw new Error('Driver.run is not re-entrant: tasks wait with until() or sleep()');
    this.running = true;
    try {
      let pending = tasks.length;
      const results = tasks.map((task) =>
        (async () => {
          try {
            return await task();
          } finally {
            pending--;
          }
        })(),
      );
      const settled = Promise.allSettled(results);
      await this.pump(() => pending === 0);
      return await settled;
    } finally {
      this.running = false;
    }
  }

  private async pump(done: () => boolean): Promise<void> {
    // Settled: the lab's work has settled and only synchronous code has run since (see VirtualClock.advanceSettled).
    let settled = false;
    for (;;) {
      if (!settled) await this.clock.idle();
      settled = false;
      if (this.resolveWaiters()) continue;
      if (done()) return;
      const now = this.clock.now();
      let next = this.clock.nextDeadline();
      for (const w of this.waiters) if (next === undefined || w.deadline < next) next = w.deadline;
      if (next === undefined) {
        // Nothing can happen any more: every waiter gives up.
        for (const w of this.waiters.splice(0)) w.resolve(false);
        continue;
      }
      const ms = Math.max(0, next - now);
      if (this.pace !== 'max' && ms > 0) {
        await this.realSleep(ms / this.pace);
        await this.clock.advance(ms);
      } else {
        await this.clock.advanceSettled(ms);
        settled = true;
      }
      this.onTick();
    }
  }

  private async realSleep(realMs: number): Promise<void> {
    let left = realMs;
    while (left > 0) {
      const chunk = Math.min(left, MAX_REAL_SLEEP_MS);
      await new Promise((resolve) => setTimeout(resolve, chunk));
      left -= chunk;
      this.onTick();
    }
  }

  private resolveWaiters(): boolean {
    if (this.waiters.length === 0) return false;
    const now = this.clock.now();
    const version = this.version();
    // NaN never equals itself: without a version source every predicate is checked every time.
    const unchanged = version === this.checkedVersion && !this.waitersAdded;
    this.checkedVersion = version;
    this.waitersAdded = false;
    let any = false;
    const keep: Waiter[] = [];
    for (const w of this.waiters) {
      if (!unchanged && w.predicate()) {
        w.resolve(true);
        any = true;
      } else if (now >= w.deadline) {
        w.resolve(false);
        any = true;
      } else keep.push(w);
    }
    this.waiters = keep;
    return any;
  }
}
