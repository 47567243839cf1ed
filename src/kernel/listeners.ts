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
