/**
 * Control API for the emulated Teams SIP Gateway (`/api/teams/...`): tenant, users, policies, network, devices and
 * their states, verification and pairing codes, sign-in and sign-out, so that scenarios and tests can drive a rollout
 * without clicking through the admin center. Errors use the API's one shape; refusals the service itself gives
 * (enrollment, sign-in) come back as `{ ok: false, code, message }` with the service's words.
 */
import type { FastifyPluginAsync } from 'fastify';
import {
  ERR_POLICY_EXISTS,
  ERR_POLICY_EXISTS_2,
  ERR_REGION_INVALID_2,
  ERR_SITE_NOT_FOUND,
  ERR_USER_NOT_FOUND,
} from '../../kernel/error-catalogue.ts';
import { parseBulkSignInCsv } from '../../cloud/teams/bulk/bulk-csv.ts';
import type { CodeSource } from '../../cloud/teams/devices/device-machine.ts';
import type { TeamsGateway, UserPatch } from '../../cloud/teams/gateway.ts';
import { parseRegion, type Region, REGIONS } from '../../cloud/teams/regions.ts';
import {
  actingAdmin,
  ADMIN_ROLES,
  type AdminRole,
  type Licence,
  LICENCE_NAMES,
  type OnPremisesAd,
  type PasswordOptions,
  SIGN_IN_MODES,
  tenantAdmins,
} from '../../cloud/teams/tenant/tenant-model.ts';

interface AddUserBody {
  upn: string;
  displayName: string;
  phoneNumber?: string | null;
  licence?: Licence | null;
  mfa?: boolean;
  password?: Partial<PasswordOptions>;
  callingPolicy?: string | null;
  ipPhonePolicy?: string | null;
  note?: string;
  onPremisesSynced?: boolean;
}

export interface TeamsRoutesOptions {
  gateway: TeamsGateway;
}

const open = { type: 'object', additionalProperties: true } as const;
const device = { ...open, description: 'A device as the gateway sees it (state, list, codes, user, deadlines, history)' } as const;
const hwParams = {
  type: 'object',
  properties: { hardwareId: { type: 'string', description: 'Hardware id ("MAC address"): for a Rove handset "00" + IPEI, 12 hex digits' } },
  required: ['hardwareId'],
} as const;
const upnParams = { type: 'object', properties: { upn: { type: 'string' } }, required: ['upn'] } as const;
const identityParams = { type: 'object', properties: { identity: { type: 'string' } }, required: ['identity'] } as const;
const region = { type: 'string', enum: [...REGIONS], description: 'Gateway region: NOAM, EMEA or APAC' } as const;
const source = { type: 'string', enum: ['device', 'admin-center', 'api'], default: 'api' } as const;
const refusal = {
  type: 'object',
  properties: { ok: { type: 'boolean', enum: [false] }, code: { type: 'string' }, message: { type: 'string' }, problems: { type: 'array', items: open } },
  required: ['ok', 'code', 'message'],
} as const;
const passwordOptions = {
  type: 'object',
  additionalProperties: false,
  properties: { mustChangeAtNextLogin: { type: 'boolean' }, cannotChange: { type: 'boolean' }, minimumAgeDays: { type: 'integer', minimum: 0 } },
} as const;
const userFields = {
  displayName: { type: 'string', minLength: 1, maxLength: 128 },
  phoneNumber: { type: ['string', 'null'], description: 'E.164, e.g. +14255550101; null: none' },
  licence: { type: ['string', 'null'], enum: [...LICENCE_NAMES, null] },
  mfa: { type: 'boolean' },
  password: passwordOptions,
  callingPolicy: { type: ['string', 'null'], description: 'Calling policy identity; null or "Global": the Global policy' },
  ipPhonePolicy: { type: ['string', 'null'] },
  note: { type: 'string' },
  onPremisesSynced: { type: 'boolean', description: 'Synchronised from the on-premises AD (bulk sign-in writes its password back)' },
} as const;

function regionOf(input: string | undefined): Region {
  const r = parseRegion(input ?? '');
  if (!r) throw new ERR_REGION_INVALID_2(REGIONS.join(', '));
  return r;
}

export const teamsRoutes: FastifyPluginAsync<TeamsRoutesOptions> = async (app, { gateway }) => {
  const tags = ['Teams SIP Gateway'];

  app.get('/tenant', { schema: { tags, summary: 'The tenant: id, organization, policies, SIP devices configuration, trusted IPs, lab sites', response: { 200: open } } }, async () => ({
    ...gateway.tenant,
    sites: gateway.sites(),
  }));

  app.patch<{ Body: { organizationName?: string } }>(
    '/tenant',
    { schema: { tags, summary: 'Rename the organization', body: { type: 'object', additionalProperties: false, properties: { organizationName: { type: 'string' } } }, response: { 200: open } } },
    async (req) => gateway.updateTenant(req.body),
  );

  app.get('/users', { schema: { tags, summary: 'Users of the tenant', response: { 200: { type: 'object', properties: { items: { type: 'array', items: open } } } } } }, async () => ({
    items: gateway.users(),
  }));

  app.get<{ Params: { upn: string } }>('/users/:upn', { schema: { tags, summary: 'One user', params: upnParams, response: { 200: open } } }, async (req) => {
    const user = gateway.user(req.params.upn);
    if (!user) throw new ERR_USER_NOT_FOUND(req.params.upn);
    return user;
  });

  app.post<{ Body: AddUserBody }>(
    '/users',
    {
      schema: {
        tags,
        summary: 'Add a user',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['upn', 'displayName'],
          properties: { upn: { type: 'string' }, ...userFields },
        },
        response: { 201: open },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const user = gateway.addUser({
        upn: b.upn,
        displayName: b.displayName,
        phoneNumber: b.phoneNumber ?? null,
        licence: b.licence ?? null,
        mfa: b.mfa ?? false,
        password: { mustChangeAtNextLogin: false, cannotChange: false, minimumAgeDays: 0, ...b.password },
        callingPolicy: b.callingPolicy === 'Global' ? null : (b.callingPolicy ?? null),
        ipPhonePolicy: b.ipPhonePolicy === 'Global' ? null : (b.ipPhonePolicy ?? null),
        ...(b.note ? { note: b.note } : {}),
        ...(b.onPremisesSynced ? { onPremisesSynced: true } : {}),
      });
      return reply.code(201).send(user);
    },
  );

  app.patch<{ Params: { upn: string }; Body: UserPatch }>(
    '/users/:upn',
    { schema: { tags, summary: 'Change a user (phone number, licence, MFA, password options, policies)', params: upnParams, body: { type: 'object', additionalProperties: false, minProperties: 1, properties: userFields }, response: { 200: open } } },
    async (req) => gateway.updateUser(req.params.upn, req.body),
  );

  app.put<{ Params: { identity: string }; Body: { allowSipDevicesCalling?: boolean; description?: string; allowCallRedirect?: 'Enabled' | 'Disabled' | 'UserOverride' } }>(
    '/calling-policies/:identity',
    {
      schema: {
        tags,
        summary: 'Create or change a calling policy ("SIP devices can be used for calls" = allowSipDevicesCalling)',
        params: identityParams,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            allowSipDevicesCalling: { type: 'boolean' },
            description: { type: 'string' },
            allowCallRedirect: { type: 'string', enum: ['Enabled', 'Disabled', 'UserOverride'] },
          },
        },
        response: { 200: open },
      },
    },
    async (req) => gateway.setCallingPolicy(req.params.identity, req.body),
  );

  app.put<{ Params: { identity: string }; Body: { signInMode?: (typeof SIGN_IN_MODES)[number]; description?: string } }>(
    '/ip-phone-policies/:identity',
    {
      schema: {
        tags,
        summary: 'Create or change an IP phone policy (SignInMode)',
        params: identityParams,
        body: { type: 'object', additionalProperties: false, properties: { signInMode: { type: 'string', enum: [...SIGN_IN_MODES] }, description: { type: 'string' } } },
        response: { 200: open },
      },
    },
    async (req) => gateway.setIpPhonePolicy(req.params.identity, req.body),
  );

  app.post<{ Body: { identity: string; allowSipDevicesCalling?: boolean; description?: string; allowCallRedirect?: 'Enabled' | 'Disabled' | 'UserOverride' } }>(
    '/calling-policies',
    {
      schema: {
        tags,
        summary: 'New-CsTeamsCallingPolicy: create a calling policy (refused if the identity exists)',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['identity'],
          properties: {
            identity: { type: 'string' },
            allowSipDevicesCalling: { type: 'boolean' },
            description: { type: 'string' },
            allowCallRedirect: { type: 'string', enum: ['Enabled', 'Disabled', 'UserOverride'] },
          },
        },
        response: { 201: open },
      },
    },
    async (req, reply) => {
      const { identity, ...rest } = req.body;
      if (gateway.tenant.callingPolicies.some((p) => p.identity.toLowerCase() === identity.trim().replace(/^Tag:/i, '').toLowerCase())) {
        throw new ERR_POLICY_EXISTS(identity);
      }
      return reply.code(201).send(gateway.setCallingPolicy(identity, rest));
    },
  );

  app.post<{ Body: { identity: string; signInMode?: (typeof SIGN_IN_MODES)[number]; description?: string } }>(
    '/ip-phone-policies',
    {
      schema: {
        tags,
        summary: 'New-CsTeamsIPPhonePolicy: create an IP phone policy (refused if the identity exists)',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['identity'],
          properties: { identity: { type: 'string' }, signInMode: { type: 'string', enum: [...SIGN_IN_MODES] }, description: { type: 'string' } },
        },
        response: { 201: open },
      },
    },
    async (req, reply) => {
      const { identity, ...rest } = req.body;
      if (gateway.tenant.ipPhonePolicies.some((p) => p.identity.toLowerCase() === identity.trim().replace(/^Tag:/i, '').toLowerCase())) {
        throw new ERR_POLICY_EXISTS_2(identity);
      }
      return reply.code(201).send(gateway.setIpPhonePolicy(identity, rest));
    },
  );

  app.put<{ Body: { bulkSignIn: 'Enabled' | 'Disabled' } }>(
    '/sip-devices-configuration',
    {
      schema: {
        tags,
        summary: 'Set-CsTeamsSipDevicesConfiguration -Identity Global -BulkSignIn',
        body: { type: 'object', additionalProperties: false, required: ['bulkSignIn'], properties: { bulkSignIn: { type: 'string', enum: ['Enabled', 'Disabled'] } } },
        response: { 200: open },
      },
    },
    async (req) => gateway.setBulkSignIn(req.body.bulkSignIn),
  );

  app.put<{ Body: { trustedIps: string[] } }>(
    '/trusted-ips',
    {
      schema: {
        tags,
        summary: 'Replace the trusted IPs (IPv4 addresses or CIDR ranges)',
        body: { type: 'object', additionalProperties: false, required: ['trustedIps'], properties: { trustedIps: { type: 'array', maxItems: 100, items: { type: 'string' } } } },
        response: { 200: open },
      },
    },
    async (req) => gateway.setTrustedIps(req.body.trustedIps),
  );

  app.put<{ Params: { id: string }; Body: { name?: string; publicIp: string } }>(
    '/sites/:id',
    {
      schema: {
        tags,
        summary: 'Add or change a lab site and its public IP as the gateway sees it',
        params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        body: { type: 'object', additionalProperties: false, required: ['publicIp'], properties: { name: { type: 'string' }, publicIp: { type: 'string' } } },
        response: { 200: open },
      },
    },
    async (req) => gateway.setSite({ id: req.params.id, name: req.body.name ?? req.params.id, publicIp: req.body.publicIp }),
  );

  app.get('/devices', { schema: { tags, summary: 'Devices the gateway knows, with their state and the admin center list they are in', response: { 200: { type: 'object', properties: { items: { type: 'array', items: device } } } } } }, async () => ({
    items: gateway.devices(),
  }));

  app.get<{ Params: { hardwareId: string } }>('/devices/:hardwareId', { schema: { tags, summary: 'One device', params: hwParams, response: { 200: device } } }, async (req) =>
    gateway.requireDevice(req.params.hardwareId),
  );

  app.post<{ Body: { devices: Array<{ macAddress: string; location?: string }> } }>(
    '/devices',
    {
      schema: {
        tags,
        summary: 'Provision devices (Add MAC addresses): nothing is added unless every row is accepted',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['devices'],
          properties: {
            devices: {
              type: 'array',
              minItems: 1,
              maxItems: 1000,
              items: { type: 'object', additionalProperties: false, required: ['macAddress'], properties: { macAddress: { type: 'string' }, location: { type: 'string' } } },
            },
          },
        },
        response: { 201: { type: 'object', properties: { added: { type: 'array', items: device } } }, 400: open },
      },
    },
    async (req, reply) => {
      const result = gateway.addDevices(req.body.devices, 'api');
      if (result.ok) return reply.code(201).send({ added: result.added });
      return reply.code(400).send({
        statusCode: 400,
        code: 'DEVICES_REFUSED',
        error: 'Bad Request',
        message: result.problems.map((p) => `row ${p.row}: ${p.message}`).join(' '),
        problems: result.problems,
      });
    },
  );

  app.post<{ Params: { hardwareId: string } }>(
    '/devices/:hardwareId/verification-code',
    { schema: { tags, summary: 'Generate verification code (6 digits, valid 24 hours; replaces the previous one)', params: hwParams, response: { 200: open } } },
    async (req) => gateway.generateVerificationCode(req.params.hardwareId),
  );

  app.post<{ Params: { hardwareId: string }; Body: { code: string; region: string } }>(
    '/devices/:hardwareId/enroll',
    {
      schema: {
        tags,
        summary: 'The device dials *55*<code> through the gateway of a region (what the SIP wiring calls)',
        params: hwParams,
        body: { type: 'object', additionalProperties: false, required: ['code', 'region'], properties: { code: { type: 'string' }, region } },
        response: { 200: open, 409: refusal },
      },
    },
    async (req, reply) => {
      const result = gateway.enroll(req.params.hardwareId, req.body.code, regionOf(req.body.region));
      return reply.code(result.ok ? 200 : 409).send(result);
    },
  );

  app.post<{ Params: { hardwareId: string }; Body: { from?: CodeSource; region?: string } }>(
    '/devices/:hardwareId/pairing-code',
    {
      schema: {
        tags,
        summary: 'Sign in a user / the Sign in soft key: a pairing code for the device login page (replaces the previous one)',
        params: hwParams,
        body: { type: 'object', additionalProperties: false, properties: { from: source, region } },
        response: { 200: { type: 'object', properties: { code: { type: 'string' }, url: { type: 'string' }, expiresAt: { type: 'number' } } } },
      },
    },
    async (req) => gateway.requestPairingCode(req.params.hardwareId, req.body?.from ?? 'api', req.body?.region ? regionOf(req.body.region) : undefined),
  );

  app.post<{ Body: { pairingCode: string; upn: string } }>(
    '/sign-in',
    {
      schema: {
        tags,
        summary: 'What Continue on the device login page does: sign a user in with a pairing code (prerequisites checked)',
        body: { type: 'object', additionalProperties: false, required: ['pairingCode', 'upn'], properties: { pairingCode: { type: 'string' }, upn: { type: 'string' } } },
        response: { 200: open, 403: refusal },
      },
    },
    async (req, reply) => {
      const result = gateway.signIn(req.body.pairingCode, req.body.upn);
      return reply.code(result.ok ? 200 : 403).send(result);
    },
  );

  app.post<{ Params: { hardwareId: string }; Body: { from?: CodeSource } }>(
    '/devices/:hardwareId/sign-out',
    { schema: { tags, summary: 'Sign out (from the device or the admin center)', params: hwParams, body: { type: 'object', additionalProperties: false, properties: { from: source } }, response: { 200: device } } },
    async (req) => gateway.signOut(req.params.hardwareId, req.body?.from ?? 'api'),
  );

  app.post<{ Params: { hardwareId: string } }>(
    '/devices/:hardwareId/restart',
    { schema: { tags, summary: 'Restart a SIP device (check-sync with reboot)', params: hwParams, response: { 200: device } } },
    async (req) => gateway.restart(req.params.hardwareId),
  );

  app.post<{ Params: { hardwareId: string }; Body: { region: string; siteId?: string } }>(
    '/devices/:hardwareId/seen',
    {
      schema: {
        tags,
        summary: 'Record contact from the device (SIP registration): keeps it from being offboarded',
        params: hwParams,
        body: { type: 'object', additionalProperties: false, required: ['region'], properties: { region, siteId: { type: 'string' } } },
        response: { 200: device },
      },
    },
    async (req) => {
      if (req.body.siteId !== undefined && !gateway.sites().some((s) => s.id === req.body.siteId)) {
        throw new ERR_SITE_NOT_FOUND(req.body.siteId);
      }
      gateway.deviceSeen(req.params.hardwareId, regionOf(req.body.region), req.body.siteId ? { siteId: req.body.siteId } : {});
      return gateway.requireDevice(req.params.hardwareId);
    },
  );

  const batchId = { type: 'object', properties: { batchId: { type: 'string' } }, required: ['batchId'] } as const;
  const batchItem = {
    type: 'object',
    properties: {
      UserName: { type: 'string' },
      HardwareId: { type: 'string' },
      Status: { type: 'string', enum: ['pending', 'success', 'failed'] },
      Error: { type: ['string', 'null'] },
      Row: { type: 'integer' },
      ProcessedTime: { type: ['number', 'null'] },
    },
  } as const;
  const batch = {
    type: 'object',
    properties: {
      BatchId: { type: 'string' },
      Region: { type: 'string' },
      TenantId: { type: 'string' },
      SubmittedBy: { type: 'string' },
      CreatedTime: { type: 'number' },
      CompletedTime: { type: ['number', 'null'] },
      BatchStatus: { type: 'string', enum: ['InProgress', 'Completed'] },
      BatchItem: { type: 'array', items: batchItem },
    },
  } as const;

  app.post<{ Body: { region: string; csv?: string; devices?: Array<{ userName: string; hardwareId: string }> } }>(
    '/bulk-sign-in',
    {
      schema: {
        tags,
        summary: 'New-CsSdgBulkSignInRequest: sign in up to 100 devices without passwords; rows are processed on the lab clock',
        description:
          'Refused as a whole (nothing processed) with ACCESS_DENIED ("Access Denied"), BULK_SIGN_IN_DISABLED, BULK_CSV_INVALID (line numbers), BULK_TOO_MANY_DEVICES or BULK_TOO_MANY_BATCHES (3 running per region).',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['region'],
          properties: {
            region: { type: 'string', description: 'NOAM, EMEA or APAC (case-insensitive, as PowerShell)' },
            csv: { type: 'string', maxLength: 256 * 1024, description: 'The DeviceDetailsFilePath file: header Username,HardwareId' },
            devices: {
              type: 'array',
              items: { type: 'object', additionalProperties: false, required: ['userName', 'hardwareId'], properties: { userName: { type: 'string' }, hardwareId: { type: 'string' } } },
            },
          },
        },
        response: { 201: batch },
      },
    },
    async (req, reply) => {
      const { region: r, csv, devices } = req.body;
      return reply.code(201).send(gateway.bulk.submit({ region: r, ...(csv !== undefined ? { csv } : {}), ...(devices !== undefined ? { rows: devices } : {}) }));
    },
  );

  app.get<{ Params: { batchId: string } }>(
    '/bulk-sign-in/:batchId',
    { schema: { tags, summary: 'Get-CsSdgBulkSignInRequestStatus -Batchid', params: batchId, response: { 200: batch } } },
    async (req) => gateway.bulk.status(req.params.batchId),
  );

  app.get(
    '/bulk-sign-in',
    { schema: { tags, summary: 'Get-CsSdgBulkSignInRequestsSummary (the last 30 days, newest first)', response: { 200: { type: 'object', properties: { items: { type: 'array', items: open } } } } } },
    async () => ({ items: gateway.bulk.summary() }),
  );

  app.post<{ Body: { csv: string; strict?: boolean } }>(
    '/bulk-sign-in/check-csv',
    {
      schema: {
        tags,
        summary: 'Check a bulk sign-in CSV without submitting it (the bulk sign-in tool\'s format check)',
        body: { type: 'object', additionalProperties: false, required: ['csv'], properties: { csv: { type: 'string', maxLength: 256 * 1024 }, strict: { type: 'boolean', default: true } } },
        response: { 200: open },
      },
    },
    async (req) => parseBulkSignInCsv(req.body.csv, { maxDevices: gateway.profile.bulkMaxDevices, strictHardwareIds: req.body.strict ?? true }),
  );

  app.put<{ Body: { accountId: string } }>(
    '/admin-session',
    {
      schema: {
        tags,
        summary: 'Connect-MicrosoftTeams -AccountId: the administrator the cmdlets act as',
        body: { type: 'object', additionalProperties: false, required: ['accountId'], properties: { accountId: { type: 'string' } } },
        response: { 200: open },
      },
    },
    async (req) => gateway.connectAdmin(req.body.accountId),
  );

  app.get('/admins', { schema: { tags, summary: 'Administrators, their roles, and who the cmdlets act as', response: { 200: open } } }, async () => ({
    items: tenantAdmins(gateway.tenant),
    signedIn: actingAdmin(gateway.tenant)?.upn ?? null,
  }));

  app.put<{ Params: { upn: string }; Body: { displayName?: string; roles: AdminRole[] } }>(
    '/admins/:upn',
    {
      schema: {
        tags,
        summary: 'Add or change an administrator and their roles',
        params: upnParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['roles'],
          properties: { displayName: { type: 'string' }, roles: { type: 'array', items: { type: 'string', enum: [...ADMIN_ROLES] } } },
        },
        response: { 200: open },
      },
    },
    async (req) => gateway.setAdmin({ upn: req.params.upn, displayName: req.body.displayName ?? req.params.upn, roles: req.body.roles }),
  );

  app.put<{ Body: Partial<OnPremisesAd> }>(
    '/on-premises-ad',
    {
      schema: {
        tags,
        summary: 'The on-premises Active Directory bulk sign-in writes passwords back to (sync, password writeback, health, throttling)',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { syncEnabled: { type: 'boolean' }, passwordWriteback: { type: 'boolean' }, healthy: { type: 'boolean' }, throttleBatchSize: { type: 'integer', minimum: 1 } },
        },
        response: { 200: open },
      },
    },
    async (req) => gateway.setOnPremisesAd(req.body),
  );

  app.post<{ Body: { ipAddress: string; maskBits?: number } }>(
    '/trusted-ips',
    {
      schema: {
        tags,
        summary: 'New-CsTenantTrustedIPAddress -IPAddress [-MaskBits]',
        body: { type: 'object', additionalProperties: false, required: ['ipAddress'], properties: { ipAddress: { type: 'string' }, maskBits: { type: 'integer', minimum: 0, maximum: 128 } } },
        response: { 201: open },
      },
    },
    async (req, reply) => reply.code(201).send(gateway.addTrustedIp(req.body.ipAddress, req.body.maskBits)),
  );

  app.delete<{ Querystring: { identity: string } }>(
    '/trusted-ips',
    {
      schema: {
        tags,
        summary: 'Remove-CsTenantTrustedIPAddress -Identity',
        querystring: { type: 'object', additionalProperties: false, required: ['identity'], properties: { identity: { type: 'string' } } },
        response: { 200: open },
      },
    },
    async (req) => gateway.removeTrustedIp(req.query.identity),
  );

  app.get<{ Params: { hardwareId: string }; Querystring: { region?: string; lang?: string; tenantId?: string } }>(
    '/devices/:hardwareId/provisioning-file',
    {
      schema: {
        tags,
        summary: 'The provisioning file the region would serve for the device now (without recording a contact)',
        description:
          'Without `region`, `lang` or `tenantId`: the region the device is bound to (else EMEA), and the language and tenant id of its last provisioning fetch — the file the device itself gets.',
        params: hwParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { region, lang: { type: 'string' }, tenantId: { type: 'string' } },
        },
      },
    },
    async (req, reply) => {
      const device = gateway.device(req.params.hardwareId);
      const answer = gateway.provisioningFileFor(
        req.params.hardwareId,
        regionOf(req.query.region ?? device?.region ?? 'EMEA'),
        req.query.lang ?? device?.language,
        req.query.tenantId ?? device?.bulkSignInTag ?? undefined,
      );
      return reply.code(answer.status).type('text/plain; charset=utf-8').send(answer.body);
    },
  );
};
