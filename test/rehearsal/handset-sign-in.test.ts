/**
 * Scenario sign-in is what the user does: the idle screen's Sign in soft key shows the device login URL and a pairing
 * code; the code read from that screen goes into the device login page with the user's account. The outcome goes to
 * the event log: signed in, or the words the handset or the page shows.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/rehearsal/runner.ts';
import { parseScenario } from '../../src/rehearsal/scenario-loader.ts';
import { PAIRING_MESSAGES } from '../../src/cloud/teams/gateway.ts';
import { ACCOUNT_UNKNOWN } from '../../src/cloud/teams/device-login/device-login-flow.ts';

const SIGN_IN = `name: Sign-in from the handset
seed: 12
lab:
  bases:
    - id: b1
      model: B4
      firmware: 8.0.3.0009
      handsets:
        - { id: adele, model: Rove 30, firmware: 8.0.3.0009, user: adele.vance@contoso.com }
        - { id: alex, model: Rove 30, firmware: 8.0.3.0009, user: alex.wilber@contoso.com }
        - { id: diego, model: Rove 30, firmware: 8.0.3.0009, user: diego.siciliani@contoso.com }
        - { id: lidia, model: Rove 30, firmware: 8.0.3.0009, user: lidia.holloway@contoso.com }
        - { id: spare, model: Rove 30, firmware: 8.0.3.0009, user: grady.archie@contoso.com }
steps:
  - waitUntil: { base: b1, state: running }
    timeout: 10m
  - register: { handsets: "*" }
  - settings:
      bases: b1
      values:
        itspMethod: Periodically
        itspInterval: 3600
        provisioningOption: ConfigURL
        configUrl: http://emea.ipp.sdg.teams.microsoft.com/00\${IPEI}.cfg
  - waitUntil: { base: b1, state: running, pendingProvisioningReboots: 0 }
    timeout: 1h
  - teams: { provision: [adele, alex, diego, lidia] }
  - teams: { enroll: [adele, alex, diego, lidia] }
  - name: Adele signs in from the Sign in soft key
    teams: { signIn: adele }
  - waitUntil: { teams: adele, line: signed-in }
    timeout: 30m
  - expect: { teams: adele, list: SIP devices, userStatus: Signed in }
  - name: A user the tenant does not know
    teams: { signIn: alex, user: nobody@contoso.com }
  - fault: { id: late, type: expired-codes }
  - name: The code typed after it expired
    teams: { signIn: diego }
  - clearFault: late
  - name: A user without a licence
    teams: { signIn: lidia }
  - name: A handset never added in the admin center
    teams: { signIn: spare }
  - name: Adele again, already signed in
    teams: { signIn: adele }
  - expect: [{ teams: alex, list: Waiting for sign in }, { teams: diego, list: Waiting for sign in }, { teams: lidia, list: Waiting for sign in }]
`;

describe('Scenario sign-in from the handset', () => {
  it("presses Sign in, reads the code off the handset's screen and enters it on the device login page", async () => {
    const { events, failures, report } = await runScenario(parseScenario(SIGN_IN));
    expect(failures).toEqual([]);
    const signIns = events.filter((e) => e.kind === 'sign-in').map(({ device, ok, detail, reason }) => ({ device, ok, detail, reason }));
    // Handsets go by the ids the file gives them. Events at the same lab time are listed by device: the steps' order is not the log's.
    expect(signIns).toHaveLength(6);
    expect(signIns).toEqual(
      expect.arrayContaining([
        { device: 'adele', ok: true, detail: 'adele.vance@contoso.com', reason: undefined },
        { device: 'alex', ok: false, detail: 'nobody@contoso.com', reason: ACCOUNT_UNKNOWN },
        { device: 'diego', ok: false, detail: 'diego.siciliani@contoso.com', reason: PAIRING_MESSAGES.PAIRING_CODE_EXPIRED },
        // The gateway's refusal as the page shows it: its alert, then each problem.
        {
          device: 'lidia',
          ok: false,
          detail: 'lidia.holloway@contoso.com',
          reason: 'lidia.holloway@contoso.com cannot be signed in to a SIP device. The device was not signed in. User has no licence.',
        },
        // No code to show: what the screen says instead (no Sign in soft key: not a Teams line waiting for sign-in).
        { device: 'spare', ok: false, detail: 'grady.archie@contoso.com', reason: expect.stringMatching(/^no Sign in soft key: "▂▄▆█ \| Handset 5 \| .* \| Menu"$/) },
        { device: 'adele', ok: false, detail: 'adele.vance@contoso.com', reason: expect.stringMatching(/^no Sign in soft key: ".*\+14255550101 \| Menu +Sign out"$/) },
      ]),
    );
    // The late code was entered after the pairing code's 15 minutes (on the lab clock).
    const late = events.find((e) => e.kind === 'step' && e.detail === 'The code typed after it expired')!;
    const answered = events.find((e) => e.kind === 'sign-in' && e.device === 'diego')!;
    expect(answered.t - late.t).toBeGreaterThanOrEqual(16 * 60_000);
    expect(report.totals.signIns).toEqual({ succeeded: 1, failed: 5 });
  });
});
