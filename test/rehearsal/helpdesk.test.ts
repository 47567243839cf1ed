/**
 * The helpdesk's view of a rehearsal: per user, when the phone is without service in clock time and why, per site the
 * outage windows and how many users, and how much falls in working hours — in the report, and as helpdesk.csv and
 * site-outages.csv. Built on the shipped inventory (fixtures/inventory/three-sites.csv) rolled out from 17:30 Paris
 * time, so part of the rollout is in working hours and part is not.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildHelpdesk, outagesOf } from '../../src/rehearsal/helpdesk.ts';
import { helpdeskUsersCsv, siteOutagesCsv } from '../../src/rehearsal/helpdesk-files.ts';
import { renderReportHtml } from '../../src/rehearsal/report-html.ts';
import { importInventory } from '../../src/rehearsal/plan/inventory-import.ts';
import { runScenario } from '../../src/rehearsal/runner.ts';
import { parseScenario, ScenarioError } from '../../src/rehearsal/scenario-loader.ts';
import type { DeviceOutcome } from '../../src/rehearsal/report-types.ts';

const MIN = 60_000;

describe('helpdesk outputs', () => {
  it("words each outage by what the handset's base was doing, and counts working minutes in the file's time zone", () => {
    const base = [
      { from: 0, to: 60 * MIN, state: 'running' },
      { from: 60 * MIN, to: 60 * MIN + 5_000, state: 'rebooting', reason: 'ITSP provisioning: new configuration' },
      { from: 60 * MIN + 5_000, to: 61.5 * MIN, state: 'booting' },
      { from: 61.5 * MIN, to: 600 * MIN, state: 'running' },
    ];
    const handset = [
      { from: 0, to: 10 * MIN, state: 'in-service' },
      { from: 10 * MIN, to: 11 * MIN, state: 'installing-firmware' },
      { from: 11 * MIN, to: 11.5 * MIN, state: 'starting' },
      { from: 11.5 * MIN, to: 60 * MIN + 3_000, state: 'in-service' },
      { from: 60 * MIN + 3_000, to: 62 * MIN, state: 'searching' },
      { from: 62 * MIN, to: 600 * MIN, state: 'in-service' },
    ];
    expect(outagesOf(handset, base)).toEqual([
      { from: 10 * MIN, to: 11.5 * MIN, cause: 'Handset firmware update (over the air)' },
      { from: 60 * MIN + 3_000, to: 62 * MIN, cause: 'Base reboot: ITSP provisioning: new configuration' },
    ]);
    // 07:00 in New York (UTC-5 in November) on a Monday: the second outage, 08:00:03–08:02, is in working hours.
    const device: DeviceOutcome = { name: 'HS-1', kind: 'handset', id: '0328D00001', site: 'hq', base: 'B1', user: 'ann@contoso.com', outcome: 'ok', state: 'in-service', error: null, fix: null, teams: { list: 'SIP devices', userStatus: 'Signed in' } };
    const h = buildHelpdesk({ devices: [device], timeline: { 'HS-1': handset, B1: base }, startMs: Date.parse('2026-11-02T12:00:00Z'), spec: { timeZone: 'America/New_York' } });
    expect(h.users[0]).toMatchObject({ upn: 'ann@contoso.com', outcome: 'signed in', minutesWithoutService: 3.5, workingMinutesWithoutService: 2 });
    expect(h.users[0]!.outages.map((o) => [o.from, o.to, o.workingMinutes])).toEqual([
      ['2026-11-02T07:10:00-05:00', '2026-11-02T07:11:30-05:00', 0],
      ['2026-11-02T08:00:03-05:00', '2026-11-02T08:02:00-05:00', 2],
    ]);
    expect(h.workingHoursSummary).toEqual({ users: 1, ofUsers: 1, userMinutes: 2 });
  });

  it('per user and per site in clock time, in the report and as CSV files', { timeout: 120_000 }, async () => {
    const { text } = importInventory(readFileSync('fixtures/inventory/three-sites.csv', 'utf8'), { file: 'three-sites.csv' });
    const scenario = parseScenario(
      text.replace(/^seed: 1$/m, 'seed: 1\nstart: "2026-11-02T16:30:00Z"\nhelpdesk: { timeZone: Europe/Paris, workingHours: { days: [Mon, Tue, Wed, Thu, Fri], from: "08:00", to: "18:00" } }'),
    );
    const { report, failures } = await runScenario(scenario);
    // Only the written scenario's last expectation (every user signed in) fails: Diego has no number.
    expect(failures.map((f) => f.actual)).toEqual(['succeeded 4, failed 1 ("User missing phone number assignment." 1)']);
    const h = report.helpdesk!;
    expect(h.users.map((u) => [u.upn, u.handset, u.outcome])).toEqual([
      ['adele.vance@contoso.com', 'HS-001', 'signed in'],
      ['alex.wilber@contoso.com', 'HS-002', 'signed in'],
      ['diego.siciliani@contoso.com', 'HS-003', 'failed'],
      ['lidia.holloway@contoso.com', 'HS-005', 'signed in'],
      ['grady.archie@contoso.com', 'HS-006', 'signed in'],
    ]);
    const adele = h.users[0]!;
    // Clock times at Paris's offset; the rollout starts 17:30 there, so the firmware update is in working hours and the
    // sign-in reboots (after 18:00) are not.
    expect(adele.outages.every((o) => o.from.endsWith('+01:00'))).toBe(true);
    expect(adele.outages.filter((o) => o.cause === 'Base reboot: ITSP provisioning: new configuration')).toHaveLength(2); // Adele's and Alex's sign-ins: the same base
    expect(adele.outages.filter((o) => o.cause.includes('new configuration')).every((o) => o.workingMinutes === 0)).toBe(true);
    expect(adele.workingMinutesWithoutService).toBeGreaterThan(0);
    expect(adele.workingMinutesWithoutService).toBeLessThan(adele.minutesWithoutService);
    expect(h.users[2]).toMatchObject({ error: 'User missing phone number assignment.', fix: expect.stringMatching(/Assign a phone number/) });
    const hqSignIn = h.sites.find((s) => s.site === 'hq' && s.causes.includes('Base reboot: ITSP provisioning: new configuration'))!;
    expect(hqSignIn).toMatchObject({ users: 2, peakUsers: 2, workingMinutes: 0 });
    expect(h.workingHoursSummary).toEqual({ users: 5, ofUsers: 5, userMinutes: expect.any(Number) });
    // The helpdesk's minutes are the report's: summed before rounding, not added up from rounded windows.
    for (const u of h.users) expect(u.minutesWithoutService).toBe(report.devices.find((d) => d.name === u.handset)!.minutesWithoutService);

    const csv = helpdeskUsersCsv(h).split('\r\n');
    expect(csv[0]).toBe('User,Display name,Handset,IPEI,Base,Site,Outcome,Error,Root cause,Fix,Minutes without service,Of those in working hours,Without service (Europe/Paris)');
    expect(csv[3]).toMatch(/^diego\.siciliani@contoso\.com,Diego Siciliani,HS-003,0328D00003,HQ-B02,hq,failed,User missing phone number assignment\.,,Assign a phone number[^,]*,[\d.]+,[\d.]+,2026-11-02T17:\d\d:\d\d\+01:00–2026-11-02T17:\d\d:\d\d\+01:00 Handset firmware update \(over the air\); /);
    const sitesCsv = siteOutagesCsv(h).split('\r\n');
    expect(sitesCsv[0]).toBe('Site,From,To,Minutes,Of those in working hours,Users without service,Most at once,Causes');
    // Both files write a time the same way, with its offset: each stretch of a user's is found as is in site-outages.csv.
    expect(sitesCsv[1]).toMatch(/^[a-z]+,2026-11-02T\d\d:\d\d:\d\d\+01:00,2026-11-02T\d\d:\d\d:\d\d\+01:00,/);
    const stretches = csv[1]!.split(',').at(-1)!.split('; ');
    expect(stretches.length).toBeGreaterThan(0);
    for (const s of stretches) expect(s).toMatch(/^2026-11-02T\d\d:\d\d:\d\d\+01:00–2026-11-02T\d\d:\d\d:\d\d\+01:00 \S/);
    const [first] = stretches[0]!.split('–');
    expect(sitesCsv.some((l) => l.split(',')[1] === first)).toBe(true);

    const page = renderReportHtml(report);
    expect(page).toContain('<h2>Helpdesk</h2>');
    expect(page).toContain('<b>5 of 5</b> users lose service during working hours (Mon, Tue, Wed, Thu, Fri 08:00–18:00, Europe/Paris)');
  });

  it('refuses an unknown time zone and working hours that end before they start, with the line', () => {
    const file = (helpdesk: string) => `name: x\nhelpdesk: ${helpdesk}\nlab: { bases: [{ id: b1, model: B4 }] }\nsteps: [{ wait: 1m }]\n`;
    expect(() => parseScenario(file('{ timeZone: Europe/Pariss }'))).toThrow(/scenario\.yaml:2.*unknown time zone "Europe\/Pariss": an IANA name such as Europe\/London/);
    expect(() => parseScenario(file('{ workingHours: { from: "18:00", to: "08:00" } }'))).toThrow(ScenarioError);
    expect(() => parseScenario(file('{ workingHours: { from: "8am" } }'))).toThrow(/scenario\.yaml:2/);
  });
});
