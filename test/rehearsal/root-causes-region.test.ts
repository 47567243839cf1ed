/**
 * A base whose ConfigURL is another region's provisioning server (a newcomer's reproduction, accept-scratch pc2.yaml,
 * cut down here): the tenant and its devices are EMEA, WH-B01 fetches from NOAM, so its handset's bulk sign-in row
 * fails "Device not found in records." The report links it to the base's ConfigURL region, with the ConfigURL of the
 * tenant's region as the fix — as `plan check` names it before the run; the handset on an EMEA base signs in.
 */
import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/rehearsal/report-html.ts';
import { runScenario } from '../../src/rehearsal/runner.ts';
import { parseScenario } from '../../src/rehearsal/scenario-loader.ts';

const user = (upn: string, n: number) => `{ upn: ${upn}, phoneNumber: "+1425555010${n}", licence: Microsoft Teams Shared Devices, callingPolicy: SIPDevices, ipPhonePolicy: CommonAreaPhone }`;

const SCENARIO = `name: A base on the NOAM ConfigURL, an EMEA tenant
seed: 1
lab:
  region: EMEA
  tenant: empty
  sites:
    - { id: hq, name: Head office, publicIp: 203.0.113.10 }
    - { id: warehouse, name: Warehouse, publicIp: 198.51.100.7 }
  bases:
    - id: HQ-B01
      model: B4
      site: hq
      mac: 0004F2A00001
      firmware: 8.0.3.0009
      handsets: [{ id: HS-001, ipei: 0328D00001, model: Rove 30, firmware: 8.0.3.0009, user: adele.vance@contoso.com }]
    - id: WH-B01
      model: B2
      site: warehouse
      mac: 0004F2A00003
      firmware: 8.0.3.0009
      handsets: [{ id: HS-005, ipei: 0328D00005, model: Rove 40, firmware: 8.0.3.0009, user: lidia.holloway@contoso.com }]
  users:
    - ${user('adele.vance@contoso.com', 1)}
    - ${user('lidia.holloway@contoso.com', 5)}
steps:
  - waitUntil: { base: "*", state: running }
    timeout: 10m
  - register: { handsets: "*" }
  - settings:
      bases: "*"
      values:
        itspMethod: Periodically
        itspInterval: 3600
        provisioningOption: ConfigURL
        configUrl: http://emea.ipp.sdg.teams.microsoft.com/tenantid/\${TENANT_ID}/00\${IPEI}.cfg
  - settings: { bases: WH-B01, values: { configUrl: "http://noam.ipp.sdg.teams.microsoft.com/tenantid/\${TENANT_ID}/00\${IPEI}.cfg" } }
  - waitUntil: { base: "*", state: running, pendingProvisioningReboots: 0 }
    timeout: 2h
  - teams: { provision: "*" }
  - wait: 1h
  - teams: { bulkSignIn: { handsets: "*" } }
  - wait: 30m
`;

describe('A base whose ConfigURL is another region\u2019s', () => {
  it("links its handset's \u201cDevice not found in records.\u201d to the base's ConfigURL region, with the tenant region's ConfigURL", { timeout: 120_000 }, async () => {
    const { report } = await runScenario(parseScenario(SCENARIO), { speed: 'max' });
    const hs1 = report.devices.find((d) => d.name === 'HS-001')!;
    expect(hs1.outcome).toBe('ok');
    const hs5 = report.devices.find((d) => d.name === 'HS-005')!;
    expect(hs5.error).toBe('Device not found in records.');
    // The base saves the ConfigURL with the tenant's id in place of \${TENANT_ID}.
    const cause = hs5.rootCause!;
    expect(cause).toEqual({
      kind: 'base',
      subject: 'WH-B01',
      error: expect.stringMatching(/^ConfigURL http:\/\/noam\.ipp\.sdg\.teams\.microsoft\.com\/tenantid\/[0-9a-f-]{36}\/00\$\{IPEI\}\.cfg is the NOAM provisioning server; the tenant's devices are in EMEA \(the bulk sign-in's region\)$/),
      fix: expect.stringMatching(/^Set the base's ConfigURL for the tenant's region, EMEA: http:\/\/emea\.ipp\.sdg\.teams\.microsoft\.com\/tenantid\/[0-9a-f-]{36}\/00\$\{IPEI\}\.cfg \(System Management → Auto provisioning\); once the base has fetched from there \(its next ITSP interval\), bulk sign-in again\.$/),
    });
    expect(cause.fix).toContain(/\/tenantid\/([^/]+)\//.exec(cause.error)![1]);
    expect(hs5.fix).toBe(cause.fix);
    expect(report.rootCauses).toEqual([{ ...cause, handsets: ['HS-005'] }]);

    const page = renderReportHtml(report);
    expect(page).toMatch(/root cause \(base WH-B01\): ConfigURL http:\/\/noam\.ipp\.sdg\.teams\.microsoft\.com\/\S+ is the NOAM provisioning server/);
    expect(page).toMatch(/base <b>WH-B01<\/b><\/td><td>ConfigURL http:\/\/noam\.ipp/);
    expect(page).toMatch(/Set the base(&#39;|&#x27;|')s ConfigURL for the tenant(&#39;|&#x27;|')s region, EMEA: http:\/\/emea\.ipp\.sdg\.teams\.microsoft\.com\//);
  });
});
