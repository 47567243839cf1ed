/**
 * An IT lead brings the company's own inventory (fixtures/inventory/three-sites.csv: sites, bases with their MACs,
 * handsets with their IPEIs, users and numbers) and gets a scenario that rehearses the guide's rollout on those
 * devices by their own names. A mistake in the file is reported with its line, all of them at once, and nothing is
 * written.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importInventory, InventoryError } from '../../src/rehearsal/plan/inventory-import.ts';
import { checkPlan } from '../../src/rehearsal/plan/plan-check.ts';
import { runScenario } from '../../src/rehearsal/runner.ts';
import { runCli } from '../support/cli.ts';

const INVENTORY = readFileSync('fixtures/inventory/three-sites.csv', 'utf8');

const run = runCli;

function importProblems(csv: string, file = 'inv.csv'): string[] {
  try {
    importInventory(csv, { file });
  } catch (err) {
    if (err instanceof InventoryError) return err.problems;
    throw err;
  }
  throw new Error('the inventory was imported');
}

describe('plan import: an inventory CSV becomes a scenario', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rove-inventory-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the sites, MACs, IPEIs, users and numbers, and the rehearsal reports the devices by their own names', { timeout: 120_000 }, async () => {
    const { scenario, counts, text } = importInventory(INVENTORY, { file: 'three-sites.csv' });
    expect(counts).toEqual({ sites: 3, bases: 5, handsets: 6, users: 5 });
    expect(scenario.lab.sites).toEqual([
      { id: 'hq', name: 'Head office', publicIp: '203.0.113.10' },
      { id: 'warehouse', name: 'Warehouse', publicIp: '198.51.100.7' },
      { id: 'shop', name: 'Shop', publicIp: '192.0.2.20' },
    ]);
    const bases = scenario.lab.bases!;
    expect(bases.map((b) => [b.id, b.model, b.site, b.mac])).toEqual([
      ['HQ-B01', 'B4', 'hq', '0004F2A00001'],
      ['HQ-B02', 'B4', 'hq', '0004F2A00002'],
      ['WH-B01', 'B2', 'warehouse', '0004F2A00003'],
      ['SH-B01', 'B4', 'shop', '0004F2A00004'],
      ['SH-B02', 'B4', 'shop', '0004F2A00005'],
    ]);
    expect(bases[1]!.handsets).toEqual([
      { id: 'HS-003', ipei: '0328D00003', model: 'Rove 30', user: 'diego.siciliani@contoso.com' },
      { id: 'HS-004', ipei: '0328D00004', model: 'Rove 30' },
    ]);
    // An empty number cell is an account without a number; the absent policy columns are assumed, and said so.
    expect(scenario.lab.users!.find((u) => u.upn === 'diego.siciliani@contoso.com')).toMatchObject({ phoneNumber: null, ipPhonePolicy: 'CommonAreaPhone' });
    expect(text).toMatch(/^# Not in the inventory, assumed for every user: licence Microsoft Teams Shared Devices, calling_policy SIPDevices, ip_phone_policy CommonAreaPhone\.$/m);

    const check = await checkPlan(scenario);
    // The account without a number is an error; the spare handset (no user) a warning: bulk sign-in leaves it out.
    expect(check.problems.map((p) => [p.severity, p.code, p.subject.name])).toEqual([
      ['error', 'NO_PHONE_NUMBER', 'diego.siciliani@contoso.com'],
      ['warning', 'NO_USER', 'HS-004'],
    ]);

    // The written scenario expects every user signed in: the account without a number fails the rehearsal, by name.
    const { failures, report } = await runScenario(scenario);
    expect(failures).toEqual([
      {
        step: 14,
        name: 'Every handset with a user is signed in (rove-sim plan check lists what would stop one)',
        expectation: 'bulk sign-in: succeeded 5, failed 0',
        actual: 'succeeded 4, failed 1 ("User missing phone number assignment." 1)',
      },
    ]);
    expect(report.verdict).toBe('failed');
    expect(report.totals.signIns).toEqual({ succeeded: 4, failed: 1 });
    const diego = report.devices.find((d) => d.name === 'HS-003')!;
    expect(diego).toMatchObject({ kind: 'handset', id: '0328D00003', site: 'hq', outcome: 'failed', error: 'User missing phone number assignment.' });
    expect(report.devices.find((d) => d.name === 'WH-B01')).toMatchObject({ kind: 'base', id: '0004F2A00003', outcome: 'ok' });
  });

  it('assumes a public IP for a site the inventory gives none, and says so in the scenario', () => {
    const csv = 'site,base,public_ip,handset,ipei\nparis,PAR-B1,,h1,0328D00021\nlyon,LYO-B1,198.18.0.1,h2,0328D00022\nnice,NCE-B1,,h3,0328D00023\n';
    const { text, scenario } = importInventory(csv, { file: 'inv.csv' });
    // 198.18.0.1 is lyon's own: the assumed ones go round it.
    expect(scenario.lab.sites).toEqual([
      { id: 'paris', publicIp: '198.18.0.2' },
      { id: 'lyon', publicIp: '198.18.0.1' },
      { id: 'nice', publicIp: '198.18.0.3' },
    ]);
    expect(text).toContain("# Not in the inventory, assumed: public_ip paris 198.18.0.2, nice 198.18.0.3 (the tenant's Trusted IPs are every site's).");
    const without = importInventory('site,base,handset,ipei\nhq,B1,h1,0328D00021\n', { file: 'inv.csv' });
    expect(without.scenario.lab.sites).toEqual([{ id: 'hq', publicIp: '198.18.0.1' }]);
  });

  it('reports every mistake of the file with its line and what to write instead', () => {
    const bad = [
      'Site,Base Name,MAC,Handset,IPEI,User,Phone Numbr',
      'hq,HQ-B01,0004F2A00001,HS-001,0328D00001,adele@contoso.com,+14255550101',
    ].join('\n');
    expect(() => importInventory(bad, { file: 'inv.csv' })).toThrow('inv.csv:1: unknown column "Phone Numbr" (did you mean "phone_number"?)');
    const rows = [
      'site,base,base_mac,handset,ipei,upn,phone_number',
      'hq,HQ-B01,0004F2A00001,HS-001,0328D00001,adele@contoso.com,+1425',
      'hq,HQ-B01,0004F2A00009,HS-001,0328D0000Z,adele,+14255550101',
      'wh,HQ-B01,zz,1001,0328D00001,bob@contoso.com,',
    ].join('\r\n');
    let error: InventoryError | undefined;
    try {
      importInventory(rows, { file: 'inv.csv' });
    } catch (err) {
      error = err as InventoryError;
    }
    expect(error).toBeInstanceOf(InventoryError);
    expect(error!.problems).toEqual([
      'inv.csv:2: phone_number "+1425" is not a phone number: + and 6 to 15 digits, e.g. +14255550101',
      'inv.csv:3: base "HQ-B01" has MAC 0004F2A00001 on line 2, not 0004F2A00009',
      'inv.csv:3: handset "HS-001" is also on line 2: each handset once',
      expect.stringMatching(/^inv\.csv:3: ipei "0328D0000Z": .*"Z" is not one/),
      'inv.csv:3: upn "adele" is not a user principal name (name@domain, e.g. adele@contoso.com)',
      'inv.csv:4: base_mac "zz" is not a MAC address: 12 hex digits, e.g. 0004F2A00001 or 00:04:F2:A0:00:01',
      'inv.csv:4: base "HQ-B01" is on site "hq" on line 2, not "wh": a base is on one site',
      'inv.csv:4: handset "1001" may have only letters, digits, ".", "_" and "-", a letter first (e.g. HS-1001)',
      'inv.csv:4: IPEI 0328D00001 is also handset "HS-001"\'s: each handset has its own',
    ]);
    expect(() => importInventory('site,base\n', { file: 'inv.csv' })).toThrow('inv.csv:2: no base');
    expect(() => importInventory('handset,ipei\nHS-1,0328D00001\n', { file: 'inv.csv' })).toThrow('the header has no site column (required)');
  });

  it('reports every problem of a line: a bad UPN does not hide a bad number, nor a bad MAC the rest (fixtures/inventory/mistakes.csv)', () => {
    const problems = importProblems(readFileSync('fixtures/inventory/mistakes.csv', 'utf8'), 'mistakes.csv');
    expect(problems).toEqual([
      'mistakes.csv:2: base_mac "00:04:F2:A0:00:1Z" is not a MAC address: 12 hex digits, e.g. 0004F2A00001 or 00:04:F2:A0:00:01',
      'mistakes.csv:3: base_mac "00:04:F2:A0:00:1Z" is not a MAC address: 12 hex digits, e.g. 0004F2A00001 or 00:04:F2:A0:00:01',
      'mistakes.csv:3: IPEI 0328D00011 is also handset "h1"\'s: each handset has its own',
      'mistakes.csv:4: base_model "B3" is not a Rove base: B2 or B4',
      'mistakes.csv:4: ipei "0328D0001": IPEI must have 10 hex digits (5 manufacturer code + 5 serial number); "0328D0001" has 9',
      'mistakes.csv:4: handset_model "Rove 50" is not a Rove handset: Rove 30 or Rove 40',
      'mistakes.csv:4: upn "carl.contoso.com" is not a user principal name (name@domain, e.g. adele@contoso.com)',
      'mistakes.csv:4: phone_number "4255550903" is not a phone number: + and 6 to 15 digits, e.g. +14255550101',
      'mistakes.csv:5: base "B-2" is on site "hq" on line 4, not "shop": a base is on one site',
      'mistakes.csv:5: base "B-2" has MAC 0004F2A00012 on line 4, not 0004F2A00013',
      'mistakes.csv:5: handset "4h" may have only letters, digits, ".", "_" and "-", a letter first (e.g. HS-4h)',
      'mistakes.csv:5: user ann@contoso.com is also on line 2 with another phone_number: one account has one of each',
    ]);
    expect(importProblems('site,base,handset,ipei,upn,Number\nhq,B1,h1,0328D00021,bob.example.com,4255550903\n')).toEqual([
      'inv.csv:2: upn "bob.example.com" is not a user principal name (name@domain, e.g. adele@contoso.com)',
      'inv.csv:2: phone_number "4255550903" is not a phone number: + and 6 to 15 digits, e.g. +14255550101',
    ]);
  });

  it('refuses a line with data past the last column, and a UPN whose domain is not a DNS name', () => {
    expect(importProblems('site,base,handset,ipei,upn\nhq,B1,h1,0328D00021,ann@contoso.com,EXTRA\nhq,B1,h2,0328D00022,kevin@contoso\nhq,B1,h3,0328D00023,lea@contoso.com,,\n')).toEqual([
      'inv.csv:2: 6 fields where the header has 5: "EXTRA" belongs to no column (a comma too many, or a column missing from the header?)',
      'inv.csv:3: upn "kevin@contoso" is not a user principal name (name@domain, e.g. adele@contoso.com)',
    ]);
  });

  it('checks the rows too when the header has a problem, and suggests the documented name or alias meant', () => {
    expect(importProblems('site,base,handset,ipei,upn,Number,phone_numbr,Base Nme\nhq,B1,h1,0328D00021,ann.contoso.com,4255550903,,\n')).toEqual([
      'inv.csv:1: unknown column "phone_numbr" (did you mean "phone_number"?): the columns are site, site_name, public_ip, base, base_mac, base_model, base_firmware, handset, ipei, handset_model, handset_firmware, upn, display_name, phone_number, licence, calling_policy, ip_phone_policy',
      'inv.csv:1: unknown column "Base Nme" (did you mean "Base name"?): the columns are site, site_name, public_ip, base, base_mac, base_model, base_firmware, handset, ipei, handset_model, handset_firmware, upn, display_name, phone_number, licence, calling_policy, ip_phone_policy',
      'inv.csv:2: upn "ann.contoso.com" is not a user principal name (name@domain, e.g. adele@contoso.com)',
      'inv.csv:2: phone_number "4255550903" is not a phone number: + and 6 to 15 digits, e.g. +14255550101',
    ]);
    // A missing required column is one problem, not one per line; the other columns of every line are still checked.
    expect(importProblems('site,handset,ipei,upn\nhq,h1,0328D0002,ann@contoso.com\nhq,h2,0328D00022,bob.contoso.com\n')).toEqual([
      'inv.csv:1: the header has no base column (required)',
      'inv.csv:2: ipei "0328D0002": IPEI must have 10 hex digits (5 manufacturer code + 5 serial number); "0328D0002" has 9',
      'inv.csv:3: upn "bob.contoso.com" is not a user principal name (name@domain, e.g. adele@contoso.com)',
    ]);
  });

  it('from a shell: writes the scenario and a lab file, plan check exits 1 on the account without a number, a bad file writes nothing', { timeout: 120_000 }, async () => {
    const out = path.join(dir, 'rollout.yaml');
    const lab = path.join(dir, 'rollout.db');
    const made = await run(['plan', 'import', 'fixtures/inventory/three-sites.csv', '--out', out, '--lab', lab]);
    expect(made.stderr).toContain(`Scenario written to ${out} (3 sites, 5 bases, 6 handsets, 5 users). Next: rove-sim plan check ${out}`);
    expect(made.code).toBe(0);
    expect(existsSync(lab)).toBe(true);
    const checked = await run(['plan', 'check', out]);
    expect(checked.stdout).toMatch(/^PROBLEMS: .* — 1 error, 1 warning \(5 users signing in, 5 bases, 6 handsets\)/);
    expect(checked.stdout).toContain('user diego.siciliani@contoso.com (1 handset: HS-003)\n  ✗ User missing phone number assignment.');
    expect(checked.code).toBe(1);

    const badFile = path.join(dir, 'bad.csv');
    const badOut = path.join(dir, 'bad.yaml');
    writeFileSync(badFile, 'site,base,ipei\nhq,HQ-B01,xyz\n');
    const refused = await run(['plan', 'import', badFile, '--out', badOut]);
    expect(refused.stderr).toMatch(/^bad\.csv:2: ipei without a handset: name the handset in the handset column\nbad\.csv:2: ipei "xyz": .*\n2 problems; nothing written\.$/m);
    expect(refused.code).toBe(2);
    expect(existsSync(badOut)).toBe(false);
  });
});
