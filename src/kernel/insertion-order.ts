/**
 * The order in which keys were added to a Map, so that a bounded Map can find (and forget) its oldest key in O(1) amortized.
 *
 * Why not `map.keys().next()`: V8 leaves a deleted Map entry as a hole until the table is rebuilt, and an iterator
 * walks the holes from the start. A Map kept at its bound by deleting its first key (or drained from the front by a
 * timer) has thousands of holes there, so finding its oldest key costs O(holes): ≈ 24 µs per eviction at 20,000
 * entries on node 20, a tenth of a SIP registration's CPU in `npm run bench:sip-register`.
 *
 * A key deleted from the map elsewhere is skipped when it comes up. A key deleted and added again counts from its
 * latest addition once the list is compacted, and from its first until then: good enough for a bound that only
 * protects memory.
 */
export class InsertionOrder<K> {
  private order: Array<K | undefined> = [];
  private head = 0;

  /** Notes that `key` was just added to `map`. */
  added(key: K, map: ReadonlyMap<K, unknown>): void {
    this.order.push(key);
    const waiting = this.order.length - this.head;
    // Keys already gone from the map pile up here when the map is emptied by other means (timers): compact now and
    // then, so that this list stays within a few times the map's size.
    if (waiting > 2 * map.size + 1024) this.compact(map);
    // Keys already evicted stay in front of `head` until they outnumber the rest: then they go, in one copy.
    else if (this.head > 1024 && this.head > waiting) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * Notes that a key was deleted from `map` by other means than {@link takeOldest} (a timer): once most of the keys noted
   * are gone, the list lets go of them, so that a key does not outlive its entry for long.
   */
  deleted(map: ReadonlyMap<K, unknown>): void {
    if (map.size === 0) {
      this.order = [];
      this.head = 0;
    } else if (this.order.length - this.head > 2 * map.size + 1024) this.compact(map);
  }

  /**
   * The oldest noted key still in `map`, or undefined; the caller deletes it from the map. The list lets go of it (and
   * of the deleted keys before it) at once: a key cut from a message may hold the whole message.
   */
  takeOldest(map: ReadonlyMap<K, unknown>): K | undefined {
    while (this.head < this.order.length) {
      const key = this.order[this.head];
      this.order[this.head++] = undefined;
      if (key !== undefined && map.has(key)) return key;
    }
    this.order = [];
    this.head = 0;
    return undefined;
  }

  /** Keeps each key still in `map` once, at its latest addition. */
  private compact(map: ReadonlyMap<K, unknown>): void {
    const seen = new Set<K>();
    const live: K[] = [];
    for (let i = this.order.length - 1; i >= this.head; i--) {
      const key = this.order[i];
      if (key !== undefined && !seen.has(key) && map.has(key)) {
        seen.add(key);
        live.push(key);
      }
    }
    live.reverse();
    this.order = live;
    this.head = 0;
  }
}
