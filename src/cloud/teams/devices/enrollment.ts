/**
 * Enrollment: Generate verification code in the Teams admin center, then `*55*<code>` dialled on the device through
 * the gateway of its region [seed 000]. Errors raised here: `DEVICE_NOT_WAITING_ON_ACTIVATION` (a code for a device
 * that is already enrolled); the `*55*` refusals (`CODE_WRONG`, `CODE_EXPIRED`, `CODE_USED`, ...) are decided by
 * `enrollmentRefusal` in device-machine.ts and answered here as an {@link EnrollResult}.
 */
import { ERR_DEVICE_NOT_WAITING_ON_ACTIVATION } from '../../../kernel/error-catalogue.ts';
import type { Clock } from '../../../kernel/virtual-clock.ts';
import type { GatewayProfile } from '../gateway-profile.ts';
import type { Region } from '../regions.ts';
import { newVerificationCode, normalizeVerificationCode, type RandomInt } from './codes.ts';
import { enrollmentRefusal, type EnrollRefusalCode, type IssuedCode } from './device-machine.ts';
import type { DeviceRecords } from './device-records.ts';
import type { DeviceView } from './device-view.ts';
import { normalizeHardwareId } from './hardware-id.ts';

export type EnrollResult =
  | { ok: true; device: DeviceView }
  | { ok: false; code: EnrollRefusalCode; message: string };

export interface EnrollmentOptions {
  records: DeviceRecords;
  clock: Clock;
  profile: Readonly<GatewayProfile>;
  random: RandomInt;
}

export class Enrollment {
  constructor(private readonly o: EnrollmentOptions) {}

  /** Generate verification code: a new 6-digit code valid 24 hours; it replaces the device's previous code. */
  generateVerificationCode(hardwareId: string): IssuedCode {
    const { records } = this.o;
    const device = records.requireDevice(hardwareId);
    if (device.state !== 'provisioned') {
      throw new ERR_DEVICE_NOT_WAITING_ON_ACTIVATION(device.macAddress, device.list);
    }
    const at = this.o.clock.now();
    const code: IssuedCode = { code: newVerificationCode(this.o.random), issuedAt: at, expiresAt: at + this.o.profile.verificationCodeMs };
    records.apply(device.hardwareId, { type: 'GENERATE_CODE', at, code });
    records.emitFor('code-generated', device.hardwareId);
    return code;
  }

  /**
   * Enrollment: the device dialled `*55*<code>` through the gateway of `region`. On success the device moves from
   * Waiting on activation to Waiting for sign in; the device plays three busy tones and shows Sign in [seed 000].
   */
  enroll(hardwareId: string, code: string, region: Region): EnrollResult {
    const { records } = this.o;
    const id = normalizeHardwareId(hardwareId);
    const device = id ? records.get(id) : undefined;
    if (!id || !device) return { ok: false, code: 'DEVICE_NOT_FOUND', message: 'Device not found in records.' };
    const at = this.o.clock.now();
    const digits = normalizeVerificationCode(code);
    const refusal = enrollmentRefusal(device, digits, region, at);
    if (refusal) {
      if (refusal.code !== 'DEVICE_NOT_FOUND') records.apply(id, { type: 'NOTE', at, text: `*55* enrollment refused via ${region}: ${refusal.message}` });
      return { ok: false, ...refusal };
    }
    records.apply(id, { type: 'ENROLL', at, code: digits, region });
    const change = records.emitFor('enrolled', id);
    return { ok: true, device: change.device };
  }
}
