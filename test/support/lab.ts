import { VirtualClock } from '../../src/kernel/virtual-clock.ts';
import { Lab, type LabOptions } from '../../src/lab/lab.ts';

/** A lab on a paused clock starting at a fixed instant: time moves only when the test says so. */
export async function openTestLab(options: Partial<LabOptions> = {}): Promise<Lab> {
  return Lab.open({
    file: ':memory:',
    clock: new VirtualClock({ start: Date.UTC(2026, 10, 2, 9, 0, 0), paused: true }),
    ...options,
  });
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** The guide's Auto provisioning values (seed 000, "Firmware update"). */
export const GUIDE_FIRMWARE_SETTINGS = {
  firmwareServer: 'http://downloads.polycom.com/',
  firmwarePath: '/voice/dect-ip-phones/Rove/',
  firmwareMethod: 'Periodically',
  firmwareInterval: '30',
  baseFwVersion: '8003',
  baseFwBranch: '0009',
  rove30FwVersion: '8003',
  rove30FwBranch: '0009',
  rove40FwVersion: '8003',
  rove40FwBranch: '0009',
} as const;

/**
 * A lab on real time for tests where outside SIP peers (Kamailio, SIPp, baresip, real sockets) set the pace: bases boot
 * in 50 ms and leave firmware checks and ITSP fetches an hour away, so nothing but the test's own steps happens.
 */
export async function openRealTimeLab(options: Partial<LabOptions> = {}): Promise<Lab> {
  return Lab.open({
    file: ':memory:',
    clock: new VirtualClock({ speed: 1 }),
    ...options,
    profileOverrides: { bootMs: 50, shutdownMs: 50, firmwareFirstCheckMs: 3_600_000, provisioningFirstFetchMs: 3_600_000, ...options.profileOverrides },
  });
}
