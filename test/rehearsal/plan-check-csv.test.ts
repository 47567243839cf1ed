/**
 * A bulk sign-in from the IT lead's own file (`bulkSignIn: { csv: … }`): plan check reads the file as the service does
 * and lists each row the service will refuse — a hardware id without dashes, a hardware id twice, a user not in the
 * tenant, a device never added — and each account problem of the rows it accepts, in the service's words. The counts
 * per error are the ones the scenario expects of its rehearsal, which passes.
 */
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../src/rehearsal/plan/plan-check.ts';
import { runScenario } from '../../src/rehearsal/runner.ts';
import { loadScenarioFile, parseScenario } from '../../src/rehearsal/scenario-loader.ts';

const FILE = 'test/rehearsal/fixtures/bulk-csv-mistakes.yaml';

describe('plan check: a bulk sign-in file', () => {
  it('lists every row the service refuses and every account problem, as the rehearsal meets them', { timeout: 60_000 }, async () => {
    const scenario = loadScenarioFile(FILE);
    const expected = scenario.steps.flatMap((s) => ('expect' in s && s.expect ? [s.expect].flat() : [])).find((e) => 'bulkSignIn' in e) as {
      bulkSignIn: { errors: Record<string, number> };
    };
    const { failures } = await runScenario(scenario);
    expect(failures).toEqual([]);

    const r = await checkPlan(scenario);
    const counts: Record<string, number> = {};
    for (const p of r.problems.filter((x) => x.severity === 'error')) counts[p.error] = (counts[p.error] ?? 0) + 1;
    expect(counts).toEqual(expected.bulkSignIn.errors);
    expect(r.problems.find((p) => p.code === 'HARDWARE_ID_FORMAT')?.at).toBe('step 7 "Bulk sign-in from the IT lead\'s file", row 2 (u2@contoso.com, 0000FFFF0002)');
  });

  it('names the account a mistyped UPN was meant for', async () => {
    const text = (await import('node:fs')).readFileSync(FILE, 'utf8').replace('nobody@contoso.com,{hw:HS-04}', 'u4@contso.com,{hw:HS-04}');
    const r = await checkPlan(parseScenario(text));
    const missing = r.problems.find((p) => p.code === 'USER_NOT_FOUND')!;
    expect(missing).toMatchObject({ subject: { kind: 'user', name: 'u4@contso.com' }, error: 'User not found in tenant.' });
    expect(missing.fix).toBe('Check the Username (UPN): the account must exist in the tenant. Did you mean "u4@contoso.com"?');
    // A name far from every account gets no guess.
    const far = (await checkPlan(loadScenarioFile(FILE))).problems.find((p) => p.code === 'USER_NOT_FOUND')!;
    expect(far.fix).toBe('Check the Username (UPN): the account must exist in the tenant.');
  });

  it('a file the service refuses as a whole is one problem, with what is wrong', async () => {
    const text = (await import('node:fs')).readFileSync(FILE, 'utf8').replace('Username,HardwareId', 'User,Hardware');
    const r = await checkPlan(parseScenario(text));
    const refused = r.problems.find((p) => p.code === 'BULK_CSV_INVALID');
    expect(refused?.error).toMatch(/^The bulk sign-in file is refused as a whole: .*the header must be Username,HardwareId \(missing Username and HardwareId; found "User,Hardware"\)/);
    expect(r.problems.filter((p) => p.severity === 'error')).toHaveLength(1);
  });
});
