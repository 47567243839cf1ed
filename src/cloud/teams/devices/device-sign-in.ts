/**
 * Signing a user in to a device and out again: the pairing code the device (or the admin center) asks for, the device
 * login page's lookup of a typed code, the approval, bulk sign-in's signing in of a row that passed its checks, and
 * Sign-Out. Every sign-in ends the same way: the record changes and a `signed-in` change with check-sync tells the
 * device to fetch its file, which gives it the user's line.
 *
 * Errors raised here: the pairing code messages of the device login page ({@link PAIRING_MESSAGES}),
 * `DEVICE_NOT_WAITING_FOR_SIGN_IN`, `DEVICE_NOT_SIGNED_IN`, and `DEVICE_NOT_FOUND` for a device asking another
 * region's gateway. The user's prerequisites (number, policy, licence) are checked by `tenant/sign-in-checks.ts`.
 */
import {
  ERR_DEVICE_NOT_FOUND_2,
  ERR_DEVICE_NOT_SIGNED_IN,
  ERR_DEVICE_NOT_WAITING_FOR_SIGN_IN,
  ERR_DEVICE_NOT_WAITING_FOR_SIGN_IN_2,
} from '../../../kernel/error-catalogue.ts';
import type { Clock } from '../../../kernel/virtual-clock.ts';
import type { GatewayProfile } from '../gateway-profile.ts';
import { DEVICE_LOGIN_URL } from '../provisioning/provisioning-file.ts';
import type { Region } from '../regions.ts';
import { type SignInProblem, signInProblems } from '../tenant/sign-in-checks.ts';
import type { TenantDirectory } from '../tenant/tenant-directory.ts';
import type { TeamsUser } from '../tenant/tenant-model.ts';
import { newPairingCode, normalizePairingCode, type RandomInt } from './codes.ts';
import type { CodeSource, DeviceEvent } from './device-machine.ts';
import type { DeviceRecords } from './device-records.ts';
import { deviceUserOf } from './device-user.ts';
import type { DeviceView } from './device-view.ts';
import { formatHardwareId } from './hardware-id.ts';

/** The pairing code messages of the device login page (docs/fidelity.md). */
export const PAIRING_MESSAGES = {
  PAIRING_CODE_INVALID: "That code didn't work. Check the code and try again.",
  PAIRING_CODE_EXPIRED: "That code has expired. Get a new code from the device you're trying to sign in to and try again.",
} as const;

export type PairingLookup =
  | { ok: true; device: DeviceView }
  | { ok: false; code: 'PAIRING_CODE_INVALID' | 'PAIRING_CODE_EXPIRED'; message: string };

export type SignInResult =
  | { ok: true; device: DeviceView; user: TeamsUser }
  | { ok: false; code: 'PAIRING_CODE_INVALID' | 'PAIRING_CODE_EXPIRED'; message: string; problems: [] }
  | { ok: false; code: 'PREREQUISITES'; message: string; problems: SignInProblem[] };

export interface DeviceSignInOptions {
  records: DeviceRecords;
  tenant: TenantDirectory;
  clock: Clock;
  profile: Readonly<GatewayProfile>;
  random: RandomInt;
}

export class DeviceSignIn {
  constructor(private readonly o: DeviceSignInOptions) {}

  /**
   * Sign in a user (admin center) or the Sign in soft key (device): issues a pairing code shown with the device login
   * URL. A new request replaces the previous code.
   */
  requestPairingCode(hardwareId: string, from: CodeSource, region?: Region): { code: string; url: string; expiresAt: number } {
    const { records, profile, random } = this.o;
    const device = records.requireDevice(hardwareId);
    if (region !== undefined && device.region !== null && device.region !== region) {
      throw new ERR_DEVICE_NOT_FOUND_2();
    }
    if (device.state !== 'enrolled' && device.state !== 'signedOut') {
      const why = device.state === 'signedIn' ? `it is signed in as ${device.user?.upn}; sign it out first` : `it is ${device.list}`;
      throw new ERR_DEVICE_NOT_WAITING_FOR_SIGN_IN(device.macAddress, why);
    }
    const at = this.o.clock.now();
    let code = newPairingCode(random);
    while (records.findPairing(code)) code = newPairingCode(random);
    records.apply(device.hardwareId, {
      type: 'REQUEST_PAIRING',
      at,
      pairing: { code, issuedAt: at, expiresAt: at + profile.pairingCodeMs, requestedFrom: from },
    });
    const pairing = { code, url: DEVICE_LOGIN_URL, expiresAt: at + profile.pairingCodeMs };
    records.emitFor('pairing-code', device.hardwareId, { pairing });
    return pairing;
  }

  /** What the device login page finds for a typed pairing code (not case sensitive). */
  lookupPairingCode(input: string): PairingLookup {
    const { records } = this.o;
    const code = normalizePairingCode(input);
    const at = this.o.clock.now();
    const device = records.findPairing(code);
    if (device && device.pairing && at < device.pairing.expiresAt) return { ok: true, device: records.view(device) };
    const expired = device ?? [...records.all()].find((d) => d.expiredPairing?.code === code);
    if (code.length > 0 && expired) return { ok: false, code: 'PAIRING_CODE_EXPIRED', message: PAIRING_MESSAGES.PAIRING_CODE_EXPIRED };
    return { ok: false, code: 'PAIRING_CODE_INVALID', message: PAIRING_MESSAGES.PAIRING_CODE_INVALID };
  }

  /**
   * The user approved the sign-in on the device login page. The gateway checks the prerequisites; on success the
   * device is signed in and told to fetch its provisioning file again (check-sync), which gives it the user's line.
   */
  signIn(pairingCode: string, upn: string): SignInResult {
    const { records, tenant } = this.o;
    const found = this.lookupPairingCode(pairingCode);
    if (!found.ok) return { ...found, problems: [] };
    const at = this.o.clock.now();
    const user = tenant.user(upn);
    const problems = signInProblems(tenant.tenant, user, 'interactive');
    if (!user || problems.length) {
      records.apply(found.device.hardwareId, { type: 'NOTE', at, text: `Sign-in of ${upn} refused: ${problems.map((p) => p.message).join(' ')}` });
      return { ok: false, code: 'PREREQUISITES', message: `${upn} cannot be signed in to a SIP device.`, problems };
    }
    const device = this.completeSignIn(found.device.hardwareId, { type: 'SIGN_IN', at, user: deviceUserOf(tenant.tenant, user) });
    return { ok: true, device, user };
  }

  /**
   * A bulk sign-in row passed every check: sign the device in through the same path as a sign-in with a pairing code
   * (same record change, same `signed-in` change with check-sync, so the base re-fetches and reboots as it would).
   */
  bulkSignInDevice(hardwareId: string, upn: string, region: Region, batchId: string): DeviceView {
    const { records, tenant } = this.o;
    const d = records.record(hardwareId);
    const user = tenant.user(upn);
    if (!d || !user) throw new ERR_DEVICE_NOT_FOUND_2();
    const at = this.o.clock.now();
    return this.completeSignIn(d.hardwareId, { type: 'BULK_SIGN_IN', at, user: deviceUserOf(tenant.tenant, user), region, batchId });
  }

  /** Sign out from the device (Sign-Out) or from the admin center (device details → Actions → Sign out). */
  signOut(hardwareId: string, by: CodeSource): DeviceView {
    const { records } = this.o;
    const device = records.requireDevice(hardwareId);
    if (device.state !== 'signedIn') throw new ERR_DEVICE_NOT_SIGNED_IN(device.macAddress);
    records.apply(device.hardwareId, { type: 'SIGN_OUT', at: this.o.clock.now(), by });
    return records.emitFor('signed-out', device.hardwareId, { checkSync: true }).device;
  }

  /** The one way a device becomes signed in (pairing code or bulk): record, then check-sync so it fetches the line. */
  private completeSignIn(hardwareId: string, event: Extract<DeviceEvent, { type: 'SIGN_IN' | 'BULK_SIGN_IN' }>): DeviceView {
    const { records } = this.o;
    if (!records.apply(hardwareId, event)) throw new ERR_DEVICE_NOT_WAITING_FOR_SIGN_IN_2(formatHardwareId(hardwareId));
    return records.emitFor('signed-in', hardwareId, { checkSync: true }).device;
  }
}
