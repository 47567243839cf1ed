/**
 * What the gateway announces when a device changes (`TeamsGateway.onDeviceChange`): for whoever drives the device
 * (the Teams SIP edge sends check-sync NOTIFYs from `checkSync` / `reboot`) and for live pages.
 */
import type { Region } from '../regions.ts';
import type { DeviceView } from './device-view.ts';

/** What changed on a device, for whoever drives the device (the SIP wiring) and for live pages. */
export interface DeviceChange {
  kind:
    | 'provisioned'
    | 'code-generated'
    | 'enrolled'
    | 'pairing-code'
    | 'pairing-expired'
    | 'signed-in'
    | 'signed-out'
    | 'restart'
    | 'policy-sync'
    | 'offboarded'
    | 'do-not-disturb';
  hardwareId: string;
  /** The handset IPEI when the hardware id is a Rove one (`00` + IPEI). */
  ipei: string | null;
  region: Region | null;
  at: number;
  /** The device should fetch its provisioning file again now (SIP NOTIFY `Event: check-sync`). */
  checkSync: boolean;
  /** ... and restart (`Event: check-sync;reboot=true`). */
  reboot: boolean;
  /** For `pairing-code`: what the device shows. */
  pairing?: { code: string; url: string; expiresAt: number };
  device: DeviceView;
}

/** The optional parts of a change, given by the operation that makes it. */
export interface DeviceChangeExtra {
  checkSync?: boolean;
  reboot?: boolean;
  pairing?: DeviceChange['pairing'];
}
