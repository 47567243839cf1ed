import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src/lab/lab.ts';
import { buildTeamsAdminCenter } from '../../../src/cloud/teams/admin-center/build-admin-center.ts';
import type { DeviceChange } from '../../../src/cloud/teams/gateway.ts';
import { MINUTE, openTestLab } from '../../support/lab.ts';

const HW = '000087654321';

describe('Device login page (https://microsoft.com/devicelogin, emulated)', () => {
  let lab: Lab;
  let tac: FastifyInstance;
  let pairing: string;
  beforeEach(async () => {
    lab = await openTestLab();
    tac = await buildTeamsAdminCenter({ gateway: lab.teams });
    lab.teams.addDevices([{ macAddress: HW, location: 'Warehouse' }], 'api');
    lab.teams.enroll(HW, lab.teams.generateVerificationCode(HW).code, 'EMEA');
    pairing = lab.teams.requestPairingCode(HW, 'device').code;
  });
  afterEach(async () => {
    await tac.close();
    await lab.close();
  });

  const post = (url: string, body: Record<string, string>) =>
    tac.inject({ method: 'POST', url, payload: new URLSearchParams(body).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

  it('Alice enters the pairing code in lower case, picks her account, approves, and the handset is signed in', async () => {
    const changes: DeviceChange[] = [];
    lab.teams.onDeviceChange((c) => changes.push(c));
    const start = await tac.inject('/devicelogin');
    expect(start.body).toContain('Enter code');
    const pick = await post('/devicelogin', { otc: ` ${pairing.toLowerCase()} ` });
    expect(pick.statusCode).toBe(200);
    expect(pick.body).toContain('Pick an account');
    expect(pick.body).toContain('adele.vance@contoso.com');
    const approve = await post('/devicelogin/account', { otc: pairing.toLowerCase(), upn: 'adele.vance@contoso.com' });
    expect(approve.body).toContain('Are you trying to sign in to Teams SIP devices gateway?');
    const done = await post('/devicelogin/approve', { otc: pairing.toLowerCase(), upn: 'adele.vance@contoso.com', decision: 'continue' });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('You have signed in to the Teams SIP devices gateway application on your device.');
    expect(lab.teams.device(HW)).toMatchObject({ state: 'signedIn', user: { phoneNumber: '+14255550101' } });
    expect(changes.map((c) => [c.kind, c.checkSync])).toEqual([['signed-in', true]]);
  });

  it('accepts a typed account ("Use another account") and refuses an unknown one', async () => {
    const unknown = await post('/devicelogin/account', { otc: pairing, upn: 'someone@fabrikam.com' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain("We couldn&#39;t find an account with that username.");
    const typed = await post('/devicelogin/account', { otc: pairing, upn: 'ALEX.WILBER@contoso.com' });
    expect(typed.body).toContain('Alex Wilber');
  });

  it('refuses a wrong code and an expired one', async () => {
    const wrong = await post('/devicelogin', { otc: 'AAAAAAAAA' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('That code didn&#39;t work. Check the code and try again.');
    await lab.clock.advance(15 * MINUTE);
    const expired = await post('/devicelogin', { otc: pairing });
    expect(expired.body).toContain('That code has expired.');
    const late = await post('/devicelogin/approve', { otc: pairing, upn: 'adele.vance@contoso.com', decision: 'continue' });
    expect(late.statusCode).toBe(400);
    expect(lab.teams.device(HW)?.state).toBe('enrolled');
  });

  it('shows why the gateway refused users without a number, a SIP calling policy or a licence', async () => {
    const cases: Array<[string, string]> = [
      ['johanna.lorenz@contoso.com', 'User missing phone number assignment.'],
      ['joni.sherman@contoso.com', 'User missing AllowSIPDevicesCalling policy assignment'],
      ['lidia.holloway@contoso.com', 'User has no licence.'],
      ['lynne.robbins@contoso.com', 'does not include Teams Phone'],
    ];
    for (const [upn, message] of cases) {
      const res = await post('/devicelogin/approve', { otc: pairing, upn, decision: 'continue' });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain(message);
      expect(res.body).toContain('The device was not signed in.');
    }
    expect(lab.teams.device(HW)?.state).toBe('enrolled');
    expect(lab.teams.device(HW)?.history[0]?.text).toContain('refused');
  });

  it('Cancel leaves the device signed out', async () => {
    const res = await post('/devicelogin/approve', { otc: pairing, upn: 'adele.vance@contoso.com', decision: 'cancel' });
    expect(res.body).toContain('canceled');
    expect(lab.teams.device(HW)?.state).toBe('enrolled');
  });
});
