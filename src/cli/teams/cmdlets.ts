/**
 * The Teams PowerShell cmdlets a bulk sign-in rehearsal needs, run against a running simulator's control API
 * (`/api/teams/...`): each maps its parameters to one or two HTTP calls and says how PowerShell would print the result.
 *
 * Each cmdlet takes the parameters, aliases, positions and parameter sets of its page in Microsoft's reference
 * (MicrosoftDocs/office-docs-powershell, teams/teams-ps/MicrosoftTeams/<cmdlet>.md; docs/bulk-sign-in.md cites each).
 * Parameters the lab has nothing behind (e.g. -LocationId, -AllowHotDesking, -Tenant) are accepted and change
 * nothing; values are checked by the service (the control API), as the real cmdlets only send them.
 */
import { readFile } from 'node:fs/promises';
import { decodeCsvFile } from './csv-file-text.ts';
import type { CmdletSignature, ParamSpec, ParamType, ParamValue } from './powershell-args.ts';
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

export interface Cmdlet extends CmdletSignature {
  name: string;
  /** `set`: the parameter set PowerShell resolved (for cmdlets with several). */
  run(p: Record<string, ParamValue>, api: ApiCall, set?: string): Promise<CmdletResult>;
}

/**
 * Parameters of Microsoft's syntax the lab has nothing behind, accepted with no effect: `Name:type` words, type one of
 * string, bool, int, switch (e.g. `'AllowHotDesking:bool Force:switch'`), optionally in some parameter sets.
 */
function accepted(list: string, sets?: readonly string[]): ParamSpec[] {
  return list
    .trim()
    .split(/\s+/)
    .map((w) => {
      const [name, type] = w.split(':') as [string, ParamType];
      return { name, type, ...(sets ? { sets } : {}) };
    });
}

/** The user's number as the cmdlets compare it: no `tel:`, no spaces, any case. */
const sameNumber = (a: unknown, b: unknown) => {
  const n = (v: unknown) => String(v ?? '').replace(/^tel:/i, '').replace(/\s/g, '').toLowerCase();
  return n(a) !== '' && n(a) === n(b);
};
const NUMBER_TYPES = ['DirectRouting', 'CallingPlan', 'OperatorConnect'] as const;

const REGIONS = ['NOAM', 'EMEA', 'APAC'] as const;
const WHAT_IF_CONFIRM = 'WhatIf:switch Confirm:switch';
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
    // New-CsSdgBulkSignInRequest -DeviceDetailsFilePath <String> -Region <String>: Region is a plain string, the service
    // refuses one that is not a region.
    name: 'New-CsSdgBulkSignInRequest',
    params: [
      { name: 'DeviceDetailsFilePath', type: 'string', mandatory: true },
      { name: 'Region', type: 'string', mandatory: true, canonical: REGIONS },
    ],
    async run(p, api) {
      const file = str(p['DeviceDetailsFilePath'])!;
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (err) {
        throw new CmdletError(`Could not find file '${file}'. (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
      }
      // Read as Import-Csv reads it (UTF-8 with or without BOM, UTF-16 with BOM) and sent as it is: the service
      // checks the rows.
      const batch = (await api('POST', '/api/teams/bulk-sign-in', { region: p['Region'], csv: decodeCsvFile(bytes) })) as Batch;
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
    // Microsoft's page: [-BulkSignIn <String>] [-Confirm] [-WhatIf]; seed 003 also runs it with -Identity Global.
    name: 'Set-CsTeamsSipDevicesConfiguration',
    params: [
      { name: 'Identity', type: 'string', position: 0 },
      { name: 'BulkSignIn', type: 'string', canonical: ['Enabled', 'Disabled'] },
      ...accepted(WHAT_IF_CONFIRM),
    ],
    async run(p, api) {
      requireGlobal(p['Identity']);
      if (p['BulkSignIn'] !== undefined) await api('PUT', '/api/teams/sip-devices-configuration', { bulkSignIn: p['BulkSignIn'] });
      return none;
    },
  },
  {
    name: 'Get-CsTeamsSipDevicesConfiguration',
    params: [{ name: 'Identity', type: 'string', position: 0 }],
    async run(p, api) {
      requireGlobal(p['Identity']);
      const t = (await api('GET', '/api/teams/tenant')) as { sipDevicesConfiguration: { identity: string; bulkSignIn: string } };
      const value = { Identity: t.sipDevicesConfiguration.identity, BulkSignIn: t.sipDevicesConfiguration.bulkSignIn };
      return { value, text: formatList([value]) };
    },
  },
  {
    // Parameter sets of Microsoft's page; only Assignment touches the lab (the user's number).
    name: 'Set-CsPhoneNumberAssignment',
    parameterSets: ['LocationUpdate', 'NetworkSiteUpdate', 'ReverseNumberLookupUpdate', 'Assignment', 'Attribute'],
    params: [
      { name: 'Identity', type: 'string', mandatory: true, sets: ['Assignment', 'Attribute'] },
      {
        name: 'TelephoneNumber',
        type: 'string',
        aliases: ['PhoneNumber'],
        mandatory: true,
        sets: ['LocationUpdate', 'NetworkSiteUpdate', 'ReverseNumberLookupUpdate', 'Assignment'],
      },
      { name: 'NumberType', type: 'string', aliases: ['PhoneNumberType'], mandatory: true, sets: ['Assignment'], canonical: NUMBER_TYPES },
      { name: 'LocationId', type: 'string', mandatory: ['LocationUpdate'], sets: ['LocationUpdate', 'Assignment'] },
      { name: 'NetworkSiteId', type: 'string', mandatory: ['NetworkSiteUpdate'], sets: ['NetworkSiteUpdate', 'Assignment'] },
      { name: 'ReverseNumberLookup', type: 'string', mandatory: ['ReverseNumberLookupUpdate'], sets: ['ReverseNumberLookupUpdate', 'Assignment'] },
      { name: 'EnterpriseVoiceEnabled', type: 'bool', mandatory: true, sets: ['Attribute'] },
      ...accepted('AssignmentCategory:string Notify:switch', ['Assignment']),
    ],
    async run(p, api, set) {
      const identity = str(p['Identity']);
      if (set === 'Assignment') {
        requireNumberType(p['NumberType']);
        await api('PATCH', `/api/teams/users/${enc(identity!)}`, { phoneNumber: p['TelephoneNumber'] });
      } else if (identity !== undefined) await api('GET', `/api/teams/users/${enc(identity)}`);
      return none;
    },
  },
  {
    name: 'Remove-CsPhoneNumberAssignment',
    parameterSets: ['RemoveSome', 'RemoveAll'],
    params: [
      { name: 'Identity', type: 'string', mandatory: true },
      { name: 'TelephoneNumber', type: 'string', aliases: ['PhoneNumber'], mandatory: true, sets: ['RemoveSome'] },
      { name: 'NumberType', type: 'string', aliases: ['PhoneNumberType'], mandatory: true, sets: ['RemoveSome'], canonical: NUMBER_TYPES },
      { name: 'RemoveAll', type: 'switch', mandatory: true, sets: ['RemoveAll'] },
      ...accepted('Notify:switch'),
      ...accepted('AssignmentBlockedForever:switch AssignmentBlockedDays:int', ['RemoveSome']),
    ],
    async run(p, api, set) {
      const path = `/api/teams/users/${enc(str(p['Identity'])!)}`;
      if (set === 'RemoveSome') {
        requireNumberType(p['NumberType']);
        const user = (await api('GET', path)) as Row;
        if (!sameNumber(user['phoneNumber'], p['TelephoneNumber'])) {
          throw new CmdletError(`The telephone number ${String(p['TelephoneNumber'])} is not assigned to ${String(user['upn'] ?? p['Identity'])}.`);
        }
      }
      await api('PATCH', path, { phoneNumber: null });
      return none;
    },
  },
  ...(['IPPhone', 'Calling'] as const).flatMap((kind): Cmdlet[] => {
    const route = kind === 'IPPhone' ? 'ip-phone-policies' : 'calling-policies';
    const field = kind === 'IPPhone' ? 'ipPhonePolicy' : 'callingPolicy';
    const settings: ParamSpec[] =
      kind === 'IPPhone'
        ? [
            { name: 'SignInMode', type: 'string', canonical: ['UserSignIn', 'CommonAreaPhoneSignIn', 'MeetingSignIn'] },
            ...accepted('AllowBetterTogether:string AllowHomeScreen:string AllowHotDesking:bool HotDeskingIdleTimeoutInMinutes:int SearchOnCommonAreaPhoneMode:string'),
          ]
        : [
            { name: 'AllowSIPDevicesCalling', type: 'bool' },
            { name: 'AllowCallRedirect', type: 'string', canonical: ['Enabled', 'Disabled', 'UserOverride'] },
            ...accepted(
              'AIInterpreter:string AllowCallForwardingToPhone:bool AllowCallForwardingToUser:bool AllowCallGroups:bool AllowCloudRecordingForCalls:bool AllowDelegation:bool AllowPrivateCalling:bool AllowTranscriptionForCalling:bool AllowVoicemail:string AllowWebPSTNCalling:bool AutoAnswerEnabledType:string BusyOnBusyEnabledType:string CallingSpendUserLimit:int CallRecordingExpirationDays:int Copilot:string EnableSpendLimits:bool EnableWebPstnMediaBypass:bool InboundFederatedCallRoutingTreatment:string InboundPstnCallRoutingTreatment:string LiveCaptionsEnabledTypeForCalling:string MusicOnHoldEnabledType:string PopoutAppPathForIncomingPstnCalls:string PopoutForIncomingPstnCalls:string PreventComplianceRecording:string PreventTollBypass:bool SpamFilteringEnabledType:string VoiceSimulationInInterpreter:string RealTimeText:string RecordingAndTranscriptionAudioNotification:string ReportCall:string ExplicitRecordingConsent:string AllowMeetingKnowledgeGeneration:bool VoicePhishingDetection:string EnableRecordingAndTranscriptionCustomMessage:bool RecordingAndTranscriptionCustomMessageIdentifier:string',
            ),
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
    const common = [{ name: 'Description', type: 'string' } as const, ...settings, ...accepted(`Force:switch ${WHAT_IF_CONFIRM}`), ...(kind === 'IPPhone' ? accepted('Tenant:string') : [])];
    return [
      {
        name: `New-CsTeams${kind}Policy`,
        params: [{ name: 'Identity', type: 'string', mandatory: true, position: 0 }, ...common, ...(kind === 'IPPhone' ? accepted('InMemory:switch') : [])],
        async run(p, api) {
          const policy = (await api('POST', `/api/teams/${route}`, { identity: p['Identity'], ...body(p) })) as Row;
          return { value: policy, text: formatList([policyRow(policy)]) };
        },
      },
      {
        // [[-Identity] <XdsIdentity>]: without one, the Global policy.
        name: `Set-CsTeams${kind}Policy`,
        params: [{ name: 'Identity', type: 'string', position: 0 }, ...common, ...(kind === 'IPPhone' ? accepted('Instance:string') : [])],
        async run(p, api) {
          await api('PUT', `/api/teams/${route}/${enc(String(p['Identity'] ?? 'Global').replace(/^Tag:/i, ''))}`, body(p));
          return none;
        },
      },
      {
        // Sets Identity (default), GrantToTenant (-Global), GrantToGroup (-Group): the lab assigns policies to users.
        name: `Grant-CsTeams${kind}Policy`,
        parameterSets: ['Identity', 'GrantToTenant', 'GrantToGroup'],
        params: [
          { name: 'Identity', type: 'string', position: 0, sets: ['Identity'] },
          { name: 'PolicyName', type: 'string', position: 1, nullable: true },
          { name: 'Global', type: 'switch', mandatory: true, sets: ['GrantToTenant'] },
          { name: 'Group', type: 'string', mandatory: true, sets: ['GrantToGroup'] },
          { name: 'Rank', type: 'int', sets: ['GrantToGroup'] },
          ...accepted(`PassThru:switch ${WHAT_IF_CONFIRM}`),
        ],
        async run(p, api, set) {
          if (set !== 'Identity') throw new CmdletError(`${set === 'GrantToTenant' ? '-Global' : '-Group'}: the simulator assigns policies to users only (Grant-CsTeams${kind}Policy -Identity <user> -PolicyName <policy>).`);
          if (p['Identity'] === undefined) throw new CmdletError('Identity: name the user (the simulator assigns policies to users only).');
          const policy = p['PolicyName'] === null || p['PolicyName'] === undefined ? null : String(p['PolicyName']).replace(/^Tag:/i, '');
          await api('PATCH', `/api/teams/users/${enc(str(p['Identity'])!)}`, { [field]: policy });
          return none;
        },
      },
    ];
  }),
  {
    // Sets Identity (default: [-Identity] <XdsGlobalRelativeIdentity>) and ParentAndRelativeKey (-IPAddress).
    name: 'New-CsTenantTrustedIPAddress',
    parameterSets: ['Identity', 'ParentAndRelativeKey'],
    params: [
      { name: 'Identity', type: 'string', mandatory: true, position: 0, sets: ['Identity'] },
      { name: 'IPAddress', type: 'string', mandatory: true, sets: ['ParentAndRelativeKey'] },
      { name: 'MaskBits', type: 'int' },
      { name: 'Description', type: 'string' },
      ...accepted(`Tenant:string InMemory:switch Force:switch ${WHAT_IF_CONFIRM}`),
    ],
    async run(p, api) {
      const ip = String(p['IPAddress'] ?? p['Identity']);
      await api('POST', '/api/teams/trusted-ips', { ipAddress: ip, ...(p['MaskBits'] !== undefined ? { maskBits: p['MaskBits'] } : {}) });
      const bits = p['MaskBits'] ?? (ip.includes(':') ? 128 : 32);
      const value = { Identity: p['MaskBits'] !== undefined ? `${ip}/${String(p['MaskBits'])}` : ip, MaskBits: bits, Description: p['Description'] ?? '' };
      return { value, text: formatList([value]) };
    },
  },
  {
    name: 'Get-CsTenantTrustedIPAddress',
    parameterSets: ['Identity', 'Filter'],
    params: [
      { name: 'Identity', type: 'string', position: 0, sets: ['Identity'] },
      { name: 'Filter', type: 'string', sets: ['Filter'] },
      ...accepted('Tenant:string LocalStore:switch'),
    ],
    async run(p, api) {
      const t = (await api('GET', '/api/teams/tenant')) as { network: { trustedIps: string[] } };
      const wanted = (e: string) => {
        if (p['Identity'] !== undefined) return e.toLowerCase() === String(p['Identity']).toLowerCase() || e.split('/')[0]!.toLowerCase() === String(p['Identity']).toLowerCase();
        if (p['Filter'] !== undefined) return wildcard(String(p['Filter'])).test(e);
        return true;
      };
      const value = t.network.trustedIps.filter(wanted).map((e) => {
        const [ip = '', bits] = e.split('/');
        return { Identity: e, IPAddress: ip, MaskBits: Number(bits ?? (ip.includes(':') ? 128 : 32)) };
      });
      return { value, text: formatList(value) };
    },
  },
  {
    name: 'Remove-CsTenantTrustedIPAddress',
    params: [{ name: 'Identity', type: 'string', mandatory: true, position: 0 }, ...accepted(`Tenant:string Force:switch ${WHAT_IF_CONFIRM}`)],
    async run(p, api) {
      await api('DELETE', `/api/teams/trusted-ips?identity=${enc(str(p['Identity'])!)}`);
      return none;
    },
  },
  {
    // UserCredential set of Microsoft's page: -AccountId names the administrator (the lab has no passwords; -Credential
    // and the service principal sets cannot be given from a shell).
    name: 'Connect-MicrosoftTeams',
    params: [
      { name: 'AccountId', type: 'string', mandatory: true },
      ...accepted(`TenantId:string LogLevel:string LogFilePath:string TeamsEnvironmentName:string UseDeviceAuthentication:switch DisableWAM:switch ${WHAT_IF_CONFIRM}`),
    ],
    async run(p, api) {
      const admin = (await api('PUT', '/api/teams/admin-session', { accountId: p['AccountId'] })) as { upn: string };
      const t = (await api('GET', '/api/teams/tenant')) as { id: string; domain: string };
      if (p['TenantId'] !== undefined && String(p['TenantId']).toLowerCase() !== t.id.toLowerCase() && String(p['TenantId']).toLowerCase() !== t.domain.toLowerCase()) {
        throw new CmdletError(`The tenant ${String(p['TenantId'])} is not this lab's tenant (${t.id}, ${t.domain}).`);
      }
      const value = { Account: admin.upn, Environment: 'AzureCloud', Tenant: t.id, TenantId: t.id };
      return { value, text: formatTable([value]) };
    },
  },
  {
    // Get-CsOnlineUser [[-Identity] <UserIdParameter>]: one user here (UPN, or sip:UPN).
    name: 'Get-CsOnlineUser',
    params: [
      { name: 'Identity', type: 'string', mandatory: true, position: 0 },
      ...accepted('AccountType:string Filter:string Properties:string ResultSize:string SkipUserPolicies:switch SoftDeletedUser:switch Sort:switch'),
    ],
    async run(p, api) {
      const u = (await api('GET', `/api/teams/users/${enc(str(p['Identity'])!.replace(/^sip:/i, ''))}`)) as Row & { password?: Row };
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

/** The lab keeps one TeamsSipDevicesConfiguration, Global. */
function requireGlobal(identity: ParamValue | undefined): void {
  if (identity !== undefined && identity !== null && String(identity).replace(/^Tag:/i, '').toLowerCase() !== 'global') {
    throw new CmdletError(`Cannot find TeamsSipDevicesConfiguration "${String(identity)}": the simulator keeps only the Global configuration.`);
  }
}

/** The service's answer to a -NumberType it does not know (the simulator's words: Microsoft's are not documented). */
function requireNumberType(value: ParamValue | undefined): void {
  if (!(NUMBER_TYPES as readonly string[]).includes(String(value))) {
    throw new CmdletError(`NumberType "${String(value)}" is not a phone number type: use ${NUMBER_TYPES.join(', ')}.`);
  }
}

/** A PowerShell -like pattern (`*`, `?`) as a case-insensitive regular expression. */
function wildcard(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

export function findCmdlet(name: string): Cmdlet | undefined {
  return CMDLETS.find((c) => c.name.toLowerCase() === name.toLowerCase());
}
