/** Suggestions for a misspelt name: the nearest known one, only when it is near enough to be a slip. */
import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean, editDistance } from '../../src/kernel/did-you-mean.ts';

describe('did you mean', () => {
  it('counts a missing letter, a wrong one and two swapped as one edit each', () => {
    expect(editDistance('runing', 'running')).toBe(1);
    expect(editDistance('firmwareServr', 'firmwareServer')).toBe(1);
    expect(editDistance('b1', 'b2')).toBe(1);
    expect(editDistance('wharehouse', 'warehouse')).toBe(1);
    expect(editDistance('warehose', 'warehouse')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
  });

  it('suggests the nearest name, and nothing for a word far from all of them', () => {
    expect(closestMatch('runing', ['off', 'booting', 'running', 'rebooting'])).toBe('running');
    expect(didYouMean('Running', ['running'])).toBe(' (did you mean "running"?)');
    expect(didYouMean('meteor-strike', ['base-power-loss', 'sip-server'], ' (known: …)')).toBe(' (known: …)');
  });
});
