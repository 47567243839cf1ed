/**
 * Typed listener sets: `on(type, fn)` returns the function that unsubscribes, like `BaseStation.onChange`.
 * A listener that throws is isolated (the others still run) and reported through `onListenerError`.
 */
export class Listeners<Events extends Record<string, unknown>> {
  private readonly sets = new Map<keyof Events, Set<(payload: never) => void>>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

  on<K extends keyof Events>(type: K, listener: (payload: Events[K]) => void): () => void {
    let set = this.sets.get(type);
    if (!set) {
      set = new Set();
      this.sets.set(type, set);
    }
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  emit<K extends keyof Events>(type: K, payload: Events[K]): void {
    const set = this.sets.get(type);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (payload: Events[K]) => void)(payload);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  clear(): void {
    this.sets.clear();
  }
}

/**
 * One event, many listeners: the `onChange(fn)` of a device, the SIP server or the clock. `on(fn)` returns the
 * function that unsubscribes.
 *
 * Listeners run in the order they subscribed, over the live set (no copy per emit: base and handset changes are the
 * hot path of a full-scale rehearsal), so one added during an emit runs in it and one removed before its turn does
 * not. Unlike {@link Listeners}, a listener that throws is not isolated: the error reaches the emitter, as it always
 * did for these emitters (a device's snapshot subscription hands it to xstate, which reports it).
 */
export class Signal<T> {
  private readonly listeners = new Set<(value: T) => void>();

  on(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Whether anyone listens: an emitter skips building a payload nobody reads. */
  get active(): boolean {
    return this.listeners.size > 0;
  }

  emit(value: T): void {
    for (const listener of this.listeners) listener(value);
  }
}
