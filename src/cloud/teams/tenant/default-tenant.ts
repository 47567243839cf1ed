/**
 * The tenant a new lab starts with: Contoso, 20 users, most ready for a SIP device and some deliberately set up wrong
 * so that a trainee meets each refusal the service gives (the `note` of each user says what is wrong).
 * Fully deterministic: the same tenant id, users and numbers in every new lab.
 */
import type { LabSite, PasswordOptions, Tenant, TeamsUser } from './tenant-model.ts';

export interface TenantSeed {
  tenant: Tenant;
  users: Array<Omit<TeamsUser, 'tenantId'>>;
  sites: LabSite[];
}

const TENANT_ID = '8f6a1c2e-3b4d-4e5f-9a6b-7c8d9e0f1a2b';
const OK_PASSWORD: PasswordOptions = { mustChangeAtNextLogin: false, cannotChange: false, minimumAgeDays: 0 };

type UserSeed = Omit<TeamsUser, 'tenantId' | 'password'> & { password?: PasswordOptions };

function user(seed: UserSeed): Omit<TeamsUser, 'tenantId'> {
  return { ...seed, password: seed.password ?? OK_PASSWORD };
}

const person = (name: string, n: number, extra: Partial<UserSeed> = {}): Omit<TeamsUser, 'tenantId'> => {
  const [first, last] = name.split(' ') as [string, string];
  return user({
    upn: `${first.toLowerCase()}.${last.toLowerCase()}@contoso.com`,
    displayName: name,
    phoneNumber: `+1425555${String(100 + n).padStart(4, '0')}`,
    licence: 'Office 365 E5',
    mfa: false,
    callingPolicy: 'SIPDevices',
    ipPhonePolicy: null,
    ...extra,
  });
};

const shared = (upn: string, displayName: string, n: number, extra: Partial<UserSeed> = {}): Omit<TeamsUser, 'tenantId'> =>
  user({
    upn,
    displayName,
    phoneNumber: `+1425555${String(100 + n).padStart(4, '0')}`,
    licence: 'Microsoft Teams Shared Devices',
    mfa: false,
    callingPolicy: 'SIPDevices',
    ipPhonePolicy: 'CommonAreaPhone',
    ...extra,
  });

export const DEFAULT_TENANT: TenantSeed = {
  tenant: {
    id: TENANT_ID,
    organizationName: 'Contoso',
    domain: 'contoso.com',
    callingPolicies: [
      {
        identity: 'Global',
        description: 'Org-wide default',
        allowSipDevicesCalling: false,
        allowCallRedirect: 'Enabled',
      },
      {
        identity: 'SIPDevices',
        description: 'Users of SIP phones and DECT handsets',
        allowSipDevicesCalling: true,
        allowCallRedirect: 'Enabled',
      },
    ],
    ipPhonePolicies: [
      { identity: 'Global', description: 'Org-wide default', signInMode: 'UserSignIn' },
      { identity: 'CommonAreaPhone', description: 'Shared phones in common areas', signInMode: 'CommonAreaPhoneSignIn' },
      { identity: 'MeetingRoom', description: 'Phones in meeting rooms', signInMode: 'MeetingSignIn' },
    ],
    sipDevicesConfiguration: { identity: 'Global', bulkSignIn: 'Disabled' },
    network: { trustedIps: ['203.0.113.10'] },
    admins: [
      { upn: 'admin@contoso.com', displayName: 'MOD Administrator', roles: ['Global Administrator'] },
      // Misconfigured on purpose: Teams Administrator only, so the bulk sign-in cmdlets answer "Access Denied".
      { upn: 'teams.admin@contoso.com', displayName: 'Teams Admin', roles: ['Teams Administrator'] },
      { upn: 'auth.admin@contoso.com', displayName: 'Authentication Admin', roles: ['Teams Administrator', 'Authentication Administrator'] },
    ],
    signedInAdmin: 'admin@contoso.com',
    onPremisesAd: { syncEnabled: false, passwordWriteback: false, healthy: true, throttleBatchSize: 50 },
  },
  sites: [
    { id: 'hq', name: 'Head office', publicIp: '203.0.113.10' },
    { id: 'warehouse', name: 'Warehouse', publicIp: '198.51.100.20' },
  ],
  users: [
    person('Adele Vance', 1, { note: 'Ready for a SIP device.' }),
    person('Alex Wilber', 2, { note: 'Ready for a SIP device.' }),
    person('Diego Siciliani', 3, { note: 'Ready for a SIP device.' }),
    person('Grady Archie', 4, { note: 'Ready for a SIP device.' }),
    person('Henrietta Mueller', 5, { phoneNumber: '+4969555010', note: 'Ready for a SIP device (German number).' }),
    person('Isaiah Langer', 6, { note: 'Ready for a SIP device.' }),
    person('Megan Bowen', 7, { note: 'Ready for a SIP device.' }),
    person('Nestor Wilke', 8, { note: 'Ready for a SIP device.' }),
    person('Patti Fernandez', 9, { licence: 'Microsoft 365 E3 + Teams Phone Standard', note: 'Ready for a SIP device.' }),
    person('Johanna Lorenz', 10, { phoneNumber: null, note: 'Misconfigured: no phone number assigned.' }),
    person('Joni Sherman', 11, { callingPolicy: null, note: 'Misconfigured: no calling policy with AllowSIPDevicesCalling (gets Global, which does not allow SIP devices).' }),
    person('Lidia Holloway', 12, { licence: null, note: 'Misconfigured: no licence.' }),
    person('Lynne Robbins', 13, { licence: 'Office 365 E3', note: 'Misconfigured: licence without Teams Phone.' }),
    person('Lee Gu', 14, { mfa: true, note: 'MFA on: interactive sign-in works, bulk sign-in does not.' }),
    person('Miriam Graham', 15, {
      password: { mustChangeAtNextLogin: true, cannotChange: false, minimumAgeDays: 0 },
      note: 'Password must be changed at next login: blocks bulk sign-in.',
    }),
    person('Pradeep Gupta', 16, {
      password: { mustChangeAtNextLogin: false, cannotChange: true, minimumAgeDays: 1 },
      note: "Password can't be changed and minimum password age 1 day: blocks bulk sign-in.",
    }),
    shared('FirstFloorLobbyPhone1@contoso.com', 'First Floor Lobby Phone 1', 17, { note: 'Common area phone account, ready for bulk sign-in.' }),
    shared('warehouse.dect1@contoso.com', 'Warehouse DECT 1', 18, { note: 'Common area phone account, ready for bulk sign-in.' }),
    shared('warehouse.dect2@contoso.com', 'Warehouse DECT 2', 19, {
      ipPhonePolicy: null,
      note: 'Misconfigured for bulk sign-in: no CommonAreaPhone IP phone policy.',
    }),
    shared('reception@contoso.com', 'Reception', 20, { mfa: true, note: 'Shared account with MFA on: blocks bulk sign-in.' }),
  ],
};
