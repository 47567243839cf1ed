/**
 * IPEI: the DECT handset's hardware identity.
 *
 * RTX bases show it as 10 hex digits (`0x` + 10 hex, an empty slot is `0xFFFFFFFFFF`): the first 5 are the
 * manufacturer code (EMC), the last 5 the serial number (PSN). The EMC is 16 bits in DECT, so the first of the 10 digits
 * is always 0. The decimal form printed on labels is the EMC as 5 decimal digits, the PSN as 7, then a check digit:
 * Σ(digit × position) mod 11 over those 12 digits (positions 1–12), written `*` when it is 10 (rove.md, Identifiers).
 *
 * Teams Admin Center wants the device as `00` + IPEI (12 hex digits); {@link teamsDeviceId} gives that form.
 */
import { type Checked, fail, ok } from '../../kernel/result.ts';

/**
 * Manufacturer code of generated IPEIs. [inferred] `0328D` resembles the IPEIs of RTX-built handsets; the real
 * manufacturer code of Rove 30/40 handsets is not published. Change it here (docs/fidelity.md, Handsets).
 */
export const SIMULATED_EMC = '0328D';

/** What an empty slot holds on an RTX base. */
export const EMPTY_IPEI = 'FFFFFFFFFF';

const HEX10 = /^[0-9A-F]{10}$/;

/** True for a normalized IPEI (10 upper-case hex digits, EMC ≤ FFFF, not the empty-slot marker). */
export function isIpei(value: string): boolean {
  return HEX10.test(value) && value[0] === '0' && value !== EMPTY_IPEI;
}

/** Check digit of the 12-digit decimal form: Σ(digit × position) mod 11, `*` for 10. */
export function ipeiCheckDigit(twelveDigits: string): string {
  if (!/^\d{12}$/.test(twelveDigits)) throw new RangeError(`expected 12 decimal digits, got "${twelveDigits}"`);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(twelveDigits[i]) * (i + 1);
  const check = sum % 11;
  return check === 10 ? '*' : String(check);
}

export interface DecimalIpei {
  /** EMC as 5 decimal digits. */
  emc: string;
  /** PSN as 7 decimal digits. */
  psn: string;
  check: string;
  /** `12941 0074565 2`: how a label prints it. */
  text: string;
}

/** The decimal (IPUI) form of a normalized IPEI. */
export function decimalIpei(ipei: string): DecimalIpei {
  if (!isIpei(ipei)) throw new RangeError(`not a normalized IPEI: "${ipei}"`);
  const emc = String(parseInt(ipei.slice(0, 5), 16)).padStart(5, '0');
  const psn = String(parseInt(ipei.slice(5), 16)).padStart(7, '0');
  const check = ipeiCheckDigit(emc + psn);
  return { emc, psn, check, text: `${emc} ${psn} ${check}` };
}

/** `0328D 12345`: hex form grouped as EMC and PSN, as the handset's info screen shows it. */
export function displayIpei(ipei: string): string {
  return `${ipei.slice(0, 5)} ${ipei.slice(5)}`;
}

/** `0x0328D12345`: how the base stores and exports it [RTX]. */
export function rtxIpei(ipei: string): string {
  return `0x${ipei}`;
}

/** `000328D12345`: the device id to enter in Teams Admin Center ("00" + IPEI, seed 000). */
export function teamsDeviceId(ipei: string): string {
  return `00${ipei}`;
}

/**
 * Checks an IPEI typed by a user and returns it normalized (10 upper-case hex digits).
 *
 * Accepts the hex form with or without `0x`, grouped with spaces, dashes, dots or colons (`0328D 12345`,
 * `0x0328D-12345`), and the decimal label form with its check digit (`12941 0074565 2`). Every refusal says what was
 * wrong and what a correct value looks like.
 */
export function checkIpei(input: string): Checked<string> {
  const field = 'IPEI';
  const raw = input.trim();
  if (raw === '') return fail(field, 'IPEI is empty: enter the 10 hex digits from the handset label, e.g. 0328D12345');
  const compact = raw.replace(/[\s\-.:]/g, '');
  const decimal = /^(\d{5})(\d{7})([\d*])$/.exec(compact);
  if (decimal) return fromDecimal(decimal[1]!, decimal[2]!, decimal[3]!);
  const hex = compact.replace(/^0x/i, '').toUpperCase();
  const bad = /[^0-9A-F]/.exec(hex);
  if (bad) {
    return fail(field, `IPEI may contain only hex digits 0–9 and A–F; "${bad[0]}" is not one (e.g. 0328D12345)`);
  }
  if (hex.length === 12 && hex.startsWith('00')) {
    return fail(field, `${raw} looks like the Teams Admin Center form ("00" + IPEI): leave out the leading 00`);
  }
  if (hex.length !== 10) {
    return fail(field, `IPEI must have 10 hex digits (5 manufacturer code + 5 serial number); "${raw}" has ${hex.length}`);
  }
  if (hex === EMPTY_IPEI) return fail(field, 'FFFFFFFFFF marks an empty slot, not a handset');
  if (hex[0] !== '0') {
    return fail(field, `IPEI must start with 0 (the manufacturer code is 16 bits, at most 0FFFF); got ${hex.slice(0, 5)}`);
  }
  return ok(hex);
}

function fromDecimal(emc: string, psn: string, check: string): Checked<string> {
  const field = 'IPEI';
  const expected = ipeiCheckDigit(emc + psn);
  if (check !== expected) {
    return fail(field, `check digit of ${emc} ${psn} is ${expected}, not ${check}: a digit is mistyped`);
  }
  const e = Number(emc);
  const p = Number(psn);
  if (e > 0xffff) return fail(field, `manufacturer code ${emc} is larger than 65535`);
  if (p > 0xfffff) return fail(field, `serial number ${psn} is larger than 1048575`);
  return ok(e.toString(16).toUpperCase().padStart(5, '0') + p.toString(16).toUpperCase().padStart(5, '0'));
}

/** mulberry32: a small, fast, seedable PRNG (32-bit state), good enough for spreading serial numbers. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/**
 * An endless, deterministic sequence of valid IPEIs for a seed: EMC {@link SIMULATED_EMC} (or the one given) and a
 * pseudo-random PSN. The same seed always gives the same sequence, so a lab and its tests are reproducible.
 */
export function* ipeiSequence(seed: number, emc: string = SIMULATED_EMC): Generator<string, never> {
  if (!/^0[0-9A-F]{4}$/.test(emc)) throw new RangeError(`EMC must be 5 hex digits starting with 0, got "${emc}"`);
  const next = mulberry32(seed);
  for (;;) {
    const psn = next() >>> 12;
    if (psn === 0 || psn === 0xfffff) continue;
    yield emc + psn.toString(16).toUpperCase().padStart(5, '0');
  }
}
