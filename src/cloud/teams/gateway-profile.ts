/**
 * Every duration and limit of the emulated Teams SIP Gateway, by name, so a lab or a test can change one
 * (`TeamsGateway` option `profile`). Sources and modelling choices: docs/fidelity.md, "Teams SIP Gateway".
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface GatewayProfile {
  /** A verification code is valid for 24 hours [seed 000, 002]. */
  verificationCodeMs: number;
  /** Pairing (device login) code lifetime: 15 minutes [seed 002, Android device login; inferred for SIP devices]. */
  pairingCodeMs: number;
  /** Paired (signed-in) devices are offboarded after 30 days disconnected [MS]. */
  offboardPairedMs: number;
  /** Unpaired (enrolled, not signed in) devices after 14 days disconnected [MS]. */
  offboardUnpairedMs: number;
  /** Policy changes reach signed-in devices "within one hour" [seed 001]: the simulator takes the full hour. */
  policySyncMs: number;
  /** Bulk sign-in: new devices within 72 h of being added, signed-out devices within 168 h of sign-out [seed 003]. */
  bulkNewDeviceMs: number;
  bulkSignedOutMs: number;
  /** Bulk sign-in: a device not heard from for this long is "offline" [inferred]. */
  bulkOfflineMs: number;
  /** Bulk sign-in: time the service spends on one row of a batch, on the lab clock [inferred]. */
  bulkRowProcessingMs: number;
  /** Bulk sign-in: devices per request [seed 003, MS]. */
  bulkMaxDevices: number;
  /** Bulk sign-in: batches not yet completed per region [seed 003, MS]. */
  bulkMaxConcurrentPerRegion: number;
  /** `Get-CsSdgBulkSignInRequestsSummary` covers this long [MS: 30 days]. */
  bulkSummaryMs: number;
  /**
   * A new device whose provisioning URL lacks the tenant id: Microsoft's table says "BulkSignIn Tag missing for the
   * device" (`tag-missing`); the seed's author saw the trusted-IP error instead (`not-trusted`).
   */
  bulkMissingTagError: 'tag-missing' | 'not-trusted';
  /**
   * The words of the trusted-IP error on a bulk row: Microsoft's table, "Public IP not configured as Trusted IP."
   * (`table`), or the sentence seed 003's author got when signing devices in from an IP not (yet) trusted, with the
   * device's public IP: "Public IP IPv4 - <IP>, IPv6 -  for the device is not trusted. Please whitelist the public IP
   * in TAC…" (`detailed`).
   */
  bulkUntrustedIpError: 'table' | 'detailed';
  /** Refuse a base MAC (or any Poly OUI MAC) as a hardware id, with the "00" + IPEI hint. */
  refuseBaseMacs: boolean;
  /** Used and replaced verification codes remembered per device, to refuse them by name. */
  codeMemory: number;
  /** Events kept in each device's history. */
  historySize: number;
  /** Largest MAC address upload accepted (bytes) and most rows in it. */
  csvMaxBytes: number;
  csvMaxRows: number;
  /**
   * How far the service's own durations (bulk row processing) may lie from the value above, as a fraction:
   * `rehearse --runs N` draws it per run, uniformly within ± this (src/rehearsal/runs/timing-variation.ts) [inferred].
   */
  timingSpread: number;
}

export const DEFAULT_GATEWAY_PROFILE: Readonly<GatewayProfile> = Object.freeze({
  verificationCodeMs: 24 * HOUR,
  pairingCodeMs: 15 * MINUTE,
  offboardPairedMs: 30 * DAY,
  offboardUnpairedMs: 14 * DAY,
  policySyncMs: HOUR,
  bulkNewDeviceMs: 72 * HOUR,
  bulkSignedOutMs: 168 * HOUR,
  bulkOfflineMs: 2 * HOUR,
  bulkRowProcessingMs: 2_000,
  bulkMaxDevices: 100,
  bulkMaxConcurrentPerRegion: 3,
  bulkSummaryMs: 30 * DAY,
  bulkMissingTagError: 'tag-missing',
  bulkUntrustedIpError: 'table',
  refuseBaseMacs: true,
  codeMemory: 10,
  historySize: 30,
  csvMaxBytes: 256 * 1024,
  csvMaxRows: 1000,
  timingSpread: 0.2,
});
