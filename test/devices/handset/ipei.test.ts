import { describe, expect, it } from 'vitest';
import {
  checkIpei,
  decimalIpei,
  displayIpei,
  ipeiCheckDigit,
  ipeiSequence,
  isIpei,
  rtxIpei,
  SIMULATED_EMC,
  teamsDeviceId,
} from '../../../src/devices/handset/ipei.ts';

function errorOf(input: string): string {
  const checked = checkIpei(input);
  if (checked.ok) throw new Error(`${input} was accepted`);
  return checked.errors[0]!.message;
}

describe('IPEI (rove.md, Identifiers)', () => {
  it('worked example: 0328D12345 is 12941 0074565 2', () => {
    // EMC 0x0328D = 3·4096 + 2·256 + 8·16 + 13 = 12941; PSN 0x12345 = 74565 → 0074565.
    // Digits 1 2 9 4 1 0 0 7 4 5 6 5 at positions 1..12:
    // 1·1 + 2·2 + 9·3 + 4·4 + 1·5 + 0·6 + 0·7 + 7·8 + 4·9 + 5·10 + 6·11 + 5·12 = 321; 321 mod 11 = 2.
    expect(ipeiCheckDigit('129410074565')).toBe('2');
    expect(decimalIpei('0328D12345')).toEqual({ emc: '12941', psn: '0074565', check: '2', text: '12941 0074565 2' });
  });

  it('worked example: a remainder of 10 is written *', () => {
    // 0328D1234C: PSN 0x1234C = 74572. Against the example above, position 11 holds 7 (+11) and 12 holds 2 (−36):
    // 321 + 11 − 36 = 296; 296 mod 11 = 10 → *.
    expect(decimalIpei('0328D1234C').text).toBe('12941 0074572 *');
  });

  it('other forms of the same identity', () => {
    expect(displayIpei('0328D12345')).toBe('0328D 12345');
    expect(rtxIpei('0328D12345')).toBe('0x0328D12345');
    expect(teamsDeviceId('0328D12345')).toBe('000328D12345');
  });

  it('accepts what users type: lower case, 0x, spaces and dashes, and the decimal label form', () => {
    for (const input of ['0328d12345', '0x0328D12345', ' 0328D 12345 ', '0328D-12345', '12941 0074565 2', '12941-0074565-2']) {
      expect(checkIpei(input)).toEqual({ ok: true, value: '0328D12345' });
    }
  });

  it('refuses with a message that says what is wrong', () => {
    expect(errorOf('')).toMatch(/empty/);
    expect(errorOf('0328D1234')).toMatch(/10 hex digits .* has 9/);
    expect(errorOf('0328G12345')).toMatch(/"G" is not one/);
    expect(errorOf('000328D12345')).toMatch(/Teams Admin Center form .* leave out the leading 00/);
    expect(errorOf('FFFFFFFFFF')).toMatch(/empty slot/);
    expect(errorOf('1328D12345')).toMatch(/must start with 0/);
    expect(errorOf('12941 0074565 3')).toMatch(/check digit of 12941 0074565 is 2, not 3/);
  });

  it('generates valid IPEIs deterministically from a seed', () => {
    const take = (seed: number, n: number) => {
      const seq = ipeiSequence(seed);
      return Array.from({ length: n }, () => seq.next().value);
    };
    const a = take(42, 50);
    expect(take(42, 50)).toEqual(a);
    expect(take(43, 50)).not.toEqual(a);
    expect(a.every((ipei) => isIpei(ipei) && ipei.startsWith(SIMULATED_EMC))).toBe(true);
    expect(new Set(a).size).toBe(50);
  });
});
