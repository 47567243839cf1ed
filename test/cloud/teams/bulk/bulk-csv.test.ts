/** The -DeviceDetailsFilePath file, read with csv-parse as Import-Csv would; bad files refused by line, as a whole. */
import { describe, expect, it } from 'vitest';
import { parseBulkHardwareId, parseBulkSignInCsv } from '../../../../src/cloud/teams/bulk/bulk-csv.ts';

describe('The bulk sign-in CSV', () => {
  it('reads hardware ids xx-xx-xx-xx-xx-xx, with an ATA port :001; a Rove handset is 00 + IPEI', () => {
    expect(parseBulkHardwareId('1a-2b-3c-d4-e5-f6')).toEqual({ hardwareId: '1A2B3CD4E5F6', port: null });
    expect(parseBulkHardwareId('1A-2B-3C-D4-E5-F6:001')).toEqual({ hardwareId: '1A2B3CD4E5F6', port: '001' });
    expect(parseBulkHardwareId('00-00-87-65-43-21')?.hardwareId).toBe('000087654321');
    for (const bad of ['1A2B3CD4E5F6', '1A:2B:3C:D4:E5:F6', '00-87-65-43-21', '1A-2B-3C-D4-E5-F6:1']) expect(parseBulkHardwareId(bad)).toBeUndefined();
  });

  it('drops a BOM, reads quoted fields, skips blank lines and tolerates the header\'s case and spaces', () => {
    const text = '\uFEFF username , HardwareID \r\n\r\n"lobby@contoso.com","00-00-11-11-00-01"\n   \n,\n"a,b@contoso.com",00-00-11-11-00-02\n';
    expect(parseBulkSignInCsv(text)).toEqual({
      ok: true,
      rows: [
        { row: 3, userName: 'lobby@contoso.com', hardwareId: '00-00-11-11-00-01' },
        { row: 6, userName: 'a,b@contoso.com', hardwareId: '00-00-11-11-00-02' },
      ],
    });
  });

  it('refuses a wrong header, an empty file and an unclosed quote, naming the line; the tool also refuses empty fields', () => {
    expect(parseBulkSignInCsv('MAC id,Location\n00-00-11-11-00-01,Hall\n')).toMatchObject({ ok: false, problems: [{ row: 1, message: expect.stringContaining('missing Username and HardwareId') }] });
    expect(parseBulkSignInCsv('')).toMatchObject({ ok: false, problems: [{ row: 0 }] });
    expect(parseBulkSignInCsv('Username,HardwareId\n')).toMatchObject({ ok: false, problems: [{ message: expect.stringContaining('no devices') }] });
    // The cmdlet sends such rows: the service answers each (test: batch-service, "rows the service refuses").
    expect(parseBulkSignInCsv('Username,HardwareId\nx@contoso.com\n,00-00-11-11-00-01\n')).toMatchObject({
      ok: true,
      rows: [
        { row: 2, userName: 'x@contoso.com', hardwareId: '' },
        { row: 3, userName: '', hardwareId: '00-00-11-11-00-01' },
      ],
    });
    expect(parseBulkSignInCsv('Username,HardwareId\nx@contoso.com\n,00-00-11-11-00-01\n', { strictHardwareIds: true })).toEqual({
      ok: false,
      problems: [
        { row: 2, message: 'HardwareId is empty' },
        { row: 3, message: 'Username is empty' },
      ],
    });
    expect(parseBulkSignInCsv('Username,HardwareId\n"x@contoso.com,00-00-11-11-00-01\n')).toMatchObject({ ok: false, problems: [{ message: expect.stringContaining('not valid CSV') }] });
  });

  it('refuses more than 100 devices, at the 101st', () => {
    const rows = Array.from({ length: 101 }, (_, i) => `u${i}@contoso.com,00-00-11-11-00-01`);
    expect(parseBulkSignInCsv(['Username,HardwareId', ...rows].join('\n'))).toEqual({
      ok: false,
      problems: [{ row: 102, message: 'at most 100 devices per request: the file has 101 (split it into files of 100)' }],
    });
    expect(parseBulkSignInCsv(['Username,HardwareId', ...rows.slice(0, 100)].join('\n')).ok).toBe(true);
  });

  it('leaves a malformed hardware id to the service, unless the tool checks the format', () => {
    const text = 'Username,HardwareId\nx@contoso.com,0087654321\n';
    expect(parseBulkSignInCsv(text).ok).toBe(true);
    expect(parseBulkSignInCsv(text, { strictHardwareIds: true })).toMatchObject({
      ok: false,
      problems: [{ row: 2, message: expect.stringContaining('10 hex digits look like an IPEI') }],
    });
  });
});
