/**
 * Firmware behaviour profiles: every duration and quirk of the base firmware that no source pins down, in one place,
 * by name, so that a lab, a scenario or a test can change it (docs/fidelity.md lists each with its reason).
 *
 * The named delays of the base machine read their durations from here.
 */
export interface BaseFirmwareProfile {
  /** Profile name shown in the lab and reports. */
  name: string;
  /** Power-on or reboot until the web admin and DECT come up (ms). */
  bootMs: number;
  /** Orderly shutdown before a reboot (ms). */
  shutdownMs: number;
  /** Delay after boot before the first firmware check (ms). */
  firmwareFirstCheckMs: number;
  /** Time to write a downloaded image to flash before rebooting (ms). */
  firmwareInstallMs: number;
  /** Modelled download time of one firmware image (ms); the HTTP fetch itself is real. */
  firmwareDownloadMs: number;
  /** Delay after boot before the first ITSP provisioning fetch (ms). */
  provisioningFirstFetchMs: number;
  /**
   * Reboots the firmware goes through after the ITSP provisioning target (ProvisioningOption/ConfigURL) changes,
   * fetching the configuration at each boot. Seed 000 saw three with the Teams ConfigURL.
   */
  configUrlChangeReboots: number;
  /** Reboot when a periodic fetch brings a configuration that differs from what is applied. */
  rebootOnProvisioningChange: boolean;
  /**
   * A newly subscribed handset makes the base fetch ConfigURL (with that handset's `${IPEI}`) shortly after, instead of
   * waiting for the next periodic round (Interval 3600 s in seed 000). Seed 000 registers the handset after ConfigURL
   * and goes straight on to `*55*`, which needs the handset's onboarding line: a modelling choice (docs/fidelity.md).
   */
  fetchOnNewSubscription: boolean;
  /** How long after a new subscription that fetch starts (ms). */
  newSubscriptionFetchMs: number;
  /**
   * Reboot for a handset's first provisioning file (a handset the base had no file for). Seed 000 reports no reboot on
   * registering a handset, so rove-8.0 applies a new handset's first file to its line without restarting; a changed
   * file of a handset already provisioned (the sign-in) still reboots when `rebootOnProvisioningChange` says so.
   */
  rebootOnFirstHandsetFile: boolean;
  /**
   * Reboot when only a handset file's display keys changed (`%TEAMS_…%` and `%LANGUAGE%`: what the handset shows, not
   * the SIP account the base registers). Seed 000 reports one reboot at sign-in (the SIP account changes) and none at
   * `*55*` (only `%TEAMS_STATE%` changes), so rove-8.0 applies such a file without restarting.
   */
  rebootOnDisplayOnlyChange: boolean;
  /** How long Specific Handsets → Register keeps the base open for registration (ms); RTX: 5 minutes. */
  registrationWindowMs: number;
  /**
   * Handset subscriptions one base holds (Specific Handsets slots 1..n). 30: RTX "a B4 carries about 30 handsets";
   * the same number for the B2 is a modelling choice.
   */
  handsetSlots: number;
  /** A successful handset registration closes the registration window (it was opened for one slot). */
  registrationClosesAfterSubscribe: boolean;
  /** How many reboot log entries the base keeps. */
  rebootLogSize: number;
  /** Give up on an HTTP request after this many real ms without a byte (idle). */
  httpTimeoutMs: number;
  /**
   * Give up on an HTTP request after this many real ms in all, however it trickles: a server that drips a byte every
   * few seconds never trips the idle timeout and would keep the base "checking" forever (and REBOOT waiting for it).
   */
  httpDeadlineMs: number;
  /** Multi-cell: a secondary that hears its sync source locks after this long (ms). */
  syncLockMs: number;
  /** Multi-cell: without sync data from its source for this long, a secondary is Free running (ms); RTX: 10 s. */
  syncFreeRunningMs: number;
  /** Multi-cell: Free running this long without help, a secondary goes Searching (or Sync lost in a call) (ms); RTX: 2 min. */
  syncGiveUpMs: number;
  /** Multi-cell: deepest chain level a secondary may take (primary = 1); RTX allows 12 to 24. */
  multiCellMaxChainLevel: number;
  /** Multi-cell: simultaneous calls one base carries; RTX: 8. */
  multiCellMaxCalls: number;
  /** Central directory: the most entries one handset search returns (the LDAP size limit asked for). */
  directoryMaxHits: number;
  /** Central directory: real ms the LDAP client waits to connect and for each answer before "not reachable". */
  directoryTimeoutMs: number;
  /**
   * How far the firmware's durations (boot, shutdown, first firmware check and ITSP fetch, download, install, the
   * fetch after a new subscription) may lie from the values above, as a fraction: `rehearse --runs N` draws each one
   * per run, uniformly within ± this (src/rehearsal/runs/timing-variation.ts). 0.2 is a guess (docs/fidelity.md).
   */
  timingSpread: number;
}

/** Rove 8.0.x as seen in seed 000: three reboots after switching ITSP provisioning to the Teams URL. */
export const ROVE_8_0_PROFILE: Readonly<BaseFirmwareProfile> = Object.freeze({
  name: 'rove-8.0',
  bootMs: 90_000,
  shutdownMs: 5_000,
  firmwareFirstCheckMs: 60_000,
  firmwareInstallMs: 120_000,
  firmwareDownloadMs: 30_000,
  provisioningFirstFetchMs: 30_000,
  configUrlChangeReboots: 3,
  rebootOnProvisioningChange: true,
  fetchOnNewSubscription: true,
  newSubscriptionFetchMs: 10_000,
  rebootOnFirstHandsetFile: false,
  rebootOnDisplayOnlyChange: false,
  registrationWindowMs: 5 * 60_000,
  handsetSlots: 30,
  registrationClosesAfterSubscribe: true,
  rebootLogSize: 20,
  httpTimeoutMs: 10_000,
  httpDeadlineMs: 60_000,
  syncLockMs: 5_000,
  syncFreeRunningMs: 10_000,
  syncGiveUpMs: 120_000,
  multiCellMaxChainLevel: 12,
  multiCellMaxCalls: 8,
  directoryMaxHits: 50,
  directoryTimeoutMs: 5_000,
  timingSpread: 0.2,
});

export const PROFILES: Readonly<Record<string, Readonly<BaseFirmwareProfile>>> = Object.freeze({
  'rove-8.0': ROVE_8_0_PROFILE,
  /** A firmware that applies a new ConfigURL without reboots: for comparison runs. */
  'no-provisioning-reboots': Object.freeze({
    ...ROVE_8_0_PROFILE,
    name: 'no-provisioning-reboots',
    configUrlChangeReboots: 0,
  }),
  /**
   * A firmware that applies a changed provisioning file without restarting: a Teams sign-in (check-sync → the user's
   * line) re-registers that handset's line only, instead of rebooting the DECT server (seed 000's issue). Everything
   * else, including the three reboots after a ConfigURL change, as `rove-8.0`. For comparison runs.
   */
  'no-reboot-on-sign-in': Object.freeze({
    ...ROVE_8_0_PROFILE,
    name: 'no-reboot-on-sign-in',
    rebootOnProvisioningChange: false,
  }),
});

export function profileByName(name: string): Readonly<BaseFirmwareProfile> {
  const p = PROFILES[name];
  if (!p) throw new RangeError(`unknown firmware profile "${name}" (known: ${Object.keys(PROFILES).join(', ')})`);
  return p;
}
