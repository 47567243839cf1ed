import { describe, expect, it } from 'vitest';
import { Signal } from '../../src/kernel/listeners.ts';

describe('Signal', () => {
  it('calls listeners in the order they subscribed, until they unsubscribe', () => {
    const signal = new Signal<number>();
    const heard: string[] = [];
    const offA = signal.on((n) => heard.push(`a${n}`));
    signal.on((n) => heard.push(`b${n}`));
    signal.emit(1);
    offA();
    signal.emit(2);
    expect(heard).toEqual(['a1', 'b1', 'b2']);
  });

  it('says whether anyone listens, so an emitter can skip building the payload', () => {
    const signal = new Signal<string>();
    expect(signal.active).toBe(false);
    const off = signal.on(() => undefined);
    expect(signal.active).toBe(true);
    off();
    expect(signal.active).toBe(false);
  });

  it('walks the live set: a listener removed before its turn is skipped, one added during the emit runs', () => {
    const signal = new Signal<void>();
    const heard: string[] = [];
    let offB = (): void => undefined;
    signal.on(() => {
      heard.push('a');
      offB();
      signal.on(() => heard.push('c'));
    });
    offB = signal.on(() => heard.push('b'));
    signal.emit();
    expect(heard).toEqual(['a', 'c']);
  });

  it('lets a listener error reach the emitter (no isolation, as the device and server emitters always had)', () => {
    const signal = new Signal<void>();
    const heard: string[] = [];
    signal.on(() => {
      throw new Error('console bug');
    });
    signal.on(() => heard.push('later'));
    expect(() => signal.emit()).toThrow('console bug');
    expect(heard).toEqual([]);
  });
});
