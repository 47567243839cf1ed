/**
 * An IT lead rehearses a small site with the company's own inventory: real MACs and IPEIs, the company's names for
 * bases and handsets. One base has a mistyped ConfigURL (PRV-01), so its six handsets cannot be bulk signed in; the
 * report names every device by the company's name and links those six handsets to the base's PRV-01 error — one
 * root cause, not six "wait for its next ITSP fetch". A user with two account problems has both listed.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/rehearsal/runner.ts';
import { parseScenario } from '../../src/rehearsal/scenario-loader.ts';
import { renderReportHtml } from '../../src/rehearsal/report-html.ts';

const good = (n: number) => `{ upn: hs${n}@contoso.com, phoneNumber: "+1425555010${n}", licence: Microsoft Teams Shared Devices, ipPhonePolicy: CommonAreaPhone }`;

const SCENARIO = `name: Company site with a mistyped ConfigURL
seed: 3
lab:
  tenant: empty
  sites: [{ id: hq, name: Head office, publicIp: 203.0.113.10 }]
  bases:
    - id: HQ-Reception
      model: B4
      mac: "00:04:F2:10:00:01"
      firmware: 8.0.3.0009
      site: hq
      handsets:
${[1, 2, 3, 4, 5, 6].map((n) => `        - { id: HS-00${n}, ipei: 0328D1000${n}, model: Rove 30, firmware: 8.0.3.0009, user: hs${n}@contoso.com }`).join('\n')}
    - id: HQ-Warehouse
      model: B4
      mac: 0004F2100002
      firmware: 8.0.3.0009
      site: hq
      handsets:
        - { id: HS-007, ipei: 0328D10007, model: Rove 40, firmware: 8.0.3.0009, user: hs7@contoso.com }
        - { id: HS-008, ipei: 0328D10008, model: Rove 40, firmware: 8.0.3.0009, user: hs8@contoso.com }
  users:
${[1, 2, 3, 4, 5, 6, 7].map((n) => `    - ${good(n)}`).join('\n')}
    - { upn: hs8@contoso.com, phoneNumber: null, licence: Microsoft Teams Shared Devices, ipPhonePolicy: CommonAreaPhone, mfa: true }
steps:
  - waitUntil: { base: "*", state: running }
    timeout: 10m
  - register: { handsets: "*" }
  - settings:
      bases: HQ-Reception
      values: { itspMethod: Periodically, itspInterval: 600, provisioningOption: ConfigURL, configUrl: "http://emea.ipp.sdg.teams.microsfot.com/tenantid/\${TENANT_ID}/00\${IPEI}.cfg" }
  - settings:
      bases: HQ-Warehouse
      values: { itspMethod: Periodically, itspInterval: 600, provisioningOption: ConfigURL, configUrl: "http://emea.ipp.sdg.teams.microsoft.com/tenantid/\${TENANT_ID}/00\${IPEI}.cfg" }
  - waitUntil: { base: HQ-Warehouse, state: running, pendingProvisioningReboots: 0 }
    timeout: 1h
  - teams: { provision: "*" }
  - wait: 15m
  - teams: { bulkSignIn: { handsets: "*" } }
  - wait: 10m
`;

describe('Root causes and the company\u2019s own names in the report', () => {
  it('names devices as the file does and links six handsets to their base\u2019s PRV-01', { timeout: 120_000 }, async () => {
    const { report } = await runScenario(parseScenario(SCENARIO), { speed: 'max' });
    const names = report.devices.map((d) => d.name);
    expect(names).toEqual(['HQ-Reception', 'HQ-Warehouse', 'HS-001', 'HS-002', 'HS-003', 'HS-004', 'HS-005', 'HS-006', 'HS-007', 'HS-008']);
    expect(report.devices.find((d) => d.name === 'HQ-Reception')!.id).toBe('0004F2100001');
    const hs1 = report.devices.find((d) => d.name === 'HS-001')!;
    expect(hs1).toMatchObject({ id: '0328D10001', position: 'HQ-Reception/1' });
    expect(Object.keys(report.timeline)).toContain('HS-001');
    expect(Object.keys(report.timeline).some((k) => k.includes('/'))).toBe(false);

    const reception = report.devices.find((d) => d.name === 'HQ-Reception')!;
    expect(reception.error).toMatch(/^PRV-01 /);
    const baseCauses = report.rootCauses!.filter((c) => c.kind === 'base');
    expect(baseCauses).toHaveLength(1);
    expect(baseCauses[0]).toMatchObject({ subject: 'HQ-Reception', handsets: ['HS-001', 'HS-002', 'HS-003', 'HS-004', 'HS-005', 'HS-006'] });
    expect(baseCauses[0]!.error).toBe(reception.error);
    for (const n of [1, 2, 3, 4, 5, 6]) {
      const h = report.devices.find((d) => d.name === `HS-00${n}`)!;
      expect(h.outcome).toBe('failed');
      expect(h.rootCause).toMatchObject({ kind: 'base', subject: 'HQ-Reception' });
      expect(h.fix).not.toMatch(/wait for its next ITSP fetch/);
      expect(h.fix).toMatch(/ConfigURL/);
    }

    expect(report.devices.find((d) => d.name === 'HS-007')!.outcome).toBe('ok');
    const hs8 = report.devices.find((d) => d.name === 'HS-008')!;
    expect(hs8.error).toBe('User missing phone number assignment.');
    expect(hs8.checks).toEqual(['User missing phone number assignment.', 'Multifactor authentication is enabled for the user.']);
    expect(hs8.rootCause).toMatchObject({ kind: 'user', subject: 'hs8@contoso.com' });
    expect(report.checksByError).toMatchObject({ 'User missing phone number assignment.': 1, 'Multifactor authentication is enabled for the user.': 1 });

    const page = renderReportHtml(report);
    expect(page).toContain('<h3>Root causes</h3>');
    expect(page).toMatch(/base <b>HQ-Reception<\/b><\/td><td>PRV-01 /);
    expect(page).toContain('also: Multifactor authentication is enabled for the user.');
    expect(page).not.toContain('HQ-Reception/1<');
  });

  it('refuses a bad IPEI, a bad MAC and duplicates at load, with the line', () => {
    const text = `name: Bad inventory
lab:
  bases:
    - id: a
      model: B4
      mac: 00:04:F2:10:00
      handsets:
        - { id: x1, ipei: 0328D1000Z, model: Rove 30 }
        - { id: x2, ipei: "12941 0074565 3", model: Rove 30 }
    - id: b
      model: B4
      mac: 0004F2100002
      handsets:
        - { id: x3, ipei: 0328D10003, model: Rove 30 }
        - { id: x4, ipei: 0328d-10003, model: Rove 30 }
    - { id: c, model: B4, mac: "00-04-F2-10-00-02" }
steps: []
`;
    expect(() => parseScenario(text, 'bad.yaml')).toThrowError(
      expect.objectContaining({
        message: expect.stringMatching(
          /bad\.yaml:6: .*not a MAC address[\s\S]*bad\.yaml:8: .*"Z" is not one[\s\S]*bad\.yaml:9: .*check digit[\s\S]*bad\.yaml:15: .*IPEI 0328D10003 is also handset "x3"[\s\S]*bad\.yaml:16: .*MAC 0004F2100002 is also base "b"/,
        ),
      }),
    );
  });
});
