/** The plan with planted problems the plan-check tests share: 2 bases of 6 handsets, 12 users, bulk sign-in. */
const user = (n: number, extra = '') =>
  `    - { upn: u${n}@contoso.com, phoneNumber: ${n <= 6 || n > 11 ? `"+1425555020${n}"` : 'null'}, licence: Microsoft Teams Shared Devices${extra.includes('ipPhonePolicy') ? '' : ', ipPhonePolicy: CommonAreaPhone'}${extra} }`;

export const PLAN = `name: Plan with planted problems
lab:
  tenant: empty
  sites: [{ id: hq, publicIp: 203.0.113.10 }]
  bases:
    - id: HQ-B01
      model: B4
      firmware: 8.0.3.0009
      handsets:
${[1, 2, 3, 4, 5, 6].map((n) => `        - { id: HS-0${n}, model: Rove 30, firmware: 8.0.3.0009, user: u${n}@contoso.com }`).join('\n')}
    - id: HQ-B02
      model: B4
      firmware: 8.0.3.0009
      handsets:
${[7, 8, 9, 10, 11, 12].map((n) => `        - { id: HS-${String(n).padStart(2, '0')}, model: Rove 30, firmware: 8.0.3.0009, user: u${n}@contoso.com }`).join('\n')}
  users:
${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => user(n)).join('\n')}
${user(11, ', mfa: true')}
${user(12, ', callingPolicy: null, ipPhonePolicy: null')}
steps:
  - waitUntil: { base: "*", state: running }
    timeout: 10m
  - settings:
      bases: "*"
      values: { firmwareServer: http://downloads.polycom.com/, firmwarePath: /voice/dect-ip-phones/Rove/, baseFwVersion: 8003, baseFwBranch: "0011" }
  - register: { handsets: "*" }
  - settings:
      bases: HQ-B01
      values: { itspMethod: Periodically, itspInterval: 3600, provisioningOption: ConfigURL, configUrl: "http://emea.ipp.sdg.teams.microsfot.com/tenantid/\${TENANT_ID}/00\${IPEI}.cfg" }
  - settings:
      bases: HQ-B02
      values: { itspMethod: Periodically, itspInterval: 3600, provisioningOption: ConfigURL, configUrl: "http://emea.ipp.sdg.teams.microsoft.com/tenantid/\${TENANT_ID}/00\${IPEI}.cfg" }
  - teams: { provision: "*" }
  - wait: 1s
  - name: Bulk sign-in
    teams: { bulkSignIn: { handsets: "*" } }
`;
