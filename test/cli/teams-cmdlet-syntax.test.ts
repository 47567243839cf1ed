/**
 * The cmdlets take Microsoft's documented syntax: each example of the cmdlet's page in Microsoft's reference
 * (MicrosoftDocs/office-docs-powershell, teams/teams-ps/MicrosoftTeams/<cmdlet>.md) and the forms seed 003 runs, bound
 * as PowerShell binds them and sent to the control API (in process, through `inject`). Also the CSV encodings
 * Import-Csv reads, rows the service refuses one by one, and the administrator roles bulk sign-in needs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CmdletError, type ApiCall } from '../../src/cli/teams/cmdlets.ts';
import { decodeCsvFile } from '../../src/cli/teams/csv-file-text.ts';
import { runTeamsCmdlet } from '../../src/cli/teams/teams-command.ts';
import { buildApp } from '../../src/http/build-app.ts';
import type { Lab } from '../../src/lab/lab.ts';
import { openTestLab } from '../support/lab.ts';
import { csv, csvId, readyDevice } from '../cloud/teams/bulk/bulk-support.ts';

const LOBBY = 'FirstFloorLobbyPhone1@contoso.com';
const ADELE = 'adele.vance@contoso.com';

describe("rove-sim teams: Microsoft's documented cmdlet syntax", () => {
  let lab: Lab;
  let app: FastifyInstance;
  const dir = mkdtempSync(path.join(tmpdir(), 'rove-syntax-'));

  const api: ApiCall = async (method, url, body) => {
    const res = await app.inject({ method, url, ...(body === undefined ? {} : { payload: body as object }) });
    const json = res.body ? (JSON.parse(res.body) as { message?: string }) : undefined;
    if (res.statusCode >= 400) throw new CmdletError(json?.message ?? `HTTP ${res.statusCode}`);
    return json;
  };
  /** Runs one command line (`Cmdlet -Param value ...`); resolves to what the shell shows. */
  const ps = async (line: string[]): Promise<{ code: number; out: string; err: string }> => {
    let out = '';
    let err = '';
    const [name, ...args] = line;
    const code = await runTeamsCmdlet(name!, args, { stdout: (t) => void (out += t), stderr: (t) => void (err += t) }, api);
    return { code, out, err };
  };
  const ok = async (...line: string[]) => {
    const r = await ps(line);
    expect(r, line.join(' ')).toMatchObject({ code: 0, err: '' });
    return r.out;
  };
  const refused = async (...line: string[]) => {
    const r = await ps(line);
    expect(r.code, line.join(' ')).toBe(1);
    return r.err;
  };
  const file = (name: string, bytes: Buffer | string) => {
    const p = path.join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };

  beforeEach(async () => {
    lab = await openTestLab();
    app = await buildApp({ lab });
  });
  afterEach(async () => {
    await app.close();
    await lab.close();
  });

  it('New-CsSdgBulkSignInRequest / Get-CsSdgBulkSignInRequestStatus / Get-CsSdgBulkSignInRequestsSummary, as on their pages', async () => {
    await ok('Set-CsTeamsSipDevicesConfiguration', '-BulkSignIn', 'Enabled');
    readyDevice(lab, 1, { region: 'APAC' });
    const example = file('Example.csv', csv([[LOBBY, csvId(1)]]));
    // Example 1: New-CsSdgBulkSignInRequest -DeviceDetailsFilePath .\Example.csv -Region APAC
    const created = await ok('New-CsSdgBulkSignInRequest', '-DeviceDetailsFilePath', example, '-Region', 'APAC');
    const batchId = /BatchId : (\S+)/.exec(created)![1]!;
    // Example 2: Get-CsSdgBulkSignInRequestStatus -Batchid $newBatchResponse.BatchId
    expect(await ok('Get-CsSdgBulkSignInRequestStatus', '-Batchid', batchId)).toContain('BatchStatus   : InProgress');
    // Get-CsSdgBulkSignInRequestsSummary
    expect(await ok('Get-CsSdgBulkSignInRequestsSummary')).toContain(batchId);
    // -Region is a plain string: any case goes through; a value that is no region is the service's refusal.
    expect(await ok('New-CsSdgBulkSignInRequest', '-DeviceDetailsFilePath', example, '-Region', 'apac')).toContain('BatchId');
    expect(await refused('New-CsSdgBulkSignInRequest', '-DeviceDetailsFilePath', example, '-Region', 'Mars')).toBe(
      'New-CsSdgBulkSignInRequest : "Mars" is not a SIP Gateway region: use NOAM, EMEA, APAC.\n',
    );
    // The common parameters every cmdlet takes.
    expect(await ok('Get-CsSdgBulkSignInRequestsSummary', '-Verbose', '-ErrorAction', 'Stop')).toContain(batchId);
  });

  it('Set-/Get-CsTeamsSipDevicesConfiguration: the examples (-BulkSignIn "Enabled" / "Disabled") and seed 003\'s -Identity Global', async () => {
    await ok('Set-CsTeamsSipDevicesConfiguration', '-BulkSignIn', 'Enabled');
    expect(lab.teams.tenant.sipDevicesConfiguration.bulkSignIn).toBe('Enabled');
    await ok('Set-CsTeamsSipDevicesConfiguration', '-BulkSignIn', 'Disabled');
    expect(lab.teams.tenant.sipDevicesConfiguration.bulkSignIn).toBe('Disabled');
    await ok('Set-CsTeamsSipDevicesConfiguration', '-identity', 'Global', '-BulkSignIn', 'enabled');
    expect(await ok('Get-CsTeamsSipDevicesConfiguration')).toBe('\nIdentity   : Global\nBulkSignIn : Enabled\n\n');
    await ok('Set-CsTeamsSipDevicesConfiguration', '-BulkSignIn', 'Disabled', '-WhatIf');
  });

  it('Set-CsPhoneNumberAssignment: Examples 1, 3, 5, 9 and seed 003\'s -PhoneNumber / -PhoneNumberType (the aliases)', async () => {
    await ok('Set-CsPhoneNumberAssignment', '-Identity', ADELE, '-TelephoneNumber', '+12065551234', '-NumberType', 'CallingPlan');
    expect(lab.teams.user(ADELE)?.phoneNumber).toBe('+12065551234');
    await ok('Set-CsPhoneNumberAssignment', '-Identity', ADELE, '-TelephoneNumber', '+14255551225', '-NumberType', 'DirectRouting');
    expect(lab.teams.user(ADELE)?.phoneNumber).toBe('+14255551225');
    await ok('Set-CsPhoneNumberAssignment', '-Identity', 'johanna.lorenz@contoso.com', '-PhoneNumber', '+61399995555', '-PhoneNumberType', 'DirectRouting');
    expect(lab.teams.user('johanna.lorenz@contoso.com')?.phoneNumber).toBe('+61399995555');
    // Example 3 (Attribute set) and Example 9 (LocationUpdate set): accepted, nothing in the lab behind them.
    await ok('Set-CsPhoneNumberAssignment', '-Identity', ADELE, '-EnterpriseVoiceEnabled', '$true');
    await ok('Set-CsPhoneNumberAssignment', '-TelephoneNumber', '+12065551224', '-LocationId', '7fda0c0b-6a3d-48b8-854b-3fbe9dcf6513');
    expect(await refused('Set-CsPhoneNumberAssignment', '-Identity', ADELE, '-TelephoneNumber', '+12065551224', '-NumberType', 'Landline')).toContain('NumberType "Landline" is not a phone number type');
    expect(await refused('Set-CsPhoneNumberAssignment', '-Identity', ADELE, '-TelephoneNumber', '+12065551224')).toContain('missing mandatory parameters: NumberType.');
  });

  it('Remove-CsPhoneNumberAssignment: Examples 1–6 (RemoveSome, RemoveAll, -Notify, -AssignmentBlocked…) and -PhoneNumber … -PhoneNumberType DirectRouting', async () => {
    const give = () => lab.teams.updateUser(ADELE, { phoneNumber: '+12065551234' });
    give();
    await ok('Remove-CsPhoneNumberAssignment', '-Identity', ADELE, '-PhoneNumber', '+12065551234', '-PhoneNumberType', 'DirectRouting');
    expect(lab.teams.user(ADELE)?.phoneNumber).toBeNull();
    for (const extra of [[], ['-Notify'], ['-AssignmentBlockedForever'], ['-AssignmentBlockedDays', '30']]) {
      give();
      await ok('Remove-CsPhoneNumberAssignment', '-Identity', ADELE, '-TelephoneNumber', '+12065551234', '-NumberType', 'CallingPlan', ...extra);
      expect(lab.teams.user(ADELE)?.phoneNumber).toBeNull();
    }
    for (const extra of [[], ['-Notify']]) {
      give();
      await ok('Remove-CsPhoneNumberAssignment', '-Identity', ADELE, '-RemoveAll', ...extra);
      expect(lab.teams.user(ADELE)?.phoneNumber).toBeNull();
    }
    give();
    expect(await refused('Remove-CsPhoneNumberAssignment', '-Identity', ADELE, '-TelephoneNumber', '+19999999999', '-NumberType', 'CallingPlan')).toContain(
      `The telephone number +19999999999 is not assigned to ${ADELE}.`,
    );
    expect(await refused('Remove-CsPhoneNumberAssignment', '-Identity', ADELE, '-RemoveAll', '-TelephoneNumber', '+12065551234')).toContain('Parameter set cannot be resolved using the specified named parameters.');
    expect(await refused('Remove-CsPhoneNumberAssignment', '-Identity', ADELE)).toContain('missing mandatory parameters: TelephoneNumber NumberType.');
    expect(lab.teams.user(ADELE)?.phoneNumber).toBe('+12065551234');
  });

  it('IP phone and calling policies: New-/Set-/Grant- as in their examples, positional -Identity and -PolicyName', async () => {
    // Set-CsTeamsIPPhonePolicy -Identity CommonAreaPhone -SignInMode CommonAreaPhoneSignin (New- refuses: it exists)
    await ok('Set-CsTeamsIPPhonePolicy', '-Identity', 'CommonAreaPhone', '-SignInMode', 'CommonAreaPhoneSignin');
    expect(await ok('New-CsTeamsIPPhonePolicy', '-Identity', 'Foyer', '-SignInMode', 'CommonAreaPhoneSignin', '-AllowHotDesking', '$false')).toContain('SignInMode');
    // Grant-CsTeamsIPPhonePolicy -Identity Foyer1@contoso.com -PolicyName CommonAreaPhone, and positionally
    await ok('Grant-CsTeamsIPPhonePolicy', '-Identity', ADELE, '-PolicyName', 'CommonAreaPhone');
    expect(lab.teams.user(ADELE)?.ipPhonePolicy).toBe('CommonAreaPhone');
    await ok('Grant-CsTeamsIPPhonePolicy', ADELE, 'Foyer');
    expect(lab.teams.user(ADELE)?.ipPhonePolicy).toBe('Foyer');
    // New-CsTeamsCallingPolicy -Identity Sales -AllowPrivateCalling $false; seed 003's -AllowSIPDevicesCalling $true -AllowCallRedirect Enabled
    await ok('New-CsTeamsCallingPolicy', '-Identity', 'Sales', '-AllowPrivateCalling', '$false');
    await ok('New-CsTeamsCallingPolicy', '-Identity', 'SIPDevices2', '-AllowSIPDevicesCalling', '$true', '-AllowCallRedirect', 'Enabled');
    // Grant-CsTeamsCallingPolicy -identity user1@contoso.com -PolicyName SalesCallingPolicy
    await ok('Grant-CsTeamsCallingPolicy', '-identity', ADELE, '-PolicyName', 'SIPDevices2');
    expect(lab.teams.user(ADELE)?.callingPolicy).toBe('SIPDevices2');
    // Examples 2 and 3 bind (-Global, -Group … -Rank 10) but the lab assigns policies to users only.
    expect(await refused('Grant-CsTeamsCallingPolicy', '-Global', '-PolicyName', 'Sales')).toContain('the simulator assigns policies to users only');
    expect(await refused('Grant-CsTeamsCallingPolicy', '-Group', 'sales@contoso.com', '-Rank', '10', '-PolicyName', 'Sales')).toContain('users only');
  });

  it('trusted IPs: New- (Examples 1–3, IPv6 too), Get- (Examples 1, 2), Remove- (Example 1); Connect-MicrosoftTeams, Get-CsOnlineUser', async () => {
    await ok('New-CsTenantTrustedIPAddress', '-IPAddress', '192.168.0.1');
    await ok('New-CsTenantTrustedIPAddress', '-IPAddress', '192.168.2.0', '-MaskBits', '24');
    await ok('New-CsTenantTrustedIPAddress', '-IPAddress', '2001:4898:e8:25:844e:926f:85ad:dd8e', '-Description', 'IPv6 IP address');
    expect(lab.teams.tenant.network.trustedIps).toEqual(expect.arrayContaining(['192.168.0.1', '192.168.2.0/24', '2001:4898:e8:25:844e:926f:85ad:dd8e']));
    expect(await ok('Get-CsTenantTrustedIPAddress')).toContain('Identity  : 192.168.2.0/24');
    const one = await ok('Get-CsTenantTrustedIPAddress', '-Identity', '2001:4898:e8:25:844e:926f:85ad:dd8e');
    expect(one).toContain('MaskBits  : 128');
    expect(one).not.toContain('192.168');
    await ok('Remove-CsTenantTrustedIPAddress', '-Identity', '192.168.0.1');
    expect(lab.teams.tenant.network.trustedIps).not.toContain('192.168.0.1');
    expect(await ok('Connect-MicrosoftTeams', '-AccountId', 'admin@contoso.com', '-TenantId', '8f6a1c2e-3b4d-4e5f-9a6b-7c8d9e0f1a2b')).toContain('admin@contoso.com');
    // Get-CsOnlineUser -Identity "sip:kenmyer@litwareinc.com"
    expect(await ok('Get-CsOnlineUser', '-Identity', `sip:${ADELE}`)).toContain('UserPrincipalName  : adele.vance@contoso.com');
  });

  it('reads the CSV as Import-Csv does: UTF-8 with or without BOM, UTF-16LE and UTF-16BE with BOM', async () => {
    await ok('Set-CsTeamsSipDevicesConfiguration', '-BulkSignIn', 'Enabled');
    readyDevice(lab, 1);
    const text = `${csv([['Müller.Lobby@contoso.com', csvId(1)]])}\r\n`;
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le.subarray(2)).swap16();
    const files = {
      'utf8.csv': Buffer.from(text, 'utf8'),
      'utf8-bom.csv': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]),
      'utf16le-bom.csv': le,
      'utf16be-bom.csv': Buffer.concat([Buffer.from([0xfe, 0xff]), be]),
    };
    for (const [name, bytes] of Object.entries(files)) {
      expect(decodeCsvFile(bytes), name).toBe(text);
      const out = await ok('New-CsSdgBulkSignInRequest', '-DeviceDetailsFilePath', file(name, bytes), '-Region', 'EMEA');
      const batch = lab.teams.bulk.status(/BatchId : (\S+)/.exec(out)![1]!);
      expect(batch.BatchItem.map((i) => [i.UserName, i.HardwareId]), name).toEqual([['Müller.Lobby@contoso.com', '00-00-11-11-00-01']]);
      await lab.clock.advance(lab.teams.profile.bulkRowProcessingMs);
    }
  });

  it('sends rows the service refuses and lets the service answer each: empty fields, a space in a user name, a bad hardware id', async () => {
    await ok('Set-CsTeamsSipDevicesConfiguration', '-BulkSignIn', 'Enabled');
    readyDevice(lab, 1);
    readyDevice(lab, 2);
    const rows = file('rows.csv', `Username,HardwareId\r\n,${csvId(1)}\r\nx@contoso.com,\r\nfirst floor@contoso.com,${csvId(2)}\r\nx@contoso.com,000011110003\r\n`);
    const out = await ok('New-CsSdgBulkSignInRequest', '-DeviceDetailsFilePath', rows, '-Region', 'EMEA');
    const id = /BatchId : (\S+)/.exec(out)![1]!;
    await lab.clock.advance(4 * lab.teams.profile.bulkRowProcessingMs);
    expect(lab.teams.bulk.status(id).BatchItem.map((i) => i.Error)).toEqual([
      'User not found in tenant.',
      'Input hardware-ID is of wrong format',
      'User not found in tenant.',
      'Input hardware-ID is of wrong format',
    ]);
  });

  it('bulk sign-in needs Teams Administrator and an authentication role (or Global Administrator), else "Access Denied"', async () => {
    lab.teams.setAdmin({ upn: 'authonly@contoso.com', displayName: 'Auth only', roles: ['Authentication Administrator'] });
    lab.teams.setAdmin({ upn: 'priv@contoso.com', displayName: 'Privileged', roles: ['Teams Administrator', 'Privileged Authentication Administrator'] });
    const verdicts: Record<string, number> = {};
    for (const admin of ['admin@contoso.com', 'auth.admin@contoso.com', 'priv@contoso.com', 'teams.admin@contoso.com', 'authonly@contoso.com']) {
      await ok('Connect-MicrosoftTeams', '-AccountId', admin);
      const r = await ps(['Get-CsSdgBulkSignInRequestsSummary']);
      verdicts[admin] = r.code;
      if (r.code !== 0) expect(r.err).toBe('Get-CsSdgBulkSignInRequestsSummary : Access Denied\n');
    }
    expect(verdicts).toEqual({ 'admin@contoso.com': 0, 'auth.admin@contoso.com': 0, 'priv@contoso.com': 0, 'teams.admin@contoso.com': 1, 'authonly@contoso.com': 1 });
  });
});
