/**
 * The digest MD5 speed-up (src/sip/speed/fast-md5.ts) gives what sip.js's own MD5 gives, for the strings a digest
 * hashes and for any other, and a line's digest answer is the same with it on and off.
 */
import { Md5 } from 'sip.js/lib/core/messages/md5.js';
import { afterAll, describe, expect, test } from 'vitest';
import { fastHashStr, fastMd5Installed, installFastMd5, shippedHashStr, uninstallFastMd5 } from '../../src/sip/speed/fast-md5.ts';

afterAll(() => uninstallFastMd5());

/** A bounded, seeded string of code units from every range (ASCII, Latin-1, BMP, pairs and lone surrogates). */
function randomText(seed: number): string {
  let x = seed;
  const next = () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x;
  };
  const length = next() % 200;
  let text = '';
  for (let i = 0; i < length; i++) {
    const kind = next() % 6;
    if (kind < 3) text += String.fromCharCode(32 + (next() % 95));
    else if (kind === 3) text += String.fromCharCode(128 + (next() % 1900));
    else if (kind === 4) text += String.fromCharCode(0x800 + (next() % 0xd000));
    else text += next() % 2 ? '\u{1F4DE}' : String.fromCharCode(0xd800 + (next() % 0x800));
  }
  return text;
}

describe('sip.js digest MD5 through Node crypto', () => {
  test('the same hex digest as sip.js for digest inputs and arbitrary strings', () => {
    const inputs = [
      '',
      '1001:sip.lab.test:secret',
      'REGISTER:sip:sip.lab.test',
      '5f1c3a2b9d8e7f6a5b4c3d2e1f0a9b8c:18c2d3e4f5.0123456789abcdef01234567:00000001:abc123:auth:0123456789abcdef0123456789abcdef',
      'ümlaut:réalm:pässwörd',
      'x'.repeat(64),
      'y'.repeat(1000),
    ];
    for (let seed = 1; seed <= 500; seed++) inputs.push(randomText(seed));
    for (const input of inputs) expect(fastHashStr(input), JSON.stringify(input)).toBe(shippedHashStr.call(Md5, input));
  });

  test('a raw digest is still sip.js own', () => {
    expect(fastHashStr('abc', true)).toEqual(shippedHashStr.call(Md5, 'abc', true));
  });

  test('installed and removed on demand', () => {
    installFastMd5();
    expect(fastMd5Installed()).toBe(true);
    expect(Md5.hashStr('1001:sip.lab.test:secret')).toBe(shippedHashStr.call(Md5, '1001:sip.lab.test:secret'));
    uninstallFastMd5();
    expect(fastMd5Installed()).toBe(false);
    expect(Md5.hashStr).toBe(shippedHashStr);
  });
});
