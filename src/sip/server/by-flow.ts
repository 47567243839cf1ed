/**
 * What each flow owns (its contacts, transactions, bindings, calls), so that closing a flow costs what that flow
 * owned rather than a scan of everything the server knows: a lab reboot closes thousands of flows while tens of
 * thousands of entries belong to other flows.
 *
 * The owner keeps its own map (key → entry) as the truth and mirrors every add and every removal here; items come
 * back in the order they were added, which is the order the owner's map lists them in (Map and Set both keep
 * insertion order), so walking a flow's items here visits them as a full scan of the owner's map would.
 */
import type { Flow } from './flow.ts';

export class ByFlow<T> {
  private readonly sets = new Map<Flow, Set<T>>();

  add(flow: Flow, item: T): void {
    let set = this.sets.get(flow);
    if (!set) {
      set = new Set();
      this.sets.set(flow, set);
    }
    set.add(item);
  }

  delete(flow: Flow, item: T): void {
    const set = this.sets.get(flow);
    if (!set) return;
    set.delete(item);
    // Flows that stay open (UDP peers) would otherwise keep an empty set each.
    if (set.size === 0) this.sets.delete(flow);
  }

  /** Forgets a flow and returns what it owned, oldest first. */
  take(flow: Flow): T[] {
    const set = this.sets.get(flow);
    if (!set) return [];
    this.sets.delete(flow);
    return [...set];
  }

  /** How many items a flow owns. */
  count(flow: Flow): number {
    return this.sets.get(flow)?.size ?? 0;
  }

  clear(): void {
    this.sets.clear();
  }
}
