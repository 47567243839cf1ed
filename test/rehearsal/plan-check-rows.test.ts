/**
 * Plan check and the rehearsal agree row by row: the planted bulk sign-in mistakes of the shipped full-scale scenario
 * are listed, one problem a row, in the service's words and with the report's fix, and the counts per error are the
 * ones the scenario's own `expect: bulkSignIn: errors` (which its rehearsal passes) names. A user's problems have the
 * report's words and fixes (fixes.ts); an untrusted public IP is its site's problem, by the site's name.
 */
import { describe, expect, it } from 'vitest';
import { BULK_ERRORS } from '../../src/cloud/teams/bulk/bulk-errors.ts';
import { checkPlan } from '../../src/rehearsal/plan/plan-check.ts';
import { formatPlanCheck } from '../../src/rehearsal/plan/plan-check-text.ts';
import { fixFor } from '../../src/rehearsal/fixes.ts';
import { loadScenarioFile, parseScenario } from '../../src/rehearsal/scenario-loader.ts';
import { PLAN } from './plan-check-plan.ts';

describe('plan check: bulk sign-in rows as the rehearsal sends them', () => {
  it('lists each planted row of the full-scale scenario with the error its rehearsal expects, and no more', { timeout: 120_000 }, async () => {
    const scenario = loadScenarioFile('fixtures/scenarios/full-scale-rollout.yaml');
    const expected = scenario.steps.flatMap((s) => ('expect' in s && s.expect ? [s.expect].flat() : [])).find((e) => 'bulkSignIn' in e) as { bulkSignIn: { errors: Record<string, number> } };
    const r = await checkPlan(scenario);
    const counts: Record<string, number> = {};
    for (const p of r.problems.filter((x) => x.severity === 'error')) counts[p.error] = (counts[p.error] ?? 0) + 1;
    expect(counts).toEqual(expected.bulkSignIn.errors);
    expect(counts['User missing phone number assignment.']).toBe(97);

    const planted = r.problems.filter((p) => ['HARDWARE_ID_FORMAT', 'DUPLICATE_DEVICES', 'USER_NOT_FOUND', 'DEVICE_NOT_FOUND'].includes(p.code));
    expect(planted).toHaveLength(11);
    for (const p of planted) {
      expect(p.fix).toBe(fixFor(p.error));
      expect(p.at).toMatch(/^step 11 "Bulk sign-in, 10 batches of 100, with planted mistakes", batch \d+ row \d+ \(/);
    }
    // Rows whose user also has no number: the service shows the row's first error; plan check says what comes next.
    const masked = planted.filter((p) => p.then?.some((t) => t.error === BULK_ERRORS.NO_PHONE_NUMBER));
    expect(masked.length).toBeGreaterThan(0);

    const text = formatPlanCheck(r).join('\n');
    expect(text).toMatch(/^PROBLEMS: Full-scale rollout, 254 bases and 1,000 handsets — 108 errors, 0 warnings/);
    expect(text).toMatch(/\n {2}✗ Input hardware-ID is of wrong format \[step 11 [^\]]*row \d+ \(user\d+@contoso\.com, 000328[0-9A-F]{6}\)\]\n {4}fix: Write HardwareId as 00-00-xx-xx-xx-xx/);
    expect(text).toMatch(/\nuser nobody1@contoso\.com \(1 handset: [^)]+\)\n {2}✗ User not found in tenant\./);
    expect(text).toMatch(/\n {2}✗ Device not found in records\. \[[^\]]*00-00-0F-FF-FF-01\)\]\n {4}fix: [^\n]+\n {4}once fixed, then: User missing phone number assignment\.\n {6}fix: Assign a phone number to the user \(Voice → Phone numbers\)\./);
  });
});

describe("plan check: the report's words and fixes", () => {
  const scenario = PLAN.replace('  users:\n', '  trustedIps: [198.51.100.0/24]\n  users:\n')
    .replace('sites: [{ id: hq, publicIp: 203.0.113.10 }]', 'sites: [{ id: hq, name: Head office, publicIp: 203.0.113.10 }]')
    .replace(/(upn: u3@contoso\.com[^}]*)licence: Microsoft Teams Shared Devices/, '$1licence: null');

  it("gives each user's problem the report's error text and fix", { timeout: 60_000 }, async () => {
    const r = await checkPlan(parseScenario(scenario));
    const users = r.problems.filter((p) => p.subject.kind === 'user');
    expect(users.length).toBeGreaterThan(0);
    for (const p of users) {
      expect(Object.values(BULK_ERRORS)).toContain(p.error);
      expect(p.fix).toBe(fixFor(p.error));
    }
    expect(users.find((p) => p.subject.name === 'u3@contoso.com')).toMatchObject({ error: 'User has no licence that includes Teams Phone.', fix: 'Assign a licence that includes Teams Phone.' });
    expect(users.find((p) => p.subject.name === 'u7@contoso.com')).toMatchObject({ error: 'User missing phone number assignment.', fix: 'Assign a phone number to the user (Voice → Phone numbers).' });
  });

  it('groups an untrusted public IP under its site, by name', { timeout: 60_000 }, async () => {
    const r = await checkPlan(parseScenario(scenario));
    const untrusted = r.problems.filter((p) => p.code === 'IP_NOT_TRUSTED');
    expect(untrusted).toHaveLength(1);
    expect(untrusted[0]).toMatchObject({ subject: { kind: 'site', name: 'Head office' }, fix: fixFor('Trusted IP') });
    expect(untrusted[0]!.error).toBe("Public IP not configured as Trusted IP. — the site's public IP 203.0.113.10 is not in the tenant's Trusted IPs (198.51.100.0/24)");
    const text = formatPlanCheck(r).join('\n');
    expect(text).toContain('\nsite Head office (12 handsets: HS-01, HS-02, HS-03, HS-04, HS-05, HS-06 and 6 more)\n  ✗ Public IP not configured as Trusted IP.');
    expect(text).not.toMatch(/\ntenant [0-9a-f-]{36}/);
  });
});
