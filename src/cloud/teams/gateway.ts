/**
 * The emulated Microsoft Teams SIP Gateway: the one object the lab, the Teams admin center, the device login page, the
 * provisioning service, the control API and (through the SIP wiring) the handsets use. It is the composition root of
 * its parts and holds no state of its own:
 *
 * - `tenant/tenant-directory.ts`: the tenant, users, policies, administrators, trusted IPs and sites;
 * - `devices/device-records.ts`: the device records (through `deviceMachine`, state diagram in device-machine.ts) and
 *   the change announcements; `devices/device-deadlines.ts` its one timer (offboarding, policy sync, pairing expiry);
 *   `devices/device-inventory.ts`, `enrollment.ts`, `device-sign-in.ts`, `do-not-disturb.ts`, `device-whereabouts.ts`
 *   what is done to and known of a device;
 * - `provisioning/provisioning-answers.ts`: the files the provisioning service answers, with the SIP accounts of
 *   `provisioning/sip-accounts.ts`;
 * - `bulk/batch-service.ts`: bulk sign-in batches (`this.bulk`).
 *
 * Everything is persisted through the document store (the lab file), and all time comes from the lab clock.
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
import type { DocumentStore } from '../../kernel/document-store.ts';
import type { Clock } from '../../kernel/virtual-clock.ts';
import { BulkSignInService } from './bulk/batch-service.ts';
import type { DeviceWhereabouts } from './bulk/bulk-checks.ts';
import { cryptoRandomInt, type RandomInt } from './devices/codes.ts';
import type { DeviceChange } from './devices/device-change.ts';
import { DeviceDeadlines } from './devices/device-deadlines.ts';
import { type AddDevicesResult, DeviceInventory } from './devices/device-inventory.ts';
import type { CodeSource, DeviceState, IssuedCode, TeamsDevice } from './devices/device-machine.ts';
import { DeviceRecords } from './devices/device-records.ts';
import { DeviceSignIn, type PairingLookup, type SignInResult } from './devices/device-sign-in.ts';
import type { DeviceView } from './devices/device-view.ts';
import { type LabNetwork, whereaboutsOf } from './devices/device-whereabouts.ts';
import { DoNotDisturb } from './devices/do-not-disturb.ts';
import { type EnrollResult, Enrollment } from './devices/enrollment.ts';
import { DEFAULT_GATEWAY_PROFILE, type GatewayProfile } from './gateway-profile.ts';
import { type ProvisioningAnswer, ProvisioningAnswers } from './provisioning/provisioning-answers.ts';
import { SipAccounts } from './provisioning/sip-accounts.ts';
import type { Language, Region } from './regions.ts';
import type { TenantSeed } from './tenant/default-tenant.ts';
import { TenantDirectory, type UserPatch } from './tenant/tenant-directory.ts';
import type { CallingPolicy, IpPhonePolicy, LabSite, OnPremisesAd, Tenant, TenantAdmin, TeamsUser } from './tenant/tenant-model.ts';

export { DEVICE_KIND } from './devices/device-records.ts';
export { PAIRING_MESSAGES } from './devices/device-sign-in.ts';
export { SITE_KIND, TENANT_KIND, USER_KIND } from './tenant/tenant-directory.ts';
export type { AddDevicesResult, DeviceChange, DeviceView, EnrollResult, LabNetwork, PairingLookup, ProvisioningAnswer, SignInResult, UserPatch };

export interface TeamsGatewayOptions {
  store: DocumentStore;
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

export class TeamsGateway {
  readonly profile: Readonly<GatewayProfile>;
  /** The bulk sign-in batch service (`New-CsSdgBulkSignInRequest` and friends). */
  readonly bulk: BulkSignInService;
  private readonly clock: Clock;
  private readonly labNetwork: LabNetwork | undefined;
  private readonly accounts: SipAccounts;
  private readonly directory: TenantDirectory;
  private readonly records: DeviceRecords;
  private readonly deadlines: DeviceDeadlines;
  private readonly inventory: DeviceInventory;
  private readonly enrollment: Enrollment;
  private readonly signIns: DeviceSignIn;
  private readonly dnd: DoNotDisturb;
  private readonly provisioning: ProvisioningAnswers;

  constructor(options: TeamsGatewayOptions) {
    const { store, clock } = options;
    this.clock = clock;
    const profile = Object.freeze({ ...DEFAULT_GATEWAY_PROFILE, ...options.profile });
    this.profile = profile;
    const random = options.random ?? cryptoRandomInt;
    this.labNetwork = options.labNetwork;
    // The order the parts read and write the store in is the order the gateway always had (the lab file's rows and a
    // checkpoint's documents come out in that order): secret, tenant, users, sites, devices, Do not disturb.
    this.accounts = new SipAccounts(store);
    this.directory = new TenantDirectory({ store, onPoliciesChanged: () => this.deadlines.policiesChanged() });
    this.records = new DeviceRecords({ store, clock, profile, onRecordChanged: (record) => this.deadlines.scheduleFor(record) });
    this.deadlines = new DeviceDeadlines({ records: this.records, tenant: this.directory, clock, profile });
    this.dnd = new DoNotDisturb({ store, records: this.records, clock });
    this.inventory = new DeviceInventory({
      records: this.records,
      deadlines: this.deadlines,
      tenant: this.directory,
      clock,
      profile,
      baseMacs: options.baseMacs ?? (() => []),
    });
    this.enrollment = new Enrollment({ records: this.records, clock, profile, random });
    this.signIns = new DeviceSignIn({ records: this.records, tenant: this.directory, clock, profile, random });
    this.provisioning = new ProvisioningAnswers({ records: this.records, inventory: this.inventory, tenant: this.directory, accounts: this.accounts });
    if (!this.directory.hasTenant && options.seed) this.directory.createTenant(options.seed);
    this.deadlines.reschedule();
    this.bulk = new BulkSignInService({ gateway: this, store, clock, profile });
  }

  /** Lab-clock time (pages show deadlines relative to it). */
  clockNow(): number {
    return this.clock.now();
  }

  // ─── Tenant (tenant/tenant-directory.ts) ─────────────────────────────────────────────────────────────────────

  /** The lab's tenant; throws TENANT_MISSING in a lab created without one. */
  get tenant(): Tenant {
    return this.directory.tenant;
  }

  get hasTenant(): boolean {
    return this.directory.hasTenant;
  }

  /** Creates the tenant, its users and the lab sites (used for the default lab). */
  createTenant(seed: TenantSeed): Tenant {
    return this.directory.createTenant(seed);
  }

  updateTenant(patch: { organizationName?: string }): Tenant {
    return this.directory.updateTenant(patch);
  }

  users(): TeamsUser[] {
    return this.directory.users();
  }

  user(upn: string): TeamsUser | undefined {
    return this.directory.user(upn);
  }

  addUser(input: Omit<TeamsUser, 'tenantId'>): TeamsUser {
    return this.directory.addUser(input);
  }

  updateUser(upn: string, patch: UserPatch): TeamsUser {
    return this.directory.updateUser(upn, patch);
  }

  /** Creates or changes a calling policy (`New-`/`Set-CsTeamsCallingPolicy`). */
  setCallingPolicy(identity: string, patch: Partial<Omit<CallingPolicy, 'identity'>>): CallingPolicy {
    return this.directory.setCallingPolicy(identity, patch);
  }

  /** Creates or changes an IP phone policy (`New-`/`Set-CsTeamsIPPhonePolicy`). */
  setIpPhonePolicy(identity: string, patch: Partial<Omit<IpPhonePolicy, 'identity'>>): IpPhonePolicy {
    return this.directory.setIpPhonePolicy(identity, patch);
  }

  /** `Set-CsTeamsSipDevicesConfiguration -Identity Global -BulkSignIn Enabled|Disabled`. */
  setBulkSignIn(value: 'Enabled' | 'Disabled'): Tenant {
    return this.directory.setBulkSignIn(value);
  }

  setTrustedIps(trustedIps: string[]): Tenant {
    return this.directory.setTrustedIps(trustedIps);
  }

  /** `New-CsTenantTrustedIPAddress -IPAddress <ip> [-MaskBits <n>]`: adds one trusted IP or range. */
  addTrustedIp(ip: string, maskBits?: number): Tenant {
    return this.directory.addTrustedIp(ip, maskBits);
  }

  /** `Remove-CsTenantTrustedIPAddress -Identity <ip[/bits]>`. */
  removeTrustedIp(entry: string): Tenant {
    return this.directory.removeTrustedIp(entry);
  }

  sites(): LabSite[] {
    return this.directory.sites();
  }

  /** Adds or changes a lab site and the public IP the gateway sees for it. */
  setSite(site: LabSite): LabSite {
    return this.directory.setSite(site);
  }

  /** `Connect-MicrosoftTeams -AccountId <upn>`: the administrator the cmdlets act as from now on. */
  connectAdmin(upn: string): TenantAdmin {
    return this.directory.connectAdmin(upn);
  }

  /** Adds or changes an administrator and their roles. */
  setAdmin(input: TenantAdmin): TenantAdmin {
    return this.directory.setAdmin(input);
  }

  /** The tenant's on-premises Active Directory as bulk sign-in depends on it. */
  setOnPremisesAd(patch: Partial<OnPremisesAd>): OnPremisesAd {
    return this.directory.setOnPremisesAd(patch);
  }

  // ─── Devices (devices/) ──────────────────────────────────────────────────────────────────────────────────────

  devices(): DeviceView[] {
    return this.records.devices();
  }

  device(hardwareId: string): DeviceView | undefined {
    return this.records.device(hardwareId);
  }

  /** Like {@link device} but throws DEVICE_NOT_FOUND. */
  requireDevice(hardwareId: string): DeviceView {
    return this.records.requireDevice(hardwareId);
  }

  /** The stored record of a device (any state), by 12-hex hardware id. */
  deviceRecord(hardwareId: string): TeamsDevice | undefined {
    return this.records.record(hardwareId);
  }

  /** State and region of a device without building its view (the lab asks per handset on every line refresh). */
  deviceState(hardwareId: string): { state: DeviceState; region: Region | null } | undefined {
    return this.records.deviceState(hardwareId);
  }

  onDeviceChange(listener: (change: DeviceChange) => void): () => void {
    return this.records.onDeviceChange(listener);
  }

  /**
   * Provision devices → Waiting on activation → Add / Upload MAC addresses. Every row is checked first; nothing is
   * added unless all rows are good.
   */
  addDevices(rows: Array<{ row?: number; macAddress: string; location?: string }>, from: TeamsDevice['addedFrom']): AddDevicesResult {
    return this.inventory.addDevices(rows, from);
  }

  /** Restart (SIP devices → select a device): the device is told to re-provision and restart. */
  restart(hardwareId: string): DeviceView {
    return this.inventory.restart(hardwareId);
  }

  setLocation(hardwareId: string, location: string): DeviceView {
    return this.inventory.setLocation(hardwareId, location);
  }

  /** The device talked to the gateway of `region` (SIP registration or provisioning fetch). */
  deviceSeen(hardwareId: string, region: Region, extra: { language?: Language; bulkSignInTag?: string | null; siteId?: string; baseMac?: string } = {}): void {
    this.inventory.deviceSeen(hardwareId, region, extra);
  }

  /** Adds a line to a device's history. */
  noteDevice(hardwareId: string, text: string): void {
    this.inventory.noteDevice(hardwareId, text);
  }

  /** Generate verification code: a new 6-digit code valid 24 hours; it replaces the device's previous code. */
  generateVerificationCode(hardwareId: string): IssuedCode {
    return this.enrollment.generateVerificationCode(hardwareId);
  }

  /**
   * Enrollment: the device dialled `*55*<code>` through the gateway of `region`. On success the device moves from
   * Waiting on activation to Waiting for sign in; the device plays three busy tones and shows Sign in [seed 000].
   */
  enroll(hardwareId: string, code: string, region: Region): EnrollResult {
    return this.enrollment.enroll(hardwareId, code, region);
  }

  /**
   * Sign in a user (admin center) or the Sign in soft key (device): issues a pairing code shown with the device login
   * URL. A new request replaces the previous code.
   */
  requestPairingCode(hardwareId: string, from: CodeSource, region?: Region): { code: string; url: string; expiresAt: number } {
    return this.signIns.requestPairingCode(hardwareId, from, region);
  }

  /** What the device login page finds for a typed pairing code (not case sensitive). */
  lookupPairingCode(input: string): PairingLookup {
    return this.signIns.lookupPairingCode(input);
  }

  /**
   * The user approved the sign-in on the device login page. The gateway checks the prerequisites; on success the
   * device is signed in and told to fetch its provisioning file again (check-sync), which gives it the user's line.
   */
  signIn(pairingCode: string, upn: string): SignInResult {
    return this.signIns.signIn(pairingCode, upn);
  }

  /** Sign out from the device (Sign-Out) or from the admin center (device details → Actions → Sign out). */
  signOut(hardwareId: string, by: CodeSource): DeviceView {
    return this.signIns.signOut(hardwareId, by);
  }

  /**
   * `*30*` / `*31*` dialled on a signed-in device: Do not disturb on or off for its user's calls through the gateway
   * (persisted per device). Refused (null) for a device that is not signed in.
   */
  setDoNotDisturb(hardwareId: string, on: boolean): boolean | null {
    return this.dnd.set(hardwareId, on);
  }

  /** Do not disturb is on for a signed-in device. */
  doNotDisturb(hardwareId: string): boolean {
    return this.dnd.isOn(hardwareId);
  }

  // ─── Bulk sign-in ────────────────────────────────────────────────────────────────────────────────────────────
  // The batch service is `this.bulk` (bulk/batch-service.ts); these, with deviceRecord, noteDevice, tenant and user,
  // are the gateway facts and the one action it uses (its BulkSignInGateway).

  /** Where a device is, as the gateway can tell (devices/device-whereabouts.ts). */
  deviceWhereabouts(hardwareId: string): DeviceWhereabouts | undefined {
    const d = this.records.record(hardwareId);
    if (!d) return undefined;
    return whereaboutsOf(d, { now: this.clock.now(), profile: this.profile, tenant: this.directory, labNetwork: this.labNetwork });
  }

  /**
   * A bulk sign-in row passed every check: sign the device in through the same path as a sign-in with a pairing code
   * (same record change, same `signed-in` change with check-sync, so the base re-fetches and reboots as it would).
   */
  bulkSignInDevice(hardwareId: string, upn: string, region: Region, batchId: string): DeviceView {
    return this.signIns.bulkSignInDevice(hardwareId, upn, region, batchId);
  }

  // ─── Provisioning (provisioning/provisioning-answers.ts) ─────────────────────────────────────────────────────

  /**
   * The file the provisioning service of `region` serves for `hardwareId` (`<hardwareId>.cfg`), by device state.
   * `lang` is the `lang_xx` code (unsupported → en); `tenantId` the `/tenantid/<guid>/` part, if any. Pure: use
   * {@link handleProvisioningRequest} for a real fetch, which also records that the device was seen.
   */
  provisioningFileFor(hardwareId: string, region: Region, lang?: string, tenantId?: string): ProvisioningAnswer {
    return this.provisioning.provisioningFileFor(hardwareId, region, lang, tenantId);
  }

  /** A real fetch from a device: answers like {@link provisioningFileFor} and records the contact. */
  handleProvisioningRequest(hardwareId: string, region: Region, lang?: string, tenantId?: string, viaBaseMac?: string): ProvisioningAnswer {
    return this.provisioning.handleProvisioningRequest(hardwareId, region, lang, tenantId, viaBaseMac);
  }

  /** The SIP account a device registers with now (for the SIP wiring), from its provisioning file. */
  sipAccountFor(hardwareId: string, region: Region): { user: string; password: string } | undefined {
    return this.provisioning.sipAccountFor(hardwareId, region);
  }

  // ─── Life cycle ──────────────────────────────────────────────────────────────────────────────────────────────

  /** Reads tenant, users, sites, devices and bulk batches again from the lab file (checkpoint restore). */
  reload(): void {
    this.directory.reload();
    this.records.reload();
    this.dnd.reload();
    this.bulk.reload();
    this.deadlines.reschedule();
  }

  /** Stops the gateway's timers (the lab closes). */
  dispose(): void {
    this.bulk.dispose();
    this.deadlines.dispose();
  }
}
