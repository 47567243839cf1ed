/**
 * Hardware ids: what the Teams admin center calls a "MAC address" and bulk sign-in calls `HardwareId`.
 *
 * For a Poly Rove DECT handset the hardware id is **"00" + the handset's IPEI** (10 hex digits), not the MAC address
 * of the base station [seed 000]. The gateway stores 12 upper-case hex digits and shows them as `00-00-87-65-43-21`.
 */

/** Polycom's IEEE OUI: every Rove base MAC starts with it. */
export const POLY_OUI = '0004F2';

export type HardwareIdCheck =
  | { ok: true; hardwareId: string }
  | { ok: false; code: 'HARDWARE_ID_INVALID' | 'HARDWARE_ID_IS_BASE_MAC' | 'HARDWARE_ID_IS_IPEI'; message: string };

export interface HardwareIdRules {
  /** MACs of the lab's base stations (12 hex, upper case). */
  baseMacs?: Iterable<string>;
  /** Refuse base MACs with a hint (a teaching aid: docs/fidelity.md). Default true. */
  refuseBaseMacs?: boolean;
}

const HARDWARE_ID = /^[0-9A-F]{12}$/;

/** Strips separators (`-`, `:`, `.`, spaces) and upper-cases; undefined unless 12 hex digits remain. */
export function normalizeHardwareId(input: string): string | undefined {
  // Nearly every caller passes a stored id (12 upper-case hex already: every REGISTER, fetch and line refresh), which
  // trimming, upper-casing and stripping would leave as it is.
  if (HARDWARE_ID.test(input)) return input;
  const hex = input.trim().toUpperCase().replace(/[-:.\s]/g, '');
  return HARDWARE_ID.test(hex) ? hex : undefined;
}


/** `000087654321` → `00-00-87-65-43-21`, the way the Teams admin center lists MAC addresses. */
export function formatHardwareId(hardwareId: string): string {
  return hardwareId.match(/../g)!.join('-');
}

/** The handset IPEI inside a Rove hardware id (`00` + 10 hex), if it has that shape. */
export function ipeiOf(hardwareId: string): string | undefined {
  return /^00[0-9A-F]{10}$/.test(hardwareId) ? hardwareId.slice(2) : undefined;
}

export function hardwareIdForIpei(ipei: string): string {
  return `00${ipei.trim().toUpperCase()}`;
}

const ROVE_HINT = 'For a Poly Rove DECT handset, enter "00" followed by the handset\'s IPEI (for example 00 + 0087654321 → 000087654321), not the MAC address of the base station.';

/** Checks what an administrator typed as a MAC address for a device to provision. */
export function checkHardwareId(input: string, rules: HardwareIdRules = {}): HardwareIdCheck {
  const raw = input.trim();
  const compact = raw.toUpperCase().replace(/[-:.\s]/g, '');
  if (/^[0-9A-F]{10}$/.test(compact)) {
    return {
      ok: false,
      code: 'HARDWARE_ID_IS_IPEI',
      message: `"${raw}" has 10 hex digits, like an IPEI. ${ROVE_HINT}`,
    };
  }
  const hardwareId = normalizeHardwareId(raw);
  if (!hardwareId) {
    return {
      ok: false,
      code: 'HARDWARE_ID_INVALID',
      message: `"${raw}" is not a valid MAC address: enter 12 hex digits, e.g. 00-00-87-65-43-21. ${ROVE_HINT}`,
    };
  }
  if (rules.refuseBaseMacs ?? true) {
    const baseMacs = new Set(rules.baseMacs ?? []);
    if (baseMacs.has(hardwareId) || hardwareId.startsWith(POLY_OUI)) {
      const which = baseMacs.has(hardwareId) ? 'the MAC address of a Rove base station in this lab' : `a Poly MAC address (OUI 00-04-F2), like a Rove base station's`;
      return { ok: false, code: 'HARDWARE_ID_IS_BASE_MAC', message: `${formatHardwareId(hardwareId)} is ${which}. ${ROVE_HINT}` };
    }
  }
  return { ok: true, hardwareId };
}
