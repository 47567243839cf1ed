/**
 * An IT lead checks a rollout plan before running it: `plan check` lists every problem of every user and device at
 * once — five users without a number are five problems, a user with two problems has both, a mistyped ConfigURL is
 * one PRV-01 problem of its base naming its six handsets, a firmware file the server does not have is FWU-03, and a
 * bulk sign-in sent right after the devices were added gets the "BulkSignIn Tag missing" warning with the wait.
 */
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../src/rehearsal/plan/plan-check.ts';
import { formatPlanCheck } from '../../src/rehearsal/plan/plan-check-text.ts';
import { parseScenario } from '../../src/rehearsal/scenario-loader.ts';
import { PLAN } from './plan-check-plan.ts';


describe('plan check: the pre-flight of a rollout plan', () => {
  it('lists every problem of every user and device, each with its documented error and fix', { timeout: 60_000 }, async () => {
    const r = await checkPlan(parseScenario(PLAN));
    const noNumber = r.problems.filter((p) => p.code === 'NO_PHONE_NUMBER');
    expect(noNumber.map((p) => p.subject.name)).toEqual(['u10@contoso.com', 'u11@contoso.com', 'u7@contoso.com', 'u8@contoso.com', 'u9@contoso.com']);
    expect(noNumber.every((p) => p.error === 'User missing phone number assignment.' && /Assign a phone number/.test(p.fix))).toBe(true);
    expect(r.problems.filter((p) => p.subject.name === 'u11@contoso.com').map((p) => p.error)).toEqual([
      'User missing phone number assignment.',
      'Multifactor authentication is enabled for the user.',
    ]);
    expect(r.problems.filter((p) => p.subject.name === 'u12@contoso.com').map((p) => p.code).sort()).toEqual(['NO_CAP_POLICY', 'NO_SIP_CALLING_POLICY']);

    const prv = r.problems.filter((p) => p.code === 'PRV-01');
    expect(prv).toHaveLength(1);
    expect(prv[0]).toMatchObject({ severity: 'error', subject: { kind: 'base', name: 'HQ-B01' }, handsets: ['HS-01', 'HS-02', 'HS-03', 'HS-04', 'HS-05', 'HS-06'] });
    expect(prv[0]!.error).toMatch(/^PRV-01 Provisioning server not found \(DNS\): check ConfigURL — emea\.ipp\.sdg\.teams\.microsfot\.com \(did you mean "emea\.ipp\.sdg\.teams\.microsoft\.com"\?\)/);

    expect(r.problems.filter((p) => p.code === 'FWU-03').map((p) => p.subject.name)).toEqual(['HQ-B01', 'HQ-B02']);
    const early = r.problems.find((p) => p.code === 'BULK_TOO_EARLY')!;
    expect(early.severity).toBe('warning');
    expect(early.error).toMatch(/^BulkSignIn Tag missing for the device \/ Device is offline\. — the bulk sign-in comes 1s after the devices were added; the base of its 6 handsets fetches the handsets' files next 30s after that/);
    expect(early.fix).toBe("Wait at least 30s after adding the devices (a `wait: 1m` step before this one) so every base has fetched once.");
    expect(early.handsets).toEqual(['HS-07', 'HS-08', 'HS-09', 'HS-10', 'HS-11', 'HS-12']);
    expect(r.errors).toBe(r.problems.filter((p) => p.severity === 'error').length);
    expect(r.errors).toBeGreaterThan(0);

    const text = formatPlanCheck(r).join('\n');
    expect(text).toMatch(/^PROBLEMS: Plan with planted problems — \d+ errors, 1 warning/);
    expect(text).toContain('base HQ-B01 (6 handsets: HS-01, HS-02, HS-03, HS-04, HS-05, HS-06)');
    expect(text).toMatch(/user u11@contoso\.com \(1 handset: HS-11\)\n {2}✗ User missing phone number assignment\.[^\n]*\n {4}fix: [^\n]+\n {2}✗ Multifactor authentication is enabled for the user\./);
  });

  it('finds nothing wrong in a plan without mistakes', { timeout: 60_000 }, async () => {
    const clean = PLAN.replace('"0011"', '"0009"')
      .replace('microsfot', 'microsoft')
      .replace('wait: 1s', 'wait: 1h')
      .replace(/phoneNumber: null/g, 'phoneNumber: "+14255550300"')
      .replace(', mfa: true', '')
      .replace(', callingPolicy: null, ipPhonePolicy: null', ', ipPhonePolicy: CommonAreaPhone');
    const r = await checkPlan(parseScenario(clean));
    expect(r.problems).toEqual([]);
    expect(formatPlanCheck(r)[0]).toBe('OK: Plan with planted problems — 0 errors, 0 warnings (12 users signing in, 2 bases, 12 handsets)');
  });
});
