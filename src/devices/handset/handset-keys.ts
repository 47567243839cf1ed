/**
 * The keypad: key names, the key-string syntax that consoles, the control API and tests use, and the machine event
 * each key sends.
 *
 * A key string is a sequence of single characters `0`–`9`, `*`, `#` and named keys in braces; spaces are ignored:
 *
 * | name | key |
 * |---|---|
 * | `{green}` | green (off-hook / call) key |
 * | `{red}` | red key, short press (back to idle, hang up) |
 * | `{red-long}` (alias `{power}`) | red key held: powers the handset on, or off when on |
 * | `{soft1}` / `{soft2}` | left / right soft key (the labels on the bottom screen line) |
 * | `{up}` `{down}` `{left}` `{right}` | navigation key |
 * | `{ok}` | centre of the navigation key (select) |
 * | `{menu}` | opens the main menu from the idle screen (as the centre key does there) |
 *
 * e.g. `{menu}{down}{down}{ok}`, `0000{ok}`, `*55*123456{green}`.
 */
import { type Checked, fail, ok } from '../../kernel/result.ts';

export type DialKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#';
export type NamedKey = 'green' | 'red' | 'red-long' | 'soft1' | 'soft2' | 'up' | 'down' | 'left' | 'right' | 'ok' | 'menu';
export type HandsetKey = DialKey | NamedKey;

export const NAMED_KEYS: readonly NamedKey[] = ['green', 'red', 'red-long', 'soft1', 'soft2', 'up', 'down', 'left', 'right', 'ok', 'menu'];
const ALIASES: Readonly<Record<string, NamedKey>> = { power: 'red-long' };

export type KeyEvent =
  | { type: 'KEY.DIAL'; key: DialKey }
  | { type: 'KEY.GREEN' }
  | { type: 'KEY.RED' }
  | { type: 'KEY.RED_LONG' }
  | { type: 'KEY.SOFT1' }
  | { type: 'KEY.SOFT2' }
  | { type: 'KEY.UP' }
  | { type: 'KEY.DOWN' }
  | { type: 'KEY.LEFT' }
  | { type: 'KEY.RIGHT' }
  | { type: 'KEY.OK' }
  | { type: 'KEY.MENU' };

export function isDialKey(c: string): c is DialKey {
  return /^[0-9*#]$/.test(c);
}

/** Parses a key string; refuses an unknown name or character, saying which keys exist. */
export function parseKeys(input: string): Checked<HandsetKey[]> {
  const keys: HandsetKey[] = [];
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (/\s/.test(c)) continue;
    if (isDialKey(c)) {
      keys.push(c);
      continue;
    }
    if (c === '{') {
      const end = input.indexOf('}', i);
      if (end < 0) return fail('keys', `unclosed "{" at position ${i + 1}: write named keys as {green}, {red-long}, ...`);
      const name = input.slice(i + 1, end).trim().toLowerCase();
      const key = (NAMED_KEYS as readonly string[]).includes(name) ? (name as NamedKey) : ALIASES[name];
      if (!key) return fail('keys', `unknown key {${name}}; named keys: ${NAMED_KEYS.map((k) => `{${k}}`).join(' ')}`);
      keys.push(key);
      i = end;
      continue;
    }
    return fail('keys', `"${c}" is not a key: use 0-9, *, # and named keys in braces, e.g. {green}`);
  }
  return ok(keys);
}

export function keyEvent(key: HandsetKey): KeyEvent {
  if (isDialKey(key)) return { type: 'KEY.DIAL', key };
  switch (key) {
    case 'green':
      return { type: 'KEY.GREEN' };
    case 'red':
      return { type: 'KEY.RED' };
    case 'red-long':
      return { type: 'KEY.RED_LONG' };
    case 'soft1':
      return { type: 'KEY.SOFT1' };
    case 'soft2':
      return { type: 'KEY.SOFT2' };
    case 'up':
      return { type: 'KEY.UP' };
    case 'down':
      return { type: 'KEY.DOWN' };
    case 'left':
      return { type: 'KEY.LEFT' };
    case 'right':
      return { type: 'KEY.RIGHT' };
    case 'ok':
      return { type: 'KEY.OK' };
    case 'menu':
      return { type: 'KEY.MENU' };
  }
}
