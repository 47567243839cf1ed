/**
 * Firmware behaviour of a base's SIP lines: every duration and rule that no source pins down, by name, so that a lab,
 * a scenario or a test can change any of them (the same idea as `src/devices/base-station/firmware-profile.ts`). Each value
 * is listed in docs/fidelity.md, "SIP".
 */

export interface LineProfile {
  /** Expiry the line asks for in its REGISTER (s); the registrar may grant less. */
  registerExpiresS: number;
  /** Re-REGISTER when this share of the granted expiry has passed (0.5–0.95). */
  refreshRatio: number;
  /** …but at least this long before the binding would expire (ms). */
  refreshMarginMs: number;
  /** First retry after a failed registration (ms); doubles with each failure in a row. */
  retryBaseMs: number;
  /** Longest wait between retries (ms). */
  retryMaxMs: number;
  /** Each retry waits between (1 − jitter) and 1 times the delay, decided per line (deterministic). */
  retryJitter: number;
  /** Storm pacing: after a boot, line n of a base starts registering n × this (ms). */
  registerSpacingMs: number;
  /** An unanswered incoming call is rejected with 480 "No Answer" after this long (ms). */
  noAnswerMs: number;
  /**
   * After CANCEL, a call the other side never answers (no 487, no final response) ends here after this long: 64×T1,
   * RFC 3261 §9.1's wait for the INVITE transaction (ms). The red key pressed again ends it at once.
   */
  cancelGiveUpMs: number;
  /** A second incoming call while one is up is answered 486 Busy Here (no call waiting). */
  callWaiting: boolean;
  /** RTP port announced in SDP (no media flows). */
  rtpPort: number;
}

export const DEFAULT_LINE_PROFILE: Readonly<LineProfile> = Object.freeze({
  registerExpiresS: 3600,
  refreshRatio: 0.9,
  refreshMarginMs: 5_000,
  retryBaseMs: 30_000,
  retryMaxMs: 1_800_000,
  retryJitter: 0.5,
  registerSpacingMs: 100,
  noAnswerMs: 60_000,
  cancelGiveUpMs: 32_000,
  callWaiting: false,
  rtpPort: 40_000,
});

/** Checks a profile (with overrides) once, failing early with the name of the bad value. */
export function lineProfile(overrides: Partial<LineProfile> = {}): Readonly<LineProfile> {
  const profile = { ...DEFAULT_LINE_PROFILE, ...overrides };
  const positive: Array<keyof LineProfile> = ['registerExpiresS', 'retryBaseMs', 'retryMaxMs', 'noAnswerMs', 'cancelGiveUpMs'];
  for (const key of positive) {
    const value = profile[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new RangeError(`line profile ${key} must be > 0, got ${String(value)}`);
  }
  if (!(profile.refreshRatio >= 0.5 && profile.refreshRatio <= 0.95)) throw new RangeError(`line profile refreshRatio must be 0.5–0.95, got ${profile.refreshRatio}`);
  if (!(profile.retryJitter >= 0 && profile.retryJitter < 1)) throw new RangeError(`line profile retryJitter must be 0 ≤ j < 1, got ${profile.retryJitter}`);
  if (!(profile.registerSpacingMs >= 0)) throw new RangeError(`line profile registerSpacingMs must be ≥ 0, got ${profile.registerSpacingMs}`);
  if (!(profile.refreshMarginMs >= 0)) throw new RangeError(`line profile refreshMarginMs must be ≥ 0, got ${profile.refreshMarginMs}`);
  if (profile.retryMaxMs < profile.retryBaseMs) throw new RangeError('line profile retryMaxMs must be ≥ retryBaseMs');
  return Object.freeze(profile);
}

/** When to refresh a binding granted for `expiresS` seconds (ms after it was granted). */
export function refreshDelayMs(profile: LineProfile, expiresS: number): number {
  const lifetime = expiresS * 1000;
  return Math.max(0, Math.min(lifetime * profile.refreshRatio, lifetime - profile.refreshMarginMs));
}

/**
 * Back-off before retry number `failures` (1 = after the first failure): `retryBaseMs × 2^(failures−1)`, capped
 * at `retryMaxMs`, shortened by up to `retryJitter` by a fraction fixed per line and attempt (RFC 5626 §4.5 in
 * spirit, deterministic so that a rehearsal replays the same storm). A server's Retry-After is a floor.
 */
export function retryDelayMs(profile: LineProfile, failures: number, seed: number, retryAfterS: number | null): number {
  const exponent = Math.max(0, Math.min(failures - 1, 30));
  const capped = Math.min(profile.retryMaxMs, profile.retryBaseMs * 2 ** exponent);
  const spread = capped * (1 - profile.retryJitter * fraction(seed, failures));
  return Math.max(Math.round(spread), retryAfterS !== null ? retryAfterS * 1000 : 0);
}

/** A stable number for a line (its extension and base), to spread retries deterministically. */
export function lineSeed(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return hash >>> 0;
}

function fraction(seed: number, attempt: number): number {
  let x = (seed ^ Math.imul(attempt + 1, 0x9e3779b1)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  return x / 2 ** 32;
}
