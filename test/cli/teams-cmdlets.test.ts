/**
 * An administrator rehearses bulk sign-in from a shell: `rove-sim teams <cmdlet> ...` against a simulator started by
 * the test on 127.0.0.1:0 (the real bin, spawned), checking what is printed and the exit codes.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../src/lab/lab.ts';
import { buildApp } from '../../src/http/build-app.ts';
import { openTestLab } from '../support/lab.ts';
import { csv, csvId, readyDevice } from '../cloud/teams/bulk/bulk-support.ts';
import { listenOnLoopback } from '../support/app.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

// Each spawn starts node with tsx (about a second): the tests get a minute each.
describe('rove-sim teams: the cmdlets from a shell', { timeout: 60_000 }, () => {
  let lab: Lab;
  let app: FastifyInstance;
  let server: string;
  const dir = mkdtempSync(path.join(tmpdir(), 'rove-cli-'));

  const teams = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(process.execPath, ['bin/rove-sim.js', 'teams', ...args, '--server', server], { timeout: 20_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });

  beforeAll(async () => {
    lab = await openTestLab();
    app = await buildApp({ lab });
    server = `${await listenOnLoopback(app)}`;
  });
  afterAll(async () => {
    await app?.close();
    await lab?.close();
  });

  it('prepares the tenant with the prerequisite cmdlets', async () => {
    expect(await teams('Set-CsTeamsSipDevicesConfiguration', '-Identity', 'Global', '-BulkSignIn', 'Enabled')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await teams('Get-CsTeamsSipDevicesConfiguration')).stdout).toBe('\nIdentity   : Global\nBulkSignIn : Enabled\n\n');
    const created = await teams('New-CsTeamsIPPhonePolicy', '-Identity', 'Lobby', '-SignInMode', 'CommonAreaPhoneSignin');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('SignInMode  : CommonAreaPhoneSignIn');
    expect(await teams('New-CsTeamsCallingPolicy', '-Identity', 'SIPDevices2', '-AllowSIPDevicesCalling', '$true')).toMatchObject({ code: 0 });
    expect(await teams('Grant-CsTeamsCallingPolicy', '-Identity', 'reception@contoso.com', '-PolicyName', 'SIPDevices2')).toMatchObject({ code: 0 });
    expect(await teams('Grant-CsTeamsIPPhonePolicy', '-identity', 'warehouse.dect2@contoso.com', '-policyname', 'Lobby')).toMatchObject({ code: 0 });
    expect(await teams('Set-CsPhoneNumberAssignment', '-Identity', 'johanna.lorenz@contoso.com', '-PhoneNumber', '+14255550199', '-PhoneNumberType', 'DirectRouting')).toMatchObject({
      code: 0,
    });
    expect(await teams('New-CsTenantTrustedIPAddress', '-IPAddress', '198.51.100.0', '-MaskBits', '24')).toMatchObject({ code: 0 });
    expect(lab.teams.user('warehouse.dect2@contoso.com')?.ipPhonePolicy).toBe('Lobby');
    expect(lab.teams.user('johanna.lorenz@contoso.com')?.phoneNumber).toBe('+14255550199');
    expect(lab.teams.tenant.network.trustedIps).toContain('198.51.100.0/24');
    expect(await teams('New-CsTeamsCallingPolicy', '-Identity', 'SIPDevices2')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'New-CsTeamsCallingPolicy : A calling policy with Identity "SIPDevices2" already exists (use Set-CsTeamsCallingPolicy to change it).\n',
    });
  });

  it('submits a CSV, polls the status until Completed and prints the items; JSON with --json', async () => {
    readyDevice(lab, 1);
    readyDevice(lab, 2);
    const file = path.join(dir, 'phones.csv');
    writeFileSync(file, `\uFEFF${csv([['FirstFloorLobbyPhone1@contoso.com', csvId(1)], ['nobody@contoso.com', csvId(2)]])}\r\n`);
    const submitted = await teams('New-CsSdgBulkSignInRequest', '-DeviceDetailsFilePath', file, '-Region', 'EMEA');
    expect(submitted.code).toBe(0);
    const batchId = /BatchId : (\S+)/.exec(submitted.stdout)![1]!;
    const pending = await teams('Get-CsSdgBulkSignInRequestStatus', '-Batchid', batchId);
    expect(pending.stdout).toContain('BatchStatus   : InProgress');
    await lab.clock.advance(2 * lab.teams.profile.bulkRowProcessingMs);
    const done = await teams('Get-CsSdgBulkSignInRequestStatus', '-Batchid', batchId);
    expect(done.stdout).toContain('BatchStatus   : Completed');
    expect(done.stdout).toContain(
      [
        'UserName                          HardwareId        Status  Error',
        '--------------------------------- ----------------- ------- -------------------------',
        'FirstFloorLobbyPhone1@contoso.com 00-00-11-11-00-01 success',
        'nobody@contoso.com                00-00-11-11-00-02 failed  User not found in tenant.',
      ].join('\n'),
    );
    const json = await teams('Get-CsSdgBulkSignInRequestStatus', '-Batchid', batchId, '-Json');
    expect(JSON.parse(json.stdout)).toMatchObject({ BatchId: batchId, BatchStatus: 'Completed', BatchItem: [{ Status: 'success' }, { Status: 'failed' }] });
    const summary = await teams('Get-CsSdgBulkSignInRequestsSummary');
    expect(summary.stdout).toMatch(new RegExp(`${batchId} EMEA   Completed   failed`));
  });

  it('fails with exit code 1 and the error: Access Denied, a bad file, a bad parameter, an unknown cmdlet', async () => {
    const file = path.join(dir, 'bad.csv');
    writeFileSync(file, 'User,Mac\nx@contoso.com,00-00-11-11-00-01\n');
    expect(await teams('New-CsSdgBulkSignInRequest', '-DeviceDetailsFilePath', file, '-Region', 'EMEA')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('line 1: the header must be Username,HardwareId'),
    });
    expect(await teams('New-CsSdgBulkSignInRequest', '-DeviceDetailsFilePath', file, '-Region', 'EU')).toMatchObject({
      code: 1,
      // -Region is a plain string [MS]: the service refuses it, not PowerShell.
      stderr: 'New-CsSdgBulkSignInRequest : "EU" is not a SIP Gateway region: use NOAM, EMEA, APAC.\n',
    });
    expect(await teams('Get-CsSdgBulkSignInRequestStatus')).toMatchObject({ code: 1, stderr: expect.stringContaining('missing mandatory parameters: Batchid.') });
    expect(await teams('Get-CsSdgBulkSignInRequestStatus', '-Batchid', 'nope')).toMatchObject({ code: 1, stderr: expect.stringContaining('No bulk sign-in request with Batchid nope') });
    expect(await teams('Connect-MicrosoftTeams', '-AccountId', 'teams.admin@contoso.com')).toMatchObject({ code: 0 });
    expect(await teams('Get-CsSdgBulkSignInRequestsSummary')).toEqual({ code: 1, stdout: '', stderr: 'Get-CsSdgBulkSignInRequestsSummary : Access Denied\n' });
    expect(await teams('Get-CsFoo')).toMatchObject({ code: 1, stderr: expect.stringContaining("The term 'Get-CsFoo' is not recognized") });
  });
});
