/**
 * Handset firmware behaviour profiles: every duration and quirk of the Rove 30/40 firmware that no source pins down, by
 * name, so a lab, scenario or test can change it (docs/fidelity.md, Handsets, lists each with its reason).
 *
 * The named delays of the handset machine read their durations from here.
 */
import { LANGUAGES, type Language } from './handset-record.ts';

export interface HandsetFirmwareProfile {
  /** Profile name shown in the lab and reports. */
  name: string;
  /** Long press of the red key until the handset is up (ms). */
  powerOnMs: number;
  /** Long press of the red key while on until the screen goes dark (ms). */
  powerOffMs: number;
  /** Base heard again → locked and location-registered, back in service (ms). */
  locationRegistrationMs: number;
  /** Connectivity → Register: scanning for bases in registration mode (ms). */
  registrationScanMs: number;
  /** Access code entered → the base's answer (ms). */
  registrationHandshakeMs: number;
  /** Deregister confirmed → done (ms). */
  deregistrationMs: number;
  /** How long a message ("Registered", "Wrong access code", ...) stays unless a key dismisses it (ms). */
  noticeMs: number;
  /** Over the air, the image arrives in steps of this many percent. */
  otaStepPercent: number;
  /** Over the air: time to receive the whole handset image from the base (ms). */
  otaTransferMs: number;
  /** Writing the received image before the handset restarts (ms). */
  otaInstallMs: number;
  /** After a failed over-the-air update, the next attempt (ms). */
  otaRetryMs: number;
  /**
   * Time format of the idle screen. `always-12h`: the known issue of seed 000 — "even with German selected, the phone
   * displays the time in the 12-hour format"; `per-language`: English 12-hour, every other language 24-hour.
   */
  clockFormat: 'always-12h' | 'per-language';
  /** Show "Out of range" (instead of "Searching") when the base is up but not reachable from where the handset is. */
  showOutOfRange: boolean;
  /** A click tone on every key press. */
  keyClick: boolean;
  /**
   * The languages the handset shows the Teams texts in (soft keys, sign-in/sign-out messages, pairing screen), from the
   * provisioning URL's `lang_xx`; any other is English ("defaults to English if the selected language is not supported
   * by the SIP endpoint" [seed 001]). All six by default; drop `ja` to rehearse a device that cannot show Japanese.
   */
  teamsLanguages: readonly Language[];
  /** Contacts: a pause this long after a key settles the multi-tap letter and sends the search to the base (ms). */
  directoryKeyPauseMs: number;
  /**
   * How far the handset's durations (power on, location registration, registration scan and handshake, over-the-air
   * transfer and install) may lie from the values above, as a fraction: `rehearse --runs N` draws each one per run,
   * uniformly within ± this (src/rehearsal/runs/timing-variation.ts). 0.2 is a guess (docs/fidelity.md).
   */
  timingSpread: number;
}

/** Rove 30/40 8.0.x as seen in seed 000: 12-hour time whatever the language. */
export const ROVE_HANDSET_8_0_PROFILE: Readonly<HandsetFirmwareProfile> = Object.freeze({
  name: 'rove-8.0',
  powerOnMs: 4_000,
  powerOffMs: 2_000,
  locationRegistrationMs: 3_000,
  registrationScanMs: 3_000,
  registrationHandshakeMs: 2_000,
  deregistrationMs: 1_500,
  noticeMs: 3_000,
  otaStepPercent: 10,
  otaTransferMs: 10 * 60_000,
  otaInstallMs: 60_000,
  otaRetryMs: 30 * 60_000,
  clockFormat: 'always-12h',
  showOutOfRange: true,
  keyClick: true,
  teamsLanguages: Object.freeze([...LANGUAGES]),
  directoryKeyPauseMs: 1_000,
  timingSpread: 0.2,
});

export const HANDSET_PROFILES: Readonly<Record<string, Readonly<HandsetFirmwareProfile>>> = Object.freeze({
  'rove-8.0': ROVE_HANDSET_8_0_PROFILE,
  /** A firmware where the time format follows the language (German shows 24-hour): for comparison runs. */
  'fixed-clock': Object.freeze({ ...ROVE_HANDSET_8_0_PROFILE, name: 'fixed-clock', clockFormat: 'per-language' }),
});

export function handsetProfileByName(name: string): Readonly<HandsetFirmwareProfile> {
  const p = HANDSET_PROFILES[name];
  if (!p) throw new RangeError(`unknown handset firmware profile "${name}" (known: ${Object.keys(HANDSET_PROFILES).join(', ')})`);
  return p;
}
