import { describe, expect, it } from 'vitest';
import { keyEvent, parseKeys } from '../../../src/devices/handset/handset-keys.ts';

describe('Key strings (consoles, the API and tests press keys the same way)', () => {
  it('reads digits, * and # one by one and named keys in braces', () => {
    expect(parseKeys('*55*123{green}')).toEqual({ ok: true, value: ['*', '5', '5', '*', '1', '2', '3', 'green'] });
    expect(parseKeys('{menu} {down}{OK} {red-long}{power}#')).toEqual({
      ok: true,
      value: ['menu', 'down', 'ok', 'red-long', 'red-long', '#'],
    });
  });

  it('refuses unknown keys and says which exist', () => {
    const bad = parseKeys('{hold}');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors[0]!.message).toMatch(/unknown key \{hold\}; named keys: \{green\} \{red\}/);
    expect(!parseKeys('12a').ok).toBe(true);
    expect(!parseKeys('{green').ok).toBe(true);
  });

  it('maps each key to one machine event', () => {
    expect(keyEvent('7')).toEqual({ type: 'KEY.DIAL', key: '7' });
    expect(keyEvent('red-long')).toEqual({ type: 'KEY.RED_LONG' });
    expect(keyEvent('soft2')).toEqual({ type: 'KEY.SOFT2' });
  });
});
