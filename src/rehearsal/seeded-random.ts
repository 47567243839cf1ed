/**
 * The scenario's one source of randomness (generators, planted mistakes, codes): mulberry32, seeded from the
 * scenario's `seed` or `--seed`, so that a run is the same on every machine.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [0, max). */
  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  /** `count` distinct indices of [0, n), in ascending order. */
  sample(n: number, count: number): number[] {
    const picked = new Set<number>();
    const k = Math.min(n, Math.max(0, count));
    while (picked.size < k) picked.add(this.int(n));
    return [...picked].sort((a, b) => a - b);
  }
}
