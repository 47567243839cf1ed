/** The Teams cmdlets' parameters are read the way PowerShell binds them, with PowerShell's error wording. */
import { describe, expect, it } from 'vitest';
import { bindPowerShellArgs, type CmdletSignature, type ParamSpec, parsePowerShellArgs } from '../../src/cli/teams/powershell-args.ts';
import { formatList, formatTable, psDate } from '../../src/cli/teams/ps-format.ts';

const bulk: ParamSpec[] = [
  { name: 'DeviceDetailsFilePath', type: 'string', mandatory: true },
  { name: 'Region', type: 'string', mandatory: true, values: ['NOAM', 'EMEA', 'APAC'] },
];
const policy: ParamSpec[] = [
  { name: 'Identity', type: 'string', mandatory: true },
  { name: 'AllowSIPDevicesCalling', type: 'bool' },
  { name: 'AllowCallRedirect', type: 'string' },
  { name: 'MaskBits', type: 'int' },
  { name: 'PolicyName', type: 'string', nullable: true },
  { name: 'RemoveAll', type: 'switch' },
];

describe('PowerShell-style parameters', () => {
  it('matches names without regard to case, and canonicalises ValidateSet values', () => {
    expect(parsePowerShellArgs(['-devicedetailsfilepath', 'a b.csv', '-REGION', 'emea'], bulk)).toEqual({ DeviceDetailsFilePath: 'a b.csv', Region: 'EMEA' });
  });
  it('reads $true/$false, true/false, 1/0, the colon form and switches', () => {
    expect(parsePowerShellArgs(['-Identity', 'SIPDevices', '-AllowSIPDevicesCalling', '$true'], policy)).toMatchObject({ AllowSIPDevicesCalling: true });
    expect(parsePowerShellArgs(['-Identity', 'X', '-AllowSIPDevicesCalling:$false'], policy)).toMatchObject({ AllowSIPDevicesCalling: false });
    expect(parsePowerShellArgs(['-Identity', 'X', '-AllowSIPDevicesCalling', '0', '-RemoveAll'], policy)).toMatchObject({ AllowSIPDevicesCalling: false, RemoveAll: true });
    expect(parsePowerShellArgs(['-Identity', 'X', '-MaskBits', '24', '-PolicyName', '$null'], policy)).toMatchObject({ MaskBits: 24, PolicyName: null });
  });
  it('accepts a unique prefix of a name and refuses an ambiguous one', () => {
    expect(parsePowerShellArgs(['-Identity', 'X', '-AllowSIP', '$true'], policy)).toMatchObject({ AllowSIPDevicesCalling: true });
    expect(() => parsePowerShellArgs(['-Identity', 'X', '-Allow', '$true'], policy)).toThrow(
      "Parameter cannot be processed because the parameter name 'Allow' is ambiguous. Possible matches include: -AllowSIPDevicesCalling -AllowCallRedirect.",
    );
  });
  it("refuses what PowerShell refuses, in PowerShell's words", () => {
    expect(() => parsePowerShellArgs(['-Region', 'EMEA'], bulk)).toThrow('Cannot process command because of one or more missing mandatory parameters: DeviceDetailsFilePath.');
    expect(() => parsePowerShellArgs(['-DeviceDetailsFilePath', 'x', '-Region', 'EU'], bulk)).toThrow(
      /Cannot validate argument on parameter 'Region'. The argument "EU" does not belong to the set "NOAM,EMEA,APAC"/,
    );
    expect(() => parsePowerShellArgs(['-Colour', 'x'], bulk)).toThrow("A parameter cannot be found that matches parameter name 'Colour'.");
    expect(() => parsePowerShellArgs(['x.csv'], bulk)).toThrow("A positional parameter cannot be found that accepts argument 'x.csv'.");
    expect(() => parsePowerShellArgs(['-DeviceDetailsFilePath'], bulk)).toThrow("Missing an argument for parameter 'DeviceDetailsFilePath'.");
    expect(() => parsePowerShellArgs(['-Identity', 'X', '-AllowSIPDevicesCalling', 'yes'], policy)).toThrow(/Cannot convert value "yes" to type "System.Boolean"/);
    expect(() => parsePowerShellArgs(['-Identity', 'X', '-Identity', 'Y'], policy)).toThrow("Cannot bind parameter because parameter 'Identity' is specified more than once.");
  });
});

/** Remove-CsPhoneNumberAssignment's parameter sets, as on Microsoft's page. */
const removeNumber: CmdletSignature = {
  parameterSets: ['RemoveSome', 'RemoveAll'],
  params: [
    { name: 'Identity', type: 'string', mandatory: true, position: 0 },
    { name: 'TelephoneNumber', type: 'string', aliases: ['PhoneNumber'], mandatory: true, sets: ['RemoveSome'] },
    { name: 'NumberType', type: 'string', aliases: ['PhoneNumberType'], mandatory: true, sets: ['RemoveSome'] },
    { name: 'RemoveAll', type: 'switch', mandatory: true, sets: ['RemoveAll'] },
    { name: 'Notify', type: 'switch' },
  ],
};

describe('PowerShell parameter binding: aliases, positions, parameter sets, common parameters', () => {
  it('binds an alias exactly (-PhoneNumber for -TelephoneNumber) and resolves the parameter set', () => {
    expect(bindPowerShellArgs(['-Identity', 'u', '-PhoneNumber', '+1', '-PhoneNumberType', 'DirectRouting'], removeNumber)).toEqual({
      values: { Identity: 'u', TelephoneNumber: '+1', NumberType: 'DirectRouting' },
      parameterSet: 'RemoveSome',
    });
    expect(bindPowerShellArgs(['-Identity', 'u', '-RemoveAll', '-Notify'], removeNumber).parameterSet).toBe('RemoveAll');
  });
  it('binds arguments without a name by position', () => {
    expect(bindPowerShellArgs(['u', '-RemoveAll'], removeNumber).values).toEqual({ Identity: 'u', RemoveAll: true });
    expect(() => bindPowerShellArgs(['u', 'v', '-RemoveAll'], removeNumber)).toThrow("A positional parameter cannot be found that accepts argument 'v'.");
  });
  it("refuses parameters of two sets, and names what the resolved set still needs, in PowerShell's words", () => {
    expect(() => bindPowerShellArgs(['-Identity', 'u', '-RemoveAll', '-NumberType', 'CallingPlan'], removeNumber)).toThrow(
      'Parameter set cannot be resolved using the specified named parameters. One or more parameters issued cannot be used together or an insufficient number of parameters were provided.',
    );
    expect(() => bindPowerShellArgs(['-Identity', 'u', '-NumberType', 'CallingPlan'], removeNumber)).toThrow('missing mandatory parameters: TelephoneNumber.');
  });
  it('takes the common parameters (-Verbose, -ErrorAction Stop, -ea, -OutVariable) and checks -ErrorAction against its set', () => {
    expect(parsePowerShellArgs(['-Identity', 'X', '-Verbose', '-ErrorAction', 'stop', '-ov', 'result'], policy)).toMatchObject({ Verbose: true, ErrorAction: 'Stop', OutVariable: 'result' });
    expect(() => parsePowerShellArgs(['-Identity', 'X', '-ea', 'Later'], policy)).toThrow(/Cannot validate argument on parameter 'ErrorAction'/);
  });
});

describe('PowerShell-style output', () => {
  it('prints Format-List blocks and Format-Table columns', () => {
    expect(formatList([{ BatchId: 'b1', BatchStatus: 'Completed' }])).toBe('\nBatchId     : b1\nBatchStatus : Completed\n\n');
    expect(formatTable([{ UserName: 'a@contoso.com', Status: 'success', Error: null }, { UserName: 'b@c.com', Status: 'failed', Error: 'Device is offline.' }])).toBe(
      '\nUserName      Status  Error\n------------- ------- ------------------\na@contoso.com success\nb@c.com       failed  Device is offline.\n\n',
    );
    expect(psDate(Date.UTC(2026, 10, 2, 13, 5, 9))).toBe('11/2/2026 1:05:09 PM');
  });
});
