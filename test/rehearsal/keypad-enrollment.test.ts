/**
 * Scenario enrollment is what the technician does: `*55*<code>` and green on the handset, then the gateway's answer —
 * three busy tones and "Sign in", or the error tone and the service's words. The outcome goes to the event log.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/rehearsal/runner.ts';
import { parseScenario } from '../../src/rehearsal/scenario-loader.ts';

const ENROLL = `name: Enrollment from the keypad
seed: 11
lab:
  bases:
    - id: b1
      model: B4
      firmware: 8.0.3.0009
      handsets: { count: 4, model: Rove 30, firmware: 8.0.3.0009 }
steps:
  - waitUntil: { base: b1, state: running }
    timeout: 10m
  - register: { handsets: "b1/*" }
  - settings:
      bases: b1
      values:
        itspMethod: Periodically
        itspInterval: 3600
        provisioningOption: ConfigURL
        configUrl: http://emea.ipp.sdg.teams.microsoft.com/00\${IPEI}.cfg
  - waitUntil: { base: b1, state: running, pendingProvisioningReboots: 0 }
    timeout: 1h
  - teams: { provision: [b1/1, b1/2, b1/3] }
  - name: A good code
    teams: { enroll: b1/1 }
  - expect: [{ teams: b1/1, list: Waiting for sign in }, { handset: b1/1, display: Sign in }]
  - teams: { generateCode: b1/2 }
  - name: A wrong code
    teams: { enroll: b1/2, code: "000000" }
  - expect: [{ teams: b1/2, list: Waiting on activation }, { handset: b1/2, display: Enrollment failed }]
  - fault: { id: late, type: expired-codes }
  - name: A code entered a day late
    teams: { enroll: b1/3 }
  - clearFault: late
  - expect: { teams: b1/3, list: Waiting on activation }
  - name: A handset nobody added in the admin center
    teams: { enroll: b1/4 }
  - name: A line that is down
    fault: { id: registrar, type: sip-server, mode: timeout }
  - reboot: { bases: b1 }
  - teams: { enroll: b1/2 }
  - clearFault: registrar
`;

describe('Scenario enrollment from the keypad', () => {
  it('dials *55*<code> on each handset and records the gateway answer, also a day late (expired-codes)', async () => {
    const { events, failures, report } = await runScenario(parseScenario(ENROLL));
    expect(failures).toEqual([]);
    const enrolls = events.filter((e) => e.kind === 'enroll').map(({ device, ok, reason }) => ({ device, ok, reason }));
    expect(enrolls).toEqual([
      { device: 'b1/1', ok: true, reason: undefined },
      { device: 'b1/2', ok: false, reason: 'The verification code is not valid for this device.' },
      { device: 'b1/3', ok: false, reason: 'The verification code has expired; it is valid for 24 hours. Generate a new code.' },
      { device: 'b1/4', ok: false, reason: 'Device not found in records.' },
      // The registrar does not answer after the reboot: the line is down and the handset says so itself.
      { device: 'b1/2', ok: false, reason: 'Line not registered: 408 Request Timeout (no answer from the SIP server)' },
    ]);
    // The code step started a day late: the expired-codes wait happened on the lab clock.
    const late = events.find((e) => e.kind === 'step' && e.detail === 'A code entered a day late')!;
    const answered = events.find((e) => e.kind === 'enroll' && e.device === 'b1/3')!;
    expect(answered.t - late.t).toBeGreaterThanOrEqual(24 * 3_600_000 + 60_000);
    expect(Object.keys(report.totals.enrollFailuresByError)).toHaveLength(4);
  });
});
