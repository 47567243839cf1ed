/**
 * The tenant state the gateway serves: the Microsoft 365 tenant document (policies, `TeamsSipDevicesConfiguration`,
 * trusted IPs, administrators, on-premises AD), its users and the lab sites, kept in memory and written through to the
 * document store (`tenant`, `teams-user`, `teams-site` documents, see tenant-model.ts).
 *
 * Every tenant error an administrator can meet is raised here or in `tenant-input-checks.ts`. A change that can alter
 * what a signed-in device knows of its user (user details, policies, the organisation name) is announced through
 * `onPoliciesChanged`, which the gateway connects to the devices' policy sync.
 */
import type { DocumentStore } from '../../../kernel/document-store.ts';
import {
  ERR_ADMIN_NOT_FOUND,
  ERR_ADMIN_ROLE_INVALID,
  ERR_BULK_SIGN_IN_INVALID,
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
  ERR_USER_NOT_FOUND,
  ERR_USER_UPN_INVALID,
  ERR_USER_UPN_INVALID_2,
} from '../../../kernel/error-catalogue.ts';
import type { TenantSeed } from './default-tenant.ts';
import { checkIdentity, checkUser } from './tenant-input-checks.ts';
import {
  ADMIN_ROLES,
  type CallingPolicy,
  GLOBAL,
  type IpPhonePolicy,
  isGuid,
  isIpv4,
  isIpRange,
  type LabSite,
  type Licence,
  type OnPremisesAd,
  onPremisesAd,
  type PasswordOptions,
  sameUpn,
  SIGN_IN_MODES,
  type SignInMode,
  type Tenant,
  type TenantAdmin,
  tenantAdmins,
  type TeamsUser,
} from './tenant-model.ts';

export const TENANT_KIND = 'tenant';
export const USER_KIND = 'teams-user';
export const SITE_KIND = 'teams-site';

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

export interface TenantDirectoryOptions {
  store: DocumentStore;
  /** Called after a change that can alter a signed-in device's user (the devices schedule a policy sync). */
  onPoliciesChanged: () => void;
}

export class TenantDirectory {
  private tenantDoc: Tenant | undefined;
  private readonly usersByUpn = new Map<string, TeamsUser>();
  private readonly sitesById = new Map<string, LabSite>();
  private readonly store: DocumentStore;
  private readonly policiesChanged: () => void;

  constructor(options: TenantDirectoryOptions) {
    this.store = options.store;
    this.policiesChanged = options.onPoliciesChanged;
    this.load();
  }

  /** Reads tenant, users and sites again from the store (start and checkpoint restore). */
  reload(): void {
    this.usersByUpn.clear();
    this.sitesById.clear();
    this.load();
  }

  /** The lab's tenant; throws TENANT_MISSING in a lab created without one. */
  get tenant(): Tenant {
    if (!this.tenantDoc) throw new ERR_TENANT_MISSING();
    return this.tenantDoc;
  }

  /** The tenant, or undefined in a lab created without one (for answers that do not need it). */
  get tenantIfAny(): Tenant | undefined {
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

  // ─── Users ───────────────────────────────────────────────────────────────────────────────────────────────────

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
    checkUser(this.tenant, user);
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
    checkUser(this.tenant, next);
    this.saveUser(next);
    this.policiesChanged();
    return next;
  }

  // ─── Policies and configuration ──────────────────────────────────────────────────────────────────────────────

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

  // ─── Administrators and the on-premises directory ────────────────────────────────────────────────────────────

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

  // ─── Network: trusted IPs and sites ──────────────────────────────────────────────────────────────────────────

  setTrustedIps(trustedIps: string[]): Tenant {
    const bad = trustedIps.filter((ip) => !isIpRange(ip.trim()));
    if (bad.length) throw new ERR_TRUSTED_IP_INVALID(bad.join(', '));
    this.saveTenant({ ...this.tenant, network: { ...this.tenant.network, trustedIps: trustedIps.map((ip) => ip.trim()) } });
    return this.tenant;
  }

  /** `New-CsTenantTrustedIPAddress -IPAddress <ip> [-MaskBits <n>]`: adds one trusted IP or range. */
  addTrustedIp(ip: string, maskBits?: number): Tenant {
    const full = ip.includes(':') ? 128 : 32;
    const entry = maskBits === undefined || maskBits === full ? ip.trim() : `${ip.trim()}/${maskBits}`;
    if (!isIpRange(entry)) throw new ERR_TRUSTED_IP_INVALID_2(entry);
    if (this.tenant.network.trustedIps.includes(entry)) throw new ERR_TRUSTED_IP_EXISTS(entry);
    return this.setTrustedIps([...this.tenant.network.trustedIps, entry]);
  }

  /** `Remove-CsTenantTrustedIPAddress -Identity <ip[/bits]>`. */
  removeTrustedIp(entry: string): Tenant {
    const e = entry.trim().replace(entry.includes(':') ? /\/128$/ : /\/32$/, '');
    if (!this.tenant.network.trustedIps.includes(e)) throw new ERR_TRUSTED_IP_NOT_FOUND(entry);
    return this.setTrustedIps(this.tenant.network.trustedIps.filter((x) => x !== e));
  }

  sites(): LabSite[] {
    return [...this.sitesById.values()];
  }

  site(id: string): LabSite | undefined {
    return this.sitesById.get(id);
  }

  /** Adds or changes a lab site and the public IP the gateway sees for it. */
  setSite(site: LabSite): LabSite {
    if (!/^[a-z0-9][a-z0-9-]{0,31}$/.test(site.id)) throw new ERR_SITE_ID_INVALID();
    if (!isIpv4(site.publicIp)) throw new ERR_SITE_IP_INVALID(site.publicIp);
    const saved = { id: site.id, name: site.name.trim() || site.id, publicIp: site.publicIp };
    this.saveSite(saved);
    return saved;
  }

  // ─── Persistence ─────────────────────────────────────────────────────────────────────────────────────────────

  private load(): void {
    this.tenantDoc = this.store.list<Tenant>(TENANT_KIND)[0];
    for (const u of this.store.list<TeamsUser>(USER_KIND)) this.usersByUpn.set(u.upn.toLowerCase(), u);
    for (const s of this.store.list<LabSite>(SITE_KIND)) this.sitesById.set(s.id, s);
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
