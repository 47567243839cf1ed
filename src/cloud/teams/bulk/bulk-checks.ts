/**
 * Why one row of a bulk sign-in request fails, from the tenant, the user, the device record and where the device is in
 * the lab. Pure: the batch service gathers the facts, this decides. Each documented error has one true cause here
 * (docs/bulk-sign-in.md lists them with how to trigger each):
 *
 * | Error                                      | Cause in the lab                                                        |
 * |--------------------------------------------|-------------------------------------------------------------------------|
 * | Input hardware-ID is of wrong format       | HardwareId not `xx-xx-xx-xx-xx-xx[:nnn]`                                |
 * | Duplicate devices found for bulk sign-in.  | the id twice in the file, or the device heard recently via two bases    |
 * | User not found in tenant.                  | no such UPN                                                             |
 * | Device not found in records.               | not provisioned (or offboarded), another region, an ATA port suffix     |
 * | Device is offline.                         | its base is off/not running, or not heard from within `bulkOfflineMs`  |
 * | BulkSignIn Tag missing for the device      | a new device whose provisioning URL had no `/tenantid/<guid>`           |
 * | Public IP not configured as Trusted IP.    | another tenant's id in the URL, or the site's public IP is not trusted  |
 * | Bulk Sign-in deadline expired.             | 72 h after it was added (new) / 168 h after sign-out (signed out)      |
 * | User missing phone number assignment.      | no phone number                                                         |
 * | User missing AllowSIPDevicesCalling ...    | the effective calling policy does not allow SIP devices                 |
 * | User missing CAP policy assignment.        | the effective IP phone policy's SignInMode is not CommonAreaPhoneSignIn |
 * | On-premises AD configuration failure.      | a synced user, and sync/password writeback off or the connector broken  |
 * | On-premises AD throttling detected         | a synced user in a batch larger than the AD's throttle size            |
 * | The Password writeback service failed ...  | must change at next login, can't change, or minimum age > 0            |
 *
 * The order of the checks decides which error a row with several problems shows: the request's own data first, then
 * the device, then the account, then the directory write that sets the password.
 */
import type { TeamsDevice } from '../devices/device-machine.ts';
import type { GatewayProfile } from '../gateway-profile.ts';
import type { Region } from '../regions.ts';
import {
  effectiveCallingPolicy,
  effectiveIpPhonePolicy,
  hasTeamsPhone,
  isTrustedIp,
  onPremisesAd,
  type Tenant,
  type TeamsUser,
} from '../tenant/tenant-model.ts';
import { BULK_ERRORS, type BulkErrorCode, untrustedPublicIpMessage } from './bulk-errors.ts';
import { parseBulkHardwareId } from './bulk-csv.ts';

/** Where the device is, as the gateway can tell (see `whereaboutsOf` in devices/device-whereabouts.ts). */
export interface DeviceWhereabouts {
  /** Powered, connected and heard from recently. */
  online: boolean;
  /** The public IP the gateway sees the device's traffic come from (its site's), if known. */
  publicIp: string | null;
  /** Public IPs of the devices heard with this hardware id recently, when more than one (a duplicate). */
  duplicateIps: string[];
}

export interface RowFacts {
  tenant: Tenant;
  region: Region;
  at: number;
  profile: Pick<GatewayProfile, 'bulkNewDeviceMs' | 'bulkSignedOutMs' | 'bulkMissingTagError' | 'bulkUntrustedIpError'>;
  hardwareIdInput: string;
  user: TeamsUser | undefined;
  /** The device record for the hardware id, if any. */
  device: TeamsDevice | undefined;
  whereabouts: DeviceWhereabouts | undefined;
  /** Public IPs for each other row of the request with the same hardware id (empty: not a duplicate). */
  duplicateInFile: boolean;
  /** Rows in the whole request (on-premises AD throttling depends on it). */
  batchSize: number;
}

export interface RowVerdict {
  code: BulkErrorCode;
  /** The error as the status shows it: the service's words, then any detail it returns (duplicates' IPs). */
  error: string;
}

function fail(code: BulkErrorCode, detail?: string): RowVerdict {
  return { code, error: detail ? `${BULK_ERRORS[code]} ${detail}` : BULK_ERRORS[code] };
}

/** The trusted-IP error, in the words the profile picks (Microsoft's table, or seed 003's sentence with the IP). */
function notTrusted(f: RowFacts): RowVerdict {
  if (f.profile.bulkUntrustedIpError === 'detailed') return { code: 'IP_NOT_TRUSTED', error: untrustedPublicIpMessage(f.whereabouts?.publicIp ?? '') };
  return fail('IP_NOT_TRUSTED');
}

/** Null when the row may be signed in; else the first failing check, the one the service reports. */
export function bulkRowVerdict(f: RowFacts): RowVerdict | null {
  return bulkRowProblems(f)[0] ?? null;
}

/**
 * Every failing check of a row, in the order above: the service reports only the first (`Error`), so a row with a
 * malformed hardware id and a user without a number shows one error; a pre-flight or a report lists them all. A
 * check that needs what an earlier one refused (the device record of an unreadable id) is not made.
 */
export function bulkRowProblems(f: RowFacts): RowVerdict[] {
  const out: RowVerdict[] = [];
  const parsed = parseBulkHardwareId(f.hardwareIdInput);
  const w = f.whereabouts;
  if (!parsed) out.push(fail('HARDWARE_ID_FORMAT'));
  else if (f.duplicateInFile) {
    const ips = w?.duplicateIps.length ? w.duplicateIps : w?.publicIp ? [w.publicIp, w.publicIp] : [];
    out.push(fail('DUPLICATE_DEVICES', ips.length ? `IP addresses: ${ips.join(', ')}` : undefined));
  }
  if (!f.user) out.push(fail('USER_NOT_FOUND'));
  if (parsed && !f.duplicateInFile) {
    const device = deviceVerdict(f, parsed.port);
    if (device) out.push(device);
  }
  if (f.user) out.push(...accountVerdicts(f, f.user));
  return out;
}

/** The device's checks: the first that fails (each later one needs the earlier to hold). */
function deviceVerdict(f: RowFacts, port: string | null): RowVerdict | null {
  const d = f.device;
  const w = f.whereabouts;
  if (port !== null || !d || d.state === 'offboarded' || d.tenantId !== f.tenant.id) return fail('DEVICE_NOT_FOUND');
  const boundRegion = d.region ?? d.lastContactRegion;
  if (boundRegion !== null && boundRegion !== f.region) return fail('DEVICE_NOT_FOUND');
  if (!w?.online) return fail('DEVICE_OFFLINE');
  if (w.duplicateIps.length > 1) return fail('DUPLICATE_DEVICES', `IP addresses: ${w.duplicateIps.join(', ')}`);
  if (d.state === 'signedIn') return fail('ALREADY_SIGNED_IN');
  const isNew = !d.everSignedIn;
  if (isNew && d.bulkSignInTag === null) {
    return f.profile.bulkMissingTagError === 'not-trusted' ? notTrusted(f) : fail('TAG_MISSING');
  }
  // A tag of another tenant: the service cannot tie the device to this tenant, so none of its trusted IPs apply.
  if (d.bulkSignInTag !== null && d.bulkSignInTag !== f.tenant.id) return notTrusted(f);
  if (!w.publicIp || !isTrustedIp(f.tenant.network.trustedIps, w.publicIp)) return notTrusted(f);
  if (isNew ? f.at > d.addedAt + f.profile.bulkNewDeviceMs : d.signedOutAt !== null && f.at > d.signedOutAt + f.profile.bulkSignedOutMs) {
    return fail('DEADLINE_EXPIRED');
  }
  return null;
}

function accountVerdicts(f: RowFacts, u: TeamsUser): RowVerdict[] {
  return bulkAccountProblems(f.tenant, u, f.batchSize);
}

/**
 * The account's checks of a bulk sign-in row: every one that fails, in the service's words. Exported for the
 * pre-flight (`rove-sim plan check`), so that it lists a user's problems in the very words a rehearsal reports.
 */
export function bulkAccountProblems(tenant: Tenant, u: TeamsUser, batchSize: number): RowVerdict[] {
  const f = { tenant, batchSize };
  const out: RowVerdict[] = [];
  if (!u.phoneNumber) out.push(fail('NO_PHONE_NUMBER'));
  if (!effectiveCallingPolicy(f.tenant, u)?.allowSipDevicesCalling) out.push(fail('NO_SIP_CALLING_POLICY'));
  if (effectiveIpPhonePolicy(f.tenant, u)?.signInMode !== 'CommonAreaPhoneSignIn') out.push(fail('NO_CAP_POLICY'));
  if (!hasTeamsPhone(u)) out.push(fail('NO_LICENCE'));
  if (u.mfa) out.push(fail('MFA_ENABLED'));
  if (u.onPremisesSynced) {
    const ad = onPremisesAd(f.tenant);
    if (!ad.syncEnabled || !ad.passwordWriteback || !ad.healthy) out.push(fail('ON_PREM_AD_CONFIGURATION'));
    else if (f.batchSize > ad.throttleBatchSize) out.push(fail('ON_PREM_AD_THROTTLING'));
  }
  const p = u.password;
  if (p.mustChangeAtNextLogin || p.cannotChange || p.minimumAgeDays > 0) out.push(fail('PASSWORD_WRITEBACK'));
  return out;
}
