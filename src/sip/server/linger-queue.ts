/**
 * Things that all wait out the same delay on one clock, in the order they started waiting — completed server
 * transactions waiting out Timer J (RFC 3261 §17.2.2) or an INVITE's wait for its ACK. One delay means deadlines come
 * in order, so a queue with one clock timer for its head does what a timer per transaction did: under a registration
 * storm that was thousands of live timers (and their closures) on the clock, each holding its whole transaction.
 */
import type { Clock } from '../../kernel/virtual-clock.ts';

export class LingerQueue<T> {
  private items: Array<T | undefined> = [];
  private deadlines: number[] = [];
  private head = 0;
  private timer: number | undefined;

  constructor(
    private readonly clock: Clock,
    readonly delayMs: number,
    /** Called once per item when its delay has passed on the clock. */
    private readonly expire: (item: T) => void,
  ) {}

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
    this.deadlines.push(this.clock.now() + this.delayMs);
    if (this.timer === undefined) this.arm();
  }

  /** Forgets everything without expiring it (the server closes). */
  clear(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.items = [];
    this.deadlines = [];
    this.head = 0;
  }

  private arm(): void {
    const wait = Math.max(0, this.deadlines[this.head]! - this.clock.now());
    this.timer = this.clock.setTimeout(() => this.due(), wait);
  }

  private due(): void {
    this.timer = undefined;
    const now = this.clock.now();
    while (this.head < this.items.length && this.deadlines[this.head]! <= now) {
      const item = this.items[this.head]!;
      this.items[this.head] = undefined; // let it go now, not at the next compaction
      this.head++;
      this.expire(item);
    }
    if (this.head === this.items.length) {
      this.items = [];
      this.deadlines = [];
      this.head = 0;
      return;
    }
    // Drop the expired prefix once it is the larger part, so the arrays stay the size of what is waiting.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.deadlines = this.deadlines.slice(this.head);
      this.head = 0;
    }
    this.arm();
  }
}
