/**
 * The Teams PowerShell cmdlets a bulk sign-in rehearsal needs, run against a running simulator's control API
 * (`/api/teams/...`): each maps its parameters to one or two HTTP calls and says how PowerShell would print the result.
 */
import { readFile } from 'node:fs/promises';
import type { ParamSpec, ParamValue } from './powershell-args.ts';
import { formatList, formatTable, psDate, type Row } from './ps-format.ts';

export class CmdletError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CmdletError';
  }
}

/** Calls the control API; throws CmdletError with the server's message on an error answer. */
export type ApiCall = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown) => Promise<unknown>;

export interface CmdletResult {
  /** What `--json` prints (undefined: nothing, as PowerShell prints nothing for Set-/Grant-). */
  value: unknown;
  /** What PowerShell would print. */
  text: string;
}

export interface Cmdlet {
  name: string;
  params: readonly ParamSpec[];
  run(p: Record<string, ParamValue>, api: ApiCall): Promise<CmdletResult>;
}

const REGIONS = ['NOAM', 'EMEA', 'APAC'] as const;
const str = (v: ParamValue | undefined) => (v === undefined || v === null ? undefined : String(v));
const enc = encodeURIComponent;
const none: CmdletResult = { value: undefined, text: '' };

interface Batch {
  BatchId: string;
  Region: string;
  BatchStatus: string;
  CreatedTime: number;
  CompletedTime: number | null;
  SubmittedBy: string;
  BatchItem: Array<{ UserName: string; HardwareId: string; Status: string; Error: string | null }>;
}

function policyRow(p: Row): Row {
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [k === 'identity' ? 'Identity' : k[0]!.toUpperCase() + k.slice(1), k === 'identity' ? `Tag:${String(v)}` : v]));
}

export const CMDLETS: readonly Cmdlet[] = [
  {
    name: 'New-CsSdgBulkSignInRequest',
    params: [
      { name: 'DeviceDetailsFilePath', type: 'string', mandatory: true },
      { name: 'Region', type: 'string', mandatory: true, values: REGIONS },
    ],
    async run(p, api) {
      const file = str(p['DeviceDetailsFilePath'])!;
      let csv: string;
      try {
        csv = await readFile(file, 'utf8');
      } catch (err) {
        throw new CmdletError(`Could not find file '${file}'. (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
      }
      const batch = (await api('POST', '/api/teams/bulk-sign-in', { region: p['Region'], csv })) as Batch;
      return { value: { BatchId: batch.BatchId }, text: formatList([{ BatchId: batch.BatchId }]) };
    },
  },
  {
    name: 'Get-CsSdgBulkSignInRequestStatus',
    params: [{ name: 'Batchid', type: 'string', mandatory: true }],
    async run(p, api) {
      const b = (await api('GET', `/api/teams/bulk-sign-in/${enc(str(p['Batchid'])!)}`)) as Batch;
      const done = b.BatchItem.filter((i) => i.Status !== 'pending').length;
      const head = formatList([
        { BatchId: b.BatchId, BatchStatus: b.BatchStatus, Region: b.Region, CreatedTime: psDate(b.CreatedTime), CompletedTime: psDate(b.CompletedTime), Progress: `${done}/${b.BatchItem.length}` },
      ]);
      return { value: b, text: head + formatTable(b.BatchItem, ['UserName', 'HardwareId', 'Status', 'Error']) };
    },
  },
  {
    name: 'Get-CsSdgBulkSignInRequestsSummary',
    params: [],
    async run(_p, api) {
      const { items } = (await api('GET', '/api/teams/bulk-sign-in')) as { items: Row[] };
      const rows = items.map((i) => ({ ...i, CreatedTime: psDate(i['CreatedTime'] as number), CompletedTime: psDate(i['CompletedTime'] as number | null) }));
      return { value: items, text: formatTable(rows, ['BatchId', 'Region', 'BatchStatus', 'Status', 'CreatedTime', 'TotalCount', 'SuccessCount', 'FailedCount']) };
    },
  },
  {
    name: 'Set-CsTeamsSipDevicesConfiguration',
    params: [
      { name: 'Identity', type: 'string', values: ['Global'] },
      { name: 'BulkSignIn', type: 'string', mandatory: true, values: ['Enabled', 'Disabled'] },
    ],
    async run(p, api) {
      await api('PUT', '/api/teams/sip-devices-configuration', { bulkSignIn: p['BulkSignIn'] });
      return none;
    },
  },
  {
    name: 'Get-CsTeamsSipDevicesConfiguration',
    params: [{ name: 'Identity', type: 'string', values: ['Global'] }],
    async run(_p, api) {
      const t = (await api('GET', '/api/teams/tenant')) as { sipDevicesConfiguration: { identity: string; bulkSignIn: string } };
      const value = { Identity: t.sipDevicesConfiguration.identity, BulkSignIn: t.sipDevicesConfiguration.bulkSignIn };
      return { value, text: formatList([value]) };
    },
  },
  {
    name: 'Set-CsPhoneNumberAssignment',
    params: [
      { name: 'Identity', type: 'string', mandatory: true },
      { name: 'PhoneNumber', type: 'string', mandatory: true },
      { name: 'PhoneNumberType', type: 'string', mandatory: true, values: ['DirectRouting', 'CallingPlan', 'OperatorConnect'] },
    ],
    async run(p, api) {
      await api('PATCH', `/api/teams/users/${enc(str(p['Identity'])!)}`, { phoneNumber: p['PhoneNumber'] });
      return none;
    },
  },
  {
    name: 'Remove-CsPhoneNumberAssignment',
    params: [
      { name: 'Identity', type: 'string', mandatory: true },
      { name: 'RemoveAll', type: 'switch' },
    ],
    async run(p, api) {
      await api('PATCH', `/api/teams/users/${enc(str(p['Identity'])!)}`, { phoneNumber: null });
      return none;
    },
  },
  ...(['IPPhone', 'Calling'] as const).flatMap((kind): Cmdlet[] => {
    const route = kind === 'IPPhone' ? 'ip-phone-policies' : 'calling-policies';
    const field = kind === 'IPPhone' ? 'ipPhonePolicy' : 'callingPolicy';
    const settings: ParamSpec[] =
      kind === 'IPPhone'
        ? [{ name: 'SignInMode', type: 'string', values: ['UserSignIn', 'CommonAreaPhoneSignIn', 'MeetingSignIn'] }]
        : [
            { name: 'AllowSIPDevicesCalling', type: 'bool' },
            { name: 'AllowCallRedirect', type: 'string', values: ['Enabled', 'Disabled', 'UserOverride'] },
          ];
    const body = (p: Record<string, ParamValue>) =>
      Object.fromEntries(
        [
          ['description', p['Description']],
          ['signInMode', p['SignInMode']],
          ['allowSipDevicesCalling', p['AllowSIPDevicesCalling']],
          ['allowCallRedirect', p['AllowCallRedirect']],
        ].filter(([, v]) => v !== undefined),
      );
    const params: ParamSpec[] = [{ name: 'Identity', type: 'string', mandatory: true }, { name: 'Description', type: 'string' }, ...settings];
    return [
      {
        name: `New-CsTeams${kind}Policy`,
        params,
        async run(p, api) {
          const policy = (await api('POST', `/api/teams/${route}`, { identity: p['Identity'], ...body(p) })) as Row;
          return { value: policy, text: formatList([policyRow(policy)]) };
        },
      },
      {
        name: `Set-CsTeams${kind}Policy`,
        params,
        async run(p, api) {
          await api('PUT', `/api/teams/${route}/${enc(String(p['Identity']).replace(/^Tag:/i, ''))}`, body(p));
          return none;
        },
      },
      {
        name: `Grant-CsTeams${kind}Policy`,
        params: [
          { name: 'Identity', type: 'string', mandatory: true },
          { name: 'PolicyName', type: 'string', mandatory: true, nullable: true },
        ],
        async run(p, api) {
          const policy = p['PolicyName'] === null ? null : String(p['PolicyName']).replace(/^Tag:/i, '');
          await api('PATCH', `/api/teams/users/${enc(str(p['Identity'])!)}`, { [field]: policy });
          return none;
        },
      },
    ];
  }),
  {
    name: 'New-CsTenantTrustedIPAddress',
    params: [
      { name: 'IPAddress', type: 'string', mandatory: true },
      { name: 'MaskBits', type: 'int' },
      { name: 'Description', type: 'string' },
    ],
    async run(p, api) {
      await api('POST', '/api/teams/trusted-ips', { ipAddress: p['IPAddress'], ...(p['MaskBits'] !== undefined ? { maskBits: p['MaskBits'] } : {}) });
      const value = { Identity: p['MaskBits'] !== undefined ? `${String(p['IPAddress'])}/${String(p['MaskBits'])}` : String(p['IPAddress']), MaskBits: p['MaskBits'] ?? 32, Description: p['Description'] ?? '' };
      return { value, text: formatList([value]) };
    },
  },
  {
    name: 'Get-CsTenantTrustedIPAddress',
    params: [],
    async run(_p, api) {
      const t = (await api('GET', '/api/teams/tenant')) as { network: { trustedIps: string[] } };
      const value = t.network.trustedIps.map((e) => {
        const [ip, bits] = e.split('/');
        return { Identity: e, IPAddress: ip, MaskBits: Number(bits ?? 32) };
      });
      return { value, text: formatList(value) };
    },
  },
  {
    name: 'Remove-CsTenantTrustedIPAddress',
    params: [{ name: 'Identity', type: 'string', mandatory: true }],
    async run(p, api) {
      await api('DELETE', `/api/teams/trusted-ips?identity=${enc(str(p['Identity'])!)}`);
      return none;
    },
  },
  {
    name: 'Connect-MicrosoftTeams',
    params: [{ name: 'AccountId', type: 'string', mandatory: true }],
    async run(p, api) {
      const admin = (await api('PUT', '/api/teams/admin-session', { accountId: p['AccountId'] })) as { upn: string };
      const t = (await api('GET', '/api/teams/tenant')) as { id: string; domain: string };
      const value = { Account: admin.upn, Environment: 'AzureCloud', Tenant: t.id, TenantId: t.id };
      return { value, text: formatTable([value]) };
    },
  },
  {
    name: 'Get-CsOnlineUser',
    params: [{ name: 'Identity', type: 'string', mandatory: true }],
    async run(p, api) {
      const u = (await api('GET', `/api/teams/users/${enc(str(p['Identity'])!)}`)) as Row & { password?: Row };
      const value = {
        UserPrincipalName: u['upn'],
        DisplayName: u['displayName'],
        LineUri: u['phoneNumber'] ? `tel:${String(u['phoneNumber'])}` : '',
        TeamsCallingPolicy: u['callingPolicy'] ?? '',
        TeamsIPPhonePolicy: u['ipPhonePolicy'] ?? '',
        Licence: u['licence'] ?? '',
        MfaEnabled: u['mfa'],
        OnPremisesSynced: u['onPremisesSynced'] ?? false,
      };
      return { value: u, text: formatList([value]) };
    },
  },
];

export function findCmdlet(name: string): Cmdlet | undefined {
  return CMDLETS.find((c) => c.name.toLowerCase() === name.toLowerCase());
}
