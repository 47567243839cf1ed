/**
 * The emulated Microsoft Teams SIP Gateway: the tenant it serves, its device registry, and every operation the Teams
 * admin center, the device login page, the provisioning service, the control API and (through the SIP wiring) the
 * handsets perform on it.
 *
 * Device records follow `deviceMachine` (device-machine.ts, state diagram there); tenant data is plain documents.
 * Everything is persisted in the lab file through the lab store, and all time comes from the lab clock.
 *
 * For the wiring step (SIP lines, handsets, bases):
 * - `enroll(hardwareId, code, region)` when a handset dials `*55*<code>`: ok → play three busy tones, show Sign in;
 * - `requestPairingCode(hardwareId, 'device', region)` when the handset's Sign in soft key is pressed;
 * - `signOut(hardwareId, 'device')` for Sign-Out on the handset;
 * - `deviceSeen(hardwareId, region)` on every SIP registration (keeps the device from being offboarded);
 * - `onDeviceChange(listener)`: `checkSync` says the base must re-fetch `00<IPEI>.cfg` (SIP NOTIFY
 *   `Event: check-sync`), `reboot` that it must restart (`check-sync;reboot=true`);
 * - `provisioningFileFor(hardwareId, region, lang, tenantId?)`: what the provisioning service answers.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../../kernel/virtual-clock.ts';
import type { LabStore } from '../../lab/lab-store.ts';
import {
  ERR_ADMIN_NOT_FOUND,
  ERR_ADMIN_ROLE_INVALID,
  ERR_BULK_SIGN_IN_INVALID,
  ERR_DEVICE_NOT_FOUND,
  ERR_DEVICE_NOT_FOUND_2,
  ERR_DEVICE_NOT_IN_INVENTORY,
  ERR_DEVICE_NOT_SIGNED_IN,
  ERR_DEVICE_NOT_WAITING_FOR_SIGN_IN,
  ERR_DEVICE_NOT_WAITING_FOR_SIGN_IN_2,
  ERR_DEVICE_NOT_WAITING_ON_ACTIVATION,
  ERR_LICENCE_INVALID,
  ERR_LOCATION_INVALID,
  ERR_PASSWORD_AGE_INVALID,
  ERR_PHONE_NUMBER_INVALID,
  ERR_POLICY_IDENTITY_INVALID,
  ERR_POLICY_NOT_FOUND,
  ERR_POLICY_NOT_FOUND_2,
  ERR_SIGN_IN_MODE_INVALID,
  ERR_SITE_ID_INVALID,
  ERR_SITE_IP_INVALID,
  ERR_TENANT_EXISTS,
  ERR_TENANT_ID_INVALID,
  ERR_TENANT_MISSING,
  ERR_TENANT_NAME_INVALID,
  ERR_THROTTLE_INVALID,
  ERR_TRUSTED_IP_EXISTS,
  ERR_TRUSTED_IP_INVALID,
  ERR_TRUSTED_IP_INVALID_2,
  ERR_TRUSTED_IP_NOT_FOUND,
  ERR_USER_EXISTS,
  ERR_USER_NAME_INVALID,
  ERR_USER_NOT_FOUND,
  ERR_USER_UPN_INVALID,
  ERR_USER_UPN_INVALID_2,
} from '../../kernel/error-catalogue.ts';
import { cryptoRandomInt, newPairingCode, newVerificationCode, normalizePairingCode, normalizeVerificationCode, type RandomInt } from './devices/codes.ts';
import { BulkSignInService } from './bulk/batch-service.ts';
import type { DeviceWhereabouts } from './bulk/bulk-checks.ts';
import type { TenantSeed } from './tenant/default-tenant.ts';
import {
  type CodeSource,
  type DeviceContext,
  type DeviceEvent,
  type DeviceSnapshot,
  type DeviceState,
  type DeviceUser,
  deviceMachine,
  enrollmentRefusal,
  type EnrollRefusalCode,
  type IssuedCode,
  nextDeviceSnapshot,
  type TeamsDevice,
} from './devices/device-machine.ts';
import { DEFAULT_GATEWAY_PROFILE, type GatewayProfile } from './gateway-profile.ts';
import { checkHardwareId, formatHardwareId, ipeiOf, normalizeHardwareId } from './devices/hardware-id.ts';
import { buildProvisioningFile, DEVICE_LOGIN_URL, type FileState } from './provisioning/provisioning-file.ts';
import { type Language, type Region, resolveLanguage } from './regions.ts';
import { type SignInProblem, signInProblems } from './tenant/sign-in-checks.ts';
import {
  ADMIN_ROLES,
  type OnPremisesAd,
  onPremisesAd,
  sameUpn,
  type TenantAdmin,
  tenantAdmins,
  type CallingPolicy,
  effectiveCallingPolicy,
  GLOBAL,
  type IpPhonePolicy,
  isE164,
  isGuid,
  isIpv4,
  isIpv4Range,
  type LabSite,
  LICENCES,
  type Licence,
  type PasswordOptions,
  SIGN_IN_MODES,
  type SignInMode,
  type Tenant,
  type TeamsUser,
} from './tenant/tenant-model.ts';

export const TENANT_KIND = 'tenant';
export const USER_KIND = 'teams-user';
export const SITE_KIND = 'teams-site';
export const DEVICE_KIND = 'teams-device';
const GATEWAY_KIND = 'teams-gateway';
const DND_KIND = 'teams-dnd';

/** What the gateway asks the lab about the bases devices reach it through (bulk sign-in's online and IP checks). */
export interface LabNetwork {
  /** The base is powered and running (its handsets' traffic reaches the gateway). */
  baseOnline(mac: string): boolean;
  /** The lab site the base stands at (matched to a tenant site by id), if the base is in the lab. */
  siteOfBase(mac: string): string | undefined;
}

export interface TeamsGatewayOptions {
  store: LabStore;
  clock: Clock;
  /** Override durations and limits by name. */
  profile?: Partial<GatewayProfile>;
  /** Code generator (tests make codes predictable). */
  random?: RandomInt;
  /** MACs of the lab's bases, refused as hardware ids with a hint. */
  baseMacs?: () => Iterable<string>;
  /** Tenant to create when the lab has none (the default lab's); null: start without a tenant. */
  seed?: TenantSeed | null;
  /** The lab's bases, for whether a device is online and which public IP it comes from. */
  labNetwork?: LabNetwork;
}

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

/** A device as pages and the API show it. */
export interface DeviceView extends TeamsDevice {
  ipei: string | null;
  macAddress: string;
  /** The Teams admin center list the device is in. */
  list: 'Waiting on activation' | 'Waiting for sign in' | 'SIP devices' | 'Offboarded';
  /** Device user status. */
  userStatus: 'Signed in' | 'Signed out' | null;
  verificationCodeStatus: 'none' | 'valid' | 'expired';
  pairingStatus: 'none' | 'valid' | 'expired';
  offboardingDueAt: number | null;
}

export type EnrollResult =
  | { ok: true; device: DeviceView }
  | { ok: false; code: EnrollRefusalCode; message: string };

export type PairingLookup =
  | { ok: true; device: DeviceView }
  | { ok: false; code: 'PAIRING_CODE_INVALID' | 'PAIRING_CODE_EXPIRED'; message: string };

export type SignInResult =
  | { ok: true; device: DeviceView; user: TeamsUser }
  | { ok: false; code: 'PAIRING_CODE_INVALID' | 'PAIRING_CODE_EXPIRED'; message: string; problems: [] }
  | { ok: false; code: 'PREREQUISITES'; message: string; problems: SignInProblem[] };

export type AddDevicesResult =
  | { ok: true; added: DeviceView[] }
  | { ok: false; problems: Array<{ row: number; macAddress?: string; message: string }> };

export type ProvisioningAnswer =
  | { status: 200; body: string; state: FileState; hardwareId: string; language: Language }
  | { status: 404; body: string };

export interface UserPatch {
  displayName?: string;
  phoneNumber?: string | null;
  licence?: Licence | null;
  mfa?: boolean;
  password?: Partial<PasswordOptions>;
  callingPolicy?: string | null;
  ipPhonePolicy?: string | null;
  note?: string;
  onPremisesSynced?: boolean;
}

/** The pairing code messages of the device login page (docs/fidelity.md). */
export const PAIRING_MESSAGES = {
  PAIRING_CODE_INVALID: "That code didn't work. Check the code and try again.",
  PAIRING_CODE_EXPIRED: "That code has expired. Get a new code from the device you're trying to sign in to and try again.",
} as const;

export class TeamsGateway {
  readonly profile: Readonly<GatewayProfile>;
  private tenantDoc: Tenant | undefined;
  private readonly usersByUpn = new Map<string, TeamsUser>();
  private readonly sitesById = new Map<string, LabSite>();
  private readonly devicesById = new Map<string, TeamsDevice>();
  /** The machine snapshot each record was made from (see snapshotOf). */
  private readonly snapshots = new WeakMap<TeamsDevice, DeviceSnapshot>();
  private readonly listeners = new Set<(change: DeviceChange) => void>();
  /** Devices with Do not disturb on (`*30*`). */
  private readonly dnd = new Set<string>();
  private readonly secret: string;
  /** Passwords derived from the secret, by purpose (see password()). */
  private readonly passwords = new Map<string, string>();
  private readonly store: LabStore;
  private readonly clock: Clock;
  private readonly random: RandomInt;
  private readonly baseMacs: () => Iterable<string>;
  private readonly labNetwork: LabNetwork | undefined;
  /** The bulk sign-in batch service (`New-CsSdgBulkSignInRequest` and friends). */
  readonly bulk: BulkSignInService;
  private timer: number | undefined;
  /** Lab time the timer fires at (Infinity when none). */
  private timerAt = Infinity;
  private disposed = false;

  constructor(options: TeamsGatewayOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.profile = Object.freeze({ ...DEFAULT_GATEWAY_PROFILE, ...options.profile });
    this.random = options.random ?? cryptoRandomInt;
    this.baseMacs = options.baseMacs ?? (() => []);
    this.labNetwork = options.labNetwork;
    const saved = this.store.list<{ secret: string }>(GATEWAY_KIND)[0];
    this.secret = saved?.secret ?? randomBytes(16).toString('hex');
    if (!saved) this.store.put(GATEWAY_KIND, 'secret', { secret: this.secret });
    this.tenantDoc = this.store.list<Tenant>(TENANT_KIND)[0];
    for (const u of this.store.list<TeamsUser>(USER_KIND)) this.usersByUpn.set(u.upn.toLowerCase(), u);
    for (const s of this.store.list<LabSite>(SITE_KIND)) this.sitesById.set(s.id, s);
    for (const d of this.store.list<TeamsDevice>(DEVICE_KIND)) this.devicesById.set(d.hardwareId, d);
    for (const x of this.store.list<{ hardwareId: string }>(DND_KIND)) this.dnd.add(x.hardwareId);
    if (!this.tenantDoc && options.seed) this.createTenant(options.seed);
    this.reschedule();
    this.bulk = new BulkSignInService({ gateway: this, store: this.store, clock: this.clock, profile: this.profile });
  }

  /** Lab-clock time (pages show deadlines relative to it). */
  clockNow(): number {
    return this.clock.now();
  }

  // ─── Tenant ──────────────────────────────────────────────────────────────────────────────────────────────────

  /** The lab's tenant; throws TENANT_MISSING in a lab created without one. */
  get tenant(): Tenant {
    if (!this.tenantDoc) throw new ERR_TENANT_MISSING();
    return this.tenantDoc;
  }

  get hasTenant(): boolean {
    return this.tenantDoc !== undefined;
  }

  /** Creates the tenant, its users and the lab sites (used for the default lab). */
  createTenant(seed: TenantSeed): Tenant {
    if (this.tenantDoc) throw new ERR_TENANT_EXISTS(this.tenantDoc.organizationName);
    if (!isGuid(seed.tenant.id)) throw new ERR_TENANT_ID_INVALID(seed.tenant.id);
    this.saveTenant({ ...seed.tenant, id: seed.tenant.id.toLowerCase() });
    for (const u of seed.users) this.saveUser({ ...u, tenantId: this.tenant.id });
    for (const s of seed.sites) this.saveSite(s);
    return this.tenant;
  }

  updateTenant(patch: { organizationName?: string }): Tenant {
    const name = patch.organizationName?.trim();
    if (name !== undefined && (name === '' || name.length > 64)) {
      throw new ERR_TENANT_NAME_INVALID();
    }
    this.saveTenant({ ...this.tenant, ...(name ? { organizationName: name } : {}) });
    this.policiesChanged();
    return this.tenant;
  }

  users(): TeamsUser[] {
    return [...this.usersByUpn.values()];
  }

  user(upn: string): TeamsUser | undefined {
    return this.usersByUpn.get(upn.trim().toLowerCase());
  }

  addUser(input: Omit<TeamsUser, 'tenantId'>): TeamsUser {
    const upn = input.upn.trim();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(upn)) throw new ERR_USER_UPN_INVALID(upn, this.tenant.domain);
    if (this.user(upn)) throw new ERR_USER_EXISTS(upn);
    const user: TeamsUser = { ...input, upn, tenantId: this.tenant.id };
    this.checkUser(user);
    this.saveUser(user);
    return user;
  }

  updateUser(upn: string, patch: UserPatch): TeamsUser {
    const before = this.user(upn);
    if (!before) throw new ERR_USER_NOT_FOUND(upn);
    const next: TeamsUser = {
      ...before,
      ...(patch.displayName !== undefined ? { displayName: patch.displayName.trim() } : {}),
      ...(patch.phoneNumber !== undefined ? { phoneNumber: patch.phoneNumber === null || patch.phoneNumber === '' ? null : patch.phoneNumber.replace(/[\s()-]/g, '') } : {}),
      ...(patch.licence !== undefined ? { licence: patch.licence } : {}),
      ...(patch.mfa !== undefined ? { mfa: patch.mfa } : {}),
      ...(patch.password !== undefined ? { password: { ...before.password, ...patch.password } } : {}),
      ...(patch.callingPolicy !== undefined ? { callingPolicy: patch.callingPolicy === GLOBAL ? null : patch.callingPolicy } : {}),
      ...(patch.ipPhonePolicy !== undefined ? { ipPhonePolicy: patch.ipPhonePolicy === GLOBAL ? null : patch.ipPhonePolicy } : {}),
      ...(patch.note !== undefined ? { note: patch.note } : {}),
      ...(patch.onPremisesSynced !== undefined ? { onPremisesSynced: patch.onPremisesSynced } : {}),
    };
    this.checkUser(next);
    this.saveUser(next);
    this.policiesChanged();
    return next;
  }

  /** Creates or changes a calling policy (`New-`/`Set-CsTeamsCallingPolicy`). */
  setCallingPolicy(identity: string, patch: Partial<Omit<CallingPolicy, 'identity'>>): CallingPolicy {
    const id = checkIdentity(identity);
    const existing = this.tenant.callingPolicies.find((p) => p.identity === id);
    const policy: CallingPolicy = {
      identity: id,
      description: patch.description ?? existing?.description ?? '',
      allowSipDevicesCalling: patch.allowSipDevicesCalling ?? existing?.allowSipDevicesCalling ?? false,
      allowCallRedirect: patch.allowCallRedirect ?? existing?.allowCallRedirect ?? 'Enabled',
    };
    const policies = existing ? this.tenant.callingPolicies.map((p) => (p.identity === id ? policy : p)) : [...this.tenant.callingPolicies, policy];
    this.saveTenant({ ...this.tenant, callingPolicies: policies });
    this.policiesChanged();
    return policy;
  }

  /** Creates or changes an IP phone policy (`New-`/`Set-CsTeamsIPPhonePolicy`). */
  setIpPhonePolicy(identity: string, patch: Partial<Omit<IpPhonePolicy, 'identity'>>): IpPhonePolicy {
    const id = checkIdentity(identity);
    if (patch.signInMode !== undefined && !SIGN_IN_MODES.includes(patch.signInMode)) {
      throw new ERR_SIGN_IN_MODE_INVALID(SIGN_IN_MODES.join(', '));
    }
    const existing = this.tenant.ipPhonePolicies.find((p) => p.identity === id);
    const policy: IpPhonePolicy = {
      identity: id,
      description: patch.description ?? existing?.description ?? '',
      signInMode: patch.signInMode ?? existing?.signInMode ?? ('UserSignIn' satisfies SignInMode),
    };
    const policies = existing ? this.tenant.ipPhonePolicies.map((p) => (p.identity === id ? policy : p)) : [...this.tenant.ipPhonePolicies, policy];
    this.saveTenant({ ...this.tenant, ipPhonePolicies: policies });
    this.policiesChanged();
    return policy;
  }

  /** `Set-CsTeamsSipDevicesConfiguration -Identity Global -BulkSignIn Enabled|Disabled`. */
  setBulkSignIn(value: 'Enabled' | 'Disabled'): Tenant {
    if (value !== 'Enabled' && value !== 'Disabled') throw new ERR_BULK_SIGN_IN_INVALID();
    this.saveTenant({ ...this.tenant, sipDevicesConfiguration: { identity: 'Global', bulkSignIn: value } });
    return this.tenant;
  }

  setTrustedIps(trustedIps: string[]): Tenant {
    const bad = trustedIps.filter((ip) => !isIpv4Range(ip.trim()));
    if (bad.length) throw new ERR_TRUSTED_IP_INVALID(bad.join(', '));
    this.saveTenant({ ...this.tenant, network: { ...this.tenant.network, trustedIps: trustedIps.map((ip) => ip.trim()) } });
    return this.tenant;
  }

  sites(): LabSite[] {
    return [...this.sitesById.values()];
  }

  /** Adds or changes a lab site and the public IP the gateway sees for it. */
  setSite(site: LabSite): LabSite {
    if (!/^[a-z0-9][a-z0-9-]{0,31}$/.test(site.id)) throw new ERR_SITE_ID_INVALID();
    if (!isIpv4(site.publicIp)) throw new ERR_SITE_IP_INVALID(site.publicIp);
    const saved = { id: site.id, name: site.name.trim() || site.id, publicIp: site.publicIp };
    this.saveSite(saved);
    return saved;
  }

  // ─── Devices ─────────────────────────────────────────────────────────────────────────────────────────────────

  devices(): DeviceView[] {
    return [...this.devicesById.values()].map((d) => this.view(d));
  }

  device(hardwareId: string): DeviceView | undefined {
    const id = normalizeHardwareId(hardwareId);
    const d = id ? this.devicesById.get(id) : undefined;
    return d ? this.view(d) : undefined;
  }

  /** Like {@link device} but throws DEVICE_NOT_FOUND. */
  requireDevice(hardwareId: string): DeviceView {
    const d = this.device(hardwareId);
    if (!d) throw new ERR_DEVICE_NOT_FOUND(hardwareId);
    return d;
  }

  /**
   * Provision devices → Waiting on activation → Add / Upload MAC addresses. Every row is checked first; nothing is
   * added unless all rows are good.
   */
  addDevices(rows: Array<{ row?: number; macAddress: string; location?: string }>, from: TeamsDevice['addedFrom']): AddDevicesResult {
    const problems: Array<{ row: number; macAddress?: string; message: string }> = [];
    const accepted: Array<{ hardwareId: string; location: string }> = [];
    const seen = new Map<string, number>();
    const baseMacs = [...this.baseMacs()];
    rows.forEach((r, i) => {
      const row = r.row ?? i + 1;
      const location = (r.location ?? '').trim();
      const checked = checkHardwareId(r.macAddress, { baseMacs, refuseBaseMacs: this.profile.refuseBaseMacs });
      if (!checked.ok) {
        problems.push({ row, macAddress: r.macAddress, message: checked.message });
        return;
      }
      const id = checked.hardwareId;
      const existing = this.devicesById.get(id);
      if (existing && existing.state !== 'offboarded') {
        problems.push({ row, macAddress: r.macAddress, message: `${formatHardwareId(id)} has already been added (${this.view(existing).list}).` });
      } else if (seen.has(id)) {
        problems.push({ row, macAddress: r.macAddress, message: `${formatHardwareId(id)} is also on row ${seen.get(id)}.` });
      } else if (location.length > 128) {
        problems.push({ row, macAddress: r.macAddress, message: 'Location can have at most 128 characters.' });
      } else {
        seen.set(id, row);
        accepted.push({ hardwareId: id, location });
      }
    });
    if (rows.length === 0) problems.push({ row: 0, message: 'Add at least one MAC address.' });
    if (problems.length) return { ok: false, problems };
    const at = this.clock.now();
    const added = accepted.map(({ hardwareId, location }) => {
      const device = newDevice(hardwareId, this.tenant.id, location, from, at);
      this.devicesById.set(hardwareId, device);
      this.store.put(DEVICE_KIND, hardwareId, device);
      this.emit('provisioned', device);
      this.scheduleFor(device);
      return this.view(device);
    });
    return { ok: true, added };
  }

  /** Generate verification code: a new 6-digit code valid 24 hours; it replaces the device's previous code. */
  generateVerificationCode(hardwareId: string): IssuedCode {
    const device = this.requireDevice(hardwareId);
    if (device.state !== 'provisioned') {
      throw new ERR_DEVICE_NOT_WAITING_ON_ACTIVATION(device.macAddress, device.list);
    }
    const at = this.clock.now();
    const code: IssuedCode = { code: newVerificationCode(this.random), issuedAt: at, expiresAt: at + this.profile.verificationCodeMs };
    this.apply(device.hardwareId, { type: 'GENERATE_CODE', at, code });
    this.emitFor('code-generated', device.hardwareId);
    return code;
  }

  /**
   * Enrollment: the device dialled `*55*<code>` through the gateway of `region`. On success the device moves from
   * Waiting on activation to Waiting for sign in; the device plays three busy tones and shows Sign in [seed 000].
   */
  enroll(hardwareId: string, code: string, region: Region): EnrollResult {
    const id = normalizeHardwareId(hardwareId);
    const device = id ? this.devicesById.get(id) : undefined;
    if (!id || !device) return { ok: false, code: 'DEVICE_NOT_FOUND', message: 'Device not found in records.' };
    const at = this.clock.now();
    const digits = normalizeVerificationCode(code);
    const refusal = enrollmentRefusal(device, digits, region, at);
    if (refusal) {
      if (refusal.code !== 'DEVICE_NOT_FOUND') this.apply(id, { type: 'NOTE', at, text: `*55* enrollment refused via ${region}: ${refusal.message}` });
      return { ok: false, ...refusal };
    }
    this.apply(id, { type: 'ENROLL', at, code: digits, region });
    const change = this.emitFor('enrolled', id);
    return { ok: true, device: change.device };
  }

  /**
   * Sign in a user (admin center) or the Sign in soft key (device): issues a pairing code shown with the device login
   * URL. A new request replaces the previous code.
   */
  requestPairingCode(hardwareId: string, from: CodeSource, region?: Region): { code: string; url: string; expiresAt: number } {
    const device = this.requireDevice(hardwareId);
    if (region !== undefined && device.region !== null && device.region !== region) {
      throw new ERR_DEVICE_NOT_FOUND_2();
    }
    if (device.state !== 'enrolled' && device.state !== 'signedOut') {
      const why = device.state === 'signedIn' ? `it is signed in as ${device.user?.upn}; sign it out first` : `it is ${device.list}`;
      throw new ERR_DEVICE_NOT_WAITING_FOR_SIGN_IN(device.macAddress, why);
    }
    const at = this.clock.now();
    let code = newPairingCode(this.random);
    while (this.findPairing(code)) code = newPairingCode(this.random);
    this.apply(device.hardwareId, {
      type: 'REQUEST_PAIRING',
      at,
      pairing: { code, issuedAt: at, expiresAt: at + this.profile.pairingCodeMs, requestedFrom: from },
    });
    const pairing = { code, url: DEVICE_LOGIN_URL, expiresAt: at + this.profile.pairingCodeMs };
    this.emitFor('pairing-code', device.hardwareId, { pairing });
    return pairing;
  }

  /** What the device login page finds for a typed pairing code (not case sensitive). */
  lookupPairingCode(input: string): PairingLookup {
    const code = normalizePairingCode(input);
    const at = this.clock.now();
    const device = this.findPairing(code);
    if (device && device.pairing && at < device.pairing.expiresAt) return { ok: true, device: this.view(device) };
    const expired = device ?? [...this.devicesById.values()].find((d) => d.expiredPairing?.code === code);
    if (code.length > 0 && expired) return { ok: false, code: 'PAIRING_CODE_EXPIRED', message: PAIRING_MESSAGES.PAIRING_CODE_EXPIRED };
    return { ok: false, code: 'PAIRING_CODE_INVALID', message: PAIRING_MESSAGES.PAIRING_CODE_INVALID };
  }

  /**
   * The user approved the sign-in on the device login page. The gateway checks the prerequisites; on success the
   * device is signed in and told to fetch its provisioning file again (check-sync), which gives it the user's line.
   */
  signIn(pairingCode: string, upn: string): SignInResult {
    const found = this.lookupPairingCode(pairingCode);
    if (!found.ok) return { ...found, problems: [] };
    const at = this.clock.now();
    const user = this.user(upn);
    const problems = signInProblems(this.tenant, user, 'interactive');
    if (!user || problems.length) {
      this.apply(found.device.hardwareId, { type: 'NOTE', at, text: `Sign-in of ${upn} refused: ${problems.map((p) => p.message).join(' ')}` });
      return { ok: false, code: 'PREREQUISITES', message: `${upn} cannot be signed in to a SIP device.`, problems };
    }
    const device = this.completeSignIn(found.device.hardwareId, { type: 'SIGN_IN', at, user: this.deviceUser(user) });
    return { ok: true, device, user };
  }

  /** The one way a device becomes signed in (pairing code or bulk): record, then check-sync so it fetches the line. */
  private completeSignIn(hardwareId: string, event: Extract<DeviceEvent, { type: 'SIGN_IN' | 'BULK_SIGN_IN' }>): DeviceView {
    if (!this.apply(hardwareId, event)) throw new ERR_DEVICE_NOT_WAITING_FOR_SIGN_IN_2(formatHardwareId(hardwareId));
    return this.emitFor('signed-in', hardwareId, { checkSync: true }).device;
  }

  /** Sign out from the device (Sign-Out) or from the admin center (device details → Actions → Sign out). */
  signOut(hardwareId: string, by: CodeSource): DeviceView {
    const device = this.requireDevice(hardwareId);
    if (device.state !== 'signedIn') throw new ERR_DEVICE_NOT_SIGNED_IN(device.macAddress);
    this.apply(device.hardwareId, { type: 'SIGN_OUT', at: this.clock.now(), by });
    return this.emitFor('signed-out', device.hardwareId, { checkSync: true }).device;
  }

  /** Restart (SIP devices → select a device): the device is told to re-provision and restart. */
  restart(hardwareId: string): DeviceView {
    const device = this.requireDevice(hardwareId);
    if (device.state !== 'signedIn' && device.state !== 'signedOut') {
      throw new ERR_DEVICE_NOT_IN_INVENTORY(device.macAddress, device.list);
    }
    this.apply(device.hardwareId, { type: 'RESTART', at: this.clock.now() });
    return this.emitFor('restart', device.hardwareId, { checkSync: true, reboot: true }).device;
  }

  setLocation(hardwareId: string, location: string): DeviceView {
    const device = this.requireDevice(hardwareId);
    if (location.length > 128) throw new ERR_LOCATION_INVALID();
    this.apply(device.hardwareId, { type: 'SET_LOCATION', at: this.clock.now(), location: location.trim() });
    return this.requireDevice(hardwareId);
  }

  /** The device talked to the gateway of `region` (SIP registration or provisioning fetch). */
  deviceSeen(hardwareId: string, region: Region, extra: { language?: Language; bulkSignInTag?: string | null; siteId?: string; baseMac?: string } = {}): void {
    const id = normalizeHardwareId(hardwareId);
    const device = id ? this.devicesById.get(id) : undefined;
    if (!id || !device || device.state === 'offboarded' || (device.region !== null && device.region !== region)) return;
    this.apply(id, { type: 'SEEN', at: this.clock.now(), region, ...extra });
  }

  /**
   * `*30*` / `*31*` dialled on a signed-in device: Do not disturb on or off for its user's calls through the gateway
   * (persisted per device). Refused (null) for a device that is not signed in.
   */
  setDoNotDisturb(hardwareId: string, on: boolean): boolean | null {
    const d = this.deviceRecord(hardwareId);
    if (!d || d.state !== 'signedIn') return null;
    if (on) {
      this.dnd.add(d.hardwareId);
      this.store.put(DND_KIND, d.hardwareId, { hardwareId: d.hardwareId });
    } else {
      this.dnd.delete(d.hardwareId);
      this.store.remove(DND_KIND, d.hardwareId);
    }
    this.apply(d.hardwareId, { type: 'NOTE', at: this.clock.now(), text: `Do not disturb ${on ? 'on' : 'off'} (${on ? '*30*' : '*31*'} on the device)` });
    this.emitFor('do-not-disturb', d.hardwareId);
    return on;
  }

  /** Do not disturb is on for a signed-in device. */
  doNotDisturb(hardwareId: string): boolean {
    const d = this.deviceRecord(hardwareId);
    return d?.state === 'signedIn' && this.dnd.has(d.hardwareId);
  }

  onDeviceChange(listener: (change: DeviceChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ─── Bulk sign-in ────────────────────────────────────────────────────────────────────────────────────────────
  // The batch service is `this.bulk` (bulk/batch-service.ts); these are the gateway facts and the one action it uses.

  /** The stored record of a device (any state), by 12-hex hardware id. */
  deviceRecord(hardwareId: string): TeamsDevice | undefined {
    const id = normalizeHardwareId(hardwareId);
    return id ? this.devicesById.get(id) : undefined;
  }

  /**
   * Where a device is, as the gateway can tell: online when heard from within `bulkOfflineMs` and — for a device heard
   * through a lab base — that base is powered and running; its public IP is the one of the gateway site its base
   * stands at (a base's lab site names a tenant site; any other base is behind the first site's connection), else of
   * the site recorded by the control API, else of the first site. Two bases heard within `bulkOfflineMs` fetching the
   * same handset's file are two devices with one hardware id: their IPs are the duplicates'.
   */
  deviceWhereabouts(hardwareId: string): DeviceWhereabouts | undefined {
    const d = this.deviceRecord(hardwareId);
    if (!d) return undefined;
    const now = this.clock.now();
    const recent = (at: number | null) => at !== null && now - at <= this.profile.bulkOfflineMs;
    const sources = (d.sources ?? []).filter((s) => recent(s.at));
    const fallbackSite = (d.siteId ? this.sitesById.get(d.siteId) : undefined) ?? this.sites()[0];
    const ipOfBase = (mac: string) => this.siteForBase(mac)?.publicIp ?? fallbackSite?.publicIp ?? null;
    const latest = sources[0];
    const baseUp = latest === undefined || this.labNetwork === undefined || this.labNetwork.baseOnline(latest.baseMac);
    return {
      online: recent(d.lastContactAt) && baseUp,
      publicIp: latest ? ipOfBase(latest.baseMac) : (fallbackSite?.publicIp ?? null),
      duplicateIps: sources.length > 1 ? sources.map((s) => ipOfBase(s.baseMac) ?? '?') : [],
    };
  }

  /**
   * A bulk sign-in row passed every check: sign the device in through the same path as a sign-in with a pairing code
   * (same record change, same `signed-in` change with check-sync, so the base re-fetches and reboots as it would).
   */
  bulkSignInDevice(hardwareId: string, upn: string, region: Region, batchId: string): DeviceView {
    const d = this.deviceRecord(hardwareId);
    const user = this.user(upn);
    if (!d || !user) throw new ERR_DEVICE_NOT_FOUND_2();
    const at = this.clock.now();
    return this.completeSignIn(d.hardwareId, { type: 'BULK_SIGN_IN', at, user: this.deviceUser(user), region, batchId });
  }

  /** Adds a line to a device's history. */
  noteDevice(hardwareId: string, text: string): void {
    const d = this.deviceRecord(hardwareId);
    if (d) this.apply(d.hardwareId, { type: 'NOTE', at: this.clock.now(), text });
  }

  /** `Connect-MicrosoftTeams -AccountId <upn>`: the administrator the cmdlets act as from now on. */
  connectAdmin(upn: string): TenantAdmin {
    const admin = tenantAdmins(this.tenant).find((a) => sameUpn(a.upn, upn));
    if (!admin) {
      throw new ERR_ADMIN_NOT_FOUND(upn, this.tenant.organizationName, tenantAdmins(this.tenant).map((a) => a.upn).join(', '));
    }
    this.saveTenant({ ...this.tenant, admins: tenantAdmins(this.tenant), signedInAdmin: admin.upn });
    return admin;
  }

  /** Adds or changes an administrator and their roles. */
  setAdmin(input: TenantAdmin): TenantAdmin {
    const upn = input.upn.trim();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(upn)) throw new ERR_USER_UPN_INVALID_2(upn);
    const bad = input.roles.filter((r) => !ADMIN_ROLES.includes(r));
    if (bad.length) throw new ERR_ADMIN_ROLE_INVALID(bad.join(', '), ADMIN_ROLES.join(', '));
    const admin: TenantAdmin = { upn, displayName: input.displayName.trim() || upn, roles: [...new Set(input.roles)] };
    const others = tenantAdmins(this.tenant).filter((a) => !sameUpn(a.upn, upn));
    this.saveTenant({ ...this.tenant, admins: [...others, admin] });
    return admin;
  }

  /** The tenant's on-premises Active Directory as bulk sign-in depends on it. */
  setOnPremisesAd(patch: Partial<OnPremisesAd>): OnPremisesAd {
    const next = { ...onPremisesAd(this.tenant), ...patch };
    if (!Number.isInteger(next.throttleBatchSize) || next.throttleBatchSize < 1) throw new ERR_THROTTLE_INVALID();
    this.saveTenant({ ...this.tenant, onPremisesAd: next });
    return next;
  }

  /** `New-CsTenantTrustedIPAddress -IPAddress <ip> [-MaskBits <n>]`: adds one trusted IP or range. */
  addTrustedIp(ip: string, maskBits?: number): Tenant {
    const entry = maskBits === undefined || maskBits === 32 ? ip.trim() : `${ip.trim()}/${maskBits}`;
    if (!isIpv4Range(entry)) throw new ERR_TRUSTED_IP_INVALID_2(entry);
    if (this.tenant.network.trustedIps.includes(entry)) throw new ERR_TRUSTED_IP_EXISTS(entry);
    return this.setTrustedIps([...this.tenant.network.trustedIps, entry]);
  }

  /** `Remove-CsTenantTrustedIPAddress -Identity <ip[/bits]>`. */
  removeTrustedIp(entry: string): Tenant {
    const e = entry.trim().replace(/\/32$/, '');
    if (!this.tenant.network.trustedIps.includes(e)) throw new ERR_TRUSTED_IP_NOT_FOUND(entry);
    return this.setTrustedIps(this.tenant.network.trustedIps.filter((x) => x !== e));
  }

  private siteForBase(mac: string): LabSite | undefined {
    if (!this.labNetwork) return undefined;
    const name = this.labNetwork.siteOfBase(mac);
    return (name !== undefined ? this.sitesById.get(name) : undefined) ?? this.sites()[0];
  }

  // ─── Provisioning ────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * The file the provisioning service of `region` serves for `hardwareId` (`<hardwareId>.cfg`), by device state.
   * `lang` is the `lang_xx` code (unsupported → en); `tenantId` the `/tenantid/<guid>/` part, if any. Pure: use
   * {@link handleProvisioningRequest} for a real fetch, which also records that the device was seen.
   */
  provisioningFileFor(hardwareId: string, region: Region, lang?: string, tenantId?: string): ProvisioningAnswer {
    const id = normalizeHardwareId(hardwareId);
    if (!id) return { status: 404, body: `404 Not Found: "${hardwareId}" is not a device file name (12 hex digits, e.g. 000087654321.cfg)\n` };
    if (tenantId !== undefined && !isGuid(tenantId)) {
      return { status: 404, body: `404 Not Found: "${tenantId}" is not a tenant id (a GUID such as 8f6a1c2e-3b4d-4e5f-9a6b-7c8d9e0f1a2b)\n` };
    }
    const language = resolveLanguage(lang);
    const device = this.devicesById.get(id);
    const notes: string[] = [];
    if (lang !== undefined && language !== lang.toLowerCase()) notes.push(`Language "${lang}" is not supported: English is used.`);
    const known = device !== undefined && device.state !== 'offboarded' && (device.region === null || device.region === region);
    if (device && device.state !== 'offboarded' && !known) {
      notes.push(`The ${region} gateway has no record of this device (it enrolled via ${device.region}): onboarding again.`);
    }
    const onboarding = this.onboardingAccount(id);
    const base = { hardwareId: id, region, language, notes };
    if (!known || device.state === 'provisioned') {
      return { status: 200, state: 'onboarding', hardwareId: id, language, body: buildProvisioningFile({ ...base, state: 'onboarding', account: onboarding }) };
    }
    const organizationName = this.tenantDoc?.organizationName ?? '';
    if (device.state === 'signedIn' && device.user) {
      const account = this.lineAccount(id, device.user, device.signedInAt);
      return {
        status: 200,
        state: 'signed-in',
        hardwareId: id,
        language,
        body: buildProvisioningFile({ ...base, state: 'signed-in', account, organizationName, user: device.user }),
      };
    }
    return {
      status: 200,
      state: 'waiting-for-sign-in',
      hardwareId: id,
      language,
      body: buildProvisioningFile({ ...base, state: 'waiting-for-sign-in', account: onboarding, organizationName }),
    };
  }

  /** A real fetch from a device: answers like {@link provisioningFileFor} and records the contact. */
  handleProvisioningRequest(hardwareId: string, region: Region, lang?: string, tenantId?: string, viaBaseMac?: string): ProvisioningAnswer {
    const answer = this.provisioningFileFor(hardwareId, region, lang, tenantId);
    if (answer.status === 200) {
      this.deviceSeen(answer.hardwareId, region, {
        language: answer.language,
        bulkSignInTag: tenantId?.toLowerCase() ?? null,
        ...(viaBaseMac ? { baseMac: viaBaseMac } : {}),
      });
    }
    return answer;
  }

  /** The SIP account a device registers with now (for the SIP wiring), from its provisioning file. */
  sipAccountFor(hardwareId: string, region: Region): { user: string; password: string } | undefined {
    // The account provisioningFileFor puts in the file (%SIP_USER%, %SIP_PASSWORD%), without building the file: the
    // lab asks on every provisioning fetch of every base (test: gateway sipAccountFor matches the file).
    const id = normalizeHardwareId(hardwareId);
    if (!id) return undefined;
    const device = this.devicesById.get(id);
    const known = device !== undefined && device.state !== 'offboarded' && (device.region === null || device.region === region);
    if (known && device.state === 'signedIn' && device.user) return this.lineAccount(id, device.user, device.signedInAt);
    return this.onboardingAccount(id);
  }

  /** State and region of a device without building its view (the lab asks per handset on every line refresh). */
  deviceState(hardwareId: string): { state: DeviceState; region: Region | null } | undefined {
    const id = normalizeHardwareId(hardwareId);
    const d = id ? this.devicesById.get(id) : undefined;
    return d ? { state: d.state, region: d.region } : undefined;
  }

  /** Reads tenant, users, sites, devices and bulk batches again from the lab file (checkpoint restore). */
  reload(): void {
    this.usersByUpn.clear();
    this.sitesById.clear();
    this.devicesById.clear();
    this.tenantDoc = this.store.list<Tenant>(TENANT_KIND)[0];
    for (const u of this.store.list<TeamsUser>(USER_KIND)) this.usersByUpn.set(u.upn.toLowerCase(), u);
    for (const s of this.store.list<LabSite>(SITE_KIND)) this.sitesById.set(s.id, s);
    for (const d of this.store.list<TeamsDevice>(DEVICE_KIND)) this.devicesById.set(d.hardwareId, d);
    this.dnd.clear();
    for (const x of this.store.list<{ hardwareId: string }>(DND_KIND)) this.dnd.add(x.hardwareId);
    this.bulk.reload();
    this.reschedule();
  }

  /** Stops the gateway's timer (the lab closes). */
  dispose(): void {
    this.disposed = true;
    this.bulk.dispose();
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  // ─── Internals ───────────────────────────────────────────────────────────────────────────────────────────────

  private view(d: TeamsDevice): DeviceView {
    const now = this.clock.now();
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
      offboardingDueAt: this.offboardingDueAt(d),
    };
  }

  private deviceUser(user: TeamsUser): DeviceUser {
    return {
      upn: user.upn,
      displayName: user.displayName,
      phoneNumber: user.phoneNumber,
      sipCallingAllowed: effectiveCallingPolicy(this.tenant, user)?.allowSipDevicesCalling ?? false,
    };
  }

  private onboardingAccount(id: string): { user: string; password: string } {
    return { user: `onboarding-${id.toLowerCase()}`, password: this.password(`onboarding:${id}`) };
  }

  private lineAccount(id: string, user: DeviceUser, signedInAt: number | null): { user: string; password: string } {
    return { user: user.phoneNumber ?? user.upn, password: this.password(`line:${id}:${user.upn}:${signedInAt}`) };
  }

  private password(purpose: string): string {
    // Derived, not stored: the same purpose always gives the same password. Remembered (bounded) because every
    // provisioning fetch and every line refresh asks again.
    let password = this.passwords.get(purpose);
    if (password === undefined) {
      password = createHmac('sha256', this.secret).update(purpose).digest('base64url').slice(0, 20);
      if (this.passwords.size >= 20_000) this.passwords.clear();
      this.passwords.set(purpose, password);
    }
    return password;
  }

  private findPairing(code: string): TeamsDevice | undefined {
    if (code === '') return undefined;
    for (const d of this.devicesById.values()) if (d.pairing?.code === code) return d;
    return undefined;
  }

  /** Runs an event through the device machine; returns false (and changes nothing) when the machine refuses it. */
  private apply(hardwareId: string, event: DeviceEvent): boolean {
    const device = this.devicesById.get(hardwareId);
    if (!device) return false;
    const snapshot = this.snapshotOf(device);
    const next = nextDeviceSnapshot(snapshot, event);
    if (next === snapshot) return false;
    const history = next.context.history;
    const record: TeamsDevice = {
      ...next.context,
      // The machine's own array when it is short enough (records are never changed in place), so the record stays
      // exactly its snapshot's context and the next event can start from that snapshot.
      history: history.length > this.profile.historySize ? history.slice(0, this.profile.historySize) : history,
      state: next.value as DeviceState,
    };
    this.snapshots.set(record, next);
    this.devicesById.set(hardwareId, record);
    this.store.put(DEVICE_KIND, hardwareId, record);
    this.scheduleFor(record);
    return true;
  }

  /**
   * The machine snapshot of a stored record. Resolving one (`resolveState`) costs about as much as the transition
   * itself, and a record changes on every SEEN (every REGISTER and provisioning fetch), so the snapshot a record was
   * made from is kept with it and reused while the record is still exactly that snapshot's context (same value in
   * every field; the `history` slice to `historySize` or a record read from the lab file makes it resolve again).
   */
  private snapshotOf(device: TeamsDevice): DeviceSnapshot {
    const kept = this.snapshots.get(device);
    if (kept && kept.value === device.state && sameFields(kept.context, device)) return kept;
    const { state, ...context } = device;
    return deviceMachine.resolveState({ value: state, context });
  }

  private emitFor(
    kind: DeviceChange['kind'],
    hardwareId: string,
    extra: { checkSync?: boolean; reboot?: boolean; pairing?: DeviceChange['pairing'] } = {},
  ): DeviceChange {
    return this.emit(kind, this.devicesById.get(hardwareId)!, extra);
  }

  private emit(
    kind: DeviceChange['kind'],
    device: TeamsDevice,
    extra: { checkSync?: boolean; reboot?: boolean; pairing?: DeviceChange['pairing'] } = {},
  ): DeviceChange {
    const view = this.view(device);
    const change: DeviceChange = {
      kind,
      hardwareId: device.hardwareId,
      ipei: view.ipei,
      region: device.region,
      at: this.clock.now(),
      checkSync: extra.checkSync ?? false,
      reboot: extra.reboot ?? false,
      ...(extra.pairing ? { pairing: extra.pairing } : {}),
      device: view,
    };
    for (const listener of this.listeners) listener(change);
    return change;
  }

  private offboardingDueAt(d: TeamsDevice): number | null {
    const since = d.lastContactAt ?? d.enrolledAt;
    if (since === null) return null;
    if (d.state === 'signedIn') return since + this.profile.offboardPairedMs;
    if (d.state === 'enrolled' || d.state === 'signedOut') return since + this.profile.offboardUnpairedMs;
    return null;
  }

  /** Deadlines that must act (not just be checked when a code is used). */
  private dueTimes(d: TeamsDevice): number[] {
    const times: number[] = [];
    const offboard = this.offboardingDueAt(d);
    if (offboard !== null) times.push(offboard);
    if (d.policySyncDueAt !== null) times.push(d.policySyncDueAt);
    if (d.pairing) times.push(d.pairing.expiresAt);
    return times;
  }

  /** One lab-clock timer for the earliest deadline of all devices (a scan of every device: start, reload, sweep). */
  private reschedule(): void {
    if (this.disposed) return;
    let next = Infinity;
    for (const d of this.devicesById.values()) for (const t of this.dueTimes(d)) next = Math.min(next, t);
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = next;
    if (next === Infinity) return;
    this.timer = this.clock.setTimeout(() => this.sweep(), Math.max(0, next - this.clock.now()));
  }

  /**
   * One device changed: bring the timer forward if it has an earlier deadline. A deadline that moved later leaves
   * the timer early; the sweep then finds nothing due and rescans. This keeps a change O(1) instead of a scan of every
   * device (1,000 sign-ins would otherwise be 1,000,000 deadline checks).
   */
  private scheduleFor(d: TeamsDevice): void {
    if (this.disposed) return;
    let next = Infinity;
    for (const t of this.dueTimes(d)) next = Math.min(next, t);
    if (next >= this.timerAt) return;
    this.clock.clearTimeout(this.timer);
    this.timerAt = next;
    this.timer = this.clock.setTimeout(() => this.sweep(), Math.max(0, next - this.clock.now()));
  }

  private sweep(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const at = this.clock.now();
    for (const d of [...this.devicesById.values()]) {
      const offboard = this.offboardingDueAt(d);
      if (offboard !== null && offboard <= at) {
        const days = Math.round((d.state === 'signedIn' ? this.profile.offboardPairedMs : this.profile.offboardUnpairedMs) / 86_400_000);
        const reason = `disconnected for ${days} days (${d.state === 'signedIn' ? 'paired' : 'unpaired'}); factory reset the device to use it again`;
        if (this.apply(d.hardwareId, { type: 'OFFBOARD', at, reason })) this.emitFor('offboarded', d.hardwareId);
        continue;
      }
      if (d.policySyncDueAt !== null && d.policySyncDueAt <= at && d.user) {
        const user = this.user(d.user.upn);
        const fresh = user ? this.deviceUser(user) : { ...d.user, sipCallingAllowed: false };
        if (this.apply(d.hardwareId, { type: 'POLICY_SYNCED', at, user: fresh })) this.emitFor('policy-sync', d.hardwareId, { checkSync: true });
      }
      if (d.pairing && d.pairing.expiresAt <= at) {
        if (this.apply(d.hardwareId, { type: 'PAIRING_EXPIRED', at })) this.emitFor('pairing-expired', d.hardwareId);
      }
    }
    this.reschedule();
  }

  /** After a tenant change: signed-in devices whose user details or policies changed get a sync within the hour. */
  private policiesChanged(): void {
    const at = this.clock.now();
    for (const d of [...this.devicesById.values()]) {
      if (d.state !== 'signedIn' || !d.user) continue;
      const user = this.user(d.user.upn);
      const fresh = user ? this.deviceUser(user) : { ...d.user, sipCallingAllowed: false };
      if (JSON.stringify(fresh) !== JSON.stringify(d.user)) {
        this.apply(d.hardwareId, { type: 'POLICY_CHANGED', at, dueAt: at + this.profile.policySyncMs });
      }
    }
  }

  private checkUser(user: TeamsUser): void {
    if (user.displayName.trim() === '' || user.displayName.length > 128) throw new ERR_USER_NAME_INVALID();
    if (user.phoneNumber !== null && !isE164(user.phoneNumber)) {
      throw new ERR_PHONE_NUMBER_INVALID(user.phoneNumber);
    }
    if (user.licence !== null && !Object.hasOwn(LICENCES, user.licence)) {
      throw new ERR_LICENCE_INVALID(Object.keys(LICENCES).join(', '));
    }
    if (user.callingPolicy !== null && !this.tenant.callingPolicies.some((p) => p.identity === user.callingPolicy)) {
      throw new ERR_POLICY_NOT_FOUND(user.callingPolicy);
    }
    if (user.ipPhonePolicy !== null && !this.tenant.ipPhonePolicies.some((p) => p.identity === user.ipPhonePolicy)) {
      throw new ERR_POLICY_NOT_FOUND_2(user.ipPhonePolicy);
    }
    const age = user.password.minimumAgeDays;
    if (!Number.isInteger(age) || age < 0 || age > 998) throw new ERR_PASSWORD_AGE_INVALID();
  }

  private saveTenant(tenant: Tenant): void {
    this.tenantDoc = tenant;
    this.store.put(TENANT_KIND, tenant.id, tenant);
  }

  private saveUser(user: TeamsUser): void {
    this.usersByUpn.set(user.upn.toLowerCase(), user);
    this.store.put(USER_KIND, `${user.tenantId}/${user.upn.toLowerCase()}`, user);
  }

  private saveSite(site: LabSite): void {
    this.sitesById.set(site.id, site);
    this.store.put(SITE_KIND, site.id, site);
  }
}

function newDevice(hardwareId: string, tenantId: string, location: string, from: TeamsDevice['addedFrom'], at: number): TeamsDevice {
  return {
    hardwareId,
    tenantId,
    state: 'provisioned',
    location,
    addedAt: at,
    addedFrom: from,
    region: null,
    verificationCode: null,
    spentCodes: [],
    enrolledAt: null,
    pairing: null,
    expiredPairing: null,
    user: null,
    lastUser: null,
    signedInAt: null,
    signedOutAt: null,
    everSignedIn: false,
    lastContactAt: null,
    lastContactRegion: null,
    siteId: null,
    bulkSignInTag: null,
    language: 'en',
    policySyncDueAt: null,
    restartRequestedAt: null,
    offboardedAt: null,
    history: [{ at, text: `Added (${from === 'upload' ? 'Upload MAC addresses' : from === 'api' ? 'control API' : 'Add MAC addresses'})` }],
  };
}

/** `device` is `context` plus its `state`: every field of the context holds the very same value in the record. */
function sameFields(context: DeviceContext, device: TeamsDevice): boolean {
  let n = 0;
  for (const key in context) {
    if ((context as Record<string, unknown>)[key] !== (device as unknown as Record<string, unknown>)[key]) return false;
    n++;
  }
  let m = 0;
  for (const key in device) if (key !== 'state') m++;
  return n === m;
}

function checkIdentity(identity: string): string {
  const id = identity.trim().replace(/^Tag:/i, '');
  if (!/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/.test(id)) throw new ERR_POLICY_IDENTITY_INVALID(identity);
  return id;
}

