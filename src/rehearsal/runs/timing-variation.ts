/**
 * The timings of one run of `rehearse --runs N`: each modelled duration that no source pins down (how long a base
 * boots, when it first checks for firmware and fetches its ITSP file, how long a download, an install, an
 * over-the-air transfer takes, how long the service spends on a bulk row, how far apart users sign in) drawn around
 * its modelled value, uniformly within ± the profile's `timingSpread` (0.2: ±20 %), from a PRNG seeded per run. The
 * draws become profile overrides of that run's lab (build-lab.ts), so the devices themselves are not touched.
 *
 * One draw per duration per run, shared by every device of the lab: a run is "the bases boot in 104 s today", not
 * "each base its own boot time" (the spread between devices of one run is not modelled; docs/fidelity.md).
 */
import { profileByName, type BaseFirmwareProfile } from '../../devices/base-station/firmware-profile.ts';
import { handsetProfileByName, type HandsetFirmwareProfile } from '../../devices/handset/handset-profile.ts';
import { DEFAULT_GATEWAY_PROFILE, type GatewayProfile } from '../../cloud/teams/gateway-profile.ts';
import { SeededRandom } from '../seeded-random.ts';
import type { CompareSpec, Scenario } from '../scenario-types.ts';

type NumberKeys<T> = { [K in keyof T]: T[K] extends number ? K : never }[keyof T];

/** Base firmware durations a run varies (BaseFirmwareProfile). */
export const VARIED_BASE_TIMINGS = [
  'bootMs',
  'shutdownMs',
  'firmwareFirstCheckMs',
  'firmwareDownloadMs',
  'firmwareInstallMs',
  'provisioningFirstFetchMs',
  'newSubscriptionFetchMs',
] as const satisfies ReadonlyArray<NumberKeys<BaseFirmwareProfile>>;

/** Handset firmware durations a run varies (HandsetFirmwareProfile). */
export const VARIED_HANDSET_TIMINGS = [
  'powerOnMs',
  'locationRegistrationMs',
  'registrationScanMs',
  'registrationHandshakeMs',
  'otaTransferMs',
  'otaInstallMs',
] as const satisfies ReadonlyArray<NumberKeys<HandsetFirmwareProfile>>;

/** Teams service durations a run varies (GatewayProfile). */
export const VARIED_TEAMS_TIMINGS = ['bulkRowProcessingMs'] as const satisfies ReadonlyArray<NumberKeys<GatewayProfile>>;

/**
 * How far the users' own pace (the `spacing` between one sign-in and the next) may lie from the plan's: people are
 * not devices, so this is the rehearsal's, not a firmware profile's. ±20 %, a guess like the profiles' (docs/fidelity.md).
 */
export const USER_TIMING_SPREAD = 0.2;

type Base = (typeof VARIED_BASE_TIMINGS)[number];
type Handset = (typeof VARIED_HANDSET_TIMINGS)[number];
type Teams = (typeof VARIED_TEAMS_TIMINGS)[number];

/** The durations drawn for one run, as overrides of its lab's profiles, and the users' pace. */
export interface TimingDraw {
  seed: number;
  base: Partial<Record<Base, number>>;
  handset: Partial<Record<Handset, number>>;
  teams: Partial<Record<Teams, number>>;
  /** Factor on the users' pace: a `spacing: 2m` sign-in round has them 2 min × this apart. */
  userPace: number;
}

/** The seed of run `run`'s draws (run ≥ 2), from the rehearsal's seed: the same seed, the same runs. */
export function timingSeed(seed: number, run: number): number {
  let h = (seed ^ Math.imul(run, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Draws the run's durations around the values the run's lab would have (its profiles with the scenario's and the
 * variant's overrides), each within ± its profile's `timingSpread`. The same seed draws the same factors, so two
 * plans compared run by run meet the same day.
 */
export function drawTimings(scenario: Scenario, variant: CompareSpec | undefined, seed: number): TimingDraw {
  const random = new SeededRandom(seed);
  const base = { ...profileByName(variant?.profile ?? scenario.profile ?? 'rove-8.0'), ...scenario.profileOverrides, ...variant?.profileOverrides } as BaseFirmwareProfile;
  const handset = {
    ...handsetProfileByName(variant?.handsetProfile ?? scenario.handsetProfile ?? 'rove-8.0'),
    ...scenario.handsetProfileOverrides,
    ...variant?.handsetProfileOverrides,
  } as HandsetFirmwareProfile;
  const teams = { ...DEFAULT_GATEWAY_PROFILE, ...scenario.teamsProfile } as GatewayProfile;
  const factor = (spread: number) => 1 + spread * (2 * random.next() - 1);
  const vary = <K extends string>(keys: readonly K[], values: Record<K, number>, spread: number) =>
    Object.fromEntries(keys.map((k) => [k, Math.max(0, Math.round(values[k] * factor(spread)))])) as Record<K, number>;
  return {
    seed,
    base: vary(VARIED_BASE_TIMINGS, base, base.timingSpread),
    handset: vary(VARIED_HANDSET_TIMINGS, handset, handset.timingSpread),
    teams: vary(VARIED_TEAMS_TIMINGS, teams, teams.timingSpread),
    userPace: Math.round(factor(USER_TIMING_SPREAD) * 1000) / 1000,
  };
}

/** The draws by name for the report: `bootMs`, `handset.otaTransferMs`, `teams.bulkRowProcessingMs`, `user.pace`. */
export function namedTimings(d: TimingDraw): Record<string, number> {
  return {
    ...d.base,
    ...Object.fromEntries(Object.entries(d.handset).map(([k, v]) => [`handset.${k}`, v])),
    ...Object.fromEntries(Object.entries(d.teams).map(([k, v]) => [`teams.${k}`, v])),
    'user.pace': d.userPace,
  };
}

/** In words, for the report: what varies and by how much. */
export function describeVariation(scenario: Scenario): string {
  const spread = (n: number) => `±${Math.round(n * 100)} %`;
  const base = { ...profileByName(scenario.profile ?? 'rove-8.0'), ...scenario.profileOverrides } as BaseFirmwareProfile;
  const handset = { ...handsetProfileByName(scenario.handsetProfile ?? 'rove-8.0'), ...scenario.handsetProfileOverrides } as HandsetFirmwareProfile;
  const teams = { ...DEFAULT_GATEWAY_PROFILE, ...scenario.teamsProfile } as GatewayProfile;
  return (
    `Run 1 plays the modelled timings; each other run draws, from a seed of its own, the base's ${VARIED_BASE_TIMINGS.join(', ')} (${spread(base.timingSpread)}), ` +
    `the handset's ${VARIED_HANDSET_TIMINGS.join(', ')} (${spread(handset.timingSpread)}), the service's ${VARIED_TEAMS_TIMINGS.join(', ')} (${spread(teams.timingSpread)}) ` +
    `and the users' pace between sign-ins (${spread(USER_TIMING_SPREAD)}), uniformly around the modelled values; one draw per run for every device.`
  );
}
