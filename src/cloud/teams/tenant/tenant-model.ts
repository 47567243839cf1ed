/**
 * The Microsoft 365 tenant the emulated Teams SIP Gateway serves: organisation, users, the policies that decide who
 * may use a SIP device, and the network facts bulk sign-in checks.
 *
 * Persisted in the lab file: the tenant (policies, configuration, network) as one `tenant` document keyed by its id;
 * each user as a `teams-user` document keyed by `<tenant id>/<UPN>`; each lab site as a `teams-site` document.
 * Names follow PowerShell (`AllowSIPDevicesCalling`, `SignInMode`, `BulkSignIn`) so a user can map them to cmdlets.
 */
import { isIPv6 } from 'node:net';

/** A `TeamsCallingPolicy` [seed 001, MS]. `Global` is the org-wide default every user without an assignment gets. */
export interface CallingPolicy {
  identity: string;
  description: string;
  /** "SIP devices can be used for calls" in the Teams admin center; default false [MS]. */
  allowSipDevicesCalling: boolean;
  /** Needed for local call forwarding on SIP devices [MS]. */
  allowCallRedirect: 'Enabled' | 'Disabled' | 'UserOverride';
}

export type SignInMode = 'UserSignIn' | 'CommonAreaPhoneSignIn' | 'MeetingSignIn';
export const SIGN_IN_MODES: readonly SignInMode[] = ['UserSignIn', 'CommonAreaPhoneSignIn', 'MeetingSignIn'];

/** A `TeamsIPPhonePolicy` [seed 003, MS]. */
export interface IpPhonePolicy {
  identity: string;
  description: string;
  signInMode: SignInMode;
}

/** `TeamsSipDevicesConfiguration` (only `Global` here) [seed 003]. */
export interface SipDevicesConfiguration {
  identity: 'Global';
  bulkSignIn: 'Enabled' | 'Disabled';
}

/** Licences the simulator knows, and whether each includes Teams Phone (needed to sign in a SIP device) [seed 003]. */
export const LICENCES = {
  'Microsoft Teams Shared Devices': { teamsPhone: true },
  'Office 365 E5': { teamsPhone: true },
  'Microsoft 365 E3 + Teams Phone Standard': { teamsPhone: true },
  'Office 365 E3': { teamsPhone: false },
} as const satisfies Record<string, { teamsPhone: boolean }>;
export type Licence = keyof typeof LICENCES;
export const LICENCE_NAMES = Object.keys(LICENCES) as Licence[];

export interface PasswordOptions {
  /** "User must change password at next login" — blocks bulk sign-in [seed 003]. */
  mustChangeAtNextLogin: boolean;
  /** "User's password can't be changed" — blocks bulk sign-in [seed 003]. */
  cannotChange: boolean;
  /** Minimum password age in days; must be 0 for bulk sign-in [seed 003]. */
  minimumAgeDays: number;
}

export interface TeamsUser {
  tenantId: string;
  /** User principal name (sign-in name), e.g. `adele.vance@contoso.com`; compared case-insensitively. */
  upn: string;
  displayName: string;
  /** E.164, e.g. `+14255550101`; null: no phone number assigned. */
  phoneNumber: string | null;
  licence: Licence | null;
  mfa: boolean;
  password: PasswordOptions;
  /** Assigned calling policy identity; null: the Global policy applies. */
  callingPolicy: string | null;
  /** Assigned IP phone policy identity; null: the Global policy applies. */
  ipPhonePolicy: string | null;
  /** Free text the lab shows a trainer (why this user is set up the way it is). */
  note?: string;
  /**
   * Synchronised from the on-premises Active Directory (Entra Connect): bulk sign-in sets the account's password, which
   * must then be written back to the local directory [seed 003]. Absent: cloud-only.
   */
  onPremisesSynced?: boolean;
}

/** Directory roles that matter to the Teams cmdlets [seed 003]. */
export type AdminRole = 'Global Administrator' | 'Privileged Authentication Administrator' | 'Authentication Administrator' | 'Teams Administrator';
export const ADMIN_ROLES: readonly AdminRole[] = ['Global Administrator', 'Privileged Authentication Administrator', 'Authentication Administrator', 'Teams Administrator'];
/** One of these, "in addition to Teams Administrator", lets an administrator run the bulk sign-in cmdlets [seed 003]. */
export const BULK_SIGN_IN_ROLES: readonly AdminRole[] = ['Global Administrator', 'Privileged Authentication Administrator', 'Authentication Administrator'];

/**
 * "In addition to Teams Administrator you must use an account that has the Global Administrator, Privileged
 * Authentication Administrator or the Authentication Administrator role … You will get an "Access Denied" error"
 * [seed 003]: Teams Administrator and one of {@link BULK_SIGN_IN_ROLES}; a Global Administrator holds both.
 */
export function mayRunBulkSignIn(roles: readonly AdminRole[]): boolean {
  if (roles.includes('Global Administrator')) return true;
  return roles.includes('Teams Administrator') && roles.some((r) => BULK_SIGN_IN_ROLES.includes(r));
}

/** An administrator account of the tenant (who runs the cmdlets or uses the admin center). */
export interface TenantAdmin {
  upn: string;
  displayName: string;
  roles: AdminRole[];
}

/**
 * Hybrid identity: the on-premises Active Directory the tenant synchronises some users from, as far as bulk sign-in
 * depends on it [seed 003; the causes are inferred, docs/bulk-sign-in.md].
 */
export interface OnPremisesAd {
  /** Entra Connect synchronisation is set up (users marked `onPremisesSynced` come from it). */
  syncEnabled: boolean;
  /** Self-service password writeback is enabled in Entra Connect. */
  passwordWriteback: boolean;
  /** The connector works (service account, permissions); false: "On-premises AD configuration failure." */
  healthy: boolean;
  /** Batches with more rows than this throttle the local directory: "On-premises AD throttling detected". */
  throttleBatchSize: number;
}

export const DEFAULT_ON_PREMISES_AD: Readonly<OnPremisesAd> = Object.freeze({ syncEnabled: false, passwordWriteback: false, healthy: true, throttleBatchSize: 50 });

export interface TenantNetwork {
  /** Trusted IPs (Locations → Network topology): single IPv4 addresses or CIDR ranges. */
  trustedIps: string[];
}

export interface Tenant {
  /** Microsoft Entra tenant id (GUID, lower case). */
  id: string;
  organizationName: string;
  /** The domain of the users' UPNs. */
  domain: string;
  callingPolicies: CallingPolicy[];
  ipPhonePolicies: IpPhonePolicy[];
  sipDevicesConfiguration: SipDevicesConfiguration;
  network: TenantNetwork;
  /** Administrator accounts (absent in labs made before bulk sign-in: one Global Administrator is assumed). */
  admins?: TenantAdmin[];
  /** The administrator the cmdlets and the admin center act as (`Connect-MicrosoftTeams -AccountId`). */
  signedInAdmin?: string;
  /** Absent: cloud-only tenant ({@link DEFAULT_ON_PREMISES_AD}). */
  onPremisesAd?: OnPremisesAd;
}

/** The tenant's administrators; labs saved before they were modelled get one Global Administrator. */
export function tenantAdmins(tenant: Tenant): TenantAdmin[] {
  return tenant.admins ?? [{ upn: `admin@${tenant.domain}`, displayName: 'MOD Administrator', roles: ['Global Administrator'] }];
}

/** The administrator the cmdlets act as now. */
export function actingAdmin(tenant: Tenant): TenantAdmin | undefined {
  const admins = tenantAdmins(tenant);
  const upn = tenant.signedInAdmin;
  return upn === undefined ? admins[0] : admins.find((a) => sameUpn(a.upn, upn));
}

export function onPremisesAd(tenant: Tenant): OnPremisesAd {
  return { ...DEFAULT_ON_PREMISES_AD, ...tenant.onPremisesAd };
}

/** A site of the lab (an office behind one internet connection) and its public IPv4 as the gateway sees it. */
export interface LabSite {
  id: string;
  name: string;
  publicIp: string;
}

export const GLOBAL = 'Global';

export function effectiveCallingPolicy(tenant: Tenant, user: TeamsUser): CallingPolicy | undefined {
  const identity = user.callingPolicy ?? GLOBAL;
  return tenant.callingPolicies.find((p) => p.identity === identity);
}

export function effectiveIpPhonePolicy(tenant: Tenant, user: TeamsUser): IpPhonePolicy | undefined {
  const identity = user.ipPhonePolicy ?? GLOBAL;
  return tenant.ipPhonePolicies.find((p) => p.identity === identity);
}

/** The SIP devices tab shows once any calling policy allows SIP devices (the service is in use for the tenant). */
export function sipGatewayEnabled(tenant: Tenant): boolean {
  return tenant.callingPolicies.some((p) => p.allowSipDevicesCalling);
}

export function hasTeamsPhone(user: TeamsUser): boolean {
  return user.licence !== null && LICENCES[user.licence].teamsPhone;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isGuid(value: string): boolean {
  return GUID.test(value.toLowerCase());
}

export function isE164(value: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(value);
}

export function isIpv4(value: string): boolean {
  const parts = value.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/** A trusted-IP entry: `203.0.113.10` or `203.0.113.0/24`. */
export function isIpv4Range(value: string): boolean {
  const [ip, bits, extra] = value.split('/');
  if (extra !== undefined || ip === undefined || !isIpv4(ip)) return false;
  return bits === undefined || (/^\d{1,2}$/.test(bits) && Number(bits) <= 32);
}

/**
 * A trusted-IP entry: IPv4 (`203.0.113.0/24`) or IPv6 (`2001:4898:e8:25::/64`), as New-CsTenantTrustedIPAddress takes
 * both [MS]. The lab's devices reach Teams over IPv4 only, so an IPv6 entry never matches one.
 */
export function isIpRange(value: string): boolean {
  if (isIpv4Range(value)) return true;
  const [ip, bits, extra] = value.split('/');
  if (extra !== undefined || ip === undefined || !isIPv6(ip)) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= 128);
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, p) => n * 256 + Number(p), 0);
}

/** Whether `ip` is one of the trusted IPs (exact address or inside a range). */
export function isTrustedIp(trustedIps: readonly string[], ip: string): boolean {
  if (!isIpv4(ip)) return false;
  return trustedIps.some((entry) => {
    const [base, bits] = entry.split('/');
    if (!base || !isIpv4(base)) return false;
    const prefix = bits === undefined ? 32 : Number(bits);
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return ((ipToInt(base) & mask) >>> 0) === ((ipToInt(ip) & mask) >>> 0);
  });
}

export function sameUpn(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
