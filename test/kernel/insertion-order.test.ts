import { describe, expect, it } from 'vitest';
import { InsertionOrder } from '../../src/kernel/insertion-order.ts';

/** A Map bounded to `max` entries the way the SIP server bounds its tables: the oldest key goes first. */
function bounded(max: number) {
  const map = new Map<string, number>();
  const order = new InsertionOrder<string>();
  return {
    map,
    order,
    set(key: string, value: number) {
      if (!map.has(key)) {
        if (map.size >= max) map.delete(order.takeOldest(map)!);
        map.set(key, value);
        order.added(key, map);
      } else map.set(key, value);
    },
    /** Deleted by other means (a timer), as the server's Timer J does. */
    expire(key: string) {
      map.delete(key);
      order.deleted(map);
    },
  };
}

describe('InsertionOrder', () => {
  it('evicts the oldest key still in the map, skipping keys deleted elsewhere', () => {
    const b = bounded(3);
    b.set('a', 1);
    b.set('b', 2);
    b.set('c', 3);
    b.set('d', 4); // full: a goes
    expect([...b.map.keys()]).toEqual(['b', 'c', 'd']);
    b.expire('b');
    b.expire('c');
    b.set('e', 5);
    b.set('f', 6);
    b.set('g', 7); // full: d goes, not the expired b or c
    expect([...b.map.keys()]).toEqual(['e', 'f', 'g']);
  });

  it('keeps a bounded map to its newest keys over many evictions, as a Map in insertion order would', () => {
    const b = bounded(1000);
    for (let i = 0; i < 50_000; i++) b.set(`k${i}`, i);
    expect(b.map.size).toBe(1000);
    expect([...b.map.keys()][0]).toBe('k49000');
    expect(b.order.takeOldest(b.map)).toBe('k49000');
  });

  it('a key deleted and added again counts from its latest addition once the list is compacted', () => {
    const b = bounded(10_000);
    b.set('x', 1);
    // Many short-lived keys come and go (their timers delete them); x is deleted and added again among them.
    for (let i = 0; i < 3000; i++) {
      b.set(`t${i}`, i);
      b.expire(`t${i}`);
      if (i === 10) {
        b.expire('x');
        b.set('x', 2);
      }
    }
    b.set('y', 3);
    expect(b.order.takeOldest(b.map)).toBe('x');
    b.map.delete('x');
    expect(b.order.takeOldest(b.map)).toBe('y');
    b.map.delete('y');
    expect(b.order.takeOldest(b.map)).toBeUndefined();
  });

  it('lets go of keys once they are gone from the map: nothing is held after a burst drains', () => {
    const b = bounded(100_000);
    for (let i = 0; i < 10_000; i++) b.set(`k${i}`, i);
    for (let i = 0; i < 10_000; i++) b.expire(`k${i}`);
    // The list's own array is the only place an expired key could still be held.
    expect((b.order as unknown as { order: unknown[] }).order).toEqual([]);
    b.set('new', 1);
    expect(b.order.takeOldest(b.map)).toBe('new');
  });

  it('lets go of each evicted key at once', () => {
    const b = bounded(2);
    for (let i = 0; i < 10; i++) b.set(`k${i}`, i);
    const held = (b.order as unknown as { order: unknown[] }).order.filter((k) => k !== undefined);
    expect(held).toEqual(['k8', 'k9']);
  });
});
