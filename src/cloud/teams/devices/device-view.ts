/**
 * A device record as the Teams admin center, the control API and change listeners show it: the record plus the list
 * it is in, its user status, whether its codes are still valid and when it will be offboarded.
 */
import type { GatewayProfile } from '../gateway-profile.ts';
import type { TeamsDevice } from './device-machine.ts';
import { formatHardwareId, ipeiOf } from './hardware-id.ts';

/** The Teams admin center lists a device can be in. */
export const TEAMS_LISTS = ['Waiting on activation', 'Waiting for sign in', 'SIP devices', 'Offboarded'] as const;

/** A device as pages and the API show it. */
export interface DeviceView extends TeamsDevice {
  ipei: string | null;
  macAddress: string;
  /** The Teams admin center list the device is in. */
  list: (typeof TEAMS_LISTS)[number];
  /** Device user status. */
  userStatus: 'Signed in' | 'Signed out' | null;
  verificationCodeStatus: 'none' | 'valid' | 'expired';
  pairingStatus: 'none' | 'valid' | 'expired';
  offboardingDueAt: number | null;
}

type OffboardingProfile = Pick<GatewayProfile, 'offboardPairedMs' | 'offboardUnpairedMs'>;

export function deviceView(d: TeamsDevice, now: number, profile: OffboardingProfile): DeviceView {
  return {
    ...d,
    ipei: ipeiOf(d.hardwareId) ?? null,
    macAddress: formatHardwareId(d.hardwareId),
    list:
      d.state === 'provisioned'
        ? 'Waiting on activation'
        : d.state === 'enrolled'
          ? 'Waiting for sign in'
          : d.state === 'offboarded'
            ? 'Offboarded'
            : 'SIP devices',
    userStatus: d.state === 'signedIn' ? 'Signed in' : d.state === 'enrolled' || d.state === 'signedOut' ? 'Signed out' : null,
    verificationCodeStatus: !d.verificationCode ? 'none' : now < d.verificationCode.expiresAt ? 'valid' : 'expired',
    pairingStatus: d.pairing ? (now < d.pairing.expiresAt ? 'valid' : 'expired') : d.expiredPairing ? 'expired' : 'none',
    offboardingDueAt: offboardingDueAt(d, profile),
  };
}

/** When a device that stays silent is offboarded: 30 days after last contact when paired, 14 when not [MS]. */
export function offboardingDueAt(d: TeamsDevice, profile: OffboardingProfile): number | null {
  const since = d.lastContactAt ?? d.enrolledAt;
  if (since === null) return null;
  if (d.state === 'signedIn') return since + profile.offboardPairedMs;
  if (d.state === 'enrolled' || d.state === 'signedOut') return since + profile.offboardUnpairedMs;
  return null;
}
